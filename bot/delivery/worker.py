"""The deliverer every `mutual run` keeps going (with or without the scheduler), and the
run-once `deliver_due` of `mutual jobs run`.

A row written by a request is sent at once: the transaction that writes it wakes this process's
deliverer when it commits (Database.after_commit), and on PostgreSQL a NOTIFY, sent by the
server only if that transaction commits, wakes every replica's (LISTEN). Otherwise a deliverer
sleeps until the next row falls due, a rate limit lifts, or a short poll comes round (rows
written by another process on SQLite, or a lost notification)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from bot.db.session import Database

# Every kind registers itself when its module is imported; these are all of them.
from bot.delivery import asks as _ask_kinds  # noqa: F401
from bot.delivery import closing, exports, intros, messages, questions, reactions  # noqa: F401
from bot.delivery import reacted as _reacted_kinds  # noqa: F401
from bot.delivery import setup as _setup_kinds  # noqa: F401
from bot.delivery.run import (
    CLAIM_TTL,
    MAX_RUN,
    MAX_SLEEP,
    Delivery,
    RateLimits,
    RealTimer,
    Runner,
    Timer,
)
from bot.jobs import asks as _ask_jobs_kinds  # noqa: F401
from bot.jobs import followups as _followup_kinds  # noqa: F401
from bot.jobs import intros as _intro_kinds  # noqa: F401
from bot.jobs import nudges as _nudge_kinds  # noqa: F401
from bot.jobs import summary as _summary_kinds  # noqa: F401
from bot.jobs.runner import holder_is_dead, runner_id
from bot.observe.outage import OutageLog
from bot.services.delivery import due_now, next_due, sending_by
from bot.services.outbox import NOTIFY_CHANNEL
from bot.slack.sender import ClientForTeam

logger = logging.getLogger(__name__)

WORKERS = 4  # Web API calls in flight at once per process; each waits on the network
POLL = 2.0  # seconds between looks when nothing wakes a deliverer
LISTEN_POLL = 10.0  # the same, when PostgreSQL notifications wake it
ORPHAN_CHECK = 60.0
LISTEN_WAIT = 0.2  # seconds one wait for a notification lasts before looking at stop()


def deliver_due(db: Database, now: datetime, clients: ClientForTeam, *, runner: str | None = None,
                timer: Timer | None = None, ttl: timedelta = CLAIM_TTL,
                max_sleep: float = MAX_SLEEP, max_run: float = MAX_RUN) -> Delivery:
    """Send every row due at `now` and return (time moves on from `now` as the run takes
    time); waits out a rate limit of up to `max_sleep` seconds."""
    timer = timer or RealTimer()
    started, real_start = timer.monotonic(), datetime.now(UTC)

    def clock() -> datetime:
        return now + timedelta(seconds=timer.monotonic() - started)

    limits = RateLimits(db, clock, sleep=timer.sleep,
                        real_clock=lambda: real_start + timedelta(seconds=timer.monotonic() - started))
    run = Runner(db, clients, runner or runner_id(), clock, limits, ttl)
    run.find_orphans(holder_is_dead)
    while timer.monotonic() - started < max_run:
        if run.step():
            continue
        wait = limits.next_free()
        if wait is None or wait > max_sleep:
            break
        timer.sleep(wait)
    return run.report


QUIET = 0.5  # seconds with nothing due and nothing held for sending: settled


class Deliverer:
    """Background threads that send the outbox as rows fall due."""

    def __init__(self, db: Database, clients: ClientForTeam, clock: Callable[[], datetime], *,
                 workers: int = WORKERS, listen: bool = True, poll: float | None = None) -> None:
        self.db, self.clients, self.clock = db, clients, clock
        self.listen = listen and db.engine.dialect.name == "postgresql"
        self.poll = poll if poll is not None else (LISTEN_POLL if self.listen else POLL)
        self.workers = workers
        self._stop = threading.Event()
        self.limits = RateLimits(db, clock, sleep=self._stop.wait)
        self._wake = threading.Condition()
        self._generation = 0
        self._busy = 0
        self._runners: set[str] = set()  # each sender thread's claim holder id
        self._threads: list[threading.Thread] = []
        self.outage = OutageLog(logger, "outbox steps", each=False)
        db.after_commit(self._on_commit)

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> Deliverer:
        for index in range(self.workers):
            self._spawn(self._work, f"deliver-{index}")
        if self.listen:
            self._spawn(self._listen, "deliver-listen")
        return self

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self, timeout: float = 15.0) -> None:
        """Finish the sends under way (each is one Web API call) and stop."""
        self._stop.set()
        self.wake()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    @property
    def running(self) -> bool:
        return bool(self._threads) and not self._stop.is_set()

    def wake(self) -> None:
        with self._wake:
            self._generation += 1
            self._wake.notify_all()

    def _on_commit(self, info: dict[str, Any]) -> None:
        self.outage.answered()
        if info.get("outbox"):
            self.wake()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Until nothing is due now and no send is under way (tests, the sandbox); a row only
        waiting out a rate limit is waited for."""
        deadline = time.monotonic() + timeout
        quiet_since: float | None = None
        while time.monotonic() < deadline:
            with self._wake:
                busy = self._busy
            # A row whose method is paused is not due yet: like a held row, it waits for the
            # clock (pauses are on the same clock as due_at).
            blocked = self.limits.blocked_kinds()
            with self.db.session() as session:
                due = due_now(session, self.clock(), skip=blocked)
                sending = bool(busy) and sending_by(session, list(self._runners))
            if not due:
                with self._wake:
                    if not self._busy:
                        return True
                # On a loaded machine the threads' polls for work can overlap for long: once
                # no row has been held for sending for QUIET seconds, nothing is under way.
                if sending:
                    quiet_since = None
                elif quiet_since is None:
                    quiet_since = time.monotonic()
                elif time.monotonic() - quiet_since >= QUIET:
                    return True
            else:
                quiet_since = None
            self.wake()
            time.sleep(0.01)
        return False

    # -- the threads ------------------------------------------------------------------------

    def _work(self) -> None:
        runner = Runner(self.db, self.clients, runner_id(), self.clock, self.limits)
        self._runners.add(runner.runner)
        last_orphan_check = 0.0
        while not self._stop.is_set():
            with self._wake:
                seen = self._generation
                self._busy += 1
            try:
                if time.monotonic() - last_orphan_check > ORPHAN_CHECK:
                    runner.find_orphans(holder_is_dead)
                    last_orphan_check = time.monotonic()
                did = runner.step()
            except DBAPIError as e:  # the first failure and a summary, not a line a second
                self.outage.failed(e, "outbox; trying again every second")
                did = False
                self._stop.wait(1.0)
            except Exception:
                logger.exception("outbox: delivery step failed")
                did = False
                self._stop.wait(1.0)
            finally:
                with self._wake:
                    self._busy -= 1
            if did:
                continue
            self._sleep(seen)

    def _sleep(self, seen: int) -> None:
        timeout = self.poll
        try:
            free = self.limits.next_free()
            # A row waiting out a pause is not due before the pause ends (`free` says when):
            # counting it would wake every thread at once, over and over, until then.
            blocked = self.limits.blocked_kinds()
            with self.db.session() as session:
                due = next_due(session, skip=blocked)
        except DBAPIError:  # the step said so already; look again after the poll
            free = due = None
        if free is not None:
            timeout = min(timeout, free + 0.01)
        if due is not None:
            timeout = max(0.0, min(timeout, (due - self.clock()).total_seconds() + 0.01))
        with self._wake:
            if self._generation == seen and not self._stop.is_set():
                self._wake.wait(timeout)

    def _listen(self) -> None:
        """PostgreSQL LISTEN on its own connection: any replica's commit wakes this one."""
        import psycopg

        url = make_url(self.db.url).set(drivername="postgresql").render_as_string(hide_password=False)
        while not self._stop.is_set():
            try:
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    while not self._stop.is_set():  # a short wait, so stop() is quick
                        for _ in conn.notifies(timeout=LISTEN_WAIT, stop_after=1):
                            self.wake()
            except psycopg.Error as e:
                logger.warning("outbox: LISTEN connection lost (%s); polling until it is back",
                               type(e).__name__)
                self._stop.wait(5.0)
