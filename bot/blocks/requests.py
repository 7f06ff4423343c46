"""Withdrawing an intro request: the button, the requester's open requests in `/mutual
intros`, and what the connector and the two people asked read once it is withdrawn. Kind
words: changing your mind is fine, and nobody is told anyone declined anything."""

from __future__ import annotations

from typing import Any

from bot import constants as ids
from bot.blocks.kit import Block, context, date, mention, message, quote, section
from bot.blocks.kit import button as make_button
from bot.services.intros import IntroView, RequestView
from bot.services.withdraw import Withdraw

WITHDRAW_LABEL = "Withdraw the request"
REQUESTS_MAX = 10
REASON_SHORT = 200


def withdraw_button(request_id: int) -> dict[str, Any]:
    return make_button(WITHDRAW_LABEL, ids.INTRO_REQUEST_WITHDRAW, str(request_id))


def _who(user_id: str | None, fallback: str = "someone") -> str:
    return mention(user_id) if user_id else fallback


def _reason(reason: str) -> str:
    if not reason:
        return ""
    return "\n" + quote(reason if len(reason) <= REASON_SHORT else reason[:REASON_SHORT - 1] + "…")



# -- the requester's side ----------------------------------------------------------------------

def request_line(request: RequestView) -> str:
    """One open request, as its requester sees it in `/mutual intros`."""
    waiting = ("waiting for their answer" if request.status == "pending"
               else "they made it; waiting for both of you to say yes")
    return (f"*You asked {_who(request.connector_id)} for an introduction to "
            f"{_who(request.target_id)}* · {date(request.created_at)}\n_{waiting}_"
            f"{_reason(request.reason)}")


def request_blocks(requests: list[RequestView]) -> list[Block]:
    """Each open request with its withdraw button (a section accessory)."""
    if not requests:
        return []
    blocks: list[Block] = [section(f"*Introductions you asked for ({len(requests):,})*")]
    for request in requests[:REQUESTS_MAX]:
        block = section(request_line(request))
        block["accessory"] = withdraw_button(request.id)
        blocks.append(block)
    if len(requests) > REQUESTS_MAX:
        blocks.append(context(f"…and {len(requests) - REQUESTS_MAX} more."))
    blocks.append(context("Changed your mind, or found another way? Withdrawing lets them know "
                          "kindly that it's no longer needed."))
    return blocks


WITHDRAW_REPLIES = {
    Withdraw.WITHDRAWN: "Withdrawn — I've let {connector} know it's no longer needed.",
    Withdraw.CALLED_OFF: "Withdrawn — I've called off the introduction to {target} and let "
                         "{connector} know. Nobody is left with a question to answer.",
    Withdraw.ALREADY: "You've already withdrawn this request.",
    Withdraw.TOO_LATE: "You and {target} have both said yes, so the introduction is yours now — "
                       "there's nothing to withdraw.",
    Withdraw.ANSWERED: "{connector} has already answered this request, so there's nothing to "
                       "withdraw.",
    Withdraw.NOT_YOURS: "Only the person who asked for this introduction can withdraw it, so "
                        "nothing changed.",
}


def build_withdraw_reply(outcome: Withdraw, request: RequestView | None) -> dict[str, Any]:
    """The requester's ephemeral answer; it replaces the receipt or list the button was on
    when something changed."""
    template = WITHDRAW_REPLIES.get(outcome, "That request is no longer there.")
    text = template.format(connector=_who(request.connector_id if request else None, "they"),
                           target=_who(request.target_id if request else None, "them"))
    changed = outcome in (Withdraw.WITHDRAWN, Withdraw.CALLED_OFF)
    return {"response_type": "ephemeral", "replace_original": changed,
            **message(text, [section(f":leftwards_arrow_with_hook: {text}" if changed else text)])}


# -- what the others read ----------------------------------------------------------------------

def build_request_no_longer_needed(request: RequestView) -> dict[str, Any]:
    """Replaces the connector's request DM: its buttons go."""
    text = (f"{_who(request.requester_id)} no longer needs the introduction to "
            f"{_who(request.target_id)}, so there's nothing to do here.")
    return message(text, [section(f":leftwards_arrow_with_hook: {text}{_reason(request.reason)}")])


def build_request_withdrawn_notice(request: RequestView, intro_made: bool) -> dict[str, Any]:
    """A gentle DM to the connector."""
    who, target = _who(request.requester_id), _who(request.target_id)
    if intro_made:
        text = (f"{who} no longer needs the introduction to {target}, so I've called it off — "
                f"{target} won't be left with a question to answer.")
        hint = "Thanks for making it; nothing more is needed from you."
    else:
        text = f"{who} no longer needs the introduction to {target} — nothing to do."
        hint = "Thanks for being someone people ask."
    return message(text, [section(text), context(hint)])


def build_consent_withdrawn(intro: IntroView, viewer_id: str, requester_id: str) -> dict[str, Any]:
    """Replaces a consent DM of an intro called off because its request was withdrawn: no
    buttons left, and no one blamed."""
    other = _who(intro.other(viewer_id))
    if viewer_id == requester_id:
        text = f"You withdrew your request, so the introduction to {other} won't go ahead."
    else:
        text = (f"The introduction to {other} won't go ahead after all — it's no longer needed, "
                "so there's nothing to answer.")
    reason = f"\n{quote(intro.reason)}" if intro.reason else ""
    return message(text, [section(text + reason)])
