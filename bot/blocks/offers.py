"""`/offer`: your "ask me about" list; what others see of it in `/mutual with`; and the
private note to someone who gives a lot and hears back from few, with its pause button."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import constants as ids
from bot.blocks.asks import preview
from bot.blocks.kit import Block, actions, button, context, date, escape, message, plain_date, section
from bot.blocks.nudges import period
from bot.services.offers import OFFER_TEXT_MAX, OFFERS_MAX, AboutView, Added

ADDED_WORDS = {
    Added.ADDED: "Added to the things people can ask you about.",
    Added.DUPLICATE: "That's already on your list.",
    Added.FULL: (f"You already have {OFFERS_MAX} things on your list — that's as many as it "
                 "holds. Remove one below to make room; nothing was added."),
    Added.TOO_LONG: ("That's {length:,} characters; keep it to " f"{OFFER_TEXT_MAX}" ", please — "
                     "a few words people would search for. Nothing was added."),
}


def added_words(outcome: Added, length: int = 0) -> str:
    """What `/offer <text>` did, in words (a text too long is told its length)."""
    return ADDED_WORDS[outcome].format(length=length)


def build_offer_list(entries: list[AboutView], note: str | None = None,
                     replace: bool = False) -> dict[str, Any]:
    """Your list, each entry with its own Remove button (ephemeral); `replace` when it
    replaces the list a Remove button sat on."""
    blocks: list[Block] = []
    if note:
        blocks.append(section(f":information_source: {note}"))
    if entries:
        blocks.append(section(f"*People can ask you about* ({len(entries)} of {OFFERS_MAX})"))
        for entry in entries:
            block = section(f"• {escape(entry.text)}")
            block["accessory"] = button("Remove", ids.OFFER_REMOVE, str(entry.id))
            blocks.append(block)
    else:
        blocks.append(section("Your “ask me about” list is empty."))
    blocks.append(context("Colleagues see this list when they look at your history together "
                          "(`/mutual with @you`), and Mutual may suggest you, privately, to someone "
                          "asking about these things. Add to it with `/offer` followed by what you can help with."))
    shown = ("People can ask you about: " + "; ".join(preview(e.text, 60) for e in entries)
             if entries else "Your “ask me about” list is empty.")
    text = (f"{note} " if note else "") + shown
    reply = {"response_type": "ephemeral", **message(text, blocks)}
    return {**reply, "replace_original": True} if replace else reply


def build_protect_time(window_days: int) -> dict[str, Any]:
    """To someone whose help went to many and came back from few. Warm; not a score."""
    text = (f"You've helped a lot of people {period(window_days)} — thank you. It's fine to "
            "protect your time, too.")
    return message(text, [
        section(f":seedling: {text}"),
        context("If you'd like a breather, I can stop suggesting you to people who are looking "
                "for help, for two weeks. Nobody is told; only you see this."),
        actions(button("Pause incoming asks for 2 weeks", ids.ASKS_PAUSE, "14")),
    ])


def build_asks_paused(until: datetime) -> dict[str, Any]:
    """Replaces the note once the pause is on."""
    text = f"Paused — I won't suggest you to anyone asking for help until {plain_date(until)}."
    return message(text, [section(f":zzz: Paused — I won't suggest you to anyone asking for "
                                  f"help until {date(until)}."),
                          context("People can still ask you directly, and offers you make "
                                  "count as usual.")])


def build_not_yours() -> dict[str, Any]:
    text = "That was meant for someone else, so nothing was changed."
    return {"response_type": "ephemeral", "replace_original": False, **message(text, [section(text)])}
