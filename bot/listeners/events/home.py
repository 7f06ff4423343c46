"""App Home: `app_home_opened` publishes the personal view; `refresh_home` re-publishes it after
anything that changes it (others may call it, typically through `deps.notifier.submit`)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.blocks.home import build_home
from bot.db.models import Workspace
from bot.listeners.deps import Deps, team_of
from bot.services.views import personal_view
from bot.services.workspaces import ensure_workspace


def refresh_home(deps: Deps, client: WebClient, team_id: str, user_id: str) -> None:
    """Publish the person's Home tab as it is now."""
    now = deps.clock()
    with deps.db.session() as session:
        # Background work must not revive a workspace that was uninstalled meanwhile.
        workspace = session.get(Workspace, team_id)
        if workspace is None or workspace.uninstalled_at is not None:
            return
        view = personal_view(session, workspace, user_id, now)
    client.views_publish(user_id=user_id, view=build_home(view))


def refresh_homes(deps: Deps, client: WebClient, team_id: str, *user_ids: str | None) -> None:
    """After a change that shows on these people's Home tabs: re-publish each, in the
    background, once per burst."""
    for user_id in dict.fromkeys(u for u in user_ids if u):
        deps.notifier.submit_once(("home", team_id, user_id), refresh_home, deps, client, team_id, user_id)


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    def on_home_opened(body: dict[str, Any], event: dict[str, Any], client: WebClient,
                       context: BoltContext) -> None:
        user_id = event.get("user")
        if event.get("tab") != "home" or not user_id:
            return
        team_id = team_of(context, body)
        with deps.db.session() as session:  # an event from the workspace: it is installed
            ensure_workspace(session, team_id, deps.clock(), context.enterprise_id)
        deps.notifier.submit(refresh_home, deps, client, team_id, user_id)
