"""The outbox: every scheduled message is a Nudge row, written with a unique key before it is
sent, then claimed by one runner at a time, sent, and marked.

    pending ──claim──▶ sending ──▶ sent
       ▲                  │  ├───▶ failed     (Slack refused it for good, or too many tries)
       └──held/retry──────┘  └───▶ cancelled  (no longer wanted: snoozed, answered, muted …)

A claim lasts until `claimed_until`; a runner that dies leaves its row in `sending`, and the
next runner recovers it (see bot/jobs/deliver.py for what happens to that one message).
Also here: the personal controls (`/mutual nudges off|on`, snooze, mute a pair)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from bot.db.models import Member, MutedPair, Nudge, Workspace
from bot.db.upsert import insert_ignore
from bot.services.people import Profile, save_profile

PENDING, SENDING, SENT, FAILED, CANCELLED = "pending", "sending", "sent", "failed", "cancelled"
LIVE = (PENDING, SENDING)  # rows that will still become a message
# Kinds of private message (the keys of bot/jobs/kinds.py's registry).
ONE_SIDED = "one_sided"
CLAIM_REMINDER = "claim_reminder"
INTRO_REMINDER = "intro_reminder"
INTRO_EXPIRED = "intro_expired"
INTRO_SILENT = "intro_silent"
MAX_ATTEMPTS = 5
# Waits before trying a transiently failed send again (then it is failed for good).
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15),
                timedelta(hours=1))
ERROR_MAX = 200


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
    # True when a runner died while this row was in flight: it may or may not have been sent.
    interrupted: bool = False
    previous_holder: str | None = field(default=None, compare=False)


def enqueue(session: Session, team_id: str, key: str, kind: str, recipient_id: str,
            payload: dict[str, Any], due_at: datetime, now: datetime,
            subject: str | None = None) -> bool:
    """Write a message to the outbox unless its key was used before; True when it is new.

    The key is the message's identity (e.g. `claim_reminder:42`): two runners, or one that
    runs twice, write one row. A post to a channel is a row whose recipient is the channel."""
    return insert_ignore(session, Nudge, {
        "team_id": team_id, "key": key, "kind": kind, "recipient_id": recipient_id,
        "subject": subject, "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True),
        "status": PENDING, "due_at": due_at, "attempts": 0, "created_at": now,
    })


def _claimable(now: datetime, orphaned_by: Iterable[str]) -> Any:
    orphaned = list(orphaned_by)
    stale = [Nudge.claimed_until <= now]
    if orphaned:
        stale.append(Nudge.claimed_by.in_(orphaned))
    return or_(and_(Nudge.status == PENDING, Nudge.due_at <= now),
               and_(Nudge.status == SENDING, or_(*stale)))


def claim_next(session: Session, now: datetime, runner: str, ttl: timedelta, *,
               orphaned_by: Iterable[str] = (), skip: Iterable[tuple[str, str]] = ()) -> Outgoing | None:
    """Claim the next due row for `runner` until `now + ttl`, or None when nothing is due.

    A pending row is due at `due_at`; a `sending` row whose claim lapsed (or whose holder is
    known to be dead: `orphaned_by`) is recovered. On PostgreSQL the row is locked with
    SKIP LOCKED so concurrent runners pass over each other; on SQLite the write transaction
    (BEGIN IMMEDIATE) already serialises them. `skip` leaves out (team_id, kind) pairs that are
    waiting for a rate limit."""
    query = select(Nudge).where(_claimable(now, orphaned_by))
    for team_id, kind in skip:
        query = query.where(~and_(Nudge.team_id == team_id, Nudge.kind == kind))
    row = session.scalars(query.order_by(Nudge.due_at, Nudge.id).limit(1)
                          .with_for_update(skip_locked=True)).first()
    if row is None:
        return None
    interrupted = row.status == SENDING
    previous = row.claimed_by
    row.status = SENDING
    row.claimed_by = runner
    row.claimed_until = now + ttl
    row.attempts += 1
    session.flush()
    return Outgoing(id=row.id, team_id=row.team_id, key=row.key, kind=row.kind,
                    recipient_id=row.recipient_id or "", subject=row.subject,
                    payload=json.loads(row.payload or "{}"), due_at=row.due_at,
                    attempts=row.attempts, interrupted=interrupted, previous_holder=previous)


def holders_in_flight(session: Session, now: datetime) -> list[str]:
    """Runners holding unexpired claims (to find the ones that died)."""
    return list(session.scalars(select(Nudge.claimed_by).where(
        Nudge.status == SENDING, Nudge.claimed_until > now, Nudge.claimed_by.is_not(None))
        .distinct()))


def _finish(session: Session, nudge_id: int, runner: str, **values: Any) -> bool:
    """Update a row this runner still holds; False when the claim was lost meanwhile."""
    values.setdefault("claimed_by", None)
    values.setdefault("claimed_until", None)
    done = session.execute(
        update(Nudge).where(Nudge.id == nudge_id, Nudge.status == SENDING,
                            Nudge.claimed_by == runner)
        .values(**values).returning(Nudge.id)
    ).first()
    return done is not None


def mark_sent(session: Session, nudge_id: int, runner: str, now: datetime) -> bool:
    return _finish(session, nudge_id, runner, status=SENT, sent_at=now, last_error=None)


def mark_failed(session: Session, nudge_id: int, runner: str, reason: str) -> bool:
    return _finish(session, nudge_id, runner, status=FAILED, last_error=reason[:ERROR_MAX])


def cancel(session: Session, nudge_id: int, runner: str, reason: str) -> bool:
    return _finish(session, nudge_id, runner, status=CANCELLED, last_error=reason[:ERROR_MAX])


def hold(session: Session, nudge_id: int, runner: str, until: datetime,
         reason: str | None = None) -> bool:
    """Back to pending until `until`, not counted as an attempt (outside working hours, or
    Slack asked us to wait)."""
    return _finish(session, nudge_id, runner, status=PENDING, due_at=until,
                   attempts=Nudge.attempts - 1, last_error=reason)


def extend_claim(session: Session, nudge_id: int, runner: str, until: datetime,
                 reason: str) -> bool:
    """Keep a row in flight (its outcome unknown) until `until`; then it is recovered again."""
    return _finish(session, nudge_id, runner, status=SENDING, claimed_by=runner,
                   claimed_until=until, attempts=Nudge.attempts - 1, last_error=reason[:ERROR_MAX])


def retry_later(session: Session, nudge: Outgoing, runner: str, now: datetime,
                reason: str) -> bool:
    """A transient failure: try again after a growing pause, failing for good after
    MAX_ATTEMPTS tries. Returns True when it will be tried again."""
    if nudge.attempts >= MAX_ATTEMPTS:
        mark_failed(session, nudge.id, runner, f"gave up after {nudge.attempts} attempts: {reason}")
        return False
    delay = RETRY_DELAYS[min(nudge.attempts, len(RETRY_DELAYS)) - 1]
    _finish(session, nudge.id, runner, status=PENDING, due_at=now + delay,
            last_error=reason[:ERROR_MAX])
    return True


def cancel_pending(session: Session, team_id: str, recipient_id: str, reason: str,
                   kind: str | None = None, subject: str | None = None) -> int:
    """Cancel messages still waiting for a person (e.g. a pair they muted)."""
    conditions = [Nudge.team_id == team_id, Nudge.recipient_id == recipient_id,
                  Nudge.status == PENDING]
    if kind is not None:
        conditions.append(Nudge.kind == kind)
    if subject is not None:
        conditions.append(Nudge.subject == subject)
    rows = session.execute(update(Nudge).where(*conditions)
                           .values(status=CANCELLED, last_error=reason).returning(Nudge.id)).all()
    return len(rows)


# -- who may be nudged --------------------------------------------------------------------

def why_not_nudge(member: Member | None, now: datetime) -> str | None:
    """The reason a person gets no private nudges now, or None. Someone Mutual has not
    looked up yet has the defaults (nudges on)."""
    if member is None:
        return None
    if member.deleted:
        return "recipient deactivated"
    if member.is_bot:
        return "recipient is a bot"
    if not member.nudges_enabled:
        return "recipient turned nudges off"
    if member.snoozed_until is not None and member.snoozed_until > now:
        return "recipient snoozed nudges"
    return None


def is_muted(session: Session, team_id: str, user_id: str, other_id: str) -> bool:
    return session.get(MutedPair, (team_id, user_id, other_id)) is not None


def active_workspaces(session: Session) -> list[Workspace]:
    """Installed workspaces: an uninstalled one is never sent anything."""
    return list(session.scalars(select(Workspace).where(Workspace.uninstalled_at.is_(None))
                                .order_by(Workspace.team_id)))


# -- personal controls --------------------------------------------------------------------

@dataclass(frozen=True)
class Controls:
    nudges_enabled: bool
    snoozed_until: datetime | None


def member_for(session: Session, team_id: str, profile: Profile, now: datetime) -> Member:
    """The person's row, created from their profile when Mutual has none yet."""
    member = session.get(Member, (team_id, profile.user_id))
    return member if member is not None else save_profile(session, team_id, profile, now)


def set_nudges(session: Session, member: Member, enabled: bool) -> Controls:
    """`/mutual nudges on|off`. Turning them on also ends a snooze."""
    member.nudges_enabled = enabled
    if enabled:
        member.snoozed_until = None
    return Controls(member.nudges_enabled, member.snoozed_until)


def snooze(session: Session, member: Member, now: datetime, days: int) -> Controls:
    member.snoozed_until = now + timedelta(days=days)
    return Controls(member.nudges_enabled, member.snoozed_until)


def mute_pair(session: Session, team_id: str, user_id: str, other_id: str, now: datetime) -> bool:
    """`nudge_mute_pair`: never nudge `user_id` about `other_id` again. True when new."""
    new = insert_ignore(session, MutedPair, {"team_id": team_id, "user_id": user_id,
                                             "other_id": other_id, "created_at": now})
    cancel_pending(session, team_id, user_id, "pair muted", kind=ONE_SIDED, subject=other_id)
    return new
