"""Ask modals: `ask_submit` (the `ask_for_help` shortcut: what you need, where to ask) and
`ask_solved_submit` (who helped: each becomes a confirmed record with source `ask`)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import constants as ids
from bot.blocks.asks import (
    ask_id_of,
    build_ask_closed,
    build_ask_posting_done,
    build_form_done,
    build_solved_done,
)
from bot.listeners.ask_notices import tell_closed
from bot.listeners.commands.ask import IN_A_DM, ask_problem, post_ask
from bot.listeners.deps import Deps, actor
from bot.listeners.people import refuse_people
from bot.services import asks
from bot.services.asks import Closed

ONLY_THE_ASKER = "Only the person who asked can mark it solved."


def _field(view: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any]:
    return view["state"]["values"].get(block_id, {}).get(action_id, {})


def register(app: App, deps: Deps) -> None:
    @app.view(ids.ASK_MODAL)
    def ask_submit(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
        invoker, team_id = actor(context)
        text = (_field(view, ids.ASK_TEXT_BLOCK, ids.ASK_TEXT_INPUT).get("value") or "").strip()
        channel = _field(view, ids.ASK_WHERE_BLOCK, ids.ASK_WHERE_INPUT).get("selected_conversation")
        problem = ask_problem(text, channel)
        if problem:
            block = ids.ASK_WHERE_BLOCK if problem == IN_A_DM else ids.ASK_TEXT_BLOCK
            ack(response_action="errors", errors={block: "Pick a channel, so people there can "
                                                  "offer to help." if problem == IN_A_DM else problem})
            return
        assert channel
        post_ask(deps, team_id, invoker, text, channel, "shortcut")
        ack(response_action="update", view=build_ask_posting_done(channel))

    @app.view(ids.SOLVED_MODAL)
    def solved_submit(ack: Ack, view: dict[str, Any], client: WebClient,
                      context: BoltContext) -> None:
        invoker, team_id = actor(context)
        ask_id = ask_id_of(view.get("private_metadata"))
        if ask_id is None:
            ack(response_action="update", view=build_form_done(ONLY_THE_ASKER))
            return
        ticked = [o.get("value") for o in _field(view, ids.SOLVED_OFFERS_BLOCK,
                                                 ids.SOLVED_OFFERS_INPUT).get("selected_options") or []]
        others = _field(view, ids.SOLVED_OTHERS_BLOCK, ids.SOLVED_OTHERS_INPUT).get("selected_users") or []
        helpers = list(dict.fromkeys(str(u) for u in [*ticked, *others] if u))
        why_not, _ = refuse_people(deps, client, team_id, invoker, helpers)
        if why_not:
            block = ids.SOLVED_OTHERS_BLOCK if others or not ticked else ids.SOLVED_OFFERS_BLOCK
            ack(response_action="errors", errors={block: why_not})
            return
        now = deps.clock()
        with deps.db.session() as session:
            result = asks.solve_ask(session, team_id, ask_id, invoker, helpers, now)
            if result.outcome is Closed.CLOSED:
                tell_closed(session, result, now)
        if result.outcome is Closed.CLOSED:
            ack(response_action="update", view=build_solved_done(result.helpers))
        elif result.outcome is Closed.ALREADY:
            ack(response_action="update", view=build_form_done(build_ask_closed(result.ask)["text"]))
        else:
            ack(response_action="update", view=build_form_done(ONLY_THE_ASKER))
