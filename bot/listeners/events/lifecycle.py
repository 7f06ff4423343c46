"""Workspace and people changes: uninstalls, revoked tokens, deactivations, time zones."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext

from bot.listeners.deps import Deps, team, typed
from bot.payloads.events import EventCallback
from bot.services.people import save_profile
from bot.services.workspaces import ensure_workspace, mark_org_uninstalled, mark_uninstalled
from bot.slack.directory import profile_from_user

logger = logging.getLogger(__name__)


def register(app: App, deps: Deps) -> None:
    def stop_sending(context: BoltContext) -> None:
        delivery = typed(context, EventCallback)
        enterprise_id = delivery.enterprise_id
        org_wide = delivery.is_enterprise_install and bool(enterprise_id)
        with deps.db.session() as session:
            if org_wide:  # Enterprise Grid: the whole organisation's install is gone
                stopped = mark_org_uninstalled(session, str(enterprise_id), deps.clock())
                logger.info("org-wide install removed: %d workspace(s) stop", len(stopped))
            else:
                mark_uninstalled(session, team(context), deps.clock())
        if app.installation_store is not None:
            # OAuth mode: the tokens are dead; a reinstall stores new ones. An org-wide
            # install is kept per enterprise (no team).
            app.installation_store.delete_all(enterprise_id=enterprise_id,
                                              team_id=None if org_wide else team(context))

    @app.event("app_uninstalled")
    def on_uninstalled(context: BoltContext) -> None:
        stop_sending(context)

    @app.event("tokens_revoked")
    def on_revoked(event: dict[str, Any], context: BoltContext) -> None:
        # A person revoking their own user token does not stop the bot.
        if (event.get("tokens") or {}).get("bot"):
            stop_sending(context)

    @app.event("user_change")
    def on_user_change(event: dict[str, Any], context: BoltContext) -> None:
        user = event.get("user")
        if not isinstance(user, dict) or "id" not in user:
            return
        team_id = team(context)
        profile = profile_from_user(user)
        now = deps.clock()
        with deps.db.session() as session:
            ensure_workspace(session, team_id, now, context.enterprise_id)
            save_profile(session, team_id, profile, now)
