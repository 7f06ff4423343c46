"""Delivering the outbox: claim one due row at a time, check it is still wanted (and, for a
nudge, that it is working time for the recipient), render it, send it, record what happened.

Exactly once, and the one message in flight
-------------------------------------------
Every message is an outbox row with a unique key, written with the change that causes it, and
a runner claims a row (status `sending`, `claimed_by`, `claimed_until`) in its own transaction
before calling Slack, so two runners never send the same row. A runner holds one row at a time
per thread, so at most that one message is "in flight": claimed, its result not yet recorded.
If the runner dies then, the next runner finds the row still `sending` (at once when the dead
runner was on the same machine, else when its claim lapses). An idempotent call (an update, a
Home publish, opening a conversation) is simply made again. A message carries its outbox key
as message metadata, so the recovering runner looks for it in the conversation
(`conversations.history`): found, it is marked sent; not there, it is sent now. Where Slack
cannot tell (no history scope, a response_url, a file), Mutual chooses **at most once**: the
row is marked failed ("interrupted"), never sent twice. The same check settles a send whose
connection broke after the request went out."""

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
from bot.delivery.first_contact import with_first_contact_line
from bot.delivery.kinds import KINDS, Call, Kind, Rendering, Skip
from bot.observe.metrics import delivery_done
from bot.services import delivery as outbox
from bot.services.delivery import Outgoing
from bot.services.hours import is_working_time, next_working_instant
from bot.services.nudges import why_not_nudge
from bot.services.outbox import SENT
from bot.services.people import save_profile
from bot.services.tact import names_not_chosen
from bot.slack import sender
from bot.slack.directory import USERS_INFO, profile_from_user
from bot.slack.pace import Pace
from bot.slack.pauses import GO, PROBE, Pause, Pauses
from bot.slack.sender import ClientForTeam, Outcome

logger = logging.getLogger(__name__)

CLAIM_TTL = timedelta(seconds=60)  # far longer than one Web API call (10 s timeout)
MAX_SLEEP = 60.0  # the longest a run-once waits out a rate limit; longer waits end the run
MAX_RUN = 600.0  # a run-once stops after this many seconds; the next one carries on
PROFILE_RETRY = timedelta(minutes=1)
NEEDS_PROFILE = "needs_profile"
NAMES_UNCHOSEN = "would name someone in a channel who did not choose it"
# Why a row waits: out a 429, or for the recipient's working hours (`mutual outbox` and the
# sandbox show it).
RATE_LIMITED = "rate limited"
WORKING_HOURS = "outside working hours"
PACED = "paced: about one message a second to one conversation"
PACE_WAIT = 1.5  # seconds a sender thread may wait for a conversation's turn
INTERRUPTED = ("interrupted while sending and Slack could not confirm it arrived; "
               "not sent again so it can never arrive twice")


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
    """What a run did."""

    sent: int = 0
    held: int = 0
    cancelled: int = 0
    failed: int = 0
    retried: int = 0
    rate_limited: int = 0
    recovered: int = 0

    def __str__(self) -> str:
        return ", ".join(f"{f.name} {getattr(self, f.name)}" for f in fields(self))

    def add(self, counter: str) -> None:
        setattr(self, counter, getattr(self, counter) + 1)


class RateLimits:
    """Web API methods a workspace must not call until Slack's Retry-After has passed, as every
    process sees them (bot/slack/pauses.py). Read once per claim; each row held by a pause
    also remembers its own wait in `due_at`."""

    def __init__(self, db: Database, clock: Callable[[], datetime],
                 sleep: Callable[[float], object] = time.sleep,
                 real_clock: Callable[[], datetime] | None = None) -> None:
        self.pauses = Pauses(db, clock)  # on the app's clock, like the rows' due_at
        self.clock = clock
        # chat.postMessage takes a turn per conversation, in real seconds as Slack counts them.
        self.pace = Pace(db, real_clock) if real_clock is not None else Pace(db)
        self.sleep = sleep
        self.seen: dict[tuple[str, str], Pause] = {}

    def block(self, team_id: str, method: str, seconds: float) -> float:
        return self.pauses.pause(team_id, method, seconds)

    def look(self) -> None:
        """Read every pause (a handful of rows at most) for the next claim."""
        self.seen = {(p.team_id, p.method): p for p in self.pauses.all()}

    def blocked_kinds(self) -> list[tuple[str, str]]:
        """(team, kind) pairs whose method is waiting out a 429 (or a probe's answer)."""
        self.look()
        now = self.clock()
        return [(team, kind.name) for (team, method), pause in self.seen.items() if pause.until > now
                for kind in KINDS.values() if kind.method == method]

    def may_call(self, team_id: str, method: str) -> str | float:
        """GO, PROBE (call first and alone, then say `ended`), or the seconds to wait."""
        if (team_id, method) not in self.seen:  # none at the last look: no query per send
            return GO
        return self.pauses.may_call(team_id, method)

    def ended(self, team_id: str, method: str) -> bool:
        self.seen.pop((team_id, method), None)
        return self.pauses.ended(team_id, method)

    def next_free(self) -> float | None:
        """Seconds until the earliest pause lifts, or None when nothing is paused."""
        now = self.clock()
        waits = [(p.until - now).total_seconds() for p in self.pauses.all() if p.until > now]
        return max(0.0, min(waits)) if waits else None


@dataclass(frozen=True)
class _Ready:
    kind: Kind
    call: Call
    retry_window: timedelta


class Runner:
    """Claims and sends rows, one at a time, as one runner (`runner` is its claim name)."""

    def __init__(self, db: Database, clients: ClientForTeam, runner: str, clock: Callable[[], datetime],
                 limits: RateLimits, ttl: timedelta = CLAIM_TTL) -> None:
        self.db, self.clients, self.runner, self.clock = db, clients, runner, clock
        self.limits, self.ttl = limits, ttl
        self.report = Delivery()
        self.refreshed: set[tuple[str, str]] = set()
        self.orphaned: list[str] = []

    def find_orphans(self, is_dead: Callable[[str | None], bool]) -> None:
        with self.db.session() as session:
            self.orphaned = [h for h in outbox.holders_in_flight(session, self.clock()) if is_dead(h)]

    def step(self) -> bool:
        """Claim one due row and deal with it; False when nothing is due."""
        with self.db.session() as session:
            row = outbox.claim_next(session, self.clock(), self.runner, self.ttl,
                                    orphaned_by=self.orphaned, skip=self.limits.blocked_kinds())
            ready = self._prepare(session, row) if row and not row.interrupted else None
        if row is None:
            return False
        try:
            self._handle(row, ready)
        except Exception:
            # Never leave a claimed row behind because of a bug in one kind: its claim lapses
            # and the row is recovered like any interrupted one.
            logger.exception("delivering %s (%s) failed unexpectedly", row.key, row.kind)
        return True

    # -- before sending ---------------------------------------------------------------------

    def _prepare(self, session: Session, row: Outgoing) -> _Ready | str | None:
        """Cancel, hold or fail the row here (None), or render it for sending, or say that the
        recipient's profile is needed first (NEEDS_PROFILE)."""
        now = self.clock()
        kind = KINDS.get(row.kind)
        if kind is None:
            self._done(outbox.mark_failed(session, row.id, self.runner,
                                                 f"unknown kind {row.kind!r}"), "failed", row.kind)
            return None
        workspace = session.get(Workspace, row.team_id)
        if workspace is None or workspace.uninstalled_at is not None:
            self._cancel(session, row, "workspace uninstalled")
            return None
        if row.after_key is not None:
            status = outbox.sent_at(session, row.team_id, row.after_key)[0]
            if status != SENT:
                self._cancel(session, row, f"follows {row.after_key}, which was not sent")
                return None
        if row.not_after is not None and now > row.not_after:
            self._done(outbox.mark_failed(session, row.id, self.runner,
                                                 f"too late to send ({row.kind})"), "failed", row.kind)
            return None
        window = timedelta(hours=workspace.delivery_retry_hours)
        if kind.nudge:
            member = session.get(Member, (row.team_id, row.recipient_id))
            why_not = why_not_nudge(member, now, workspace.guests)
            if why_not:
                self._cancel(session, row, why_not)
                return None
            known = member is not None and member.tz is not None
            if not known and (row.team_id, row.recipient_id) not in self.refreshed:
                return NEEDS_PROFILE
            offset = member.tz_offset if member is not None else 0
            if not is_working_time(now, offset):
                outbox.hold(session, row.id, self.runner, next_working_instant(now, offset),
                            WORKING_HOURS)
                self._done(True, "held", row.kind)
                return None
        if kind.still_wanted is not None:
            reason = kind.still_wanted(session, workspace, row, now)
            if reason:
                self._cancel(session, row, reason)
                return None
        rendering = Rendering(session, workspace, row, now)
        try:
            call = kind.render(rendering)
        except Skip as skip:
            self._cancel(session, row, str(skip))
            return None
        except Exception as e:  # a bad payload must not stop the other messages
            logger.exception("could not render %s", row.key)
            self._done(outbox.mark_failed(session, row.id, self.runner,
                                                 f"could not render: {type(e).__name__}"), "failed", row.kind)
            return None
        chose = kind.channel_post(rendering, call) if kind.channel_post is not None else None
        if chose is not None and names_not_chosen(call, chose):
            logger.error("%s would name someone in a channel who did not choose it; not sent", row.key)
            self._done(outbox.mark_failed(session, row.id, self.runner, NAMES_UNCHOSEN),
                       "failed", row.kind)
            return None
        return _Ready(kind, with_first_contact_line(kind, rendering, call), window)

    def _cancel(self, session: Session, row: Outgoing, reason: str) -> None:
        self._done(outbox.cancel(session, row.id, self.runner, reason), "cancelled", row.kind)

    def _done(self, changed: bool, counter: str, kind: str) -> None:
        if changed:
            self._tally(counter, kind)

    def _tally(self, counter: str, kind: str) -> None:
        """This run's report, and the process's metrics (sent, rate limited, failed by kind)."""
        self.report.add(counter)
        delivery_done(counter, kind)

    # -- sending ----------------------------------------------------------------------------

    def _handle(self, row: Outgoing, ready: _Ready | str | None) -> None:
        client = self.clients(row.team_id)
        if client is None:
            self._finish(row, lambda s: outbox.mark_failed(
                s, row.id, self.runner, "no Slack token for this workspace"), "failed")
            return
        if row.interrupted:
            ready = self._recover(client, row)
        if ready == NEEDS_PROFILE:
            ready = self._refresh_profile(client, row)
        if not isinstance(ready, _Ready):
            return
        method = ready.kind.method
        turn = self.limits.may_call(row.team_id, method)
        if not isinstance(turn, str):  # paused, or another caller is probing: wait for it
            until = self.clock() + timedelta(seconds=turn)
            self._finish(row, lambda s: outbox.hold(s, row.id, self.runner, until, RATE_LIMITED),
                         "held")
            return
        if not self._paced(row, ready):
            return
        try:
            outcome = ready.kind.send(client, row, ready.call)
        except Exception as e:  # a kind's own sender broke: never retried blindly
            logger.exception("sending %s failed", row.key)
            outcome = Outcome(sender.REFUSED, f"send failed: {type(e).__name__}")
        if turn == PROBE and outcome.status != sender.RATE_LIMITED and self.limits.ended(row.team_id, method):
            # The pause is over: what waited for the probe's answer goes now.
            with self.db.session() as session:
                outbox.release_held(session, row.team_id, _kinds_of(method), RATE_LIMITED, self.clock())
        self._record(client, row, ready, outcome)

    def _paced(self, row: Outgoing, ready: _Ready) -> bool:
        """Wait for this conversation's turn (about one message a second, every process
        counting); a turn further off than PACE_WAIT holds the row instead, so a thread is
        not kept from other conversations. False when the row was held."""
        if ready.kind.method != "chat.postMessage":
            return True
        conversation = str(ready.call.get("channel") or row.recipient_id)
        wait, taken = self.limits.pace.turn(row.team_id, conversation, PACE_WAIT)
        if not taken:
            until = self.clock() + timedelta(seconds=wait)
            self._finish(row, lambda s: outbox.hold(s, row.id, self.runner, until, PACED), "held")
            return False
        if wait > 0:
            self.limits.sleep(wait)
        return True

    def _recover(self, client: WebClient, row: Outgoing) -> _Ready | str | None:
        """A row left in flight by a runner that died: find out whether it went out."""
        self.report.recovered += 1
        kind = KINDS.get(row.kind)
        logger.warning("%s was in flight when %s stopped; recovering", row.key, row.previous_holder)
        if kind is not None and not kind.idempotent:
            found = self._check(client, row, kind, None)
            if found is _LATER:
                return None
            if found is True:
                self._finish(row, lambda s: outbox.mark_sent(s, row.id, self.runner, self.clock()), "sent")
                return None
            if found is None:
                self._finish(row, lambda s: outbox.mark_failed(s, row.id, self.runner, INTERRUPTED), "failed")
                return None
        with self.db.session() as session:
            return self._prepare(session, row)

    def _check(self, client: WebClient, row: Outgoing, kind: Kind, call: Call | None) -> object:
        """Did this row's message reach Slack? True, False, None (Slack can't say), or _LATER
        when Slack can't answer yet: the row stays in flight (never sent unchecked) and is
        checked again later."""
        if not kind.checkable:
            return None
        channel = (call or {}).get("channel") or row.recipient_id
        if not channel:
            return None
        try:
            return self._history_check(client, row, channel)
        except sender.CheckLater as later:
            until = self.clock() + timedelta(seconds=later.retry_after)
            self._finish(row, lambda s: outbox.extend_claim(
                s, row.id, self.runner, until, "delivery unknown; checking again"), "held")
            return _LATER

    def _history_check(self, client: WebClient, row: Outgoing, channel: str) -> bool | None:
        """sender.was_delivered, within the limits of an app distributed outside the Slack
        Marketplace (OAuth mode): conversations.history once a minute per workspace, shared
        by every process through api_pauses. Raises CheckLater until this check's turn."""
        if not getattr(self.clients, "distributed", False):
            return sender.was_delivered(client, channel, row.key)
        turn = self.limits.pauses.may_call(row.team_id, sender.HISTORY)
        if not isinstance(turn, str):
            raise sender.CheckLater(turn)
        try:
            return sender.was_delivered(client, channel, row.key)
        finally:  # whatever Slack said, the next check in this workspace waits a minute
            self.limits.block(row.team_id, sender.HISTORY, sender.HISTORY_EVERY)

    def _refresh_profile(self, client: WebClient, row: Outgoing) -> _Ready | str | None:
        """users.info for someone whose time zone Mutual doesn't know yet, then gate again."""
        turn = self.limits.may_call(row.team_id, USERS_INFO)
        if not isinstance(turn, str):  # a look-up, or another process, met a 429 for it
            self._hold_briefly(row, RATE_LIMITED, timedelta(seconds=turn))
            return None
        self.refreshed.add((row.team_id, row.recipient_id))
        try:
            user = client.users_info(user=row.recipient_id)["user"]
            if turn == PROBE:
                self.limits.ended(row.team_id, USERS_INFO)
        except SlackApiError as e:
            error = str(e.response.get("error", ""))
            limited = sender.from_error(e)
            if limited.status == sender.RATE_LIMITED:
                self.refreshed.discard((row.team_id, row.recipient_id))  # look again after it
                wait = self.limits.block(row.team_id, USERS_INFO, limited.retry_after)
                self._hold_briefly(row, RATE_LIMITED, timedelta(seconds=wait))
                return None
            if error in ("user_not_found", "user_not_visible"):
                self._finish(row, lambda s: outbox.mark_failed(s, row.id, self.runner, error), "failed")
                return None
            self._hold_briefly(row, f"users.info: {error}")
            return None
        except OSError as e:
            self._hold_briefly(row, f"users.info: {type(e).__name__}")
            return None
        with self.db.session() as session:
            save_profile(session, row.team_id, profile_from_user(user), self.clock())
            return self._prepare(session, row)

    def _hold_briefly(self, row: Outgoing, reason: str, wait: timedelta = PROFILE_RETRY) -> None:
        until = self.clock() + wait
        self._finish(row, lambda s: outbox.hold(s, row.id, self.runner, until, reason), "held")

    def _record(self, client: WebClient, row: Outgoing, ready: _Ready, outcome: Outcome) -> None:
        now = self.clock()
        kind = ready.kind
        if outcome.status == sender.UNKNOWN:
            found = True if kind.idempotent else self._check(client, row, kind, ready.call)
            if found is _LATER:
                return
            if found is None:
                self._fail(row, kind, INTERRUPTED)
                return
            # An idempotent call is simply made again; a message not found is sent again.
            outcome = (Outcome(sender.TRANSIENT, outcome.error) if kind.idempotent or not found
                       else Outcome(sender.SENT))
        if outcome.status == sender.SENT:
            self._sent(row, kind, outcome, now)
        elif outcome.status == sender.RATE_LIMITED:
            # This send and the rest to the same method in this workspace wait; none is dropped.
            wait = self.limits.block(row.team_id, kind.method, outcome.retry_after)
            until = now + timedelta(seconds=wait)
            self._finish(row, lambda s: outbox.hold(s, row.id, self.runner, until, RATE_LIMITED),
                         "rate_limited")
        elif outcome.status == sender.REFUSED:
            logger.info("Slack refused %s: %s", row.key, outcome.error)
            self._fail(row, kind, outcome.error or "refused")
        else:
            error = outcome.error or "transient error"
            with self.db.session() as session:
                again = outbox.retry_later(session, row, self.runner, now, error, ready.retry_window)
                if not again and kind.on_failed is not None:
                    kind.on_failed(session, row, error, now)
            if again:
                logger.info("%s did not go out (%s); trying again later", row.key, error)
            else:
                logger.warning("%s failed for good after retrying: %s", row.key, error)
            self._tally("retried" if again else "failed", row.kind)

    def _sent(self, row: Outgoing, kind: Kind, outcome: Outcome, now: datetime) -> None:
        with self.db.session() as session:
            if not outbox.mark_sent(session, row.id, self.runner, now, outcome.channel, outcome.ts):
                logger.warning("lost the claim on %s before recording it was sent", row.key)
                return
            if kind.after_sent is not None:
                kind.after_sent(session, row, outcome, now)
        self._tally("sent", row.kind)

    def _fail(self, row: Outgoing, kind: Kind, reason: str) -> None:
        with self.db.session() as session:
            if not outbox.mark_failed(session, row.id, self.runner, reason):
                logger.warning("lost the claim on %s before recording it failed", row.key)
                return
            if kind.on_failed is not None:
                kind.on_failed(session, row, reason, self.clock())
        self._tally("failed", row.kind)

    def _finish(self, row: Outgoing, change: Callable[[Session], bool], counter: str) -> None:
        with self.db.session() as session:
            if change(session):
                self._tally(counter, row.kind)
            else:
                logger.warning("lost the claim on %s before recording its outcome", row.key)


_LATER = object()


def _kinds_of(method: str) -> list[str]:
    return [kind.name for kind in KINDS.values() if kind.method == method]
