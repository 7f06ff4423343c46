"""The buttons on a one-sided nudge: record help given, snooze, mute the pair, and (only for
help the reader never thanked for themselves) thank. Its "I can help" buttons are `ask_offer`
(bot/listeners/actions/asks.py), with `via` "nudge"."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import constants as ids
from bot.blocks.nudges import SNOOZE_DAYS, build_pair_muted, build_snoozed
from bot.blocks.recording import FORM_BUSY, build_busy, build_helped_modal, build_thank_someone_modal
from bot.listeners.deps import Deps, team_of
from bot.listeners.interaction import replace_here, reply
from bot.listeners.settings import change_nudges
from bot.services import nudges
from bot.slack.modals import open_modal

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
MAX_SNOOZE_DAYS = 365


def _helper(action: dict[str, Any]) -> str | None:
    value = str(action.get("value", ""))
    return value if USER_ID.match(value) else None


def register(app: App, deps: Deps) -> None:
    def form(body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        if open_modal(client, str(body.get("trigger_id", "")), view):
            return
        with deps.db.session() as session:
            reply(session, team_of(context, body), body, build_busy(FORM_BUSY), deps.clock(), "busy")

    @app.action(ids.NUDGE_THANK)
    def thank(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
              context: BoltContext) -> None:
        ack()
        helper = _helper(action)
        form(body, build_thank_someone_modal(initial_users=[helper] if helper else None), context, client)

    @app.action(ids.NUDGE_HELPED)
    def helped(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
               context: BoltContext) -> None:
        ack()
        form(body, build_helped_modal(initial_user=_helper(action)), context, client)

    @app.action(ids.NUDGE_SNOOZE)
    def snooze(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
               context: BoltContext) -> None:
        ack()
        value = str(action.get("value", ""))
        days = int(value) if value.isdigit() and 0 < int(value) <= MAX_SNOOZE_DAYS else SNOOZE_DAYS
        team_id = team_of(context, body)
        until = deps.clock() + timedelta(days=days)
        change_nudges(deps, client, team_id, body["user"]["id"], body, days=days,
                      then=lambda session, controls, now: replace_here(
                          session, team_id, body, build_snoozed(controls.snoozed_until or until), now))

    @app.action(ids.NUDGE_MUTE_PAIR)
    def mute(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
        ack()
        helper = _helper(action)
        if helper is None:
            return
        team_id, now = team_of(context, body), deps.clock()
        with deps.db.session() as session:
            nudges.mute_pair(session, team_id, body["user"]["id"], helper, now)
            replace_here(session, team_id, body, build_pair_muted(helper), now)
