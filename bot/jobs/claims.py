"""Claims nobody answered lapse after the workspace's expiry window."""

from __future__ import annotations

from datetime import datetime

from bot.db.session import Database
from bot.services.recording import expire_claims


def expire_stale_claims(db: Database, now: datetime) -> int:
    with db.session() as session:
        return len(expire_claims(session, now))
