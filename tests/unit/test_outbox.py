"""The outbox: unique keys, claims that two runners never share, outcomes, retries."""

import subprocess
import sys
import threading
from datetime import timedelta

from sqlalchemy import select

from bot.db.models import OutboxItem
from bot.jobs.lease import job_lock
from bot.jobs.prune import prune_bookkeeping
from bot.jobs.runner import holder_is_dead, runner_id
from bot.services import delivery as queue
from bot.services import nudges, outbox
from tests.conftest import START
from tests.support.nudging import add_nudge, nudge_rows, workspace

NOW = START
TTL = timedelta(seconds=60)
SECOND = timedelta(seconds=1)


def test_enqueue_is_idempotent_per_key(db):
    with db.session() as s:
        workspace(s, NOW)
        assert outbox.enqueue(s, "T0001", "claim_reminder:7", "claim_reminder", "UALICE",
                              {"record_id": 7}, NOW, NOW, subject="7")
    with db.session() as s:
        assert not outbox.enqueue(s, "T0001", "claim_reminder:7", "claim_reminder", "UALICE",
                                  {"record_id": 7}, NOW, NOW, subject="7")
        # The same key in another workspace is another message.
        workspace(s, NOW, team="T0999")
        assert outbox.enqueue(s, "T0999", "claim_reminder:7", "claim_reminder", "UZED",
                              {}, NOW, NOW)
    assert len(nudge_rows(db, team_id="T0001")) == 1


def test_claim_takes_due_rows_oldest_first(db):
    with db.session() as s:
        workspace(s, NOW)
        add_nudge(s, "later", "UALICE", NOW + SECOND, NOW)
        add_nudge(s, "second", "UBOB", NOW, NOW)
        add_nudge(s, "first", "UCAROL", NOW - SECOND, NOW)
    claimed = []
    while True:
        with db.session() as s:
            row = queue.claim_next(s, NOW, "r1", TTL)
        if row is None:
            break
        claimed.append(row.key)
        assert row.attempts == 1 and not row.interrupted
    assert claimed == ["first", "second"]  # "later" is not due yet
    rows = {r.key: r for r in nudge_rows(db)}
    assert rows["first"].status == "sending" and rows["first"].claimed_by == "r1"
    assert rows["first"].claimed_until == NOW + TTL
    assert rows["later"].status == "pending"


def test_a_claimed_row_is_not_claimed_again_until_its_claim_lapses(db):
    with db.session() as s:
        workspace(s, NOW)
        add_nudge(s, "k", "UALICE", NOW, NOW)
    with db.session() as s:
        assert queue.claim_next(s, NOW, "r1", TTL) is not None
    for at in (NOW, NOW + TTL - SECOND):
        with db.session() as s:
            assert queue.claim_next(s, at, "r2", TTL) is None
    with db.session() as s:
        again = queue.claim_next(s, NOW + TTL, "r2", TTL)
    assert again is not None and again.interrupted and again.previous_holder == "r1"
    # r1 can no longer record an outcome for it.
    with db.session() as s:
        assert not queue.mark_sent(s, again.id, "r1", NOW)
        assert queue.mark_sent(s, again.id, "r2", NOW)
    assert nudge_rows(db)[0].status == "sent"


def test_rows_of_a_dead_holder_are_recovered_at_once(db):
    with db.session() as s:
        workspace(s, NOW)
        add_nudge(s, "k", "UALICE", NOW, NOW)
    with db.session() as s:
        queue.claim_next(s, NOW, "gone", TTL)
    with db.session() as s:
        assert queue.holders_in_flight(s, NOW) == ["gone"]
        row = queue.claim_next(s, NOW, "r2", TTL, orphaned_by=["gone"])
    assert row is not None and row.interrupted


def test_skip_leaves_rate_limited_kinds_alone(db):
    with db.session() as s:
        workspace(s, NOW)
        add_nudge(s, "a", "UALICE", NOW - SECOND, NOW, kind="one_sided")
        add_nudge(s, "b", "UBOB", NOW, NOW, kind="claim_reminder")
    with db.session() as s:
        row = queue.claim_next(s, NOW, "r1", TTL, skip=[("T0001", "one_sided")])
    assert row is not None and row.key == "b"


def test_outcomes(db):
    with db.session() as s:
        workspace(s, NOW)
        for key in ("sent", "failed", "held", "cancelled"):
            add_nudge(s, key, "UALICE", NOW, NOW)
    ids = {}
    for _ in range(4):
        with db.session() as s:
            row = queue.claim_next(s, NOW, "r1", TTL)
            ids[row.key] = row.id
    with db.session() as s:
        assert queue.mark_sent(s, ids["sent"], "r1", NOW)
        assert queue.mark_failed(s, ids["failed"], "r1", "user_not_found")
        assert queue.hold(s, ids["held"], "r1", NOW + timedelta(hours=3), "outside hours")
        assert queue.cancel(s, ids["cancelled"], "r1", "snoozed")
    rows = {r.key: r for r in nudge_rows(db)}
    assert (rows["sent"].status, rows["sent"].sent_at) == ("sent", NOW)
    assert (rows["failed"].status, rows["failed"].last_error) == ("failed", "user_not_found")
    held = rows["held"]
    assert (held.status, held.due_at, held.attempts) == ("pending", NOW + timedelta(hours=3), 0)
    assert held.claimed_by is None and held.claimed_until is None
    assert rows["cancelled"].status == "cancelled"


def test_transient_failures_back_off_then_give_up_after_the_window(db):
    with db.session() as s:
        workspace(s, NOW)
        add_nudge(s, "k", "UALICE", NOW, NOW)
    window = timedelta(hours=1)
    at, dues, again = NOW, [], True
    while again:
        with db.session() as s:
            row = queue.claim_next(s, at, "r1", TTL)
            assert row is not None
            again = queue.retry_later(s, row, "r1", at, "internal_error", window)
        final = nudge_rows(db)[0]
        if again:
            assert final.status == "pending" and final.not_after == NOW + window
            dues.append(final.due_at - at)
            at = final.due_at
    assert final.status == "failed" and final.last_error == "gave up after 7 attempts: internal_error"
    assert dues == list(queue.BACKOFF)
    with db.session() as s:
        assert queue.claim_next(s, at + timedelta(days=30), "r1", TTL) is None


def test_two_runners_claiming_at_once_share_nothing(db):
    with db.session() as s:
        workspace(s, NOW)
        for i in range(60):
            add_nudge(s, f"k{i}", f"U{i:04d}", NOW, NOW)
    claims: dict[str, list[str]] = {"r1": [], "r2": [], "r3": []}
    barrier = threading.Barrier(3)

    def claim_all(runner: str) -> None:
        barrier.wait()
        while True:
            with db.session() as s:
                row = queue.claim_next(s, NOW, runner, TTL)
            if row is None:
                return
            claims[runner].append(row.key)

    threads = [threading.Thread(target=claim_all, args=(r,)) for r in claims]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [k for keys in claims.values() for k in keys]
    assert sorted(every) == sorted(f"k{i}" for i in range(60))
    assert len(set(every)) == 60


def test_mute_pair_cancels_what_is_waiting_about_them(db):
    with db.session() as s:
        workspace(s, NOW)
        add_nudge(s, "about-bob", "UALICE", NOW, NOW, subject="UBOB")
        add_nudge(s, "about-carol", "UALICE", NOW, NOW, subject="UCAROL")
    with db.session() as s:
        assert nudges.mute_pair(s, "T0001", "UALICE", "UBOB", NOW)
        assert not nudges.mute_pair(s, "T0001", "UALICE", "UBOB", NOW)
        assert nudges.is_muted(s, "T0001", "UALICE", "UBOB")
        assert not nudges.is_muted(s, "T0001", "UBOB", "UALICE")
    rows = {r.key: r.status for r in nudge_rows(db)}
    assert rows == {"about-bob": "cancelled", "about-carol": "pending"}


def test_runner_ids_and_dead_holders():
    me = runner_id()
    assert not holder_is_dead(me)
    assert not holder_is_dead("another-host:1:abc")
    assert not holder_is_dead(None)
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    host = me.split(":")[0]
    assert holder_is_dead(f"{host}:{done.stdout.strip()}:abc")


def test_job_lock_one_holder_at_a_time(db):
    with job_lock(db, "deliver_nudges", "r1", NOW) as first:
        assert first
        with job_lock(db, "deliver_nudges", "r2", NOW) as second:
            assert not second
        with job_lock(db, "expire_claims", "r2", NOW) as other_job:
            assert other_job
    with job_lock(db, "deliver_nudges", "r2", NOW) as after:
        assert after


def test_two_planners_at_once_write_one_row_per_message(db):
    """Without the job lock (two replicas whose lock failed), the unique keys still hold."""
    from bot.jobs.nudges import plan_claim_reminders, plan_one_sided
    from tests.support.nudging import days, helped

    with db.session() as s:
        workspace(s, NOW)
        for i in range(20):
            helped(s, f"UH{i:02d}", f"UR{i:02d}", NOW - days(3), times=3)
            helped(s, f"UR{i:02d}", f"UH{i:02d}", NOW - days(4), source="claim", status="pending")
    barrier = threading.Barrier(2)
    results = []

    def plan() -> None:
        barrier.wait()
        results.append(plan_one_sided(db, NOW) + plan_claim_reminders(db, NOW))

    threads = [threading.Thread(target=plan) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 40
    rows = nudge_rows(db)
    assert len(rows) == 40 and len({r.key for r in rows}) == 40


def test_done_rows_are_pruned_after_their_keeping_time(db):
    old_answer = NOW - queue.KEEP_ANSWERS - SECOND
    old_plan = NOW - queue.KEEP_PLANNED - SECOND
    with db.session() as s:
        workspace(s, NOW)
        add_nudge(s, "answer-old", "UALICE", old_answer, old_answer, status="sent", priority=0)
        add_nudge(s, "answer-new", "UALICE", NOW, NOW - SECOND, status="sent", priority=0)
        add_nudge(s, "answer-waiting", "UALICE", old_answer, old_answer, priority=0)
        add_nudge(s, "plan-recent-enough", "UALICE", old_answer, old_answer, status="sent")
        add_nudge(s, "plan-old", "UALICE", old_plan, old_plan, status="cancelled")
    assert "2 outbox rows long done" in prune_bookkeeping(db, NOW)
    with db.session() as s:
        left = {r.key for r in s.scalars(select(OutboxItem))}
    assert left == {"answer-new", "answer-waiting", "plan-recent-enough"}
