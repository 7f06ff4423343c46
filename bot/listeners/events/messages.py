"""Messages in an intro's group DM: once both people have written there, they connected."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.listeners.deps import Deps, team_of
from bot.listeners.intro_notices import tell_connected
from bot.services import intros
from bot.services.intros import Connect
from bot.services.workspaces import first_delivery


def register(app: App, deps: Deps) -> None:
    @app.event("message")
    def on_message(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
        # Edits, joins and bots' posts (ours included) are not anyone saying hello.
        if event.get("channel_type") != "mpim" or event.get("subtype") or event.get("bot_id"):
            return
        user, channel = event.get("user"), event.get("channel")
        if not isinstance(user, str) or not isinstance(channel, str) or user == context.bot_user_id:
            return
        team_id = team_of(context, body)
        now = deps.clock()
        with deps.db.session() as session:
            if not intros.is_intro_group(session, team_id, channel):
                return
            if not first_delivery(session, team_id, body.get("event_id"), now):
                return
            result = intros.note_message(session, team_id, channel, user, now)
            if result.outcome is Connect.CONNECTED and result.intro is not None:
                tell_connected(session, result.intro, result.inactive, now)
