"""Many help records at once, by the fastest path each backend has (one executemany
transaction on SQLite, COPY on PostgreSQL): for the benchmarks and the tests that need volume."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, datetime

from bot.db.session import Database
from bot.services.counts import recount

# (helper, receiver, created_at, note): confirmed records from /thanks
RecordRow = tuple[str, str, datetime, str]
CHUNK = 50_000
COLUMNS = "team_id, helper_id, receiver_id, source, status, note, created_at, updated_at"


def insert_records(db: Database, team_id: str, rows: Iterable[RecordRow]) -> None:
    if db.is_sqlite:
        _sqlite(db, team_id, rows)
    else:
        _postgres(db, team_id, rows)
    with db.session() as session:  # the kept counts, as `mutual db recount` rebuilds them
        recount(session, datetime.now(UTC), team_id)


def _sqlite(db: Database, team_id: str, rows: Iterable[RecordRow]) -> None:
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("BEGIN")
        sql = f"INSERT INTO help_records ({COLUMNS}) VALUES (?, ?, ?, 'command', 'confirmed', ?, ?, ?)"
        batch = []
        for helper, receiver, at, note in rows:
            stamp = at.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")  # as UTCDateTime stores it
            batch.append((team_id, helper, receiver, note, stamp, stamp))
            if len(batch) >= CHUNK:
                cur.executemany(sql, batch)
                batch.clear()
        cur.executemany(sql, batch)
        cur.execute("COMMIT")
    finally:
        raw.close()


def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _postgres(db: Database, team_id: str, rows: Iterable[RecordRow]) -> None:
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        with cur.copy(f"COPY help_records ({COLUMNS}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            buf = io.StringIO()
            for n, (helper, receiver, at, note) in enumerate(rows, 1):
                stamp = at.isoformat()
                buf.write(f"{team_id}\t{helper}\t{receiver}\tcommand\tconfirmed\t{_copy_text(note)}\t"
                          f"{stamp}\t{stamp}\n")
                if n % CHUNK == 0:
                    copy.write(buf.getvalue())
                    buf = io.StringIO()
            copy.write(buf.getvalue())
        raw.commit()
    finally:
        raw.close()
