"""Reading what the database holds, for assertions."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.db.models import HelpRecord
from bot.db.session import Database


def records(db: Database, **where: object) -> list[HelpRecord]:
    with db.session() as s:
        query = select(HelpRecord).order_by(HelpRecord.id)
        for column, value in where.items():
            query = query.where(getattr(HelpRecord, column) == value)
        return list(s.scalars(query))


def record_count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(HelpRecord)) or 0)
