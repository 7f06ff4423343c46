"""Later questions, gathered (PRODUCT.md §4c): "how did it go?", "was it worth it?" and the
reminders reach a person at most once every `question_gap_days`, in one DM.

A planning job does not send a question: it `ask()`s it. The question waits in `questions`
(keyed by what it asks about, so it is asked once) and the person's next questions DM — one
outbox row of kind `questions` per DM — gathers every question waiting when it goes out, in
their working hours (it is a private nudge). A new one waits an hour for others falling due
with it; after it is sent, the next one, if any question is left waiting, is due a gap later.
Each question renders from the database as it stands (bot/delivery/questions.py): one that
stopped being wanted is dropped, one that ended later is closed in place
(bot/services/closing.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.db.models import OutboxItem, Question, Workspace
from bot.db.upsert import insert_ignore
from bot.services.outbox import LIVE, SENT, enqueue

QUESTIONS = "questions"  # outbox kind: a person's questions DM
WAITING, ASKED, DROPPED = "waiting", "asked", "dropped"
PER_MESSAGE = 8  # questions one DM gathers (Block Kit's 50 blocks); the rest wait a gap
# A questions DM waits this long after its first question, so the ones falling due with it
# (help recorded over a busy morning) come in the same DM rather than the next day's.
GATHER = timedelta(hours=1)
# A question still waiting this long after it was due is not asked at all: "how did it go?"
# weeks late (someone snoozed, a gap setting changed) would be odd.
STALE = timedelta(days=7)


def ask(session: Session, workspace: Workspace, user_id: str, key: str, family: str,
        subject: str, now: datetime) -> bool:
    """Plan one question for `user_id` (once per `key`); True when it is new."""
    if session.scalar(select(OutboxItem.id).where(OutboxItem.team_id == workspace.team_id,
                                                  OutboxItem.key == key)) is not None:
        return False  # asked on its own, before questions were gathered
    new = insert_ignore(session, Question, {
        "team_id": workspace.team_id, "user_id": user_id, "key": key, "kind": family,
        "subject": subject, "status": WAITING, "asked_in": None, "created_at": now})
    if new:
        schedule(session, workspace, user_id, now)
    return new


def schedule(session: Session, workspace: Workspace, user_id: str, now: datetime) -> None:
    """Make sure a questions DM is coming for `user_id`: the one already waiting, or a new one
    due within the hour (`GATHER`), or a gap after the last one sent."""
    team = workspace.team_id
    mine = (OutboxItem.team_id == team, OutboxItem.kind == QUESTIONS,
            OutboxItem.recipient_id == user_id)
    if session.scalar(select(OutboxItem.id).where(*mine, OutboxItem.status.in_(LIVE)).limit(1)):
        return
    last = session.scalar(select(func.max(OutboxItem.sent_at)).where(*mine, OutboxItem.status == SENT))
    due = now + GATHER
    if last is not None:
        due = max(due, last + timedelta(days=workspace.question_gap_days))
    enqueue(session, team, f"{QUESTIONS}:{user_id}:{due:%Y-%m-%dT%H:%M:%S}", QUESTIONS, user_id,
            {}, due, now)


def gathered(session: Session, team_id: str, user_id: str, key: str) -> list[Question]:
    """The questions the DM keyed `key` asks: those it asked already (a retry, or rendering it
    again), else those waiting, oldest first."""
    asked = list(session.scalars(select(Question).where(
        Question.team_id == team_id, Question.asked_in == key).order_by(Question.id)))
    if asked:
        return asked
    return list(session.scalars(select(Question).where(
        Question.team_id == team_id, Question.user_id == user_id, Question.status == WAITING)
        .order_by(Question.created_at, Question.id).limit(PER_MESSAGE * 4)))


def mark(session: Session, ids: list[int], status: str, key: str | None = None) -> None:
    if ids:
        session.execute(update(Question).where(Question.id.in_(ids))
                        .values(status=status, asked_in=key))


def left_waiting(session: Session, team_id: str, user_id: str) -> bool:
    return session.scalar(select(Question.id).where(
        Question.team_id == team_id, Question.user_id == user_id,
        Question.status == WAITING).limit(1)) is not None


def forget(session: Session, team_id: str, user_id: str) -> None:
    """`/mutual forget`: nothing is asked of them any more, and no row names them."""
    session.execute(delete(Question).where(Question.team_id == team_id,
                                           Question.user_id == user_id))
