"""The two parties answering an intro ("Yes" / "Not now"), and its group DM."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from bot.db.models import Intro
from bot.services.intros.views import IntroView, _lapsed, _settings, _view, deactivated

# -- answering ---------------------------------------------------------------------------------

class Answer(enum.Enum):
    ACCEPTED = "accepted"  # this party said yes; the other has not answered yet
    OPENED = "opened"  # both said yes: open the group DM now
    DECLINED = "declined"
    ALREADY_ANSWERED = "already_answered"  # pressed again, or the other button afterwards
    CLOSED = "closed"  # declined by the other, or no longer waiting for answers
    EXPIRED = "expired"  # too late: nothing changes
    CANT_GO_AHEAD = "cant_go_ahead"  # both said yes, but a party has left the workspace
    NOT_A_PARTY = "not_a_party"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Answered:
    outcome: Answer
    intro: IntroView | None = None
    inactive: frozenset[str] = field(default_factory=frozenset)


def answer_intro(session: Session, team_id: str, intro_id: int, user_id: str, accept: bool,
                 now: datetime) -> Answered:
    """A party's yes or no. Only a or b may answer, once, while the intro is proposed."""
    intro = session.get(Intro, intro_id, with_for_update=True)
    if intro is None or intro.team_id != team_id:
        return Answered(Answer.NOT_FOUND)
    if user_id not in (intro.a_id, intro.b_id):
        return Answered(Answer.NOT_A_PARTY)
    if intro.status == "expired" or _lapsed(intro, _settings(session, team_id), now):
        return Answered(Answer.EXPIRED, _view(intro))
    is_a = user_id == intro.a_id
    mine = intro.a_answer if is_a else intro.b_answer
    if mine is not None:
        return Answered(Answer.ALREADY_ANSWERED, _view(intro))
    if intro.status != "proposed":
        return Answered(Answer.CLOSED, _view(intro))
    answer = "accepted" if accept else "declined"
    if is_a:
        intro.a_answer, intro.a_answered_at = answer, now
    else:
        intro.b_answer, intro.b_answered_at = answer, now
    intro.updated_at = now
    inactive = frozenset(deactivated(session, team_id, [intro.introducer_id or "", intro.a_id or "",
                                                        intro.b_id or ""]))
    if not accept:
        # Told to nobody now: it closes when it would have lapsed unanswered (expire_intro).
        return Answered(Answer.DECLINED, _view(intro), inactive)
    if intro.a_answer == intro.b_answer == "accepted":
        if {intro.a_id, intro.b_id} & inactive:
            # Nobody declined; it simply cannot happen any more.
            intro.status = "expired"
            return Answered(Answer.CANT_GO_AHEAD, _view(intro), inactive)
        intro.status = "open"
        intro.opened_at = now
        return Answered(Answer.OPENED, _view(intro), inactive)
    return Answered(Answer.ACCEPTED, _view(intro), inactive)


def set_group(session: Session, team_id: str, intro_id: int, channel_id: str) -> None:
    """The group DM opened for an intro: messages there count towards "connected"."""
    intro = session.get(Intro, intro_id)
    if intro is not None and intro.team_id == team_id:
        intro.group_channel_id = channel_id
