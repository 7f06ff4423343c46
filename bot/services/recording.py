"""Recording help: "helper helped receiver", from every source, counted once.

The only writer of help records: every change to one (new, confirmed, declined, retracted,
taken back, a reaction removed, a person forgotten) goes through here and keeps the kept
counts (bot.services.counts) in the same transaction."""

from __future__ import annotations

import enum
import functools
from collections import Counter
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Insert, Table, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.db.models import HelpRecord, ReactionMark, Workspace
from bot.db.upsert import insert_ignore
from bot.services import counts

SOURCES = ("command", "reaction", "shortcut", "claim", "ask")
STATUSES = ("confirmed", "pending", "declined", "expired", "retracted")
_RECORDS = cast(Table, HelpRecord.__table__)
_MARKS = cast(Table, ReactionMark.__table__)
_INSERT_RECORD = insert(_RECORDS).returning(_RECORDS.c.id)
# Where a unit of work notes the records it wrote, by source (in `session.info`, so a rollback
# forgets them); bot.observe counts them once the transaction commits.
WRITTEN = "help_records_written"


def written(info: MutableMapping[str, object]) -> Counter[str]:
    """The records a session has written so far, by source (kept in its `info`)."""
    found = info.get(WRITTEN)
    if not isinstance(found, Counter):
        found = info[WRITTEN] = Counter()
    return found


@dataclass(frozen=True)
class Recorded:
    id: int
    helper_id: str
    receiver_id: str
    note: str
    status: str
    source: str
    new: bool = True


def _to_recorded(record: HelpRecord, new: bool = True) -> Recorded:
    return Recorded(
        id=record.id,
        helper_id=record.helper_id or "",
        receiver_id=record.receiver_id or "",
        note=record.note,
        status=record.status,
        source=record.source,
        new=new,
    )


def _new_record(team_id: str, helper_id: str, receiver_id: str, now: datetime, **fields: object) -> HelpRecord:
    return HelpRecord(
        team_id=team_id,
        helper_id=helper_id,
        receiver_id=receiver_id,
        created_at=now,
        updated_at=now,
        **fields,
    )


def record_thanks(
    session: Session,
    team_id: str,
    receiver_id: str,
    helper_ids: list[str],
    note: str,
    now: datetime,
    source: str = "command",
    channel_id: str | None = None,
) -> list[Recorded]:
    """One confirmed record per helper: each helped the receiver (the person thanking)."""
    # A plain INSERT … RETURNING id: this is the /thanks hot path, and the ORM's unit of work
    # costs more than the insert itself.
    made = []
    for helper in helper_ids:
        record_id = session.execute(_INSERT_RECORD, {
            "team_id": team_id, "helper_id": helper, "receiver_id": receiver_id,
            "source": source, "status": "confirmed", "note": note, "channel_id": channel_id,
            "created_at": now, "updated_at": now,
        }).scalar_one()
        made.append(Recorded(record_id, helper, receiver_id, note, "confirmed", source))
    # In one order whatever the mention order, so two requests never wait on each other.
    for helper, n in sorted(Counter(helper_ids).items()):
        counts.added(session, team_id, helper, receiver_id, source, now, now, n=n)
    written(session.info)[source] += len(made)
    return made


def record_for_message(
    session: Session,
    team_id: str,
    receiver_id: str,
    helper_id: str,
    channel_id: str,
    message_ts: str,
    note: str,
    now: datetime,
) -> Recorded:
    """"This helped me" on a message. Once per person per message: a second use updates the
    note (and brings back a retracted record) instead of counting again."""
    key = f"message:{channel_id}:{message_ts}:{receiver_id}"
    existing = _by_key(session, team_id, key)
    if existing is not None:
        if note:
            existing.note = note
        new = existing.status != "confirmed"
        existing.status = "confirmed"
        existing.updated_at = now
        if new:
            counts.added(session, team_id, existing.helper_id, existing.receiver_id,
                         existing.source, existing.created_at, now)
        return _to_recorded(existing, new=new)
    record = _new_record(team_id, helper_id, receiver_id, now, source="shortcut",
                         status="confirmed", note=note, channel_id=channel_id,
                         message_ts=message_ts, dedupe_key=key)
    session.add(record)
    session.flush()
    written(session.info)["shortcut"] += 1
    counts.added(session, team_id, helper_id, receiver_id, "shortcut", now, now)
    return _to_recorded(record)


def _by_key(session: Session, team_id: str, key: str) -> HelpRecord | None:
    return session.scalars(
        select(HelpRecord).where(HelpRecord.team_id == team_id, HelpRecord.dedupe_key == key)
    ).one_or_none()


class ReactionResult(enum.Enum):
    RECORDED = "recorded"
    ALREADY_COUNTED = "already_counted"
    RETRACTED = "retracted"
    STILL_COUNTED = "still_counted"
    IGNORED = "ignored"


def reaction_added(
    session: Session,
    workspace: Workspace,
    reactor_id: str,
    author_id: str,
    emoji: str,
    channel_id: str,
    message_ts: str,
    now: datetime,
) -> tuple[ReactionResult, Recorded | None]:
    """A thank-you emoji: the author helped the reactor. Many emoji by one person on one
    message (or the same one delivered twice) count once."""
    emoji = base_emoji(emoji)
    if emoji not in workspace.thank_emoji_set:
        return ReactionResult.IGNORED, None
    team_id = workspace.team_id
    session.execute(_insert_or_skip(session, _MARKS), {
        "team_id": team_id, "channel_id": channel_id, "message_ts": message_ts,
        "user_id": reactor_id, "emoji": emoji,
    })
    key = f"message:{channel_id}:{message_ts}:{reactor_id}"
    # The record's natural key makes a repeat a no-op; RETURNING tells us which case we are in
    # without reading the row back on the common path (a first thank-you).
    new_id = session.execute(_insert_or_skip(session, _RECORDS, returning_id=True), {
        "team_id": team_id, "helper_id": author_id, "receiver_id": reactor_id,
        "source": "reaction", "status": "confirmed", "note": "", "channel_id": channel_id,
        "message_ts": message_ts, "dedupe_key": key, "created_at": now, "updated_at": now,
    }).scalar()
    if new_id is not None:
        written(session.info)["reaction"] += 1
        counts.added(session, team_id, author_id, reactor_id, "reaction", now, now)
        return ReactionResult.RECORDED, Recorded(new_id, author_id, reactor_id, "", "confirmed",
                                                 "reaction")
    record = _by_key(session, team_id, key)
    assert record is not None
    if record.status == "retracted":
        record.status = "confirmed"
        record.updated_at = now
        counts.added(session, team_id, record.helper_id, record.receiver_id, record.source,
                     record.created_at, now)
        return ReactionResult.RECORDED, _to_recorded(record)
    return ReactionResult.ALREADY_COUNTED, _to_recorded(record, new=False)


def reaction_removed(
    session: Session,
    workspace: Workspace,
    reactor_id: str,
    emoji: str,
    channel_id: str,
    message_ts: str,
    now: datetime,
) -> ReactionResult:
    """Removing the last thank-you emoji a person had on a message retracts their record."""
    emoji = base_emoji(emoji)
    if emoji not in workspace.thank_emoji_set:
        return ReactionResult.IGNORED
    team_id = workspace.team_id
    mark = (ReactionMark.team_id == team_id, ReactionMark.channel_id == channel_id,
            ReactionMark.message_ts == message_ts, ReactionMark.user_id == reactor_id)
    session.execute(delete(ReactionMark).where(*mark, ReactionMark.emoji == emoji))
    remaining = session.scalar(select(func.count()).select_from(ReactionMark).where(*mark))
    if remaining:
        return ReactionResult.STILL_COUNTED
    record = _by_key(session, team_id, f"message:{channel_id}:{message_ts}:{reactor_id}")
    # Only a reaction's own record is retracted; "This helped me" on the same message stays.
    if record is None or record.source != "reaction" or record.status != "confirmed":
        return ReactionResult.IGNORED
    retract(session, [record], now)
    return ReactionResult.RETRACTED


def _insert_or_skip(session: Session, table: Table, returning_id: bool = False) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING [RETURNING id], built once per dialect and table so the
    hot paths reuse one compiled statement (bot.db.upsert.insert_ignore builds it per call)."""
    return _on_conflict_skip(session.get_bind().dialect.name, table, returning_id)


@functools.cache
def _on_conflict_skip(dialect: str, table: Table, returning_id: bool) -> Insert:
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    stmt = stmt.on_conflict_do_nothing()
    return stmt.returning(table.c.id) if returning_id else stmt


def base_emoji(name: str) -> str:
    # Skin tones arrive as "raised_hands::skin-tone-3"; they are the same thanks.
    return name.split("::", 1)[0]


def record_claim(
    session: Session, workspace: Workspace, helper_id: str, receiver_id: str, note: str,
    now: datetime, channel_id: str | None = None,
) -> Recorded:
    """`/helped`: pending until the receiver confirms; expires after the workspace's window."""
    record = _new_record(workspace.team_id, helper_id, receiver_id, now, source="claim",
                         status="pending", note=note, channel_id=channel_id,
                         expires_at=now + timedelta(days=workspace.claim_expiry_days))
    session.add(record)
    session.flush()
    written(session.info)["claim"] += 1
    return _to_recorded(record)


class ClaimAnswer(enum.Enum):
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    EXPIRED = "expired"
    ALREADY_ANSWERED = "already_answered"
    NOT_YOURS = "not_yours"
    NOT_FOUND = "not_found"
    WITHDRAWN = "withdrawn"


def answer_claim(
    session: Session, team_id: str, record_id: int, user_id: str, confirm: bool, now: datetime
) -> tuple[ClaimAnswer, Recorded | None]:
    """The receiver's answer to a `/helped` claim. Only the receiver may answer, once."""
    record = session.get(HelpRecord, record_id, with_for_update=True)
    if record is None or record.team_id != team_id or record.source != "claim":
        return ClaimAnswer.NOT_FOUND, None
    if record.receiver_id != user_id:
        return ClaimAnswer.NOT_YOURS, None
    if record.status != "pending":
        answer = ClaimAnswer.EXPIRED if record.status == "expired" else ClaimAnswer.ALREADY_ANSWERED
        return answer, _to_recorded(record, new=False)
    if record.expires_at is not None and record.expires_at <= now:
        record.status = "expired"
        record.updated_at = now
        return ClaimAnswer.EXPIRED, _to_recorded(record)
    record.status = "confirmed" if confirm else "declined"
    record.updated_at = now
    if confirm:
        counts.added(session, team_id, record.helper_id, record.receiver_id, record.source,
                     record.created_at, now)
    return (ClaimAnswer.CONFIRMED if confirm else ClaimAnswer.DECLINED), _to_recorded(record)


# What a claim looks like to the one who made it until it lapses: a "not really" is a silence.
WAITING = ("pending", "declined")


def withdraw_claim(session: Session, team_id: str, record_id: int, user_id: str,
                   now: datetime) -> tuple[ClaimAnswer, Recorded | None]:
    """The one who claimed takes back a claim still waiting for the other person (it never
    counted, so no count changes). A "not really" is told to nobody (PRODUCT.md §4c): to the
    one who claimed, a declined claim is waiting until it lapses, and is withdrawn like one
    (`Recorded.new`: it was still pending, so the other person's DM is to be closed)."""
    record = session.get(HelpRecord, record_id, with_for_update=True)
    if record is None or record.team_id != team_id or record.source != "claim":
        return ClaimAnswer.NOT_FOUND, None
    if record.helper_id != user_id:
        return ClaimAnswer.NOT_YOURS, None
    lapsed = record.expires_at is not None and record.expires_at <= now
    if record.status == "confirmed":
        return ClaimAnswer.CONFIRMED, _to_recorded(record, new=False)
    if record.status not in WAITING or lapsed:
        return ClaimAnswer.EXPIRED, _to_recorded(record, new=False)
    was_pending = record.status == "pending"
    record.status = "withdrawn"
    record.updated_at = now
    return ClaimAnswer.WITHDRAWN, _to_recorded(record, new=was_pending)


def claims_waiting_by(session: Session, team_id: str, helper_id: str, now: datetime,
                      limit: int) -> tuple[list[Recorded], int]:
    """Claims this person made that still wait for the other person (newest first, at most
    `limit`), and how many there are in all."""
    waiting = (HelpRecord.team_id == team_id, HelpRecord.helper_id == helper_id,
               HelpRecord.source == "claim", HelpRecord.status.in_(WAITING),
               or_(HelpRecord.expires_at.is_(None), HelpRecord.expires_at > now))
    rows = session.scalars(select(HelpRecord).where(*waiting)
                           .order_by(HelpRecord.created_at.desc(), HelpRecord.id.desc())
                           .limit(limit)).all()
    total = len(rows) if len(rows) < limit else int(session.scalar(
        select(func.count()).select_from(HelpRecord).where(*waiting)) or 0)
    return [_to_recorded(r, new=False) for r in rows], total


def expire_claims(session: Session, now: datetime) -> list[tuple[str, Recorded]]:
    """Pending claims past their expiry become `expired` (every workspace): (team, claim)."""
    stale = session.scalars(
        select(HelpRecord).where(HelpRecord.status == "pending", HelpRecord.expires_at <= now)
    ).all()
    for record in stale:
        record.status = "expired"
        record.updated_at = now
    return [(r.team_id, _to_recorded(r)) for r in stale]


_PENDING_FOR = (select(HelpRecord).where(HelpRecord.team_id == bindparam("team"),
                                         HelpRecord.receiver_id == bindparam("receiver"),
                                         HelpRecord.status == "pending")
                .order_by(HelpRecord.created_at))  # built once: every Home


def pending_claims_for(session: Session, team_id: str, receiver_id: str) -> list[Recorded]:
    rows = session.scalars(_PENDING_FOR, {"team": team_id, "receiver": receiver_id}).all()
    return [_to_recorded(r, new=False) for r in rows]


def records_by_ids(session: Session, team_id: str, ids: list[int]) -> list[Recorded]:
    rows = session.scalars(
        select(HelpRecord).where(HelpRecord.team_id == team_id, HelpRecord.id.in_(ids))
    ).all()
    return [_to_recorded(r, new=False) for r in rows]


def retract(session: Session, records: list[HelpRecord], now: datetime) -> None:
    """These confirmed records no longer count (taken back, or their reaction removed)."""
    for record in records:
        record.status = "retracted"
        record.updated_at = now
    session.flush()
    counts.refresh(session, [counts.bucket_of(r.team_id, r.helper_id, r.receiver_id, r.source,
                                              r.created_at) for r in records], now)


def record_from_ask(session: Session, team_id: str, helper_id: str, receiver_id: str, note: str,
                    channel_id: str | None, key: str, now: datetime) -> bool:
    """A solved ask: the helper the asker picked helped them, once per ask (its `key`)."""
    if not insert_ignore(session, HelpRecord, {
            "team_id": team_id, "helper_id": helper_id, "receiver_id": receiver_id,
            "source": "ask", "status": "confirmed", "note": note, "channel_id": channel_id,
            "dedupe_key": key, "created_at": now, "updated_at": now}):
        return False
    written(session.info)["ask"] += 1
    counts.added(session, team_id, helper_id, receiver_id, "ask", now, now)
    return True


def forget_records(session: Session, team_id: str, user_id: str, now: datetime) -> int:
    """A person forgotten: their pending claims retracted, where it happened blanked, their
    side of every record blanked (the help itself still counted, for the other side)."""
    mine = (HelpRecord.team_id == team_id,
            or_(HelpRecord.helper_id == user_id, HelpRecord.receiver_id == user_id))
    # A claim still waiting can never be answered by (or for) someone who is gone.
    session.execute(update(HelpRecord).where(*mine, HelpRecord.status == "pending")
                    .values(status="retracted", updated_at=now))
    count = session.execute(
        # Where it happened goes too: a message or reaction there would point back to them.
        update(HelpRecord).where(*mine).values(
            note="", dedupe_key=None, channel_id=None, message_ts=None, updated_at=now,
            expires_at=None)
    ).rowcount  # type: ignore[attr-defined]
    for column in (HelpRecord.helper_id, HelpRecord.receiver_id):
        session.execute(update(HelpRecord).where(HelpRecord.team_id == team_id, column == user_id)
                        .values({column: None}))
    counts.forgotten(session, team_id, user_id, now)
    return int(count or 0)
