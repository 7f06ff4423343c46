"""The `prune` job: event ids past any retry, expired OAuth states, leases of dead runners and
outbox rows long done are deleted; everything else (records, what the outbox still has to
send) stays. Through `mutual jobs run`."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from bot.db.models import ProcessedEvent, SchedulerLease
from bot.db.session import Database
from bot.jobs import prune
from bot.services.outbox import enqueue
from bot.services.recording import record_thanks
from bot.services.workspaces import ensure_workspace
from tests.conftest import START
from tests.support.procs import run_cli

NOW = START


def event_ids(db: Database) -> list[str]:
    with db.session() as s:
        return sorted(s.scalars(select(ProcessedEvent.event_id)))


def add_events(db: Database, ages: dict[str, timedelta]) -> None:
    with db.session() as s:
        for event_id, age in ages.items():
            s.add(ProcessedEvent(team_id="T0001", event_id=event_id, received_at=NOW - age))


def test_jobs_run_prunes_bookkeeping_and_nothing_else(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        ensure_workspace(s, "T0001", NOW - timedelta(days=400))
        record_thanks(s, "T0001", "UALICE", ["UBOB"], "a year-old thank-you", NOW - timedelta(days=365))
        enqueue(s, "T0001", "old", "claim_reminder", "UBOB", {}, NOW - timedelta(days=90),
                NOW - timedelta(days=90))
        s.add_all([SchedulerLease(name="dead", holder="h:1:x", expires_at=NOW - timedelta(days=2)),
                   SchedulerLease(name="lapsed", holder="h:2:x", expires_at=NOW - timedelta(hours=1)),
                   SchedulerLease(name="held", holder="h:3:x", expires_at=NOW + timedelta(minutes=5))])
        states = prune.OAUTH_STATES
        s.execute(insert(states), [
            {"state": "expired", "expire_at": (NOW - timedelta(minutes=1)).replace(tzinfo=None)},
            {"state": "valid", "expire_at": (NOW + timedelta(minutes=9)).replace(tzinfo=None)}])
    add_events(db, {"Ev-8d": timedelta(days=8), "Ev-7d1s": timedelta(days=7, seconds=1),
                    "Ev-6d": timedelta(days=6), "Ev-5min": timedelta(minutes=5)})

    done = run_cli(["jobs", "run", "--now", NOW.isoformat()], {"DATABASE_URL": db.url}, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "prune: deleted 2 processed events, 1 OAuth states, 1 scheduler leases" in done.stdout

    assert event_ids(db) == ["Ev-5min", "Ev-6d"]
    with db.session() as s:
        assert sorted(s.scalars(select(SchedulerLease.name))) == ["held", "lapsed"]
        assert list(s.scalars(select(prune.OAUTH_STATES.c.state))) == ["valid"]
    exported = json.loads(run_cli(["export", "--team", "T0001"], {"DATABASE_URL": db.url}, tmp_path).stdout)
    assert [r["note"] for r in exported["records"]] == ["a year-old thank-you"]
    assert len(exported["nudges"]) == 1, "a message still waiting is never pruned"

    again = run_cli(["jobs", "run", "--now", NOW.isoformat()], {"DATABASE_URL": db.url}, tmp_path)
    assert "prune: deleted 0 processed events, 0 OAuth states, 0 scheduler leases" in again.stdout


def test_a_backlog_goes_in_batches_over_several_runs(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prune, "BATCH", 2)
    monkeypatch.setattr(prune, "MAX_BATCHES", 2)
    add_events(db, {f"Ev{i}": timedelta(days=30 + i) for i in range(5)} | {"Evnew": timedelta(0)})
    assert prune.prune_bookkeeping(db, NOW).startswith("deleted 4 processed events")
    assert prune.prune_bookkeeping(db, NOW).startswith("deleted 1 processed events")
    assert event_ids(db) == ["Evnew"]
