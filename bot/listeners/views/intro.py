"""The intro modal (`intro_submit`): works like `/intro`; opened pre-filled by
`intro_request_make`, in which case submitting it answers the request."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import constants as ids
from bot.blocks.intros import (
    INTRO_REFUSALS,
    NOT_NOW_INTRO,
    build_intro_modal_done,
    request_id_of,
    your_duplicate_text,
)
from bot.listeners.commands.intro import people_problem, start_intro
from bot.listeners.deps import Deps, actor
from bot.services.intros import Refused, check_people_and_reason
from bot.services.parsing import NOTE_MAX

# Which input a refusal belongs under.
BLOCK_OF = {
    Refused.TOO_FEW: ids.INTRO_B_BLOCK,
    Refused.SAME_PERSON: ids.INTRO_B_BLOCK,
    Refused.SELF: ids.INTRO_A_BLOCK,
    Refused.EMPTY_REASON: ids.INTRO_REASON_BLOCK,
    Refused.REASON_TOO_LONG: ids.INTRO_REASON_BLOCK,
    Refused.DUPLICATE: ids.INTRO_B_BLOCK,
    Refused.NOT_NOW: ids.INTRO_B_BLOCK,
    Refused.REQUEST_ANSWERED: ids.INTRO_B_BLOCK,
}
MODAL_WORDS = {
    **INTRO_REFUSALS,
    Refused.TOO_FEW: "Pick two people to introduce.",
    # Someone else's intro of the two, or a "no" lately: the same words, revealing nothing.
    Refused.DUPLICATE: NOT_NOW_INTRO,
    Refused.NOT_NOW: NOT_NOW_INTRO,
}


def modal_words(refused: Refused, reason: str) -> str:
    if refused is Refused.REASON_TOO_LONG:
        return f"That's {len(reason):,} characters; keep it to {NOTE_MAX}, please."
    return MODAL_WORDS[refused]


def value(view: dict[str, Any], block_id: str, action_id: str, key: str) -> Any:
    return view["state"]["values"].get(block_id, {}).get(action_id, {}).get(key)


def register(app: App, deps: Deps) -> None:
    @app.view(ids.INTRO_MODAL)
    def submit(ack: Ack, view: dict[str, Any], client: WebClient,
               context: BoltContext) -> None:
        invoker, team_id = actor(context)
        a = value(view, ids.INTRO_A_BLOCK, ids.INTRO_A_INPUT, "selected_user")
        b = value(view, ids.INTRO_B_BLOCK, ids.INTRO_B_INPUT, "selected_user")
        reason = (value(view, ids.INTRO_REASON_BLOCK, ids.INTRO_REASON_INPUT, "value") or "").strip()
        refused = check_people_and_reason(invoker, a, b, reason)
        if refused is not None:
            ack(response_action="errors", errors={BLOCK_OF[refused]: modal_words(refused, reason)})
            return
        for block, person in ((ids.INTRO_A_BLOCK, a), (ids.INTRO_B_BLOCK, b)):
            why_not = people_problem(deps, client, team_id, invoker, [person], who="this person")
            if why_not:
                ack(response_action="errors", errors={block: why_not})
                return
        result = start_intro(deps, team_id, invoker, a, b, reason,
                             request_id_of(view.get("private_metadata")))
        if result.intro is None:
            assert result.refused is not None
            words = (your_duplicate_text(result.existing)
                     if result.existing is not None and result.existing.introducer_id == invoker
                     else modal_words(result.refused, reason))
            ack(response_action="errors", errors={BLOCK_OF[result.refused]: words})
            return
        ack(response_action="update", view=build_intro_modal_done(a, b))
