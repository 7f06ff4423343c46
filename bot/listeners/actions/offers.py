"""`offer_remove` on your "ask me about" list, and `asks_pause` on the note to someone who
helps many and hears back from few."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext

from bot import constants as ids
from bot.blocks.offers import build_asks_paused, build_offer_list
from bot.listeners.deps import Deps, actor, typed
from bot.listeners.interaction import replace_here, reply
from bot.payloads.interactive import BlockActions
from bot.services.giving import pause_asks
from bot.services.offers import offers_of, remove_offer
from bot.services.workspaces import ensure_workspace


def register(app: App, deps: Deps) -> None:
    @app.action(ids.OFFER_REMOVE)
    def remove(ack: Ack, context: BoltContext) -> None:
        ack()
        pressed = typed(context, BlockActions)
        about_id = pressed.action.value_int
        if about_id is None:
            return
        (user, team_id), now = actor(context), deps.clock()
        with deps.db.session() as session:
            if not remove_offer(session, team_id, user, about_id):
                return  # already gone (a second press, or a stale list): nothing changed to show
            reply(session, team_id, pressed, build_offer_list(offers_of(session, team_id, user),
                                                           "Removed.", replace=True), now, "removed")

    @app.action(ids.ASKS_PAUSE)
    def pause(ack: Ack, context: BoltContext) -> None:
        ack()
        pressed = typed(context, BlockActions)
        (user, team_id), now = actor(context), deps.clock()
        with deps.db.session() as session:
            ensure_workspace(session, team_id, now)
            until = pause_asks(session, team_id, user, now)
            replace_here(session, team_id, pressed, build_asks_paused(until), now)
