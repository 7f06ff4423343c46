"""A person's questions DM (bot/services/questions.py): every question waiting for them,
gathered into one message when it goes out, each rendered from the database as it stands
(bot/delivery/closing.py). Rendered again whole whenever one of its questions closes, so
answering one leaves the others as they were."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.blocks.questions import build_questions
from bot.delivery.forms import CLOSED, LIVE
from bot.delivery.kinds import Call, Kind, Rendering, Skip, register_kind
from bot.services import questions
from bot.services.delivery import Outgoing
from bot.services.questions import ASKED, DROPPED, PER_MESSAGE, QUESTIONS, STALE, WAITING


def compose(session: Session, team_id: str, user_id: str, key: str, now: datetime,
            again: bool = False) -> dict[str, Any] | None:
    """The questions DM keyed `key`, as it stands: on its first sending, each waiting question
    still wanted (live; the rest are dropped); sent `again`, each question it asked, live or
    closed. None when there is nothing to show."""
    parts: list[tuple[int, dict[str, Any]]] = []
    asked: list[int] = []
    dropped: list[int] = []
    for question in questions.gathered(session, team_id, user_id, key):
        live = LIVE.get(question.kind)
        shown = live(session, team_id, user_id, question.subject, now) if live else None
        if again or question.asked_in == key:
            if shown is None:
                closed = CLOSED.get(question.kind)
                shown = closed(session, team_id, user_id, question.subject, now) if closed else None
            if shown is not None:
                parts.append((question.id, shown))
            continue
        if shown is None or question.created_at < now - STALE or len(parts) >= PER_MESSAGE:
            if shown is None or question.created_at < now - STALE:
                dropped.append(question.id)
            continue
        parts.append((question.id, shown))
        asked.append(question.id)
    questions.mark(session, dropped, DROPPED)
    questions.mark(session, asked, ASKED, key)
    return build_questions(parts) if parts else None


def _render(r: Rendering) -> Call:
    msg = compose(r.session, r.row.team_id, r.row.recipient_id, r.row.key, r.now)
    if msg is None:
        raise Skip("nothing left to ask")
    return msg


def _after(session: Session, row: Outgoing, outcome: Any, now: datetime) -> None:
    """Anything still waiting (asked meanwhile, or beyond this one's share) comes a gap later."""
    from bot.db.models import Workspace

    workspace = session.get(Workspace, row.team_id)
    if workspace is not None and questions.left_waiting(session, row.team_id, row.recipient_id):
        questions.schedule(session, workspace, row.recipient_id, now)


def _not_sent(session: Session, row: Outgoing, reason: str, now: datetime) -> None:
    """Slack refused it for good: its questions wait for the next one (or go stale)."""
    from sqlalchemy import update

    from bot.db.models import Question

    session.execute(update(Question).where(Question.team_id == row.team_id,
                                           Question.asked_in == row.key)
                    .values(status=WAITING, asked_in=None))


register_kind(Kind(QUESTIONS, _render, nudge=True, after_sent=_after, on_failed=_not_sent))
