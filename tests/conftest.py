"""Fixtures: a migrated database (SQLite, or PostgreSQL via TEST_DATABASE_URL), the Web API
double, and the live app over HTTP."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.clock import FixedClock
from bot.db.migrate import upgrade
from bot.db.models import Base
from bot.db.session import Database
from tests.support.databases import empty_database
from tests.support.live import LiveMutual, settings_for
from tests.support.slack_double import SlackDouble

# A Monday, mid-morning UTC: inside working hours for most of the people in the double.
START = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)

for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(proxy, None)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # A private database per test session, so parallel runs never share state.
    with empty_database(tmp_path_factory.mktemp("db"), "mutual_test",
                        os.environ.get("TEST_DATABASE_URL")) as url:
        upgrade(url)
        yield url


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A database with no schema yet, of the suite's kind (start-up and packaging tests)."""
    with empty_database(tmp_path, "mutual_empty", os.environ.get("TEST_DATABASE_URL")) as url:
        yield url


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
    assert not double.refused, f"Slack would refuse what Mutual sent: {double.refused}"


@pytest.fixture
def mutual(slack: SlackDouble, db: Database, clock: FixedClock) -> Iterator[LiveMutual]:
    live = LiveMutual(settings_for(slack, db.url), db, clock)
    yield live
    live.close()
