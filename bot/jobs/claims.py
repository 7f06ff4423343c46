"""Claims lapse after the workspace's expiry window — quietly, whether nobody answered or the
receiver said "not really" (told to nobody): the messages asking about them lose their
buttons."""

from __future__ import annotations

from datetime import datetime

from bot.db.session import Database
from bot.services import closing
from bot.services.recording import expire_claims


def expire_stale_claims(db: Database, now: datetime) -> int:
    with db.session() as session:
        expired = expire_claims(session, now)
        for team_id, claim in expired:
            closing.ended(session, team_id, closing.CLAIM, claim.id, now)
        return len(expired)
