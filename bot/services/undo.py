"""Taking a thank-you back (`thanks_undo`): the person who said thanks — with `/thanks` or a
shortcut — may take it back for 15 minutes. The records become `retracted` (they stop
counting everywhere), and the helper's DM is replaced by one that says nothing, or never goes
out if it has not yet."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.db.models import HelpRecord, OutboxItem
from bot.services import outbox
from bot.services.outbox import MESSAGE, PENDING
from bot.services.recording import Recorded, records_by_ids, retract

UNDO_WINDOW = timedelta(minutes=15)
UNDOABLE = ("command", "shortcut")  # a reaction is taken back by removing it
IDS_MAX = 20


class Undo(enum.Enum):
    TAKEN_BACK = "taken_back"
    TOO_LATE = "too_late"
    ALREADY = "already"  # pressed again: it was taken back before
    SHARED = "shared"  # posted in the channel meanwhile: that stays
    NOT_YOURS = "not_yours"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Undone:
    outcome: Undo
    records: list[Recorded] = field(default_factory=list)

    @property
    def helpers(self) -> list[str]:
        return list(dict.fromkeys(r.helper_id for r in self.records if r.helper_id))

    @property
    def note(self) -> str:
        return self.records[0].note if self.records else ""


def take_back(session: Session, team_id: str, record_ids: list[int], user_id: str,
              now: datetime) -> Undone:
    """Retract the thank-you these records are, if `user_id` gave it less than 15 minutes
    ago (counted from when it last became a thank-you: "This helped me" used again on the
    same message brings one back)."""
    rows = session.scalars(select(HelpRecord).where(
        HelpRecord.team_id == team_id, HelpRecord.id.in_(record_ids))
        .order_by(HelpRecord.id).with_for_update()).all()
    if not rows:
        return Undone(Undo.NOT_FOUND)
    mine = [r for r in rows if r.receiver_id == user_id and r.source in UNDOABLE]
    if not mine:
        return Undone(Undo.NOT_YOURS)
    live = [r for r in mine if r.status == "confirmed"]
    ids = [r.id for r in mine]
    if not live:
        return Undone(Undo.ALREADY, records_by_ids(session, team_id, ids))
    if _shared(session, team_id, ids):
        return Undone(Undo.SHARED, records_by_ids(session, team_id, ids))
    if any(now - r.updated_at > UNDO_WINDOW for r in live):
        return Undone(Undo.TOO_LATE, records_by_ids(session, team_id, ids))
    retract(session, live, now)
    return Undone(Undo.TAKEN_BACK, records_by_ids(session, team_id, [r.id for r in live]))


def take_back_later(session: Session, team_id: str, record_id: int, user_id: str,
                    now: datetime) -> Undone:
    """After the 15 minutes, from `/mutual with @x` or the Home (after a confirm dialog): the
    thank-you stops counting — through `retract`, the one writer of a record's state, which
    keeps the counts — and the helper's DM is left as it is: they are not told."""
    row = session.scalars(select(HelpRecord).where(
        HelpRecord.team_id == team_id, HelpRecord.id == record_id).with_for_update()).first()
    if row is None:
        return Undone(Undo.NOT_FOUND)
    if row.receiver_id != user_id or row.source not in UNDOABLE:
        return Undone(Undo.NOT_YOURS)
    if row.status != "confirmed":
        return Undone(Undo.ALREADY, records_by_ids(session, team_id, [row.id]))
    if _shared(session, team_id, [row.id]):
        return Undone(Undo.SHARED, records_by_ids(session, team_id, [row.id]))
    retract(session, [row], now)
    return Undone(Undo.TAKEN_BACK, records_by_ids(session, team_id, [row.id]))


def recent_thanks_given(session: Session, team_id: str, user_id: str, since: datetime,
                        limit: int) -> list[HelpRecord]:
    """The thank-yous this person gave lately that still count (newest first): the Home
    offers to take each back."""
    return list(session.scalars(select(HelpRecord).where(
        HelpRecord.team_id == team_id, HelpRecord.receiver_id == user_id,
        HelpRecord.status == "confirmed", HelpRecord.source.in_(UNDOABLE),
        HelpRecord.helper_id.is_not(None), HelpRecord.created_at >= since)
        .order_by(HelpRecord.created_at.desc(), HelpRecord.id.desc()).limit(limit)))


def _shared(session: Session, team_id: str, ids: list[int]) -> bool:
    """The receipt's "Share in channel" posted it publicly (outbox key `share:<ids>`)."""
    key = "share:" + ",".join(map(str, ids))
    return session.scalar(select(OutboxItem.id).where(
        OutboxItem.team_id == team_id, OutboxItem.key == key).limit(1)) is not None


def remove_thanked_dms(session: Session, team_id: str, record_id: int, now: datetime) -> int:
    """The helper's DM about this record (`thanked:<id>`, or `thanked:<id>:<when>` from a
    shortcut): never sent if it has not gone yet, otherwise deleted. How many there were."""
    key = f"thanked:{record_id}"
    rows = session.execute(select(OutboxItem.key, OutboxItem.status).where(
        OutboxItem.team_id == team_id, OutboxItem.kind == MESSAGE,
        OutboxItem.subject == str(record_id),
        or_(OutboxItem.key == key, OutboxItem.key.startswith(key + ":", autoescape=True)))).all()
    for dm_key, status in rows:
        cancelled = status == PENDING and outbox.cancel_unsent(session, team_id, dm_key,
                                                               "thanks taken back")
        if not cancelled:
            # On its way or sent (the delete waits for it); if it never arrives, nor does this.
            outbox.delete_sent(session, team_id, dm_key, now, subject=str(record_id))
    return len(rows)
