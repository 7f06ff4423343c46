"""Take the database away for real, then bring it back: PostgreSQL stops accepting
connections to the test database; SQLite's file becomes impossible to open."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from sqlalchemy import create_engine, make_url, text

from bot.db.session import Database


@contextlib.contextmanager
def database_down(db: Database) -> Iterator[None]:
    url = make_url(db.url)
    if url.get_backend_name() == "sqlite":
        yield from _sqlite_down(db, str(url.database))
    else:
        yield from _postgres_down(db, url)


def _sqlite_down(db: Database, path: str) -> Iterator[None]:
    # A directory where the file was, so every connect fails. The pool is emptied only
    # after the swap: a connection the deliverer opens in between would otherwise keep the
    # moved file open and the "outage" would quietly work.
    os.mkdir(path + ".dir")
    os.rename(path, path + ".away")
    os.rename(path + ".dir", path)
    db.engine.dispose()
    try:
        yield
    finally:
        db.engine.dispose()
        os.rmdir(path)
        os.rename(path + ".away", path)


def _postgres_down(db: Database, url) -> Iterator[None]:  # type: ignore[no-untyped-def]
    name = url.database
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
    db.engine.dispose()
    try:
        yield
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'))
        admin.dispose()
