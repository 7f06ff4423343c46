"""Delivering the outbox: claim one due row at a time, check it is still wanted and that it is
working time for the recipient, send it, record what happened.

Exactly once, and the one message in flight
-------------------------------------------
Every message is an outbox row with a unique key, written before anything is sent, and a
runner claims a row (status `sending`, `claimed_by`, `claimed_until`) in its own transaction
before calling Slack, so two runners never send the same row. Rows are claimed one at a time,
so at most one message per runner is ever "in flight": claimed, but its result not yet
recorded. If the runner dies then, the next runner finds the row still `sending` (at once when
the dead runner was on the same machine, else when its claim lapses) and cannot know whether
Slack got it. Mutual chooses **at-most-once** for that message, upgraded to exactly-once when
Slack can tell: every message carries its outbox key in message metadata, and the recovering
runner looks for it in the conversation (`conversations.history`). Found: marked sent, not sent
again. Not there: sent now. Slack can't say (no `im:history` scope, an error): marked failed
("interrupted"), never sent twice. The same check settles a send whose connection broke after
the request went out. A duplicate nudge reads as nagging; a lost one costs nothing the next
run won't make up for."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.db.models import Member, Workspace
from bot.db.session import Database
from bot.jobs import intros as _intro_kinds  # noqa: F401  (registers its kinds)
from bot.jobs import nudges as _nudge_kinds  # noqa: F401  (registers its kinds)
from bot.jobs.kinds import KINDS
from bot.jobs.runner import holder_is_dead, runner_id
from bot.services import nudges as outbox
from bot.services.hours import is_working_time, next_working_instant
from bot.services.nudges import Outgoing
from bot.services.people import save_profile
from bot.slack import sender
from bot.slack.directory import profile_from_user
from bot.slack.sender import ClientForTeam, Outcome

logger = logging.getLogger(__name__)

CLAIM_TTL = timedelta(seconds=60)  # far longer than one Web API call (10 s timeout)
MAX_SLEEP = 60.0  # the longest a run waits out a rate limit; longer waits end the run
MAX_RUN = 600.0  # a run stops after this many seconds; the next one carries on
PROFILE_RETRY = timedelta(minutes=1)
INTERRUPTED = ("interrupted while sending and Slack could not confirm it arrived; "
               "not sent again so it can never arrive twice")

SEND, DONE, NEEDS_PROFILE = "send", "done", "needs_profile"
LATER = object()


class Timer(Protocol):
    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class RealTimer:
    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass
class Delivery:
    """What one run did."""

    sent: int = 0
    held: int = 0
    cancelled: int = 0
    failed: int = 0
    retried: int = 0
    rate_limited: int = 0
    recovered: int = 0

    def __str__(self) -> str:
        return ", ".join(f"{f.name} {getattr(self, f.name)}" for f in fields(self))


def deliver_due(db: Database, now: datetime, clients: ClientForTeam, *, runner: str | None = None,
                timer: Timer | None = None, ttl: timedelta = CLAIM_TTL,
                max_sleep: float = MAX_SLEEP, max_run: float = MAX_RUN) -> Delivery:
    """Send every outbox row due at `now` (time moves on from `now` as the run takes time)."""
    run = _Run(db, now, clients, runner or runner_id(), timer or RealTimer(), ttl, max_sleep, max_run)
    run.loop()
    return run.report


class _Run:
    def __init__(self, db: Database, now: datetime, clients: ClientForTeam, runner: str,
                 timer: Timer, ttl: timedelta, max_sleep: float, max_run: float) -> None:
        self.db, self.now, self.clients, self.runner = db, now, clients, runner
        self.timer, self.ttl, self.max_sleep, self.max_run = timer, ttl, max_sleep, max_run
        self.started = timer.monotonic()
        self.report = Delivery()
        self.blocked: dict[tuple[str, str], float] = {}  # (team, method) -> monotonic until
        self.refreshed: set[tuple[str, str]] = set()
        self.orphaned: list[str] = []

    def current(self) -> datetime:
        return self.now + timedelta(seconds=self.timer.monotonic() - self.started)

    def loop(self) -> None:
        with self.db.session() as session:
            self.orphaned = [h for h in outbox.holders_in_flight(session, self.now)
                             if holder_is_dead(h)]
        while self.timer.monotonic() - self.started < self.max_run:
            skip = self._skipped()
            with self.db.session() as session:
                row = outbox.claim_next(session, self.current(), self.runner, self.ttl,
                                        orphaned_by=self.orphaned, skip=skip)
                verdict = self._gate(session, row) if row and not row.interrupted else None
            if row is None:
                if skip and self._wait_for_rate_limit():
                    continue
                return
            self._handle(row, verdict)

    # -- before sending ---------------------------------------------------------------------

    def _gate(self, session: Session, row: Outgoing) -> str:
        """Cancel, hold or fail the row here, or say it may be sent."""
        now = self.current()
        kind = KINDS.get(row.kind)
        if kind is None:
            return self._done(outbox.mark_failed(session, row.id, self.runner,
                                                 f"unknown kind {row.kind!r}"), "failed")
        workspace = session.get(Workspace, row.team_id)
        if workspace is None or workspace.uninstalled_at is not None:
            return self._cancel(session, row, "workspace uninstalled")
        if kind.personal:
            member = session.get(Member, (row.team_id, row.recipient_id))
            why_not = outbox.why_not_nudge(member, now)
            if why_not:
                return self._cancel(session, row, why_not)
            known = member is not None and member.tz is not None
            if not known and (row.team_id, row.recipient_id) not in self.refreshed:
                return NEEDS_PROFILE
            offset = member.tz_offset if member is not None else 0
            if not is_working_time(now, offset):
                outbox.hold(session, row.id, self.runner, next_working_instant(now, offset))
                return self._done(True, "held")
        if kind.still_wanted is not None:
            reason = kind.still_wanted(session, workspace, row, now)
            if reason:
                return self._cancel(session, row, reason)
        return SEND

    def _cancel(self, session: Session, row: Outgoing, reason: str) -> str:
        return self._done(outbox.cancel(session, row.id, self.runner, reason), "cancelled")

    def _done(self, changed: bool, counter: str) -> str:
        if changed:
            setattr(self.report, counter, getattr(self.report, counter) + 1)
        return DONE

    # -- sending ----------------------------------------------------------------------------

    def _handle(self, row: Outgoing, verdict: str | None) -> None:
        if verdict == DONE:
            return
        client = self.clients(row.team_id)
        if client is None:
            self._finish(row, lambda s: outbox.mark_failed(
                s, row.id, self.runner, "no Slack token for this workspace"), "failed")
            return
        if row.interrupted:
            verdict = self._recover(client, row)
        if verdict == NEEDS_PROFILE:
            verdict = self._refresh_profile(client, row)
        if verdict != SEND:
            return
        kind = KINDS[row.kind]
        try:
            msg = kind.render(row.payload)
        except Exception as e:  # a bad payload must not stop the other messages
            logger.exception("could not render nudge %s", row.key)
            reason = f"could not render: {type(e).__name__}"
            self._finish(row, lambda s: outbox.mark_failed(s, row.id, self.runner, reason), "failed")
            return
        try:
            outcome = kind.send(client, row, msg)
        except Exception as e:  # a kind's own sender broke: never retried blindly
            logger.exception("sending nudge %s failed", row.key)
            outcome = Outcome(sender.REFUSED, f"send failed: {type(e).__name__}")
        self._record(client, row, kind.method, outcome)

    def _recover(self, client: WebClient, row: Outgoing) -> str:
        """A row left in flight by a runner that died: find out whether it went out."""
        self.report.recovered += 1
        logger.warning("nudge %s was in flight when %s stopped; checking Slack", row.key,
                       row.previous_holder)
        found = self._check(client, row)
        if found is LATER:
            return DONE
        if found is True:
            self._finish(row, lambda s: outbox.mark_sent(s, row.id, self.runner, self.current()), "sent")
            return DONE
        if found is None:
            self._finish(row, lambda s: outbox.mark_failed(s, row.id, self.runner, INTERRUPTED), "failed")
            return DONE
        with self.db.session() as session:
            return self._gate(session, row)

    def _check(self, client: WebClient, row: Outgoing) -> bool | None | object:
        """Did this row's message reach Slack? LATER when Slack can't say yet: the row stays
        in flight (not pending, so it is never sent unchecked) and is checked again later."""
        try:
            return sender.was_delivered(client, row.recipient_id, row.key)
        except sender.CheckLater as later:
            until = self.current() + timedelta(seconds=later.retry_after)
            self._finish(row, lambda s: outbox.extend_claim(
                s, row.id, self.runner, until, "delivery unknown; checking again"), "held")
            return LATER

    def _refresh_profile(self, client: WebClient, row: Outgoing) -> str:
        """users.info for someone whose time zone Mutual doesn't know yet, then gate again."""
        self.refreshed.add((row.team_id, row.recipient_id))
        try:
            user = client.users_info(user=row.recipient_id)["user"]
        except SlackApiError as e:
            error = str(e.response.get("error", ""))
            if error in ("user_not_found", "user_not_visible"):
                self._finish(row, lambda s: outbox.mark_failed(s, row.id, self.runner, error), "failed")
                return DONE
            return self._hold_briefly(row, f"users.info: {error}")
        except OSError as e:
            return self._hold_briefly(row, f"users.info: {type(e).__name__}")
        with self.db.session() as session:
            save_profile(session, row.team_id, profile_from_user(user), self.current())
            return self._gate(session, row)

    def _hold_briefly(self, row: Outgoing, reason: str) -> str:
        until = self.current() + PROFILE_RETRY
        self._finish(row, lambda s: outbox.hold(s, row.id, self.runner, until, reason), "held")
        return DONE

    def _record(self, client: WebClient, row: Outgoing, method: str, outcome: Outcome) -> None:
        now = self.current()
        if outcome.status == sender.UNKNOWN:
            found = self._check(client, row)
            if found is LATER:
                return
            if found is None:
                self._finish(row, lambda s: outbox.mark_failed(s, row.id, self.runner, INTERRUPTED), "failed")
                return
            outcome = Outcome(sender.SENT) if found else Outcome(sender.TRANSIENT, outcome.error)
        if outcome.status == sender.SENT:
            self._finish(row, lambda s: outbox.mark_sent(s, row.id, self.runner, now), "sent")
        elif outcome.status == sender.RATE_LIMITED:
            # This send and the rest to the same method in this workspace wait; none is dropped.
            self.blocked[(row.team_id, method)] = self.timer.monotonic() + outcome.retry_after
            until = now + timedelta(seconds=outcome.retry_after)
            self._finish(row, lambda s: outbox.hold(s, row.id, self.runner, until, "rate limited"),
                         "rate_limited")
        elif outcome.status == sender.REFUSED:
            logger.info("Slack refused nudge %s: %s", row.key, outcome.error)
            self._finish(row, lambda s: outbox.mark_failed(s, row.id, self.runner,
                                                           outcome.error or "refused"), "failed")
        else:
            error = outcome.error or "transient error"
            with self.db.session() as session:
                again = outbox.retry_later(session, row, self.runner, now, error)
            self.report.retried += again
            self.report.failed += not again

    def _finish(self, row: Outgoing, change: Callable[[Session], bool], counter: str) -> None:
        with self.db.session() as session:
            if change(session):
                setattr(self.report, counter, getattr(self.report, counter) + 1)
            else:
                logger.warning("lost the claim on nudge %s before recording its outcome", row.key)

    # -- rate limits ------------------------------------------------------------------------

    def _skipped(self) -> list[tuple[str, str]]:
        """(team, kind) pairs whose Web API method is waiting out a 429."""
        now = self.timer.monotonic()
        self.blocked = {k: until for k, until in self.blocked.items() if until > now}
        return [(team, kind.name) for (team, method) in self.blocked
                for kind in KINDS.values() if kind.method == method]

    def _wait_for_rate_limit(self) -> bool:
        wait = min(self.blocked.values()) - self.timer.monotonic()
        if wait > self.max_sleep:
            return False
        self.timer.sleep(max(wait, 0.0))
        return True
