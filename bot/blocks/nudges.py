"""Private nudges and the replies to personal nudge controls. Pure: values in, Block Kit out.

A nudge suggests and never accuses: it names the help someone gave, points to real ways to
give (helping, not another thank-you), and leaves the choice (and an easy way out) with the
reader."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import constants as ids
from bot.blocks.asks import preview
from bot.blocks.kit import (
    Block,
    actions,
    button,
    context,
    date,
    escape,
    mention,
    message,
    plain_date,
    quote,
    section,
)
from bot.blocks.recording import build_claim_request
from bot.services.asks import VIA_NUDGE, AskView, offer_value
from bot.services.ways_to_give import ASKS_SHOWN, WaysToGive

NUMBER_WORDS = {1: "once", 2: "twice", 3: "three times", 4: "four times", 5: "five times",
                6: "six times", 7: "seven times", 8: "eight times", 9: "nine times",
                10: "ten times"}
SNOOZE_DAYS = 30
NOTES_SHOWN = 3
ASK_PREVIEW = 150


def times(count: int) -> str:
    return NUMBER_WORDS.get(count, f"{count} times")


def period(window_days: int) -> str:
    if window_days == 90:
        return "this quarter"
    if window_days in (30, 31):
        return "this month"
    if window_days == 7:
        return "this week"
    if window_days in (365, 366):
        return "this year"
    return f"in the last {window_days} days"


def _ask_block(ask: AskView, with_asker: bool) -> Block:
    """One open ask, its words escaped, with "I can help" (an `ask_offer` from a nudge)."""
    who = f"{mention(ask.asker_id)}: " if with_asker else ""
    block = section(f"{who}“{preview(ask.text, ASK_PREVIEW)}” · {date(ask.created_at)}")
    block["accessory"] = button("I can help", ids.ASK_OFFER, offer_value(ask.id, VIA_NUDGE))
    return block


def build_one_sided_nudge(helper_id: str, count: int, window_days: int, notes: list[str],
                          ways: WaysToGive | None = None) -> dict[str, Any]:
    """To someone who has received help several times, given none back to that person and not
    (yet) passed it on to others. It points to real ways to give — the helper's open asks, or
    others' asks to pass it on — and offers a thank-you only for help the reader has not
    thanked for themselves (thanking records help received; it does not give back). With no
    ask to offer on it says so in one sentence, and keeps only the controls."""
    ways = ways or WaysToGive()
    who = mention(helper_id)
    opener = (f"{who} has helped you {times(count)} {period(window_days)} — is there something "
              f"you could do for {who}, or pass on to someone else?")
    blocks: list[Block] = [section(f":seedling: {opener}")]
    shown = [n for n in notes if n.strip()][:NOTES_SHOWN]
    if shown:
        blocks.append(section("Recently:\n" + "\n".join(quote(n) for n in shown)))
    fallback = [opener]
    if ways.helper_asks:
        blocks.append(section(f"*{who} is asking for help with:*"))
        blocks += [_ask_block(ask, with_asker=False) for ask in ways.helper_asks[:ASKS_SHOWN]]
        fallback.append(f"{who} is asking for help with: “{preview(ways.helper_asks[0].text)}”.")
    if ways.pass_on:
        blocks.append(section("*Or pass it on* — people you've worked with are asking for help:"))
        blocks += [_ask_block(ask, with_asker=True) for ask in ways.pass_on[:ASKS_SHOWN]]
        fallback.append("People you've worked with are asking for help too.")
    asks = bool(ways.helper_asks or ways.pass_on)
    if not asks:
        nothing = (f"There's nothing open I can point you to right now, so just keep {who} in "
                   f"mind — and if you've already helped them, `/helped {who} …` records it.")
        blocks.append(section(nothing))
        fallback.append(nothing)
    if ways.unthanked:
        blocks += [
            context(f"{'Some' if ways.unthanked > 1 else 'Part'} of this help was recorded through "
                    f"{who}'s own `/helped` or an ask you marked solved, not a thank-you in your "
                    "own words. Thanking doesn't give anything back, but if you'd like to say "
                    "it yourself, you can."),
            actions(button("Thank them", ids.NUDGE_THANK, helper_id)),
        ]
    controls = [button(f"Snooze for {SNOOZE_DAYS} days", ids.NUDGE_SNOOZE, str(SNOOZE_DAYS)),
                button("Don't suggest this again", ids.NUDGE_MUTE_PAIR, helper_id)]
    if asks:
        blocks += [
            context(f"Already helped {who} in a way Mutual doesn't know about? Record it — "
                    "they'll be asked to confirm. Only you see this: nobody is told about it, "
                    "and whoever you offer to help hears only that you can help."),
            actions(button("I've helped them", ids.NUDGE_HELPED, helper_id), *controls),
        ]
    else:
        blocks += [context("Only you see this."), actions(*controls)]
    return message(" ".join(fallback), blocks)


def build_claim_reminder(helper_id: str, note: str, record_id: int,
                         expires_at: datetime | None) -> dict[str, Any]:
    """One reminder to confirm a `/helped` claim, with the same buttons as the first request."""
    request = build_claim_request(helper_id, note, record_id)
    lapse = f" It lapses quietly on {date(expires_at)}." if expires_at is not None else ""
    reminder = context(f":hourglass_flowing_sand: A gentle reminder — this is still waiting for "
                       f"your answer.{lapse}")
    return message(f"Reminder: {request['text']}", [reminder, *request["blocks"]])



def build_snoozed(until: datetime) -> dict[str, Any]:
    """Replaces a nudge after `nudge_snooze`, and answers `/mutual snooze <days>`."""
    text = f"Snoozed — no suggestions from Mutual until {plain_date(until)}."
    body = (f":zzz: Snoozed — no suggestions from Mutual until {date(until)}.\n"
            "Changed your mind? `/mutual nudges on` turns them back on.")
    return message(text, [section(body)])


def build_pair_muted(helper_id: str) -> dict[str, Any]:
    text = f"Okay — I won't suggest anything about {mention(helper_id)} again."
    return message(text, [section(f":ok_hand: {text}"),
                          context("Everything you record with them still counts as usual.")])


def build_nudges_set(enabled: bool) -> dict[str, Any]:
    if enabled:
        text = "Nudges are on: now and then I'll suggest, privately, someone you could give back to."
        hint = escape("Turn them off any time with `/mutual nudges off`, or pause with "
                      "`/mutual snooze <days>`.")  # "<days>" is a placeholder, not a link
    else:
        text = "Nudges are off — I won't send you any suggestions."
        hint = "Turn them back on with `/mutual nudges on`."
    return {"response_type": "ephemeral", **message(text, [section(text), context(hint)])}


def build_snooze_reply(until: datetime) -> dict[str, Any]:
    return {"response_type": "ephemeral", **build_snoozed(until)}


NUDGES_USAGE = "Try `/mutual nudges off`, `/mutual nudges on` or `/mutual snooze 14`."


def build_controls_error(text: str) -> dict[str, Any]:
    """A friendly refusal for a personal-control command; nothing changed. It may quote what
    the person typed, so it is escaped."""
    text = escape(text)
    body = f":information_source: {text} Nothing was changed."
    return {"response_type": "ephemeral",
            **message(f"{text} Nothing was changed.", [section(body), context(NUDGES_USAGE)])}


def build_not_for_you() -> dict[str, Any]:
    text = "This suggestion was meant for someone else, so nothing was changed."
    return {"response_type": "ephemeral", "replace_original": False, **message(text, [section(text)])}
