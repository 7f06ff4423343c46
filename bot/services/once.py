"""Notes a person is shown once ever (bot.db.models.PersonNote): decided in the transaction
that writes the message carrying the note, so two requests at once show it once, and a
message sent again after a failure (the same outbox row) still carries it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import PersonNote
from bot.db.upsert import insert_ignore
from bot.services.forget import person_hash

FIRST_CONTACT = "first_contact"  # the line on the first DM Mutual ever sends a person
RECEIPT_HINT = "receipt_hint"  # "take it back for 15 minutes …" under a first receipt
CLAIM_HINT = "claim_hint"  # "it counts once they confirm …" under a first /helped receipt
REACTION_COUNTED = "reaction_counted"  # a first thank-you reaction: it counted, and how to undo


def first_time(session: Session, team_id: str, user_id: str, note: str, now: datetime,
               carried_by: int | None = None) -> bool:
    """Whether this person is to see `note` now: True the first time it is asked for, and
    again only for the same message (`carried_by`, an outbox row's id) — a retried send."""
    user_hash = person_hash(team_id, user_id)
    if insert_ignore(session, PersonNote, {"team_id": team_id, "user_hash": user_hash,
                                           "note": note, "outbox_id": carried_by,
                                           "created_at": now}):
        return True
    if carried_by is None:
        return False
    return session.scalar(select(PersonNote.outbox_id).where(
        PersonNote.team_id == team_id, PersonNote.user_hash == user_hash,
        PersonNote.note == note)) == carried_by
