"""`/mutual me` and `/mutual with @a`: a person's own relationships, within Slack's limits
however many they have (≤ 50 blocks a message, ≤ 3,000 characters a section)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot import constants as ids
from bot.blocks.kit import (
    SECTION_MAX,
    Block,
    actions,
    button,
    cap_blocks,
    clip,
    context,
    date,
    escape,
    mention,
    message,
    plain,
    section,
)
from bot.blocks.limits import MESSAGE_BLOCK_TEXT
from bot.blocks.loop import intro_worth_blocks, passed_on_ids, passing_on_blocks
from bot.blocks.open_things import open_things_blocks
from bot.blocks.undo import take_back_button
from bot.services.intros import IntroView
from bot.services.views import History, PersonalView

LIST_LINES_MAX = 15
CLAIM_LINES_MAX = 5
NOTE_PREVIEW = 120
SOURCE_LABELS = {"command": "/thanks", "reaction": "a thank-you reaction",
                 "shortcut": "“This helped me”", "claim": "a confirmed /helped",
                 "ask": "an ask marked solved"}


def times(n: int) -> str:
    return "once" if n == 1 else f"{n:,} times"


def both_ways(you: str, gave: int, they: str, received: int) -> str:
    """What happened each way, saying only what exists — never a ledger of zeros: "you helped
    them twice, they helped you once" / "they helped you 3 times"."""
    said = ([f"{you} {times(gave)}"] if gave else []) + ([f"{they} {times(received)}"] if received else [])
    return ", ".join(said) if said else "nothing recorded"


def bulleted(lines: Sequence[str], max_lines: int = LIST_LINES_MAX, more: str = "more",
             heading: str = "") -> str:
    """At most `max_lines` bullet lines, then "…and 37 more", always within a section's limit
    (with `heading`, the text that goes before them in the same section)."""
    shown: list[str] = []
    budget = SECTION_MAX - 40 - len(heading)  # room for the "and N more" line
    for line in lines[:max_lines]:
        bullet = f"• {line}"
        if sum(len(s) + 1 for s in shown) + len(bullet) > budget:
            break
        shown.append(bullet)
    rest = len(lines) - len(shown)
    if rest > 0:
        shown.append(f"_…and {rest:,} {more}_")
    return "\n".join(shown)


def _listed(heading: str, lines: Sequence[str], max_lines: int = LIST_LINES_MAX) -> Block:
    """A heading and its bulleted lines in one section, the "…and N more" always shown."""
    return section(f"{heading}\n" + bulleted(lines, max_lines, heading=heading + "\n"))


def preview(note: str, limit: int = NOTE_PREVIEW) -> str:
    note = " ".join(note.split())
    return escape(note if len(note) <= limit else note[: limit - 1].rstrip() + "…")


def _intro_line(intro: IntroView, viewer: str) -> str:
    def who(user_id: str | None) -> str:
        return mention(user_id) if user_id else "someone"

    if intro.introducer_id == viewer:
        pair = f"{who(intro.a_id)} and {who(intro.b_id)}"
        if intro.status == "open":
            return f"You introduced {pair} — they have a group DM; they may just need a moment."
        return f"You offered to introduce {pair} — waiting for them both to say yes."
    other = intro.b_id if intro.a_id == viewer else intro.a_id
    mine = intro.a_answer if intro.a_id == viewer else intro.b_answer
    by = who(intro.introducer_id)
    if intro.status == "open":
        return f"{by} introduced you to {who(other)} — your group DM is ready when you are."
    if mine is None:
        return f"{by} would like to introduce you to {who(other)} — your answer is in your DMs."
    if mine == "declined":
        return f"{by} would like to introduce you to {who(other)} — you said not now; it closes quietly."
    return f"{by} would like to introduce you to {who(other)} — you said yes; waiting on them."


def personal_blocks(view: PersonalView) -> list[Block]:
    """The body shared by `/mutual me` and App Home: a fixed number of blocks at any size."""
    days = view.window_days
    if view.empty:
        return [section(
            f"*Your last {days} days*\nNothing recorded yet. When someone helps you, "
            "`/thanks @them for …` — or react to their message with :pray:. "
            "When you help someone, `/helped @them …` asks them to confirm.")]
    people = len(view.two_way) + len(view.received_only) + len(view.given_only)
    blocks: list[Block] = [section(
        f"*Your last {days} days*\n{_overall(view.given, view.received, people)}")]
    if view.two_way:
        lines = [f"{mention(p.other_id)} — you helped {times(p.given)}, they helped {times(p.received)}"
                 for p in view.two_way]
        blocks.append(_listed(f"*Two-way ({len(view.two_way):,})* :handshake:", lines))
    received_only = [p for p in view.received_only if p.other_id not in passed_on_ids(view)]
    if received_only:
        lines = [f"{mention(p.other_id)} helped you {times(p.received)}" for p in received_only]
        blocks.append(_listed(f"*They've helped you ({len(received_only):,})*", lines))
        blocks.append(context(
            "When a chance comes up, you might return the favour — a hand with one of their "
            "asks, a review, an introduction. Small things count."))
    blocks += passing_on_blocks(view)
    if view.given_only:
        lines = [f"You helped {mention(p.other_id)} {times(p.given)}" for p in view.given_only]
        blocks.append(_listed(f"*You've helped ({len(view.given_only):,})*", lines))
        blocks.append(context("They may not have had the chance to return it yet — that's fine. "
                              "If you could use a hand, asking them is a good way to start."))
    if view.open_intros:
        lines = [_intro_line(i, view.user_id) for i in view.open_intros]
        blocks.append(_listed(f"*Open intros ({len(view.open_intros):,})*", lines))
    blocks += intro_worth_blocks(view)
    if view.claims_awaiting:
        lines = [f"{mention(c.helper_id) if c.helper_id else 'Someone'} says they helped you"
                 + (f": “{preview(c.note)}”" if c.note else "") for c in view.claims_awaiting]
        blocks.append(_listed(f"*Waiting for you to confirm ({len(view.claims_awaiting):,})*",
                              lines, CLAIM_LINES_MAX))
        blocks.append(context("The *Yes, they helped* / *Not really* buttons are in your DMs "
                              "with Mutual. Declining is private."))
    return blocks


def _overall(given: int, received: int, people: int) -> str:
    """"You helped others 3 times and were helped 5 times, across 4 people" — or only the
    side that exists."""
    who = f"{people:,} {'person' if people == 1 else 'people'}"
    if given and received:
        return (f"You helped others *{times(given)}* and were helped *{times(received)}*, "
                f"across {who}.")
    if given:
        return f"You helped others *{times(given)}*, across {who}."
    return f"You were helped *{times(received)}*, by {who}."


def personal_text(view: PersonalView) -> str:
    """The plain-text fallback for notifications and screen readers."""
    if view.empty:
        return f"Your last {view.window_days} days: nothing recorded yet."
    people = len(view.two_way) + len(view.received_only) + len(view.given_only)
    two = len(view.two_way)
    pairs = f"; {two} two-way relationship{'' if two == 1 else 's'}" if two else ""
    overall = _overall(view.given, view.received, people).replace("*", "")[:-1]
    return f"Your last {view.window_days} days: {overall[:1].lower()}{overall[1:]}{pairs}."


def build_me(view: PersonalView) -> dict[str, Any]:
    blocks = [*personal_blocks(view), *open_things_blocks(view.open_things)]
    blocks.append(context("Only you can see this. `/mutual with @someone` shows your history "
                          "with one person."))
    return {"response_type": "ephemeral",
            **message(personal_text(view), cap_blocks(blocks))}


def _history_line(item_helper: str, viewer: str, other: str) -> str:
    return (f"You helped {mention(other)}" if item_helper == viewer
            else f"{mention(other)} helped you")


def build_with(history: History) -> dict[str, Any]:
    other, me = history.other_id, history.user_id
    days = history.window_days
    if not (history.given_all or history.received_all):
        text = f"No help recorded between you and {mention(other)} yet."
        # Only where Mutual could record it: not for someone deactivated, or a bot.
        hint = ([context(f"`/thanks {mention(other)} for …` records help they gave you; "
                         f"`/helped {mention(other)} …` records help you gave them.")]
                if history.recordable else [])
        blocks: list[Block] = [section(text), *hint,
                               *offers_section(other, history.their_offers)]
        return {"response_type": "ephemeral", **message(text, blocks)}
    window = both_ways("you helped them", history.given_window, "they helped you",
                       history.received_window)
    ever = both_ways("you helped them", history.given_all, "they helped you",
                     history.received_all)
    text = f"You and {mention(other)}, last {days} days: {window}."
    summary = f"*You and {mention(other)}*\nLast {days} days: {window}."
    if (history.given_all, history.received_all) != (history.given_window, history.received_window):
        summary += f"\nSince the start: {ever}."
    blocks = [section(summary)]
    # Every recent item whole, however many `&` its note escapes to, with room left for the
    # offers below: within the ~12k characters Slack takes in one message.
    note_room = min(400, (MESSAGE_BLOCK_TEXT - 4500) // max(1, len(history.recent)) - 150)
    for item in history.recent:
        when = date(item.created_at)
        via = escape(SOURCE_LABELS.get(item.source, item.source))
        line = f"{_history_line(item.helper_id, me, other)} · {when} · via {via}"
        if item.note:
            line += f"\n“{clip(escape(' '.join(item.note.split())), note_room)}”"
        if item.takeable_by(me):
            blocks.append({**section(line), "accessory": take_back_button(item.record_id)})
        else:
            blocks.append(context(line))
    shown = len(history.recent)
    total = history.given_all + history.received_all
    after = offers_section(other, history.their_offers)
    if total > shown:
        after.insert(0, context(f"_Showing the latest {shown} of {total:,}. `/mutual export` "
                                "sends you everything as a file._"))
    return {"response_type": "ephemeral", **message(text, blocks + after, keep_last=len(after))}


def offers_section(other_id: str, texts: list[str]) -> list[Block]:
    """What `other_id` is happy to be asked about (their `/offer` list)."""
    if not texts:
        return []
    return [_listed(f"*{mention(other_id)} is happy to be asked about*",
                    [escape(t) for t in texts], len(texts))]


WITH_USAGE = "Try `/mutual with @alex` — one person."


def build_export_started(count: int) -> dict[str, Any]:
    text = (f"I'm sending your {count:,} record{'' if count == 1 else 's'} to you in a DM, "
            "as a CSV file." if count else
            "You have no records yet — I'll DM you an empty CSV file anyway, so you can see the format.")
    return {"response_type": "ephemeral", **message(text, [section(f":inbox_tray: {text}")])}


def build_export_dm_comment(count: int, zone: str = "UTC") -> str:
    return (f"Here are your Mutual records: {count:,} in all, both the help you gave and the "
            f"help you received, with dates in your time zone ({zone}). Only you got this file.")


def build_forget_confirm() -> dict[str, Any]:
    text = ("Erase your name and notes from Mutual? Every record you're part of loses your "
            "name and its note; the people you worked with keep their counts, without your name. "
            "Pending intros and claims involving you are called off. This can't be undone.")
    confirm = {"title": plain("Forget me?"), "text": plain("Your name and notes are erased for good."),
               "confirm": plain("Erase"), "deny": plain("Keep them"), "style": "danger"}
    erase = button("Erase my name and notes", ids.FORGET_CONFIRM, "forget", style="danger")
    erase["confirm"] = confirm
    blocks: list[Block] = [
        section(f":wastebasket: {text}"),
        context("Want a copy first? `/mutual export` sends you your records."),
        actions(erase, button("Cancel", ids.FORGET_CANCEL, "cancel")),
    ]
    return {"response_type": "ephemeral", **message(text, blocks)}


def build_forget_done() -> dict[str, Any]:
    text = ("Done — Mutual has forgotten you. Your name and notes are erased from every record, "
            "and nothing will be sent to or about you. If you use Mutual again, it starts afresh.")
    return {"response_type": "ephemeral", "replace_original": True,
            **message(text, [section(f":white_check_mark: {text}")])}


def build_forget_cancelled() -> dict[str, Any]:
    text = "Okay — nothing was erased."
    return {"response_type": "ephemeral", "replace_original": True,
            **message(text, [section(text)])}


def build_export_failed(error: str) -> dict[str, Any]:
    text = (f"I couldn't send your records file just now (Slack said `{escape(error)}`). "
            "Please try `/mutual export` again in a little while.")
    return message(text, [section(f":warning: {text}")])
