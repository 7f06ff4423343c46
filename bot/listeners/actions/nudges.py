"""The buttons on a one-sided nudge: record help given, snooze, mute the pair, and (only for
help the reader never thanked for themselves) thank. Its "I can help" buttons are `ask_offer`
(bot/listeners/actions/asks.py), with `via` "nudge"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import constants as ids
from bot.blocks.nudges import SNOOZE_DAYS, build_pair_muted, build_snoozed
from bot.blocks.recording import FORM_BUSY, build_busy, build_helped_modal, build_thank_someone_modal
from bot.listeners.deps import Deps, actor, team, typed
from bot.listeners.interaction import replace_here, reply
from bot.listeners.settings import change_nudges
from bot.payloads.interactive import BlockActions
from bot.services import nudges
from bot.slack.modals import open_modal


def register(app: App, deps: Deps) -> None:
    def form(view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        pressed = typed(context, BlockActions)
        if open_modal(client, pressed.trigger_id, view):
            return
        with deps.db.session() as session:
            reply(session, team(context), pressed, build_busy(FORM_BUSY), deps.clock(), "busy")

    @app.action(ids.NUDGE_THANK)
    def thank(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        helper = typed(context, BlockActions).action.value_user
        form(build_thank_someone_modal(initial_users=[helper] if helper else None), context, client)

    @app.action(ids.NUDGE_HELPED)
    def helped(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        form(build_helped_modal(initial_user=typed(context, BlockActions).action.value_user),
             context, client)

    @app.action(ids.NUDGE_SNOOZE)
    def snooze(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        pressed = typed(context, BlockActions)
        days = pressed.action.days or SNOOZE_DAYS
        user, team_id = actor(context)
        until = deps.clock() + timedelta(days=days)
        change_nudges(deps, client, team_id, user, pressed, days=days,
                      then=lambda session, controls, now: replace_here(
                          session, team_id, pressed, build_snoozed(controls.snoozed_until or until), now))

    @app.action(ids.NUDGE_MUTE_PAIR)
    def mute(ack: Ack, context: BoltContext) -> None:
        ack()
        pressed = typed(context, BlockActions)
        helper = pressed.action.value_user
        if helper is None:
            return
        (user, team_id), now = actor(context), deps.clock()
        with deps.db.session() as session:
            nudges.mute_pair(session, team_id, user, helper, now)
            replace_here(session, team_id, pressed, build_pair_muted(helper), now)
