"""`thanks_undo`: the person who said thanks takes it back, within 15 minutes, from the /thanks
receipt or a shortcut's closing view."""

from __future__ import annotations

from datetime import datetime

from slack_bolt import Ack, App, BoltContext
from sqlalchemy.orm import Session

from bot import constants as ids
from bot.blocks.undo import (
    build_already_shared,
    build_not_your_thanks,
    build_taken_back,
    build_taken_back_later,
    build_taken_back_view,
    build_too_late,
    build_too_late_view,
)
from bot.listeners.deps import Deps, actor, typed
from bot.listeners.interaction import record_ids_of, reply
from bot.observe.requests import mark
from bot.payloads.interactive import BlockActions
from bot.services import outbox
from bot.services.undo import Undo, Undone, remove_thanked_dms, take_back, take_back_later
from bot.services.workspaces import claim_trigger


def register(app: App, deps: Deps) -> None:
    register_later(app, deps)

    @app.action(ids.THANKS_UNDO)
    def undo(ack: Ack, context: BoltContext) -> None:
        ack()
        pressed = typed(context, BlockActions)
        record_ids = record_ids_of(pressed)
        if not record_ids:
            return
        (user, team_id), now = actor(context), deps.clock()
        with deps.db.session() as session:  # one transaction, the replay claim in it (bot.edge)
            if not claim_trigger(session, team_id, pressed.trigger_id, now):
                mark(context, "refused")
                return
            done = take_back(session, team_id, record_ids, user, now)
            if done.outcome is Undo.NOT_FOUND:
                return
            if done.outcome is Undo.TAKEN_BACK:
                for record in done.records:
                    remove_thanked_dms(session, team_id, record.id, now)
                outbox.refresh_home(session, team_id, user, *done.helpers, now=now)
            answer(session, team_id, pressed, done, now)


def register_later(app: App, deps: Deps) -> None:
    @app.action(ids.THANKS_TAKE_BACK)
    def take_back_later_(ack: Ack, context: BoltContext) -> None:
        """After the 15 minutes: the counts change, the helper's DM stays, nobody is told."""
        ack()
        pressed = typed(context, BlockActions)
        record_ids = record_ids_of(pressed)
        if len(record_ids) != 1:
            return
        (user, team_id), now = actor(context), deps.clock()
        with deps.db.session() as session:
            done = take_back_later(session, team_id, record_ids[0], user, now)
            if done.outcome is Undo.NOT_FOUND:
                return
            if done.outcome is Undo.TAKEN_BACK:
                outbox.refresh_home(session, team_id, user, *done.helpers, now=now)
            msg = (build_taken_back_later(done.helpers)
                   if done.outcome in (Undo.TAKEN_BACK, Undo.ALREADY)
                   else build_already_shared() if done.outcome is Undo.SHARED
                   else build_not_your_thanks())
            reply(session, team_id, pressed, msg, now, "take_back")


def answer(session: Session, team_id: str, pressed: BlockActions, done: Undone,
           now: datetime) -> None:
    """Where the button was: the ephemeral receipt (through its response_url), or a modal."""
    gone = done.outcome in (Undo.TAKEN_BACK, Undo.ALREADY)
    view_id = pressed.view.id if pressed.view else None
    if pressed.container is not None and pressed.container.type == "view" and view_id:
        if done.outcome is not Undo.NOT_YOURS:
            view = build_taken_back_view(done.helpers) if gone else build_too_late_view()
            outbox.update_view(session, team_id, str(view_id), view, now)
        return
    msg = (build_taken_back(done.helpers) if gone else build_too_late()
           if done.outcome is Undo.TOO_LATE else build_already_shared()
           if done.outcome is Undo.SHARED else build_not_your_thanks())
    reply(session, team_id, pressed, msg, now, "undo")
