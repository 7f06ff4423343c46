"""One live app per fuzz module, on a seeded database that is put back after each example
that changed it (cheaper than a new app per example, and it keeps the server's state: a
crash in one example shows up in the next)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.clock import FixedClock
from bot.db.models import Base
from bot.db.session import Database
from tests.conftest import START
from tests.support.fuzz_run import Fuzzer
from tests.support.live import LiveMutual, settings_for
from tests.support.slack_double import SlackDouble


@pytest.fixture(scope="module")
def fuzzer(database_url: str) -> Iterator[Fuzzer]:
    db = Database(database_url)
    slack = SlackDouble().start()
    mutual = LiveMutual(settings_for(slack, database_url), db, FixedClock(START))
    fuzz = None
    try:
        fuzz = Fuzzer(mutual, slack, db)
        yield fuzz
    finally:
        if fuzz is not None:
            fuzz.close()
        mutual.close()
        slack.stop()
        with db.engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
        db.dispose()
    assert not slack.refused, f"Slack would refuse what Mutual sent: {slack.refused}"
