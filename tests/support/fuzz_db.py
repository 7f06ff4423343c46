"""For the fuzz suite: a cheap fingerprint of everything the database holds, and a way back
to a saved state without tearing the app down."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Integer, func, select, text

from bot.db.models import Base
from bot.db.session import Database

Snapshot = dict[str, tuple[int, str]]
Dump = dict[str, list[dict[str, Any]]]
TABLES = Base.metadata.sorted_tables


def snapshot(db: Database) -> Snapshot:
    """Per table: (row count, a hash of every row)."""
    seen: Snapshot = {}
    with db.engine.connect() as conn:
        for table in TABLES:
            rows = sorted(repr(tuple(row)) for row in conn.execute(select(table)))
            seen[table.name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16])
    return seen


def changed(before: Snapshot, after: Snapshot, ignore: tuple[str, ...] = ()) -> list[str]:
    """The tables whose rows differ."""
    return [name for name in before if name not in ignore and before[name] != after.get(name)]


def dump(db: Database) -> Dump:
    with db.engine.connect() as conn:
        return {table.name: [dict(row._mapping) for row in conn.execute(select(table))]
                for table in TABLES}


def restore(db: Database, saved: Dump) -> None:
    """Put every table back as `saved` had it, ids included."""
    with db.engine.begin() as conn:
        for table in reversed(TABLES):
            conn.execute(table.delete())
        for table in TABLES:
            if saved[table.name]:
                conn.execute(table.insert(), saved[table.name])
        if conn.dialect.name == "postgresql":
            # Rows came back with their ids: move each id sequence past them.
            for table in TABLES:
                keys = list(table.primary_key.columns)
                if len(keys) == 1 and isinstance(keys[0].type, Integer):
                    top = conn.execute(select(func.max(keys[0]))).scalar()
                    conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, :c), :v, :called)"),
                                 {"t": table.name, "c": keys[0].name, "v": top or 1,
                                  "called": top is not None})
