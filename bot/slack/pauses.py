"""Rate-limit pauses every process honours: a 429's Retry-After is kept in `api_pauses` per
(workspace, Web API method), so the deliverers of every replica, `mutual jobs run` and the
look-ups made while answering a request all wait it out, not only the process that met it.

When a pause has passed, the first caller takes the probe and calls alone; the others wait
until it answers (`ended`) or, should it die, until its probe lapses and another takes over.
So a lifted pause brings one call, not one per sender thread and replica at once.

Pauses are kept on the app's clock (the system clock in production), like every row's
`due_at`: a run as of another instant, or a simulated clock, sees them move with its time.
Callers are told seconds to wait."""

from __future__ import annotations

import http.client
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.error import URLError

from slack_sdk.errors import SlackApiError
from sqlalchemy import case, delete, func, select, update

from bot.db.models import ApiPause
from bot.db.session import Database
from bot.db.upsert import insert_or_update
from bot.slack.budget import SlackBusy
from bot.slack.sender import RATE_LIMITED, from_error

T = TypeVar("T")
PROBE_FOR = timedelta(seconds=15)  # longer than a call (10 s timeout); then another may probe
GO, PROBE = "go", "probe"


@dataclass(frozen=True)
class Pause:
    team_id: str
    method: str
    until: datetime
    probing: bool


class Pauses:
    """The `api_pauses` table, read and written in short transactions of their own."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.db, self.clock = db, clock

    def pause(self, team_id: str, method: str, seconds: float) -> float:
        """Slack said 429: nobody calls `method` for this workspace for `seconds` (a later
        pause already recorded is kept). Returns the seconds until the pause ends."""
        until = self.clock() + timedelta(seconds=seconds)
        with self.db.session() as session:
            insert_or_update(session, ApiPause,
                             {"team_id": team_id, "method": method, "until": until, "probing": False},
                             {"until": self._later, "probing": False})
            ends = session.scalar(select(ApiPause.until).where(
                ApiPause.team_id == team_id, ApiPause.method == method)) or until
        return max(seconds, (ends - self.clock()).total_seconds())

    def _later(self, new: Any) -> Any:
        # The later of the two pauses; a probe's own placeholder gives way to Slack's answer.
        later = (func.max if self.db.is_sqlite else func.greatest)(ApiPause.until, new.until)
        return case((ApiPause.probing.is_(True), new.until), else_=later)

    def all(self) -> list[Pause]:
        # Read before every claim: a read-only snapshot, which takes no write lock on SQLite.
        with self.db.snapshot() as session:
            return [Pause(r.team_id, r.method, r.until, r.probing)
                    for r in session.scalars(select(ApiPause))]

    def may_call(self, team_id: str, method: str) -> str | float:
        """GO (no pause), PROBE (the pause has passed and this caller calls first, alone: it
        must report with `ended` or `pause`), or the seconds to wait."""
        now = self.clock()
        with self.db.snapshot() as session:  # the common answers need no write lock
            until = session.scalar(select(ApiPause.until).where(
                ApiPause.team_id == team_id, ApiPause.method == method))
        if until is None:
            return GO
        if until > now:
            return (until - now).total_seconds()
        with self.db.session() as session:
            taken = session.execute(
                update(ApiPause).where(ApiPause.team_id == team_id, ApiPause.method == method,
                                       ApiPause.until <= now)
                .values(until=now + PROBE_FOR, probing=True)).rowcount
            return PROBE if taken else PROBE_FOR.total_seconds()

    def lookup(self, team_id: str, method: str, call: Callable[[], T]) -> T:
        """`call()` (one Web API `method`) made while answering a request, honouring any pause
        of that method in that workspace: SlackBusy at once while one lasts; a 429 it meets
        starts one for every process; the first call after a pause goes alone (the probe).
        Slack's other answers reach the caller as they are."""
        turn = self.may_call(team_id, method)
        if not isinstance(turn, str):
            raise SlackBusy(f"{method} rate limited for {turn:.0f} s more")
        try:
            result = call()
        except SlackApiError as e:
            outcome = from_error(e)
            if outcome.status == RATE_LIMITED:
                self.pause(team_id, method, outcome.retry_after)
                raise SlackBusy(f"{method} rate limited") from None
            self._answered(turn, team_id, method)
            raise
        except (URLError, OSError, http.client.HTTPException):
            self._answered(turn, team_id, method)
            raise
        self._answered(turn, team_id, method)
        return result

    def _answered(self, turn: str, team_id: str, method: str) -> None:
        if turn == PROBE:  # Slack answered the first call after a pause: the others may go
            self.ended(team_id, method)

    def ended(self, team_id: str, method: str) -> bool:
        """The probe was answered with anything but a 429: the pause is over for everyone."""
        with self.db.session() as session:
            return bool(session.execute(delete(ApiPause).where(
                ApiPause.team_id == team_id, ApiPause.method == method,
                ApiPause.probing.is_(True))).rowcount)
