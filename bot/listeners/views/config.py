"""`config_submit`: save the workspace settings, or show what to fix next to each input."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import constants as ids
from bot.blocks.config import build_config_saved, config_errors, config_values
from bot.blocks.recording import SLACK_BUSY
from bot.listeners.commands.mutual_views import fresh_admin
from bot.listeners.deps import Deps, actor
from bot.services.settings import apply_config, validate_config
from bot.services.workspaces import ensure_workspace

NOT_ADMIN = "Only workspace admins and owners can change Mutual's settings; nothing was saved."


def register(app: App, deps: Deps) -> None:
    @app.view(ids.CONFIG_SUBMIT)
    def config_submit(ack: Ack, view: dict[str, Any], client: WebClient,
                      context: BoltContext) -> None:
        user_id, team_id = actor(context)
        # The modal could have been opened by an admin who is no longer one.
        admin = fresh_admin(deps, client, team_id, user_id)
        if not admin:
            ack(response_action="errors",
                errors={ids.CFG_NUDGE_CHANNEL: SLACK_BUSY if admin is None else NOT_ADMIN})
            return
        config, errors = validate_config(config_values(view["state"]["values"]))
        if config is None:
            ack(response_action="errors", errors=config_errors(errors))
            return
        now = deps.clock()
        with deps.db.session() as session:
            apply_config(session, ensure_workspace(session, team_id, now), config, user_id)
        ack(response_action="update", view=build_config_saved())
