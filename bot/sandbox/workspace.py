"""The running sandbox: the simulated Slack, the real Mutual app behind its real HTTP edge, one
SQLite file, and the simulated clock they share.

Two functions stand for "Mutual, do your thing": `settle()` waits until Mutual has finished
what a line caused, and `run_jobs()` runs the scheduler as of the simulated time. Both are
kept here, in one place each, so they follow Mutual's delivery design when it changes."""

from __future__ import annotations

import http.client
import logging
import secrets
import shutil
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from bot.delivery.run import RATE_LIMITED
from bot.sandbox import state as store
from bot.sandbox.fakeslack import FakeSlack
from bot.sandbox.seed import seeded_state
from bot.sandbox.state import State

QUIET = 0.1  # seconds without a Web API call that count as "Mutual is done"
SETTLE_TIMEOUT = 20.0
TICK = timedelta(minutes=1)  # each thing a person does takes a minute of simulated time
# A reply Slack asked Mutual to send a little later (a Retry-After, a first retry) is waited
# for, as a person would wait a few seconds; anything later waits for `time`.
SHORT_WAIT = timedelta(minutes=1)


@dataclass
class Reply:
    status: int
    body: str


@dataclass(frozen=True)
class Held:
    """A message Mutual holds for later: to whom (a person or a channel), until when, and
    why (the outbox row's last error: None when it waits for working hours or its time)."""

    recipient: str
    due: datetime
    reason: str | None

    @property
    def rate_limited(self) -> bool:
        return self.reason == RATE_LIMITED


@dataclass
class Paths:
    db: Path

    @property
    def slack(self) -> Path:
        return self.db.with_name(self.db.name + ".slack.json")

    @property
    def files(self) -> Path:
        return self.db.with_name(self.db.stem + "-files")

    @property
    def log(self) -> Path:
        return self.db.with_name(self.db.stem + ".log")

    @property
    def lock(self) -> Path:
        return self.db.with_name(self.db.name + ".lock")

    def wipe(self) -> None:
        for path in (self.db, self.slack, self.log, Path(f"{self.db}-wal"), Path(f"{self.db}-shm")):
            path.unlink(missing_ok=True)
        shutil.rmtree(self.files, ignore_errors=True)


def hold(path: Path) -> IO[str]:
    """One sandbox at a time on a database: the terminal and the browser keep the same files,
    and two of them at once would each overwrite what the other did. Released on close (or
    when the process ends, however it ends)."""
    handle = open(path, "a+")  # noqa: SIM115 (held open for the workspace's life)
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, as before
        return handle
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise OSError("another sandbox (in a terminal, or --web) has it open; close that one "
                      "first, or pick another --db") from None
    return handle


class SandboxClock:
    """The simulated time: Mutual's clock (`bot.clock.Clock`), moved only by the sandbox."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def set(self, now: datetime) -> None:
        with self._lock:
            self.now = now


class Problems(logging.Handler):
    """Warnings and errors Mutual logs while a line runs, shown to the person in one line
    each (tracebacks go to the log file)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record.getMessage().splitlines()[0][:200])

    def take(self) -> list[str]:
        """Each distinct problem once (a retried call logs the same failure several times)."""
        seen, self.seen = list(dict.fromkeys(self.seen)), []
        return seen


class Workspace:
    def __init__(self, db_path: Path, fresh: bool = False) -> None:
        self.paths = Paths(db_path.resolve())
        self.paths.db.parent.mkdir(parents=True, exist_ok=True)
        self._held = hold(self.paths.lock)
        if fresh:
            self.paths.wipe()
        loaded = None if fresh else store.load(self.paths.slack)
        self.resumed = loaded is not None and self.paths.db.exists()
        self.state: State = loaded if loaded is not None and self.resumed else seeded_state()
        self.clock = SandboxClock(datetime.fromisoformat(self.state.clock))
        self.problems = Problems()
        self.sent: list[str] = []  # every request body posted to Mutual, for --raw
        self._logging()
        self.slack = FakeSlack(self.state, self.clock, self.paths.files)
        self._start_mutual()

    def _logging(self) -> None:
        """Mutual's log goes to a file beside the database, not over the prompt."""
        root = logging.getLogger()
        self._log_file = logging.FileHandler(self.paths.log, encoding="utf-8")
        self._log_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self._log_level = root.level
        root.addHandler(self._log_file)
        root.addHandler(self.problems)
        root.setLevel(logging.INFO)

    def _start_mutual(self) -> None:
        from bot.app import create_app, create_deliverer
        from bot.config import Settings
        from bot.db.migrate import upgrade
        from bot.db.session import Database
        from bot.server import make_http_server

        url = f"sqlite:///{self.paths.db}"
        upgrade(url)
        self.secret = secrets.token_hex(16)
        self.settings = Settings(bot_token="xoxb-sandbox", signing_secret=self.secret,
                                 app_token=None, client_id=None, client_secret=None,
                                 api_url=self.slack.api_url, database_url=url, port=0,
                                 log_level="INFO")
        self.db = Database(url)
        self.app, self.deps = create_app(self.settings, self.db, self.clock)
        # The outbox's deliverer, as every `mutual run` keeps one: what a request writes is
        # sent at once.
        self.deliverer = create_deliverer(self.settings, self.db, self.clock, poll=0.2).start()
        self.server = make_http_server(self.app, self.db, self.settings, host="127.0.0.1", port=0)
        self.port = int(self.server.effective_port)
        self._http = threading.Thread(target=self.server.run, name="mutual-http", daemon=True)
        self._http.start()
        self._clients: Any = None

    # -- talking to Mutual as Slack does ------------------------------------------------------
    def post(self, body: str, content_type: str = "application/x-www-form-urlencoded") -> Reply:
        """POST /slack/events, signed as Slack signs."""
        from bot.sandbox.payloads import signed_headers

        self.sent.append(body)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("POST", "/slack/events", body=body.encode(),
                         headers=signed_headers(self.secret, body, content_type))
            resp = conn.getresponse()
            return Reply(resp.status, resp.read().decode("utf-8", errors="replace"))
        finally:
            conn.close()

    def post_event(self, inner: dict[str, Any]) -> Reply:
        from bot.sandbox.payloads import event

        return self.post(event(inner), "application/json")

    def settle(self) -> None:
        """Wait until Mutual has finished what the last request caused: its outbox has sent
        everything due and Slack has heard nothing from it for a moment."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while time.monotonic() < deadline:
            self.deliverer.wait_idle(timeout=max(0.0, deadline - time.monotonic()))
            soon = self._reply_due_soon()
            if soon is not None:
                self.clock.set(soon)
                continue
            quiet = self.slack.quiet_for()
            if quiet >= QUIET:
                return
            time.sleep(QUIET - quiet)

    def _reply_due_soon(self) -> datetime | None:
        """When a reply to something a person did is due within SHORT_WAIT (Slack said wait)."""
        from sqlalchemy import func, select

        from bot.db.models import OutboxItem

        now = self.clock()
        with self.db.session() as session:
            due = session.scalar(select(func.min(OutboxItem.due_at)).where(
                OutboxItem.status == "pending", OutboxItem.priority == 0,
                OutboxItem.due_at > now, OutboxItem.due_at <= now + SHORT_WAIT))
        return due

    def run_jobs(self) -> dict[str, object]:
        """Every scheduled job once as of the simulated time, then delivery of what is due:
        what `mutual jobs run --now` does."""
        from bot.jobs.scheduler import run_all, scheduler_clients

        if self._clients is None:
            self._clients = scheduler_clients(self.settings, self.db)
        results = run_all(self.db, self.clock(), self._clients)
        self.settle()
        return results

    def waiting(self) -> list[Held]:
        """Messages held for later (the recipient's working hours, a rate limit, a retry),
        soonest first."""
        from sqlalchemy import select

        from bot.db.models import OutboxItem

        now = self.clock()
        with self.db.session() as session:
            rows = session.execute(select(OutboxItem.recipient_id, OutboxItem.due_at,
                                          OutboxItem.last_error).where(
                OutboxItem.status == "pending", OutboxItem.due_at > now,
                OutboxItem.recipient_id.is_not(None)).order_by(OutboxItem.due_at)).all()
        return [Held(str(r), d if d.tzinfo else d.replace(tzinfo=now.tzinfo), why)
                for r, d, why in rows]

    # -- time ---------------------------------------------------------------------------------
    def tick(self) -> None:
        self.clock.set(self.clock() + TICK)

    def move_clock(self, to: datetime) -> None:
        self.clock.set(to)

    def _close_http(self) -> None:
        """Close waitress as `mutual run` does (bot.server.close_server)."""
        from bot.server import close_server

        close_server(self.server, self._http)

    # -- keeping it --------------------------------------------------------------------------
    def save(self) -> None:
        with self.slack.lock:
            self.state.clock = self.clock().isoformat()
            store.save(self.state, self.paths.slack)

    def close(self) -> None:
        try:
            self.settle()
            self.save()
        finally:
            self._close_http()
            self.deliverer.stop()
            self.slack.stop()
            self.db.dispose()
            root = logging.getLogger()
            for handler in (self.problems, self._log_file):
                root.removeHandler(handler)
            self._log_file.close()
            root.setLevel(self._log_level)
            self._held.close()  # the next sandbox, in either face, may open it
