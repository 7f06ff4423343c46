"""The deliverer's side of the outbox: claim one due row at a time, then record what Slack
said. Also what `mutual outbox` shows and re-queues.

A claim lasts until `claimed_until`; a runner that dies leaves its row in `sending`, and the
next runner recovers it (bot/delivery/run.py decides what happens to that one message)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, case, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from bot.db.models import OutboxItem
from bot.services.outbox import CANCELLED, DONE, FAILED, NOW, PENDING, SENDING, SENT, written

ERROR_MAX = 200
# Waits before trying a transiently failed send again; the last one repeats until the
# workspace's retry window (24 h by default) is over.
BACKOFF = (timedelta(seconds=5), timedelta(seconds=15), timedelta(minutes=1),
           timedelta(minutes=5), timedelta(minutes=15), timedelta(minutes=30))


@dataclass(frozen=True)
class Outgoing:
    """A claimed row, detached from its session."""

    id: int
    team_id: str
    key: str
    kind: str
    recipient_id: str
    subject: str | None
    payload: dict[str, Any]
    due_at: datetime
    attempts: int
    created_at: datetime
    priority: int = 1
    not_after: datetime | None = None
    after_key: str | None = None
    # True when a runner died while this row was in flight: it may or may not have been sent.
    interrupted: bool = False
    previous_holder: str | None = field(default=None, compare=False)


def _claimable(now: Any, orphaned: Any = None) -> Any:
    stale = [OutboxItem.claimed_until <= now]
    if orphaned is not None:
        stale.append(OutboxItem.claimed_by.in_(orphaned))
    # A row that follows another waits until that one is done (sent, failed or cancelled).
    target = aliased(OutboxItem)
    ready = or_(OutboxItem.after_key.is_(None), exists().where(
        target.team_id == OutboxItem.team_id, target.key == OutboxItem.after_key,
        target.status.in_(DONE)))
    return or_(and_(OutboxItem.status == PENDING, OutboxItem.due_at <= now, ready),
               and_(OutboxItem.status == SENDING, or_(*stale)))


_CLAIMED = (OutboxItem.id, OutboxItem.team_id, OutboxItem.key, OutboxItem.kind,
            OutboxItem.recipient_id, OutboxItem.subject, OutboxItem.payload, OutboxItem.due_at,
            OutboxItem.attempts, OutboxItem.created_at, OutboxItem.priority, OutboxItem.not_after,
            OutboxItem.after_key, OutboxItem.status, OutboxItem.claimed_by)


def _next_query(orphaned: bool, skip: int) -> Any:
    """The next claimable row, answers to people first, then the oldest due. Built once per
    shape and reused: a claim runs for every message, and building the statement cost more
    than running it."""
    query = select(*_CLAIMED).where(_claimable(
        bindparam("now"), bindparam("orphaned", expanding=True) if orphaned else None))
    for n in range(skip):
        query = query.where(~and_(OutboxItem.team_id == bindparam(f"skip_team_{n}"),
                                  OutboxItem.kind == bindparam(f"skip_kind_{n}")))
    return (query.order_by(OutboxItem.priority, OutboxItem.due_at, OutboxItem.id).limit(1)
            .with_for_update(skip_locked=True, of=OutboxItem))


_NEXT = {(orphaned, skip): _next_query(orphaned, skip) for orphaned in (False, True)
         for skip in range(4)}
_TAKE = (update(OutboxItem).where(OutboxItem.id == bindparam("row_id"))
         .values(status=SENDING, claimed_by=bindparam("runner"), claimed_until=bindparam("until"),
                 attempts=OutboxItem.attempts + 1)
         .execution_options(synchronize_session=False))


def claim_next(session: Session, now: datetime, runner: str, ttl: timedelta, *,
               orphaned_by: Iterable[str] = (), skip: Iterable[tuple[str, str]] = ()) -> Outgoing | None:
    """Claim the next due row for `runner` until `now + ttl`, or None when nothing is due.

    Answers to what people just did go first, then the oldest due. A `sending` row whose claim
    lapsed (or whose holder is known to be dead: `orphaned_by`) is recovered. On PostgreSQL
    the row is locked with SKIP LOCKED so concurrent runners pass over each other; on SQLite
    the write transaction (BEGIN IMMEDIATE) already serialises them. `skip` leaves out
    (team_id, kind) pairs that are waiting for a rate limit."""
    orphaned, skipped = list(orphaned_by), list(skip)
    params: dict[str, Any] = {"now": now}
    if orphaned:
        params["orphaned"] = orphaned
    for n, (team_id, kind) in enumerate(skipped):
        params |= {f"skip_team_{n}": team_id, f"skip_kind_{n}": kind}
    query = _NEXT.get((bool(orphaned), len(skipped)))
    if query is None:
        query = _next_query(bool(orphaned), len(skipped))
    row = session.execute(query, params).first()
    if row is None:
        return None
    (item_id, team_id, key, kind, recipient, subject, payload, due_at, attempts, created_at,
     priority, not_after, after_key, status, previous) = row
    session.execute(_TAKE, {"row_id": item_id, "runner": runner, "until": now + ttl})
    return Outgoing(id=item_id, team_id=team_id, key=key, kind=kind, recipient_id=recipient or "",
                    subject=subject, payload=json.loads(payload or "{}"), due_at=due_at,
                    attempts=attempts + 1, created_at=created_at, priority=priority,
                    not_after=not_after, after_key=after_key, interrupted=status == SENDING,
                    previous_holder=previous)


def next_due(session: Session, skip: Iterable[tuple[str, str]] = ()) -> datetime | None:
    """When the earliest pending row falls due (a deliverer sleeps until then), leaving out the
    (team, kind) rows in `skip`, which wait out a rate limit (their pause says when)."""
    query = select(func.min(OutboxItem.due_at)).where(OutboxItem.status == PENDING)
    by_team: dict[str, set[str]] = {}
    for team_id, kind in skip:
        by_team.setdefault(team_id, set()).add(kind)
    for team_id, kinds in by_team.items():
        query = query.where(~and_(OutboxItem.team_id == team_id, OutboxItem.kind.in_(sorted(kinds))))
    return session.scalar(query)


def sending_by(session: Session, runners: Iterable[str]) -> bool:
    """Whether any of these runners holds a row it is sending."""
    return session.execute(select(OutboxItem.id).where(
        OutboxItem.status == SENDING, OutboxItem.claimed_by.in_(list(runners))).limit(1)).first() is not None


def holders_in_flight(session: Session, now: datetime) -> list[str]:
    """Runners holding unexpired claims (to find the ones that died)."""
    return list(session.scalars(select(OutboxItem.claimed_by).where(
        OutboxItem.status == SENDING, OutboxItem.claimed_until > now,
        OutboxItem.claimed_by.is_not(None)).distinct()))


def _finish(session: Session, item_id: int, runner: str, **values: Any) -> bool:
    """Update a row this runner still holds; False when the claim was lost meanwhile."""
    values.setdefault("claimed_by", None)
    values.setdefault("claimed_until", None)
    done = session.execute(
        update(OutboxItem).where(OutboxItem.id == item_id, OutboxItem.status == SENDING,
                                 OutboxItem.claimed_by == runner)
        .values(**values).returning(OutboxItem.id)
    ).first()
    return done is not None


_REQUEUED = OutboxItem.requeue.is_(True)
_SENT = (update(OutboxItem)
         .where(OutboxItem.id == bindparam("row_id"), OutboxItem.status == SENDING,
                OutboxItem.claimed_by == bindparam("runner"))
         .values(status=case((_REQUEUED, PENDING), else_=SENT), sent_at=bindparam("now"),
                 due_at=case((_REQUEUED, bindparam("now")), else_=OutboxItem.due_at),
                 payload=case((_REQUEUED, OutboxItem.payload), else_="{}"),
                 sent_channel=bindparam("channel"), sent_ts=bindparam("ts"), last_error=None,
                 requeue=False, claimed_by=None, claimed_until=None)
         .returning(OutboxItem.id).execution_options(synchronize_session=False))


def mark_sent(session: Session, item_id: int, runner: str, now: datetime,
              channel: str | None = None, ts: str | None = None) -> bool:
    """Sent. The payload (notes, names) is no longer needed and is not kept; where the message
    landed is, so it can be updated later. A coalescing row asked for again meanwhile goes
    straight back to pending. (One statement built once: this runs for every message.)"""
    changed = session.execute(_SENT, {"row_id": item_id, "runner": runner, "now": now,
                                      "channel": channel, "ts": ts}).first() is not None
    if changed:
        written(session)  # rows waiting for this one may go now
    return changed


def mark_failed(session: Session, item_id: int, runner: str, reason: str) -> bool:
    changed = _finish(session, item_id, runner, status=FAILED, last_error=reason[:ERROR_MAX])
    if changed:
        written(session)  # rows waiting for this one are cancelled now
    return changed


def cancel(session: Session, item_id: int, runner: str, reason: str) -> bool:
    return _finish(session, item_id, runner, status=CANCELLED, last_error=reason[:ERROR_MAX])


def hold(session: Session, item_id: int, runner: str, until: datetime,
         reason: str | None = None) -> bool:
    """Back to pending until `until`, not counted as an attempt (outside working hours, or
    Slack asked us to wait: the wait is remembered in the row, not in a runner)."""
    return _finish(session, item_id, runner, status=PENDING, due_at=until,
                   attempts=OutboxItem.attempts - 1, last_error=reason)


def extend_claim(session: Session, item_id: int, runner: str, until: datetime,
                 reason: str) -> bool:
    """Keep a row in flight (its outcome unknown) until `until`; then it is recovered again."""
    return _finish(session, item_id, runner, status=SENDING, claimed_by=runner,
                   claimed_until=until, attempts=OutboxItem.attempts - 1,
                   last_error=reason[:ERROR_MAX])


def retry_later(session: Session, item: Outgoing, runner: str, now: datetime, reason: str,
                window: timedelta) -> bool:
    """A passing failure: try again after a growing pause, for `window` from the first failure
    (the workspace's retry window; a response_url's own life ends sooner); then failed, with
    the reason. True when it will be tried again."""
    give_up_at = item.not_after or now + window
    delay = BACKOFF[min(item.attempts, len(BACKOFF)) - 1]
    if now + delay > give_up_at:
        mark_failed(session, item.id, runner,
                    f"gave up after {item.attempts} attempts: {reason}")
        return False
    _finish(session, item.id, runner, status=PENDING, due_at=now + delay, not_after=give_up_at,
            last_error=reason[:ERROR_MAX])
    return True


def release_held(session: Session, team_id: str, kinds: list[str], reason: str, now: datetime) -> int:
    """Rows of these kinds held for `reason` (a rate limit) become due now."""
    rows = session.execute(update(OutboxItem).where(
        OutboxItem.team_id == team_id, OutboxItem.kind.in_(kinds), OutboxItem.status == PENDING,
        OutboxItem.last_error == reason, OutboxItem.due_at > now).values(due_at=now)
        .returning(OutboxItem.id)).all()
    if rows:
        written(session)
    return len(rows)


def sent_at(session: Session, team_id: str, key: str) -> tuple[str | None, str | None, str | None]:
    """(status, channel, ts) of the row keyed `key`, or Nones when there is no such row."""
    row = session.execute(select(OutboxItem.status, OutboxItem.sent_channel, OutboxItem.sent_ts)
                          .where(OutboxItem.team_id == team_id, OutboxItem.key == key)).first()
    return (row[0], row[1], row[2]) if row is not None else (None, None, None)


# -- for operators: `mutual outbox` ------------------------------------------------------------

@dataclass(frozen=True)
class Waiting:
    id: int
    team_id: str
    kind: str
    state: str  # pending (due), held (due later), sending, failed
    age: timedelta
    attempts: int
    reason: str | None


def overview(session: Session, now: datetime, limit: int = 200) -> list[Waiting]:
    """Rows that are not done, and failed ones: oldest first."""
    rows = session.scalars(select(OutboxItem).where(OutboxItem.status.in_((PENDING, SENDING, FAILED)))
                           .order_by(OutboxItem.created_at, OutboxItem.id).limit(limit)).all()
    return [Waiting(r.id, r.team_id, r.kind, _state(r, now), now - r.created_at, r.attempts,
                    r.last_error) for r in rows]


def _state(row: OutboxItem, now: datetime) -> str:
    if row.status == PENDING and row.due_at > now:
        return "held"
    return row.status


def status_of(session: Session, item_id: int) -> str | None:
    """The row's status, or None when there is no row with that id."""
    return session.scalar(select(OutboxItem.status).where(OutboxItem.id == item_id))


def requeue(session: Session, now: datetime, *, item_id: int | None = None,
            failed: bool = False) -> int:
    """Send these again now: one row (pending, held or failed), or every failed row. Each gets
    a fresh retry window (a response_url reply, past its 30 minutes, is then dropped as too
    late)."""
    conditions = []
    if item_id is not None:
        conditions.append(and_(OutboxItem.id == item_id, OutboxItem.status.in_((PENDING, FAILED))))
    if failed:
        conditions.append(OutboxItem.status == FAILED)
    if not conditions:
        return 0
    rows = session.execute(update(OutboxItem).where(or_(*conditions)).values(
        status=PENDING, due_at=now, attempts=0, last_error=None, not_after=None,
        claimed_by=None, claimed_until=None).returning(OutboxItem.id)).all()
    if rows:
        written(session)
    return len(rows)


def _due_query(skip: int) -> Any:
    query = select(OutboxItem.id).where(_claimable(bindparam("now")))
    for n in range(skip):
        query = query.where(~and_(OutboxItem.team_id == bindparam(f"skip_team_{n}"),
                                  OutboxItem.kind == bindparam(f"skip_kind_{n}")))
    return query.limit(1)


_DUE = {skip: _due_query(skip) for skip in range(4)}  # built once, like _NEXT


def due_now(session: Session, now: datetime, skip: Iterable[tuple[str, str]] = ()) -> bool:
    """Whether any row could be claimed at `now` (a deliverer is idle when none can)."""
    skipped = list(skip)
    params: dict[str, Any] = {"now": now}
    for n, (team_id, kind) in enumerate(skipped):
        params |= {f"skip_team_{n}": team_id, f"skip_kind_{n}": kind}
    query = _DUE.get(len(skipped))
    if query is None:
        query = _due_query(len(skipped))
    return session.execute(query, params).first() is not None


# Done rows are kept while something may still refer to them: an update finds a message by its
# row (intros and claims live up to 90 days), and cooldowns look back at nudges sent (up to a
# year). Older ones are only weight.
KEEP_ANSWERS = timedelta(days=120)
KEEP_PLANNED = timedelta(days=400)


def done_long_ago(now: datetime) -> ColumnElement[bool]:
    """Done rows past their keeping time (the prune job deletes them)."""
    return and_(OutboxItem.status.in_(DONE),
                or_(and_(OutboxItem.priority == NOW, OutboxItem.created_at < now - KEEP_ANSWERS),
                    and_(OutboxItem.priority != NOW, OutboxItem.created_at < now - KEEP_PLANNED)))
