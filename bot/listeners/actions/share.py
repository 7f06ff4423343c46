"""The "Share in channel" button on a /thanks receipt."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot import constants as ids
from bot.blocks.recording import build_receipt_shared, build_shared_thanks
from bot.listeners.deps import Deps, team_of
from bot.services.recording import records_by_ids


def register(app: App, deps: Deps) -> None:
    @app.action(ids.THANKS_SHARE)
    def share(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond,
              context: BoltContext) -> None:
        ack()
        user_id = body["user"]["id"]
        wanted = [int(v) for v in str(action.get("value", "")).split(",") if v.isdigit()]
        with deps.db.session() as session:
            records = records_by_ids(session, team_of(context, body), wanted)
        # Only the person who said thanks can share it, and only what still stands.
        mine = [r for r in records if r.receiver_id == user_id and r.status == "confirmed"]
        if not mine:
            return
        helpers = [r.helper_id for r in mine]
        respond(**build_shared_thanks(user_id, helpers, mine[0].note))
        respond(**build_receipt_shared(helpers))
