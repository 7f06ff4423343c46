"""Requests: asking a connector to make an introduction, and their answer."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import IntroRequest, Workspace
from bot.services.asking_again import intro_not_now, request_not_now
from bot.services.intros.proposing import active_between
from bot.services.intros.views import REASON_MAX, IntroView, RequestView, _request_view, _settings
from bot.services.tact import may_tell

# -- requests ----------------------------------------------------------------------------------

class RequestRefused(enum.Enum):
    TOO_FEW = "too_few"
    SAME_PERSON = "same_person"
    SELF_CONNECTOR = "self_connector"
    SELF_TARGET = "self_target"
    EMPTY_REASON = "empty_reason"
    REASON_TOO_LONG = "reason_too_long"
    DUPLICATE = "duplicate"  # the same request is already waiting
    ALREADY_INTRODUCED = "already_introduced"  # an intro of the two is under way
    NOT_NOW = "not_now"  # the same request, or an intro of the two, closed lately


@dataclass(frozen=True)
class Requested:
    request: RequestView | None
    refused: RequestRefused | None = None
    existing_intro: IntroView | None = None


def check_request(requester_id: str, connector_id: str | None, target_id: str | None,
                  reason: str) -> RequestRefused | None:
    if not connector_id or not target_id:
        return RequestRefused.TOO_FEW
    if connector_id == target_id:
        return RequestRefused.SAME_PERSON
    if connector_id == requester_id:
        return RequestRefused.SELF_CONNECTOR
    if target_id == requester_id:
        return RequestRefused.SELF_TARGET
    if not reason.strip():
        return RequestRefused.EMPTY_REASON
    if len(reason) > REASON_MAX:
        return RequestRefused.REASON_TOO_LONG
    return None


def request_intro(session: Session, team_id: str, requester_id: str, connector_id: str,
                  target_id: str, reason: str, now: datetime) -> Requested:
    """`/intro request`: ask `connector_id` to introduce the requester to `target_id`."""
    reason = reason.strip()
    refused = check_request(requester_id, connector_id, target_id, reason)
    if refused is not None:
        return Requested(None, refused)
    existing = active_between(session, team_id, requester_id, target_id, now)
    if existing is not None:
        return Requested(None, RequestRefused.ALREADY_INTRODUCED, existing_intro=existing)
    workspace = _settings(session, team_id)
    if workspace is not None and (
            intro_not_now(session, workspace, requester_id, target_id, now)
            or request_not_now(session, workspace, requester_id, connector_id, target_id, now)):
        return Requested(None, RequestRefused.NOT_NOW)
    waiting = session.scalars(
        select(IntroRequest).where(
            IntroRequest.team_id == team_id, IntroRequest.status == "pending",
            IntroRequest.requester_id == requester_id, IntroRequest.connector_id == connector_id,
            IntroRequest.target_id == target_id,
        ).limit(1)
    ).one_or_none()
    if waiting is not None:
        return Requested(_request_view(waiting), RequestRefused.DUPLICATE)
    request = IntroRequest(team_id=team_id, requester_id=requester_id, connector_id=connector_id,
                           target_id=target_id, reason=reason, status="pending", created_at=now,
                           updated_at=now)
    session.add(request)
    session.flush()
    return Requested(_request_view(request))


class RequestAnswer(enum.Enum):
    OK = "ok"  # pending and yours: go ahead (open the modal)
    DECLINED = "declined"
    ALREADY_ANSWERED = "already_answered"
    NOT_YOURS = "not_yours"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class RequestAnswered:
    outcome: RequestAnswer
    request: RequestView | None = None


def _connector_request(session: Session, team_id: str, request_id: int, user_id: str,
                       lock: bool) -> tuple[RequestAnswer, IntroRequest | None]:
    request = session.get(IntroRequest, request_id, with_for_update=lock)
    if request is None or request.team_id != team_id:
        return RequestAnswer.NOT_FOUND, None
    if request.connector_id != user_id:
        return RequestAnswer.NOT_YOURS, None
    if request.status != "pending" or request.declined_at is not None:
        return RequestAnswer.ALREADY_ANSWERED, request
    return RequestAnswer.OK, request


def request_to_make(session: Session, team_id: str, request_id: int, user_id: str) -> RequestAnswered:
    """`intro_request_make`: may this person make the intro this request asks for?"""
    outcome, request = _connector_request(session, team_id, request_id, user_id, lock=False)
    return RequestAnswered(outcome, _request_view(request) if request is not None else None)


def decline_request(session: Session, team_id: str, request_id: int, user_id: str,
                    now: datetime) -> RequestAnswered:
    """`intro_request_decline`: only the connector, only while pending. Told to nobody now:
    the request stays pending until it would have lapsed unanswered (`close_requests`)."""
    outcome, request = _connector_request(session, team_id, request_id, user_id, lock=True)
    if outcome is RequestAnswer.OK and request is not None:
        request.declined_at = now
        outcome = RequestAnswer.DECLINED
    return RequestAnswered(outcome, _request_view(request) if request is not None else None)


def close_requests(session: Session, now: datetime) -> list[RequestView]:
    """Requests still pending `intro_expiry_days` after they were made — declined or simply
    unanswered alike — close now: declined or expired. The requester hears it the same way."""
    rows = session.execute(
        select(IntroRequest, Workspace).join(Workspace, Workspace.team_id == IntroRequest.team_id)
        .where(IntroRequest.status == "pending", Workspace.uninstalled_at.is_(None))
        .order_by(IntroRequest.id).with_for_update(of=IntroRequest)).all()
    closed = []
    for request, workspace in rows:
        if not may_tell(request.created_at, workspace.intro_expiry_days, now):
            continue
        request.status = "declined" if request.declined_at is not None else "expired"
        request.updated_at = now
        closed.append(_request_view(request))
    return closed


def get_request(session: Session, team_id: str, request_id: int) -> RequestView | None:
    request = session.get(IntroRequest, request_id)
    return _request_view(request) if request is not None and request.team_id == team_id else None
