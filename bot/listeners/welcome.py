"""With a bot token Slack never says who installed Mutual, so the first admin or owner who uses
it is welcomed: whoever opens the Home tab (bot/listeners/events/home.py) or runs an admin
command (`fresh_admin`) and, here, anyone Mutual already knows as an admin who types any
command. Read from the cached profile before the command runs: no call to Slack."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, BoltContext
from sqlalchemy.exc import SQLAlchemyError

from bot.listeners.deps import Deps
from bot.observe.outage import first_line
from bot.payloads.commands import SlashCommand
from bot.services.setup import needs_welcome, welcome_first_admin

logger = logging.getLogger(__name__)


WELCOMES_ITSELF = frozenset({"/thanks"})


def register(app: App, deps: Deps) -> None:
    # Workspaces seen welcomed need no more look-ups: a welcome is never taken back (a workspace
    # purged after an uninstall and installed again is welcomed from its Home tab all the same).
    welcomed: set[str] = set()

    @app.middleware
    def welcome_first_admin_on_command(context: BoltContext, next: Callable[[], None]) -> None:  # noqa: A002
        command = context.get("payload")
        # `/thanks` checks inside its own single transaction (bot/listeners/commands/thanks.py).
        if isinstance(command, SlashCommand) and command.command not in WELCOMES_ITSELF:
            team_id = str(context.get("team_id") or command.team_id)
            if team_id not in welcomed and not welcome_if_admin(deps, team_id, command.user_id):
                welcomed.add(team_id)
        next()


def welcome_if_admin(deps: Deps, team_id: str, user_id: str) -> bool:
    """Welcome this person if nobody was yet and Mutual knows them as an admin. Returns
    whether the workspace still awaits its welcome (False once it has had it, now or before)."""
    try:
        with deps.db.session() as session:
            if not needs_welcome(session, team_id):
                return False
            return not welcome_first_admin(session, team_id, user_id, deps.clock())
    except SQLAlchemyError as e:  # the command itself says what it can; this is a nicety
        # Quietly: in an outage the request's own failure is the one line logged for it.
        logger.debug("could not check whether to welcome an admin: %s", first_line(e))
        return True
