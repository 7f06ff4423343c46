"""Modal submissions: `record_help`, `thank_someone`, and the `/helped` modal."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import constants as ids
from bot.blocks.kit import join_people, mention
from bot.blocks.recording import (
    build_modal_done,
    build_thanked_dm,
    claim_refused_text,
    saved_nothing,
    too_many_people,
)
from bot.listeners.commands.helped import start_claim
from bot.listeners.deps import Deps, actor
from bot.listeners.people import refuse_people
from bot.listeners.thanking import give_thanks
from bot.listeners.views import asks, config, intro
from bot.services import outbox
from bot.services.forget import welcome_back
from bot.services.once import RECEIPT_HINT, first_time
from bot.services.parsing import PEOPLE_MAX
from bot.services.recording import record_for_message
from bot.services.workspaces import ensure_workspace


def field(view: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any]:
    # The edge refuses a submission without view.state.values (bot/payloads/views.py).
    return view["state"]["values"].get(block_id, {}).get(action_id, {})


def note_of(view: dict[str, Any]) -> str:
    return (field(view, ids.NOTE_BLOCK, ids.NOTE_INPUT).get("value") or "").strip()[:500]


def register(app: App, deps: Deps) -> None:
    intro.register(app, deps)
    config.register(app, deps)
    asks.register(app, deps)

    @app.view(ids.RECORD_HELP)
    def record_help(ack: Ack, view: dict[str, Any], client: WebClient,
                    context: BoltContext) -> None:
        meta = json.loads(view.get("private_metadata") or "{}")
        (invoker, team_id), note = actor(context), note_of(view)
        why_not, _ = refuse_people(deps, client, team_id, invoker, [meta["author"]])
        if why_not:
            ack(response_action="update", view=build_modal_done(saved_nothing(why_not)))
            return
        now = deps.clock()
        with deps.db.session() as session:
            ensure_workspace(session, team_id, now)
            welcome_back(session, team_id, invoker)
            record = record_for_message(session, team_id, invoker, meta["author"],
                                        meta["channel"], meta["ts"], note, now)
            outbox.refresh_home(session, team_id, invoker, record.helper_id, now=now)
            hint = False
            if record.new:
                outbox.message(session, team_id, f"thanked:{record.id}:{now.timestamp():.0f}",
                               record.helper_id, build_thanked_dm(invoker, record.note, "shortcut"),
                               now, subject=str(record.id))
                hint = first_time(session, team_id, invoker, RECEIPT_HINT, now)
        ack(response_action="update", view=build_modal_done(
            f"Noted — {mention(record.helper_id)} helped you with this. I've let them know."
            if record.new else "Already noted — I've kept your latest note.",
            undo_ids=[record.id] if record.new else None, hint=hint))

    @app.view(ids.THANK_SOMEONE)
    def thank_someone(ack: Ack, view: dict[str, Any], client: WebClient,
                      context: BoltContext) -> None:
        (invoker, team_id), note = actor(context), note_of(view)
        chosen = list(dict.fromkeys(field(view, ids.PEOPLE_BLOCK, ids.PEOPLE_INPUT)
                                    .get("selected_users") or []))
        if len(chosen) > PEOPLE_MAX:  # Slack's picker stops there; a forged form need not
            ack(response_action="errors", errors={ids.PEOPLE_BLOCK: too_many_people(len(chosen))})
            return
        why_not, _ = refuse_people(deps, client, team_id, invoker, chosen)
        if not chosen or why_not:
            ack(response_action="errors",
                errors={ids.PEOPLE_BLOCK: why_not or "Pick at least one person."})
            return
        given = give_thanks(deps, team_id, invoker, chosen, note)
        ack(response_action="update",
            view=build_modal_done(f"Noted — I've let {join_people(chosen)} know you're grateful.",
                                  undo_ids=given.ids, hint=given.hint))

    @app.view(ids.HELPED_MODAL)
    def helped(ack: Ack, view: dict[str, Any], client: WebClient,
               context: BoltContext) -> None:
        (invoker, team_id), note = actor(context), note_of(view)
        person = field(view, ids.PERSON_BLOCK, ids.PERSON_INPUT).get("selected_user")
        why_not, _ = refuse_people(deps, client, team_id, invoker, [person] if person else [],
                                   giving=True)
        if not person or why_not:
            ack(response_action="errors",
                errors={ids.PERSON_BLOCK: why_not or "Pick the person you helped."})
            return
        if not note:
            ack(response_action="errors", errors={ids.NOTE_BLOCK: "Add a few words on what you did."})
            return
        claim, _, refused, _ = start_claim(deps, team_id, invoker, person, note)
        if claim is None:
            ack(response_action="errors",
                errors={ids.PERSON_BLOCK: claim_refused_text(refused, person, in_modal=True)})
            return
        ack(response_action="update", view=build_modal_done(
            "Sent — they'll be asked to confirm, and it counts once they do."))
