"""OAuth mode: an install (GET /slack/oauth_redirect) welcomes whoever installed Mutual. Slack
names them in the code exchange (`authed_user.id`, Bolt's `installation.user_id`); once Bolt
has stored the installation, the welcome DM is written to the outbox (one per workspace, ever:
a reinstall or a second replica writes none) and the usual success page is shown."""

from __future__ import annotations

import logging

from slack_bolt import BoltResponse
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from sqlalchemy.exc import SQLAlchemyError

from bot.clock import Clock
from bot.db.session import Database
from bot.services.setup import welcome
from bot.services.workspaces import ensure_workspace

logger = logging.getLogger(__name__)


def install_callbacks(db: Database, clock: Clock) -> CallbackOptions:
    def success(args: SuccessArgs) -> BoltResponse:
        installed = args.installation
        team_id = installed.team_id or installed.enterprise_id
        if team_id and installed.user_id:
            now = clock()
            try:
                with db.session() as session:
                    workspace = ensure_workspace(session, team_id, now, installed.enterprise_id)
                    welcome(session, workspace, installed.user_id, now)
            except SQLAlchemyError:
                # The install itself stands; the first admin to use Mutual is welcomed instead.
                logger.exception("could not write the welcome DM after an install")
        return args.default.success(args)

    def failure(args: FailureArgs) -> BoltResponse:
        return args.default.failure(args)

    return CallbackOptions(success=success, failure=failure)
