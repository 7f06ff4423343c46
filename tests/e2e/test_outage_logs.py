"""A database outage in the log: one line per request that failed, and a summary when the
database answers again — not a traceback each (a 10 s outage once wrote 2,530 of them)."""

from __future__ import annotations

import logging

import pytest

from tests.support import payloads as p
from tests.support.live import LiveMutual
from tests.support.outage import database_down

REQUESTS = 6


def test_an_outage_logs_a_line_per_failed_request_and_a_summary(
        mutual: LiveMutual, caplog: pytest.LogCaptureFixture) -> None:
    mutual.post(p.command("/thanks", "<@UBOB> for warming up"))
    caplog.clear()
    caplog.set_level(logging.INFO)
    with database_down(mutual.db):
        for n in range(REQUESTS):
            reply = mutual.post(p.command("/thanks", f"<@UBOB> for try {n}"), settle=False)
            assert "couldn't reach its database" in reply.json()["text"]
            event = mutual.post_event(p.event(p.reaction("reaction_added", "UALICE", "UBOB"),
                                              event_id=f"EvDown{n}"), settle=False)
            assert event.status == 503
    assert mutual.post(p.command("/thanks", "<@UBOB> for the fix")).status == 200
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert tracebacks == [], [r.getMessage() for r in tracebacks][:3]
    failed = [r.getMessage() for r in caplog.records
              if r.name == "bot.app" and "database did not answer" in r.getMessage()]
    assert len(failed) == 2 * REQUESTS, failed
    summary = [r.getMessage() for r in caplog.records
               if r.name == "bot.app" and "database answers again" in r.getMessage()]
    assert len(summary) == 1 and f"{2 * REQUESTS} requests failed" in summary[0], summary
    # The deliverer, if it met the outage too, said so once and summed it up once.
    outbox = [r.getMessage() for r in caplog.records if r.name == "bot.delivery.worker"]
    assert len([m for m in outbox if "did not answer" in m]) <= 1, outbox
