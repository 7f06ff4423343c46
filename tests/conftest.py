"""Fixtures: a migrated database (SQLite, or PostgreSQL via TEST_DATABASE_URL), the Web API
double, and the live app over HTTP."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm import Session

from bot.clock import FixedClock
from bot.db.migrate import upgrade
from bot.db.models import Base
from bot.db.session import Database
from tests.support.live import LiveMutual, settings_for
from tests.support.slack_double import SlackDouble

# A Monday, mid-morning UTC: inside working hours for most of the people in the double.
START = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)

for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(proxy, None)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('db')) / 'mutual.db'}"
        upgrade(url)
        yield url
        return
    # A private database per test session, so parallel runs never share state.
    name = f"mutual_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    with database.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    database.dispose()


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as s:
        yield s


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def slack() -> Iterator[SlackDouble]:
    double = SlackDouble().start()
    yield double
    double.stop()


@pytest.fixture
def mutual(slack: SlackDouble, db: Database, clock: FixedClock) -> Iterator[LiveMutual]:
    live = LiveMutual(settings_for(slack, db.url), db, clock)
    yield live
    live.close()
