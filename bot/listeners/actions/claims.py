"""`claim_confirm` / `claim_decline` on the DM a `/helped` claim sends."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import constants as ids
from bot.blocks.recording import build_claim_answered, build_claim_confirmed_dm
from bot.listeners.deps import Deps, team_of
from bot.listeners.events.home import refresh_homes
from bot.listeners.thanking import send_dm
from bot.services.recording import ClaimAnswer, answer_claim


def register(app: App, deps: Deps) -> None:
    def answer(confirm: bool, body: dict[str, Any], action: dict[str, Any], client: WebClient,
               context: BoltContext) -> None:
        value = str(action.get("value", ""))
        if not value.isdigit():
            return
        claim_team = team_of(context, body)
        with deps.db.session() as session:
            outcome, claim = answer_claim(session, claim_team, int(value),
                                          body["user"]["id"], confirm, deps.clock())
        if claim is None or outcome is ClaimAnswer.NOT_YOURS:
            return
        channel = (body.get("container") or {}).get("channel_id") or body.get("channel", {}).get("id")
        ts = (body.get("container") or {}).get("message_ts")
        if channel and ts:
            # Pressing again, or the other button, shows the answer already given.
            client.chat_update(channel=channel, ts=ts,
                               **build_claim_answered(claim.helper_id, claim.note, claim.status))
        refresh_homes(deps, client, claim_team, claim.receiver_id, claim.helper_id)
        if outcome is ClaimAnswer.CONFIRMED:
            deps.notifier.submit(send_dm, client, claim.helper_id,
                                 build_claim_confirmed_dm(claim.receiver_id, claim.note))

    @app.action(ids.CLAIM_CONFIRM)
    def confirm(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                context: BoltContext) -> None:
        ack()
        answer(True, body, action, client, context)

    @app.action(ids.CLAIM_DECLINE)
    def decline(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                context: BoltContext) -> None:
        ack()
        answer(False, body, action, client, context)
