"""Not asking again after a "no" (PRODUCT.md §4c): after a "not now" or a lapse, the same
intro (the same two people, either order, whoever suggests it), the same request to the same
connector, or a second claim to the same person is not put to anyone for `ask_again_days`
(bot.services.tact.may_ask_again). Whoever asks gets a neutral "not now" that reveals nothing —
the same words as when someone else's intro of the two is under way.

Each thing counts as closed when everyone could see it closed: a "not now" only when it would
have lapsed unanswered (so a quick "no" and a long silence look the same from outside)."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from bot.db.models import HelpRecord, Intro, IntroRequest, Workspace
from bot.services.tact import may_ask_again

CLOSED_INTROS = ("declined", "expired")
CLOSED_REQUESTS = ("declined", "expired")


def intro_not_now(session: Session, workspace: Workspace, a_id: str, b_id: str,
                  now: datetime) -> bool:
    """An intro of these two closed lately without going ahead (not one called off because
    the person who asked for it withdrew: nobody said no to that)."""
    withdrawn = select(IntroRequest.id).where(IntroRequest.team_id == workspace.team_id,
                                              IntroRequest.status == "withdrawn")
    closed = session.scalar(select(func.max(Intro.updated_at)).where(
        Intro.team_id == workspace.team_id, Intro.status.in_(CLOSED_INTROS),
        or_(and_(Intro.a_id == a_id, Intro.b_id == b_id),
            and_(Intro.a_id == b_id, Intro.b_id == a_id)),
        or_(Intro.request_id.is_(None), Intro.request_id.not_in(withdrawn)),
        Intro.updated_at > now - timedelta(days=workspace.ask_again_days)))
    return not may_ask_again(closed, workspace.ask_again_days, now)


def request_not_now(session: Session, workspace: Workspace, requester_id: str,
                    connector_id: str, target_id: str, now: datetime) -> bool:
    """The same request to the same connector closed lately without an introduction."""
    closed = session.scalar(select(func.max(IntroRequest.updated_at)).where(
        IntroRequest.team_id == workspace.team_id, IntroRequest.status.in_(CLOSED_REQUESTS),
        IntroRequest.requester_id == requester_id, IntroRequest.connector_id == connector_id,
        IntroRequest.target_id == target_id,
        IntroRequest.updated_at > now - timedelta(days=workspace.ask_again_days)))
    return not may_ask_again(closed, workspace.ask_again_days, now)


def claim_waiting(session: Session, team_id: str, helper_id: str, receiver_id: str,
                  now: datetime) -> bool:
    """A claim to this person is still open as the helper sees it: pending, or declined but
    not yet lapsed (a "not now" is not told before then)."""
    return session.scalar(select(HelpRecord.id).where(
        HelpRecord.team_id == team_id, HelpRecord.source == "claim",
        HelpRecord.helper_id == helper_id, HelpRecord.receiver_id == receiver_id,
        or_(HelpRecord.status == "pending",
            and_(HelpRecord.status == "declined", HelpRecord.expires_at > now))).limit(1)) is not None


def claim_not_now(session: Session, workspace: Workspace, helper_id: str, receiver_id: str,
                  now: datetime) -> bool:
    """A claim to this person lapsed lately, declined or unanswered (it closed, for the
    helper, when it lapsed)."""
    closed = session.scalar(select(func.max(HelpRecord.expires_at)).where(
        HelpRecord.team_id == workspace.team_id, HelpRecord.source == "claim",
        HelpRecord.helper_id == helper_id, HelpRecord.receiver_id == receiver_id,
        HelpRecord.status.in_(("declined", "expired")), HelpRecord.expires_at <= now,
        HelpRecord.expires_at > now - timedelta(days=workspace.ask_again_days)))
    return not may_ask_again(closed, workspace.ask_again_days, now)


class ClaimRefused(enum.Enum):
    WAITING = "waiting"  # a claim to them is still open, as the helper sees it
    NOT_NOW = "not_now"  # one lapsed lately (declined or unanswered: the same to the helper)


def claim_refusal(session: Session, workspace: Workspace, helper_id: str, receiver_id: str,
                  now: datetime) -> ClaimRefused | None:
    """Whether a new `/helped` claim to this person may be put to them now."""
    if claim_waiting(session, workspace.team_id, helper_id, receiver_id, now):
        return ClaimRefused.WAITING
    if claim_not_now(session, workspace, helper_id, receiver_id, now):
        return ClaimRefused.NOT_NOW
    return None
