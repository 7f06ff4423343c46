"""Reading what the database holds, for assertions."""

from __future__ import annotations

import io
import json
from typing import Any

from sqlalchemy import func, select

from bot.db.models import HelpRecord, OutboxItem
from bot.db.session import Database
from bot.services.export import write_json


def records(db: Database, **where: object) -> list[HelpRecord]:
    with db.session() as s:
        query = select(HelpRecord).order_by(HelpRecord.id)
        for column, value in where.items():
            query = query.where(getattr(HelpRecord, column) == value)
        return list(s.scalars(query))


def record_count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(HelpRecord)) or 0)


def landed(db: Database, key: str) -> tuple[str, str]:
    """(channel, ts) where the outbox row keyed `key` was delivered."""
    with db.session() as s:
        row = s.scalars(select(OutboxItem).where(OutboxItem.key == key)).one()
        assert row.status == "sent" and row.sent_channel and row.sent_ts, (row.status, row.last_error)
        return row.sent_channel, row.sent_ts


def exported(db: Database, team_id: str = "T0001") -> dict[str, Any]:
    """What `mutual export --format json` prints for the workspace, as a dict."""
    out = io.StringIO()
    with db.session() as s:
        write_json(s, team_id, out)
    return dict(json.loads(out.getvalue()))
