"""The buttons on a one-sided nudge: thank, record help given, snooze, mute the pair."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import constants as ids
from bot.blocks.nudges import SNOOZE_DAYS, build_pair_muted, build_snoozed
from bot.blocks.recording import build_helped_modal, build_thank_someone_modal
from bot.listeners.deps import Deps, team_of
from bot.listeners.events.home import refresh_homes
from bot.services import nudges

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
MAX_SNOOZE_DAYS = 365


def _helper(action: dict[str, Any]) -> str | None:
    value = str(action.get("value", ""))
    return value if USER_ID.match(value) else None


def _where(body: dict[str, Any]) -> tuple[str | None, str | None]:
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    return channel, container.get("message_ts")


def register(app: App, deps: Deps) -> None:
    @app.action(ids.NUDGE_THANK)
    def thank(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        helper = _helper(action)
        client.views_open(trigger_id=body["trigger_id"],
                          view=build_thank_someone_modal(initial_users=[helper] if helper else None))

    @app.action(ids.NUDGE_HELPED)
    def helped(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"],
                          view=build_helped_modal(initial_user=_helper(action)))

    @app.action(ids.NUDGE_SNOOZE)
    def snooze(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
               context: BoltContext) -> None:
        ack()
        value = str(action.get("value", ""))
        days = int(value) if value.isdigit() and 0 < int(value) <= MAX_SNOOZE_DAYS else SNOOZE_DAYS
        team_id, user_id, now = team_of(context, body), body["user"]["id"], deps.clock()
        profile = deps.directory.get(client, team_id, user_id)
        if profile is None:
            return
        with deps.db.session() as session:
            member = nudges.member_for(session, team_id, profile, now)
            controls = nudges.snooze(session, member, now, days)
        assert controls.snoozed_until is not None
        _replace(client, body, build_snoozed(controls.snoozed_until))
        refresh_homes(deps, client, team_id, user_id)

    @app.action(ids.NUDGE_MUTE_PAIR)
    def mute(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
             context: BoltContext) -> None:
        ack()
        helper = _helper(action)
        if helper is None:
            return
        with deps.db.session() as session:
            nudges.mute_pair(session, team_of(context, body), body["user"]["id"], helper,
                             deps.clock())
        _replace(client, body, build_pair_muted(helper))


def _replace(client: WebClient, body: dict[str, Any], msg: dict[str, Any]) -> None:
    """Swap the nudge for the answer, so its buttons can't be pressed again."""
    channel, ts = _where(body)
    if channel and ts:
        client.chat_update(channel=channel, ts=ts, **msg)
