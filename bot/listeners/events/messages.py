"""Messages Mutual is sent: in an intro's group DM (once both people have written there, they
connected), and to Mutual itself — its Messages tab, or an @mention — which get a short
"here's how to reach me" instead of silence. Mutual reads nothing else."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.blocks.help import build_hello
from bot.listeners.deps import Deps, team, typed
from bot.listeners.intro_notices import tell_connected
from bot.payloads.events import EventCallback
from bot.services import closing, intros, outbox
from bot.services.intros import Connect
from bot.services.workspaces import ensure_workspace, first_delivery


def _from_a_person(event: dict[str, Any], context: BoltContext) -> str | None:
    """Who wrote it, unless it is an edit, a join, or a bot's post (ours included)."""
    user = event.get("user")
    if event.get("subtype") or event.get("bot_id") or not isinstance(user, str) or not user:
        return None
    return None if user == context.bot_user_id else user


def register(app: App, deps: Deps) -> None:
    # Bolt runs one listener per event, so both kinds of conversation are handled here.
    @app.event("message")
    def on_message(event: dict[str, Any], context: BoltContext) -> None:
        user, channel = _from_a_person(event, context), event.get("channel")
        if user is None or not isinstance(channel, str):
            return
        if event.get("channel_type") == "mpim":
            in_group_dm(user, channel, context)
        elif event.get("channel_type") == "im":
            # One hello a day is enough for someone chatting to the app.
            now = deps.clock()
            hello(context, f"hello:{user}:{now:%Y-%m-%d}", user, None)

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], context: BoltContext) -> None:
        user, channel = _from_a_person(event, context), event.get("channel")
        if user is not None and isinstance(channel, str):
            hello(context, f"mention:{channel}:{event.get('ts')}", user, channel)

    def hello(context: BoltContext, key: str, user: str,
              channel: str | None) -> None:
        team_id, now = team(context), deps.clock()
        with deps.db.session() as session:
            ensure_workspace(session, team_id, now, context.enterprise_id)
            if not first_delivery(session, team_id, typed(context, EventCallback).event_id, now):
                return
            if channel is None:
                outbox.message(session, team_id, key, user, build_hello(mentioned=False), now)
            else:
                outbox.ephemeral(session, team_id, key, channel, user, build_hello(mentioned=True), now)

    def in_group_dm(user: str, channel: str, context: BoltContext) -> None:
        team_id = team(context)
        now = deps.clock()
        with deps.db.session() as session:
            if not intros.is_intro_group(session, team_id, channel):
                return
            if not first_delivery(session, team_id, typed(context, EventCallback).event_id, now):
                return
            result = intros.note_message(session, team_id, channel, user, now)
            if result.outcome is Connect.CONNECTED and result.intro is not None:
                tell_connected(session, result.intro, result.inactive, now)
            elif result.outcome is Connect.NOTED and result.intro is not None:
                # Their nudge to say hello, if they had one, has done its job.
                closing.ended(session, team_id, closing.INTRO, result.intro.id, now,
                              only=("intro_silent",))
