"""Private databases for a test session or a benchmark run (the suite's fixtures and bench/
share this, so both clean up the same way)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, make_url, text


@contextlib.contextmanager
def private_postgres(server_url: str, prefix: str) -> Iterator[str]:
    """A new, empty database on the PostgreSQL server `server_url` names, dropped afterwards
    (WITH (FORCE): a test that failed may have left a replica connected)."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextlib.contextmanager
def empty_database(folder: Path, prefix: str, server_url: str | None = None) -> Iterator[str]:
    """An empty database of the suite's kind: a new SQLite file in `folder`, or a private
    database on the PostgreSQL server `server_url`."""
    if not server_url:
        yield f"sqlite:///{folder / (prefix + '.db')}"
        return
    with private_postgres(server_url, prefix) as url:
        yield url
