"""Asks, continued: what the scheduler sends the asker (a private suggestion of people who
might help, the ask closing after a while) and `/mutual asks`. Pure, escaped, as asks.py."""

from __future__ import annotations

from typing import Any

from bot import constants as ids
from bot.blocks.asks import preview
from bot.blocks.kit import (
    Block,
    actions,
    button,
    cap_blocks,
    context,
    date,
    escape,
    mention,
    message,
    plain_date,
    quote,
    section,
)
from bot.services.ask_match import Suggestion
from bot.services.asks import AskView, OfferView

SHOWN_MAX = 7  # asks and offers each in `/mutual asks`: 3 blocks apiece within Slack's 50
WORDS_SHOWN = 4
OFFER_WORDS = {"offered": "waiting for {who} to take you up on it",
               "accepted": "{who} took you up on it",
               "done": "you said it's done — {who} can mark it solved"}


def _reason(s: Suggestion) -> str:
    parts = []
    if s.offers:
        parts.append("happy to be asked about " + ", ".join(f"“{preview(o, 60)}”" for o in s.offers[:2]))
    if s.words:
        words = ", ".join(sorted(s.words)[:WORDS_SHOWN])
        parts.append(f"has helped with similar things ({escape(words)})")
    return "; ".join(parts)


def build_ask_suggestion(ask: AskView, suggestions: list[Suggestion]) -> dict[str, Any]:
    """To the asker, privately, when nobody has offered yet: never a public bump."""
    lines = "\n".join(f"• {mention(s.user_id)} — {_reason(s)}" for s in suggestions)
    people = ", ".join(mention(s.user_id) for s in suggestions)
    text = f"Nobody has offered on your ask yet — {people} might know: {preview(ask.text)}"
    return message(text, [
        section(f":bulb: Nobody has offered on your ask yet:\n{quote(ask.text)}"),
        section("These people have helped with similar things before — you could ask them "
                f"directly:\n{lines}"),
        context("Only you see this. I haven't told them anything, and I won't post about it."),
        actions(button("Mark solved", ids.ASK_SOLVED, str(ask.id)),
                button("Withdraw", ids.ASK_WITHDRAW, str(ask.id))),
    ])


def build_ask_expired(ask: AskView, days: int) -> dict[str, Any]:
    text = (f"Your ask from {plain_date(ask.created_at)} has closed after {days} days without being "
            f"marked solved: {preview(ask.text)}")
    return message(text, [
        section(f":hourglass: Your ask from {date(ask.created_at)} has closed after {days} days "
                f"without being marked solved:\n{quote(ask.text)}"),
        context("Still need a hand? `/ask` again any time."),
    ])


def asks_blocks(asks: list[AskView], offer_counts: dict[int, int] | None = None,
                shown: int = SHOWN_MAX, where_more: str = "") -> list[Block]:
    """Your open asks, each with *Mark solved* and *Withdraw*; with `offer_counts`, how many
    offers each has."""
    if not asks:
        return []
    blocks: list[Block] = [section(f"*Your open asks ({len(asks)})*")]
    for ask in asks[:shown]:
        where = f" in <#{ask.channel_id}>" if ask.channel_id else ""
        said = f"Asked {date(ask.created_at)}{where}"
        if offer_counts is not None:
            count = offer_counts.get(ask.id, 0)
            said += " · " + (f"{count} offer{'' if count == 1 else 's'}" if count
                             else "no offers yet")
        blocks += [section(quote(ask.text)), context(said),
                   actions(button("Mark solved", ids.ASK_SOLVED, str(ask.id)),
                           button("Withdraw", ids.ASK_WITHDRAW, str(ask.id)))]
    return blocks + more_blocks(len(asks) - shown, where_more)


def offers_blocks(offers: list[tuple[OfferView, AskView]], shown: int = SHOWN_MAX,
                  where_more: str = "") -> list[Block]:
    """The offers you made that still stand; an accepted one with *Done* and *Can't after all*."""
    if not offers:
        return []
    blocks: list[Block] = [section(f"*Offers you've made ({len(offers)})*")]
    for offer, ask in offers[:shown]:
        who = mention(ask.asker_id) if ask.asker_id else "someone"
        blocks += [section(f"{who} asked:\n{quote(ask.text)}"),
                   context(OFFER_WORDS.get(offer.status, "").format(who=who) or offer.status)]
        if offer.status == "accepted":
            blocks.append(actions(button("Done", ids.OFFER_DONE, str(offer.id), style="primary"),
                                  button("Can't after all", ids.OFFER_CANNOT, str(offer.id))))
    return blocks + more_blocks(len(offers) - shown, where_more)


def more_blocks(more: int, where: str = "") -> list[Block]:
    """"…and 4 more", and where to see them."""
    return [context(f"…and {more} more.{' ' + where if where else ''}")] if more > 0 else []


def build_asks_list(asks: list[AskView], offers: list[tuple[OfferView, AskView]],
                    offer_counts: dict[int, int]) -> dict[str, Any]:
    """`/mutual asks`: your open asks (newest first) and the offers you made that still stand."""
    if not asks and not offers:
        text = "You have no open asks, and no offers waiting."
        return {"response_type": "ephemeral", **message(text, [
            section(f":seedling: {text}"),
            context("`/ask` and what you need, in a channel, asks for help; "
                    "`/offer` and what you can help with says what people can ask you about."),
        ])}
    blocks: list[Block] = [*asks_blocks(asks, offer_counts), *offers_blocks(offers)]
    text = f"Your open asks: {len(asks)}; offers you've made: {len(offers)}."
    return {"response_type": "ephemeral", **message(text, cap_blocks(blocks))}


def build_ask_over(ask: AskView | None) -> dict[str, Any]:
    """Replaces a DM about an ask (an offer, a suggestion, "open again") once the ask closed,
    so its buttons cannot be pressed any more."""
    state = {"solved": "is solved", "withdrawn": "was withdrawn"}.get(
        ask.status if ask is not None else "", "has closed")
    about = f": {preview(ask.text)}" if ask is not None and ask.text else ""
    text = f"This ask {state} — nothing more to do here{about}"
    return message(text, [section(f":ballot_box_with_check: This ask {state} — nothing more to "
                                  "do here." + (f"\n{quote(ask.text)}" if ask and ask.text else ""))])
