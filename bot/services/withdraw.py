"""Withdrawing an intro request (`intro_request_withdraw`): the requester changed their mind.

While the connector has not acted, the request simply becomes `withdrawn`. Once the connector
made the intro, it is called off while the two are still being asked (the intro `expired`:
nobody declined, it just won't go ahead); after both said yes it is theirs, and too late."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from bot.db.models import Intro, IntroRequest
from bot.services.intros import IntroView, RequestView, get_intro, get_request

WITHDRAWN = "withdrawn"  # a request status, besides pending | made | declined


class Withdraw(enum.Enum):
    WITHDRAWN = "withdrawn"  # before the connector acted
    CALLED_OFF = "called_off"  # the intro was made; the two had not both said yes yet
    TOO_LATE = "too_late"  # both said yes: the introduction is theirs now
    ANSWERED = "answered"  # the connector said they can't, or the intro closed anyway
    ALREADY = "already"  # withdrawn before
    NOT_YOURS = "not_yours"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Withdrawal:
    outcome: Withdraw
    request: RequestView | None = None
    intro: IntroView | None = None


def withdraw_request(session: Session, team_id: str, request_id: int, user_id: str,
                     now: datetime) -> Withdrawal:
    """Only the requester may withdraw, and only while something is still waiting."""
    request = session.get(IntroRequest, request_id, with_for_update=True)
    if request is None or request.team_id != team_id:
        return Withdrawal(Withdraw.NOT_FOUND)
    if request.requester_id != user_id:
        return Withdrawal(Withdraw.NOT_YOURS)
    outcome = _withdraw(session, request, now)
    intro = get_intro(session, team_id, request.intro_id) if request.intro_id else None
    return Withdrawal(outcome, get_request(session, team_id, request.id), intro)


def _withdraw(session: Session, request: IntroRequest, now: datetime) -> Withdraw:
    if request.status == WITHDRAWN:
        return Withdraw.ALREADY
    if request.status == "pending":
        request.status, request.updated_at = WITHDRAWN, now
        return Withdraw.WITHDRAWN
    if request.status != "made" or request.intro_id is None:
        return Withdraw.ANSWERED
    intro = session.get(Intro, request.intro_id, with_for_update=True)
    if intro is None or intro.status in ("open", "connected"):
        return Withdraw.TOO_LATE
    if intro.status != "proposed":
        return Withdraw.ANSWERED
    intro.status, intro.updated_at = "expired", now
    request.status, request.updated_at = WITHDRAWN, now
    return Withdraw.CALLED_OFF


def open_requests_by(session: Session, team_id: str, requester_id: str) -> list[RequestView]:
    """The requests someone made that could still be withdrawn: not answered yet, or made into
    an intro the two are still being asked about. Newest first."""
    rows = session.scalars(
        select(IntroRequest).outerjoin(Intro, and_(Intro.id == IntroRequest.intro_id,
                                                   Intro.team_id == IntroRequest.team_id))
        .where(IntroRequest.team_id == team_id, IntroRequest.requester_id == requester_id,
               or_(IntroRequest.status == "pending",
                   and_(IntroRequest.status == "made", Intro.status == "proposed")))
        .order_by(IntroRequest.created_at.desc(), IntroRequest.id.desc())
    ).all()
    return [view for view in (get_request(session, team_id, r.id) for r in rows) if view]
