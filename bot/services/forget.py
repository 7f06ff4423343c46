"""`/mutual forget`: erase a person's identity and notes from every table of a workspace.

Records stay, with the person's side blanked, so the other party's counts do not change; but
nothing left can name them: their id is gone from every column, notes they were party to are
emptied, and anything still waiting to be sent to or about them is cancelled."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, or_, select
from sqlalchemy.orm import Session

from bot.db.models import (
    ForgottenPerson,
    HelpRecord,
    Intro,
    IntroRequest,
    Member,
    MutedPair,
    OutboxItem,
    ReactionMark,
)
from bot.db.upsert import insert_ignore
from bot.services.ask_forget import ask_texts, forget_asks
from bot.services.followups import erase_followups
from bot.services.outbox import CANCELLED, PENDING, REACTED
from bot.services.questions import forget as forget_questions
from bot.services.recording import forget_records


@dataclass(frozen=True)
class Forgotten:
    records: int
    intros: int
    requests: int
    nudges: int
    asks: int = 0


def forget_person(session: Session, team_id: str, user_id: str, now: datetime) -> Forgotten:
    notes = _notes(session, team_id, user_id) | ask_texts(session, team_id, user_id)
    nudges = _nudges(session, team_id, user_id, notes)
    erase_followups(session, team_id, user_id)
    forget_questions(session, team_id, user_id)
    asks = forget_asks(session, team_id, user_id, now)  # before records: it reads their keys
    _reactions_untold(session, team_id, user_id)  # before records: it reads who they thanked
    records = forget_records(session, team_id, user_id, now)
    intros = _intros(session, team_id, user_id, now)
    requests = _requests(session, team_id, user_id, now)
    session.execute(delete(ReactionMark).where(ReactionMark.team_id == team_id,
                                               ReactionMark.user_id == user_id))
    session.execute(delete(MutedPair).where(
        MutedPair.team_id == team_id, or_(MutedPair.user_id == user_id, MutedPair.other_id == user_id)))
    session.execute(delete(Member).where(Member.team_id == team_id, Member.user_id == user_id))
    insert_ignore(session, ForgottenPerson, {"team_id": team_id, "user_hash": person_hash(team_id, user_id),
                                             "forgotten_at": now})
    return Forgotten(records, intros, requests, nudges, asks)


def person_hash(team_id: str, user_id: str) -> str:
    """One-way: enough to recognise the person again, not to name them."""
    return hashlib.sha256(f"mutual:{team_id}:{user_id}".encode()).hexdigest()


_FORGOTTEN = select(ForgottenPerson.user_hash).where(
    ForgottenPerson.team_id == bindparam("team"),
    ForgottenPerson.user_hash.in_(bindparam("hashes", expanding=True)))
_WELCOME_BACK = delete(ForgottenPerson).where(
    ForgottenPerson.team_id == bindparam("team"), ForgottenPerson.user_hash == bindparam("hash"),
).execution_options(synchronize_session=False)


def forgotten_among(session: Session, team_id: str, user_ids: list[str]) -> set[str]:
    """Those of `user_ids` who asked Mutual to forget them (and have not used it since)."""
    hashes = {person_hash(team_id, u): u for u in user_ids}
    if not hashes:
        return set()
    found = session.scalars(_FORGOTTEN, {"team": team_id, "hashes": list(hashes)})
    return {hashes[h] for h in found}


def is_forgotten(session: Session, team_id: str, user_id: str) -> bool:
    return bool(forgotten_among(session, team_id, [user_id]))


def welcome_back(session: Session, team_id: str, user_id: str) -> bool:
    """They used Mutual again: it may record and nudge them again. True if they had left."""
    result = session.execute(_WELCOME_BACK, {"team": team_id, "hash": person_hash(team_id, user_id)})
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _reactions_untold(session: Session, team_id: str, user_id: str) -> None:
    """An author's gathered DM of this hour (bot/services/reacted.py) that would tell only of
    this person's reactions is called off: nothing left waits to go out about them."""
    authors = session.scalars(select(HelpRecord.helper_id).distinct().where(
        HelpRecord.team_id == team_id, HelpRecord.receiver_id == user_id,
        HelpRecord.source == "reaction", HelpRecord.status == "confirmed")).all()
    rows = session.scalars(select(OutboxItem).where(
        OutboxItem.team_id == team_id, OutboxItem.kind == REACTED, OutboxItem.status == PENDING,
        OutboxItem.recipient_id.in_([a for a in authors if a])))
    for row in rows:
        window = json.loads(row.payload)
        since, until = (datetime.fromisoformat(window[k]) for k in ("since", "until"))
        others = session.scalar(select(HelpRecord.id).where(
            HelpRecord.team_id == team_id, HelpRecord.helper_id == row.recipient_id,
            HelpRecord.receiver_id != user_id, HelpRecord.source == "reaction",
            HelpRecord.status == "confirmed", HelpRecord.updated_at >= since,
            HelpRecord.updated_at < until).limit(1))
        if others is None:
            row.status = CANCELLED
            row.last_error = "the reactions it would tell of were forgotten"


def _intros(session: Session, team_id: str, user_id: str, now: datetime) -> int:
    rows = session.scalars(select(Intro).where(
        Intro.team_id == team_id,
        or_(Intro.introducer_id == user_id, Intro.a_id == user_id, Intro.b_id == user_id))
    ).all()
    for intro in rows:
        if intro.status in ("proposed", "open"):
            # It cannot go ahead without them; nobody is chased about it any more.
            intro.status = "expired"
        intro.reason = ""
        intro.group_channel_id = None  # its members would name them
        if intro.introducer_id == user_id:
            intro.introducer_id = None
        if intro.a_id == user_id:
            intro.a_id = None
        if intro.b_id == user_id:
            intro.b_id = None
        intro.updated_at = now
    return len(rows)


def _requests(session: Session, team_id: str, user_id: str, now: datetime) -> int:
    rows = session.scalars(select(IntroRequest).where(
        IntroRequest.team_id == team_id,
        or_(IntroRequest.requester_id == user_id, IntroRequest.connector_id == user_id,
            IntroRequest.target_id == user_id))
    ).all()
    for request in rows:
        if request.status == "pending":
            request.status = "declined"
        request.reason = ""
        if request.requester_id == user_id:
            request.requester_id = None
        if request.target_id == user_id:
            request.target_id = None
        if request.connector_id == user_id:
            request.connector_id = None
        request.updated_at = now
    return len(rows)


def _notes(session: Session, team_id: str, user_id: str) -> set[str]:
    """The notes and reasons of everything the person was party to."""
    notes = set(session.scalars(select(HelpRecord.note).where(
        HelpRecord.team_id == team_id,
        or_(HelpRecord.helper_id == user_id, HelpRecord.receiver_id == user_id))))
    notes.update(session.scalars(select(Intro.reason).where(
        Intro.team_id == team_id,
        or_(Intro.introducer_id == user_id, Intro.a_id == user_id, Intro.b_id == user_id))))
    notes.update(session.scalars(select(IntroRequest.reason).where(
        IntroRequest.team_id == team_id,
        or_(IntroRequest.requester_id == user_id, IntroRequest.connector_id == user_id,
            IntroRequest.target_id == user_id))))
    return {n for n in notes if n}


def _nudges(session: Session, team_id: str, user_id: str, notes: set[str]) -> int:
    """Every outbox row to or about the person, or whose key or payload carries their id or
    one of their notes (as typed, or as JSON spells it)."""
    needles = {user_id}
    for note in notes:
        # A whole JSON string equal to the note, or a long note anywhere in the text.
        needles |= {json.dumps(note), json.dumps(note, ensure_ascii=False)}
        if len(note) >= 12:
            needles |= {note, json.dumps(note)[1:-1]}
    rows = session.scalars(select(OutboxItem).where(
        OutboxItem.team_id == team_id,
        or_(OutboxItem.recipient_id == user_id, OutboxItem.subject == user_id,
            OutboxItem.key.contains(user_id, autoescape=True),
            OutboxItem.after_key.contains(user_id, autoescape=True),
            *(OutboxItem.payload.contains(needle, autoescape=True) for needle in needles)))).all()
    for item in rows:
        if item.status in ("pending", "sending", "failed"):
            item.status = "cancelled"
        # The key only has to stay unique; it must no longer spell their id, nor the row say
        # where a message to them landed (their DM).
        item.key = f"forgotten:{item.id}"
        item.payload = "{}"
        item.last_error = None
        item.sent_channel = item.sent_ts = None
        if item.after_key and user_id in item.after_key:
            item.after_key = None
        if item.recipient_id == user_id:
            item.recipient_id = None
        if item.subject == user_id:
            item.subject = None
    return len(rows)
