"""App Home: `app_home_opened` publishes the person's view (an outbox row, rendered from the
database when it goes out; bot/delivery/messages.py)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.listeners.deps import Deps, team
from bot.services import outbox
from bot.services.workspaces import ensure_workspace


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], context: BoltContext) -> None:
        user_id = event.get("user")
        if event.get("tab") != "home" or not isinstance(user_id, str) or not user_id:
            return
        team_id = team(context)
        now = deps.clock()
        with deps.db.session() as session:  # an event from the workspace: it is installed
            ensure_workspace(session, team_id, now, context.enterprise_id)
            outbox.show_home(session, team_id, user_id, now)
