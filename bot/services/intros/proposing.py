"""Proposing an intro: who may be introduced, and the intro itself."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_
from sqlalchemy.orm import Session

from bot.db.models import Intro, IntroRequest
from bot.services.asking_again import intro_not_now
from bot.services.intros.queries import _active
from bot.services.intros.views import REASON_MAX, IntroView, RequestView, _lapsed, _request_view, _settings, _view

# -- proposing ---------------------------------------------------------------------------------

class Refused(enum.Enum):
    TOO_FEW = "too_few"
    SAME_PERSON = "same_person"
    SELF = "self"
    EMPTY_REASON = "empty_reason"
    REASON_TOO_LONG = "reason_too_long"
    DUPLICATE = "duplicate"  # an intro of the two is under way (`Proposed.existing`)
    NOT_NOW = "not_now"  # an intro of the two closed lately without going ahead
    REQUEST_ANSWERED = "request_answered"


@dataclass(frozen=True)
class Proposed:
    """The new intro, or why not (`existing` points to the intro already under way)."""

    intro: IntroView | None
    refused: Refused | None = None
    existing: IntroView | None = None
    request: RequestView | None = None


def check_people_and_reason(invoker_id: str, a_id: str | None, b_id: str | None,
                            reason: str) -> Refused | None:
    """The checks that need no lookup, in the order a person would want to hear them."""
    if not a_id or not b_id:
        return Refused.TOO_FEW
    if a_id == b_id:
        return Refused.SAME_PERSON
    if invoker_id in (a_id, b_id):
        return Refused.SELF
    if not reason.strip():
        return Refused.EMPTY_REASON
    if len(reason) > REASON_MAX:
        return Refused.REASON_TOO_LONG
    return None


def active_between(session: Session, team_id: str, a_id: str, b_id: str,
                   now: datetime) -> IntroView | None:
    """An intro of this pair (either order) that is proposed and not lapsed, or open."""
    rows = _active(session, team_id, or_((Intro.a_id == a_id) & (Intro.b_id == b_id),
                                         (Intro.a_id == b_id) & (Intro.b_id == a_id)))
    workspace = _settings(session, team_id)
    for intro in rows:
        if not _lapsed(intro, workspace, now):
            return _view(intro)
    return None


def propose_intro(session: Session, team_id: str, introducer_id: str, a_id: str, b_id: str,
                  reason: str, now: datetime, request_id: int | None = None) -> Proposed:
    """Store a proposed intro (people already checked against Slack by the caller).

    With `request_id`, the request it answers becomes `made` in the same transaction."""
    reason = reason.strip()
    refused = check_people_and_reason(introducer_id, a_id, b_id, reason)
    if refused is not None:
        return Proposed(None, refused)
    request = None
    if request_id is not None:
        request = session.get(IntroRequest, request_id, with_for_update=True)
        if (request is None or request.team_id != team_id or request.connector_id != introducer_id
                or request.status != "pending"):
            return Proposed(None, Refused.REQUEST_ANSWERED,
                            request=_request_view(request) if request is not None else None)
    existing = active_between(session, team_id, a_id, b_id, now)
    if existing is not None:
        return Proposed(None, Refused.DUPLICATE, existing=existing)
    workspace = _settings(session, team_id)
    if workspace is not None and intro_not_now(session, workspace, a_id, b_id, now):
        return Proposed(None, Refused.NOT_NOW)
    intro = Intro(team_id=team_id, introducer_id=introducer_id, a_id=a_id, b_id=b_id,
                  reason=reason, status="proposed", request_id=request_id, created_at=now,
                  updated_at=now)
    session.add(intro)
    session.flush()
    if request is not None:
        request.status = "made"
        request.intro_id = intro.id
        request.updated_at = now
        session.flush()
    return Proposed(_view(intro), request=_request_view(request) if request is not None else None)


def get_intro(session: Session, team_id: str, intro_id: int) -> IntroView | None:
    intro = session.get(Intro, intro_id)
    return _view(intro) if intro is not None and intro.team_id == team_id else None
