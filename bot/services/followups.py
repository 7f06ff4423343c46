"""Closing the loop: "how did it go?", asked once, some days after help recorded with a note
(to the receiver) and after an intro connected (to each of the two), and the answers, which
reach the helper or the introducer privately.

The questions are planned outbox rows (bot/jobs/followups.py) keyed by what they ask about, so
each is asked at most once; an answer is a `FollowupAnswer` row, one per question and person,
so pressing again (or the other button) changes nothing: the first answer stands."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, or_, select
from sqlalchemy.orm import Session

from bot.db.models import FollowupAnswer, HelpRecord, Intro, Member, Workspace
from bot.db.upsert import insert_ignore
from bot.services.parsing import NOTE_MAX
from bot.services.summary import PRIVACY_FLOOR

HELP, INTRO = "help", "intro"
FOLLOWUP = "followup"  # outbox kind: "how did it go?" to whoever received help
INTRO_FOLLOWUP = "intro_followup"  # outbox kind: "was it worth it?" to a party of an intro
WORKED, ONGOING, NOT_NEEDED = "worked", "ongoing", "not_needed"
WORTH_IT, NOT_WORTH_IT = "worth_it", "not_worth_it"
HELP_ANSWERS = (WORKED, ONGOING, NOT_NEEDED)
INTRO_ANSWERS = (WORTH_IT, NOT_WORTH_IT)
# A question that could not be planned within a week of falling due (the scheduler was down,
# the setting changed) is not asked at all: "how did it go?" months later would be odd.
LATE = timedelta(days=7)
GROUP_MAX = 20  # records one question covers (one /thanks to many people)
WORDS_MAX = NOTE_MAX


# -- what is due --------------------------------------------------------------------------------

@dataclass(frozen=True)
class HelpQuestion:
    """One question to a receiver about help recorded at once (one /thanks may name several
    helpers; each record is one of them)."""

    team_id: str
    receiver_id: str
    record_ids: list[int]
    helper_ids: list[str]
    note: str
    helped_at: datetime

    @property
    def key(self) -> str:
        return f"{FOLLOWUP}:{self.record_ids[0]}"


@dataclass(frozen=True)
class IntroQuestion:
    team_id: str
    intro_id: int
    party_id: str
    other_id: str
    introducer_id: str
    reason: str
    connected_at: datetime

    @property
    def key(self) -> str:
        return f"{INTRO_FOLLOWUP}:{self.intro_id}:{self.party_id}"


def _deactivated(session: Session, team_id: str) -> set[str]:
    return set(session.scalars(select(Member.user_id).where(Member.team_id == team_id,
                                                            Member.deleted.is_(True))))


def help_questions_due(session: Session, workspace: Workspace, now: datetime) -> list[HelpQuestion]:
    """Confirmed help with a note (thanks, shortcuts, confirmed claims — not reactions, which
    carry none, nor solved asks, whose asker already closed the loop), `followup_days` old and
    not yet a week past that, between two people who are both still here (a forgotten
    person's records no longer name them)."""
    due = now - timedelta(days=workspace.followup_days)
    hr = HelpRecord
    rows = session.scalars(select(hr).where(
        hr.team_id == workspace.team_id, hr.status == "confirmed", hr.source.not_in(("reaction", "ask")),
        hr.note != "", hr.helper_id.is_not(None), hr.receiver_id.is_not(None),
        hr.helper_id != hr.receiver_id, hr.created_at <= due, hr.created_at > due - LATE,
    ).order_by(hr.created_at, hr.id)).all()
    gone = _deactivated(session, workspace.team_id) if rows else set()
    groups: dict[tuple[str, str, datetime], list[HelpRecord]] = {}
    for record in rows:
        if record.helper_id in gone or record.receiver_id in gone:
            continue
        groups.setdefault((record.receiver_id or "", record.note, record.created_at), []).append(record)
    return [HelpQuestion(workspace.team_id, receiver, [r.id for r in group[:GROUP_MAX]],
                         list(dict.fromkeys(r.helper_id or "" for r in group[:GROUP_MAX])),
                         note, at)
            for (receiver, note, at), group in groups.items()]


def intro_questions_due(session: Session, workspace: Workspace, now: datetime) -> list[IntroQuestion]:
    """Each party of an intro that connected `intro_followup_days` ago (within a week of
    that), when the three of them are still here."""
    due = now - timedelta(days=workspace.intro_followup_days)
    rows = session.scalars(select(Intro).where(
        Intro.team_id == workspace.team_id, Intro.status == "connected",
        Intro.connected_at <= due, Intro.connected_at > due - LATE,
        Intro.introducer_id.is_not(None), Intro.a_id.is_not(None), Intro.b_id.is_not(None),
    ).order_by(Intro.connected_at, Intro.id)).all()
    gone = _deactivated(session, workspace.team_id) if rows else set()
    questions: list[IntroQuestion] = []
    for intro in rows:
        if {intro.introducer_id, intro.a_id, intro.b_id} & gone or intro.connected_at is None:
            continue
        for party, other in ((intro.a_id, intro.b_id), (intro.b_id, intro.a_id)):
            questions.append(IntroQuestion(workspace.team_id, intro.id, party or "", other or "",
                                           intro.introducer_id or "", intro.reason,
                                           intro.connected_at))
    return questions


# -- checked again just before a question goes out -----------------------------------------------

def help_still_asked(session: Session, team_id: str, record_ids: Iterable[int]) -> list[HelpRecord]:
    """The records a help question may still ask about: confirmed (not taken back), both
    people still named (nobody forgot them) and still active."""
    records = session.scalars(select(HelpRecord).where(
        HelpRecord.team_id == team_id, HelpRecord.id.in_(list(record_ids)),
        HelpRecord.status == "confirmed", HelpRecord.helper_id.is_not(None),
        HelpRecord.receiver_id.is_not(None)).order_by(HelpRecord.id)).all()
    if not records:
        return []
    gone = _deactivated(session, team_id)
    return [r for r in records if r.helper_id not in gone and r.receiver_id not in gone]


def question_records(session: Session, team_id: str, record_id: int) -> list[HelpRecord]:
    """The records one "how did it go?" asks about, from the first of them: the help one
    `/thanks` (or shortcut, or claim) recorded at once, still asked about."""
    first = session.get(HelpRecord, record_id)
    if first is None or first.team_id != team_id or first.receiver_id is None:
        return []
    group = session.scalars(select(HelpRecord.id).where(
        HelpRecord.team_id == team_id, HelpRecord.receiver_id == first.receiver_id,
        HelpRecord.created_at == first.created_at, HelpRecord.note == first.note,
        HelpRecord.id >= first.id).order_by(HelpRecord.id).limit(GROUP_MAX)).all()
    return help_still_asked(session, team_id, group)


def answer_given(session: Session, team_id: str, kind: str, subject_ids: list[int],
                 asked_id: str) -> FollowupAnswer | None:
    """The answer `asked_id` gave to this question, if any (the first one stands)."""
    return _standing(session, team_id, kind, subject_ids, asked_id)


def intro_still_asked(session: Session, team_id: str, intro_id: int) -> Intro | None:
    intro = session.get(Intro, intro_id)
    if intro is None or intro.team_id != team_id or intro.status != "connected":
        return None
    people = {intro.introducer_id, intro.a_id, intro.b_id}
    if None in people or people & _deactivated(session, team_id):
        return None
    return intro


# -- answering ----------------------------------------------------------------------------------

class Outcome(enum.Enum):
    ANSWERED = "answered"
    ALREADY_ANSWERED = "already_answered"  # the first answer stands
    NOT_YOURS = "not_yours"
    GONE = "gone"  # nothing left to answer about (taken back, forgotten)


@dataclass(frozen=True)
class Answered:
    outcome: Outcome
    answer: str = ""  # the answer that stands
    words: str = ""
    about: str = ""  # the note, or the intro's other party
    told: list[str] = field(default_factory=list)  # helpers or the introducer, for the reply
    # (outbox key, person) to tell about this answer now; empty when it was told before.
    tell: list[tuple[str, str]] = field(default_factory=list)


def clean_words(words: str | None) -> str:
    """What someone typed in the optional box, as kept (up to 500 characters)."""
    return (words or "").strip()[:WORDS_MAX].strip()


def _standing(session: Session, team_id: str, kind: str, subject_ids: list[int],
              asked_id: str) -> FollowupAnswer | None:
    return session.scalars(select(FollowupAnswer).where(
        FollowupAnswer.team_id == team_id, FollowupAnswer.kind == kind,
        FollowupAnswer.subject_id.in_(subject_ids), FollowupAnswer.asked_id == asked_id)
        .order_by(FollowupAnswer.id).limit(1)).first()


def _save(session: Session, team_id: str, kind: str, subject_id: int, asked_id: str,
          told_id: str | None, answer: str, words: str, now: datetime) -> bool:
    return insert_ignore(session, FollowupAnswer, {
        "team_id": team_id, "kind": kind, "subject_id": subject_id, "asked_id": asked_id,
        "told_id": told_id, "answer": answer, "words": words, "created_at": now})


def answer_help(session: Session, team_id: str, record_ids: list[int], user_id: str,
                answer: str, words: str, now: datetime) -> Answered:
    """The receiver's answer about help (`record_ids`: the records one question asked about)."""
    wanted = record_ids[:GROUP_MAX]
    records = session.scalars(select(HelpRecord).where(
        HelpRecord.team_id == team_id, HelpRecord.id.in_(wanted)).order_by(HelpRecord.id)).all()
    mine = [r for r in records if r.receiver_id == user_id]
    if records and not mine:
        return Answered(Outcome.NOT_YOURS)
    live = [r for r in mine if r.status == "confirmed" and r.helper_id]
    if not live:
        return Answered(Outcome.GONE)
    helpers = list(dict.fromkeys(r.helper_id or "" for r in live))
    note = live[0].note
    standing = _standing(session, team_id, HELP, [r.id for r in live], user_id)
    if standing is not None:
        return Answered(Outcome.ALREADY_ANSWERED, standing.answer, standing.words, note, helpers)
    gone = _deactivated(session, team_id)
    tell = [(f"{FOLLOWUP}_told:{r.id}", r.helper_id or "") for r in live
            if _save(session, team_id, HELP, r.id, user_id, r.helper_id, answer, words, now)
            and r.helper_id not in gone]
    return Answered(Outcome.ANSWERED, answer, words, note, helpers, tell)


def answer_intro(session: Session, team_id: str, intro_id: int, user_id: str, answer: str,
                 words: str, now: datetime) -> Answered:
    """A party's answer to "was it worth it?"; the introducer hears it."""
    intro = session.get(Intro, intro_id)
    if intro is None or intro.team_id != team_id:
        return Answered(Outcome.GONE)
    if user_id not in (intro.a_id, intro.b_id):
        return Answered(Outcome.NOT_YOURS)
    other = (intro.b_id if user_id == intro.a_id else intro.a_id) or ""
    introducer = intro.introducer_id or ""
    standing = _standing(session, team_id, INTRO, [intro.id], user_id)
    if standing is not None:
        return Answered(Outcome.ALREADY_ANSWERED, standing.answer, standing.words, other,
                        [introducer])
    new = _save(session, team_id, INTRO, intro.id, user_id, introducer or None, answer, words, now)
    tell = ([(f"{INTRO_FOLLOWUP}_told:{intro.id}:{user_id}", introducer)]
            if new and introducer and introducer not in _deactivated(session, team_id) else [])
    return Answered(Outcome.ANSWERED, answer, words, other, [introducer], tell)


# -- the introducer's own view --------------------------------------------------------------------

@dataclass(frozen=True)
class IntroWorth:
    """"3 of your 4 intros this quarter were worth it, say the people you introduced": intros
    someone answered about, those at least one of the two found worth it, and how many people
    answered (shown only from the privacy floor up)."""

    answered: int
    worth: int
    people: int


_WORTH = select(FollowupAnswer.subject_id, FollowupAnswer.asked_id, FollowupAnswer.answer).where(
    FollowupAnswer.team_id == bindparam("team"), FollowupAnswer.kind == INTRO,
    FollowupAnswer.told_id == bindparam("told"), FollowupAnswer.created_at >= bindparam("since"))


def intro_worth(session: Session, team_id: str, introducer_id: str,
                since: datetime) -> IntroWorth | None:
    """The answers about `introducer_id`'s intros given since `since`, in aggregate; None
    below the privacy floor (fewer than 5 people answered)."""
    # At most two answers per intro: a handful of rows per introducer, counted here.
    rows = session.execute(_WORTH, {"team": team_id, "told": introducer_id, "since": since}).all()
    people = {asked for _, asked, _ in rows}
    if len(people) < PRIVACY_FLOOR:
        return None
    answered = {intro for intro, _, _ in rows}
    worth_it = {intro for intro, _, answer in rows if answer == WORTH_IT}
    return IntroWorth(len(answered), len(worth_it), len(people))


# -- forget and export ----------------------------------------------------------------------------

def erase_followups(session: Session, team_id: str, user_id: str) -> int:
    """Every answer the person gave or was told, and every answer about help or an intro they
    were part of (its words could name them). Call before their records and intros are
    blanked."""
    hr, fa = HelpRecord, FollowupAnswer
    records = select(hr.id).where(hr.team_id == team_id,
                                  or_(hr.helper_id == user_id, hr.receiver_id == user_id))
    intros = select(Intro.id).where(Intro.team_id == team_id,
                                    or_(Intro.introducer_id == user_id, Intro.a_id == user_id,
                                        Intro.b_id == user_id))
    result = session.execute(delete(fa).where(fa.team_id == team_id, or_(
        fa.asked_id == user_id, fa.told_id == user_id,
        (fa.kind == HELP) & fa.subject_id.in_(records),
        (fa.kind == INTRO) & fa.subject_id.in_(intros))))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def followup_rows(session: Session, team_id: str) -> list[dict[str, Any]]:
    """`followups` in `mutual export`: every answer, oldest first."""
    rows = session.scalars(select(FollowupAnswer).where(FollowupAnswer.team_id == team_id)
                           .order_by(FollowupAnswer.id))
    return [{"id": a.id, "kind": a.kind,
             "record": a.subject_id if a.kind == HELP else None,
             "intro": a.subject_id if a.kind == INTRO else None,
             "asked": a.asked_id, "told": a.told_id, "answer": a.answer, "words": a.words,
             "created_at": a.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")}
            for a in rows]
