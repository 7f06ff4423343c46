"""Workspaces uninstalled for 30 days lose their data."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.db.session import Database
from bot.services.workspaces import purge_uninstalled

logger = logging.getLogger(__name__)


def purge_workspaces(db: Database, now: datetime) -> int:
    with db.session() as session:
        gone = purge_uninstalled(session, now)
    for team_id in gone:
        logger.info("deleted the data of workspace %s, uninstalled over 30 days ago", team_id)
    return len(gone)
