"""Workspace and people changes: uninstalls, revoked tokens, deactivations, time zones."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.listeners.deps import Deps, team
from bot.services.people import save_profile
from bot.services.workspaces import ensure_workspace, mark_uninstalled
from bot.slack.directory import profile_from_user


def register(app: App, deps: Deps) -> None:
    def stop_sending(team_id: str, enterprise_id: str | None) -> None:
        with deps.db.session() as session:
            mark_uninstalled(session, team_id, deps.clock())
        if app.installation_store is not None:
            # OAuth mode: the tokens are dead; a reinstall stores new ones.
            app.installation_store.delete_all(enterprise_id=enterprise_id, team_id=team_id)

    @app.event("app_uninstalled")
    def on_uninstalled(context: BoltContext) -> None:
        stop_sending(team(context), context.enterprise_id)

    @app.event("tokens_revoked")
    def on_revoked(event: dict[str, Any], context: BoltContext) -> None:
        # A person revoking their own user token does not stop the bot.
        if (event.get("tokens") or {}).get("bot"):
            stop_sending(team(context), context.enterprise_id)

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
