"""The "Share in channel" button on a /thanks receipt."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext

from bot import constants as ids
from bot.blocks.recording import build_receipt_shared, build_shared_thanks
from bot.listeners.deps import Deps, actor, typed
from bot.listeners.interaction import record_ids_of
from bot.payloads.interactive import BlockActions
from bot.services import outbox
from bot.services.recording import records_by_ids
from bot.services.tact import mentioned_in


def register(app: App, deps: Deps) -> None:
    @app.action(ids.THANKS_SHARE)
    def share(ack: Ack, context: BoltContext) -> None:
        ack()
        pressed = typed(context, BlockActions)
        user_id, url = pressed.user_id, pressed.response_url
        wanted = record_ids_of(pressed)
        if not url or not wanted:
            return
        team_id, now = actor(context)[1], deps.clock()
        with deps.db.session() as session:
            records = records_by_ids(session, team_id, wanted)
            # Only the person who said thanks can share it, and only what still stands.
            mine = [r for r in records if r.receiver_id == user_id and r.status == "confirmed"]
            if not mine:
                return
            helpers = [r.helper_id for r in mine]
            # Keyed by the records: pressing Share twice posts once.
            shared = ",".join(str(r.id) for r in mine)
            # Her own thank-you, shared by her choice: it names her, the people she thanked and
            # anyone she named in its words — nobody else (bot.services.tact).
            outbox.respond(session, team_id, f"share:{shared}", url,
                           build_shared_thanks(user_id, helpers, mine[0].note), now,
                           chose=[user_id, *helpers, *mentioned_in(mine[0].note)])
            outbox.respond(session, team_id, f"share:{shared}:receipt", url,
                           build_receipt_shared(helpers), now, after=f"share:{shared}")
