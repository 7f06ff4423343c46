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


@contextlib.contextmanager
def counting(engine: Engine) -> Iterator[SqlCount]:
    """Every statement (not the BEGIN/COMMIT around them) and every transaction begun on
    `engine` while the block runs, from any thread."""
    seen = SqlCount()

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA"):
            with seen.lock:
                seen.statements.append(" ".join(statement.split())[:160])

    def on_begin(conn: Any) -> None:
        with seen.lock:
            seen.transactions += 1

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "begin", on_begin)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine, "begin", on_begin)
