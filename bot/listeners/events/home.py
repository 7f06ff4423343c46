"""App Home: `app_home_opened` publishes the person's view (an outbox row, rendered from the
database when it goes out; bot/delivery/messages.py). Someone Mutual has no profile of is
looked up first, so an admin's Home shows what is left to set up — and, with a bot token
(where Slack never says who installed Mutual), the first admin or owner to open it is
welcomed (bot/services/setup.py)."""

from __future__ import annotations

import contextlib
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.listeners.deps import Deps, team
from bot.services import outbox
from bot.services.setup import knows, welcome_first_admin
from bot.services.workspaces import ensure_workspace
from bot.slack.budget import Budget, SlackBusy


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        user_id = event.get("user")
        if event.get("tab") != "home" or not isinstance(user_id, str) or not user_id:
            return
        team_id = team(context)
        with deps.db.session() as session:
            known = knows(session, team_id, user_id)
        if not known:
            # Slack busy: their Home shows without the set-up list; the next visit looks again.
            with contextlib.suppress(SlackBusy):
                deps.directory.lookup(client, team_id, [user_id], Budget())
        now = deps.clock()
        with deps.db.session() as session:  # an event from the workspace: it is installed
            ensure_workspace(session, team_id, now, context.enterprise_id)
            welcome_first_admin(session, team_id, user_id, now)
            outbox.show_home(session, team_id, user_id, now)
