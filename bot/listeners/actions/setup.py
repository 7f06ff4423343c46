"""Setting Mutual up: "Open settings" (the welcome DM, an admin's Home) opens the settings
modal; "Advanced settings…" in it pushes the second step, the thresholds."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import constants as ids
from bot.blocks.config import build_config_advanced
from bot.blocks.recording import FORM_BUSY, build_busy
from bot.listeners.commands.mutual_views import open_settings
from bot.listeners.deps import Deps, actor, team, typed
from bot.listeners.interaction import reply
from bot.payloads.interactive import BlockActions
from bot.services import outbox
from bot.services.settings import current_config
from bot.services.workspaces import ensure_workspace
from bot.slack.modals import push_modal


def register(app: App, deps: Deps) -> None:
    def tell(context: BoltContext, msg: dict[str, Any], what: str) -> None:
        """Say why nothing opened: privately where the button was (the welcome DM), else
        (the Home tab, a modal) by DM."""
        pressed = typed(context, BlockActions)
        (user_id, team_id), now = actor(context), deps.clock()
        with deps.db.session() as session:
            ensure_workspace(session, team_id, now)
            if reply(session, team_id, pressed, msg, now, what) is None:
                outbox.message(session, team_id, f"{what}:{pressed.trigger_id}", user_id, msg, now)

    @app.action(ids.SETUP_OPEN)
    def setup_open(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        (user_id, team_id), pressed = actor(context), typed(context, BlockActions)
        refused = open_settings(deps, client, team_id, user_id, pressed.trigger_id)
        if refused is not None:
            tell(context, refused, "settings_not_opened")

    @app.action(ids.CONFIG_ADVANCED)
    def config_advanced(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        team_id, now = team(context), deps.clock()
        with deps.db.session() as session:
            config = current_config(ensure_workspace(session, team_id, now))
        if not push_modal(client, typed(context, BlockActions).trigger_id,
                          build_config_advanced(config)):
            tell(context, build_busy(FORM_BUSY), "advanced_not_opened")
