"""Counting what a request costs the database: SQL statements and transactions, seen on the
engine (no timings: these are what a regression changes)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


@dataclass
class SqlCount:
    statements: list[str] = field(default_factory=list)
    transactions: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def count(self) -> int:
        return len(self.statements)


_ACTIVE: dict[int, SqlCount] = {}


def _install(engine: Engine) -> None:
    """One pair of listeners per engine for good: removing a listener while another thread
    fires it (a deliverer stopping) breaks that thread, so they stay and count only while a
    `counting` block is open."""
    if getattr(engine, "_sql_count_installed", False):
        return

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen = _ACTIVE.get(id(engine))
        if seen is not None and statement.split(None, 1)[0].upper() not in (
                "BEGIN", "COMMIT", "ROLLBACK", "PRAGMA"):
            with seen.lock:
                seen.statements.append(" ".join(statement.split())[:160])

    def on_begin(conn: Any) -> None:
        seen = _ACTIVE.get(id(engine))
        if seen is not None:
            with seen.lock:
                seen.transactions += 1

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "begin", on_begin)
    engine._sql_count_installed = True  # type: ignore[attr-defined]


@contextlib.contextmanager
def counting(engine: Engine) -> Iterator[SqlCount]:
    """Every statement (not the BEGIN/COMMIT around them) and every transaction begun on
    `engine` while the block runs, from any thread."""
    _install(engine)
    seen = SqlCount()
    _ACTIVE[id(engine)] = seen
    try:
        yield seen
    finally:
        _ACTIVE.pop(id(engine), None)
