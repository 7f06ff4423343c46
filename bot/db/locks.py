"""Locks that make processes take turns across a database: PostgreSQL advisory locks (the
scheduler's job locks use the same keys) and, for SQLite, a file lock beside the database."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, make_url, pool, text
from sqlalchemy.exc import OperationalError

logger = logging.getLogger(__name__)

MIGRATION_LOCK = "migration"
QUIET_WAIT_S = 10  # a migration usually takes a second or two: only a longer wait is news


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for `name`."""
    digest = hashlib.sha256(f"mutual:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextlib.contextmanager
def migration_lock(url: str) -> Iterator[None]:
    """Held around a migration, so any number of `mutual run` / `mutual db upgrade` started at
    once migrate one after the other: the first applies the revisions, the others find the
    schema at head. A process that dies releases the lock (the server ends its session; the
    kernel drops its file lock)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        with advisory_lock(url, MIGRATION_LOCK):
            yield
    elif parsed.get_backend_name() == "sqlite" and sqlite_file(parsed.database):
        with file_lock(Path(str(parsed.database) + ".migrate.lock"), MIGRATION_LOCK):
            yield
    else:
        yield


def sqlite_file(database: str | None) -> bool:
    return bool(database) and database != ":memory:" and not str(database).startswith("file:")


@contextlib.contextmanager
def advisory_lock(url: str, name: str) -> Iterator[None]:
    """A session-level advisory lock on a connection of its own (not the one doing the work:
    Alembic commits and may reconnect, a session lock lives as long as its connection)."""
    key = advisory_key(name)
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            try:
                # Replicas starting together wait a moment for each other, quietly.
                conn.execute(text(f"SET LOCAL lock_timeout = '{QUIET_WAIT_S}s'"))
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            except OperationalError:  # lock_timeout: say why start-up is waiting, then wait on
                conn.rollback()
                logger.info("waiting for another process's %s to finish", name)
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            conn.commit()  # the lock outlives the transaction; don't sit "idle in transaction"
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
    finally:
        engine.dispose()


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


@contextlib.contextmanager
def file_lock(path: Path, name: str) -> Iterator[None]:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        # No folder, or not ours to write: SQLite itself will say what is wrong with the
        # database, in words an operator can act on; there is nothing to take turns on.
        yield
        return
    try:
        deadline = time.monotonic() + QUIET_WAIT_S
        while not _try_flock(fd):
            if time.monotonic() > deadline:
                logger.info("waiting for another process's %s to finish (%s)", name, path)
                fcntl.flock(fd, fcntl.LOCK_EX)
                break
            time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock; the file stays, so every process locks the same inode
