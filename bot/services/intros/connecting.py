"""Following through: the two wrote in the group DM, or said they connected."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Intro
from bot.services.intros.views import IntroView, _view, deactivated

# -- following through -------------------------------------------------------------------------

class Connect(enum.Enum):
    NOTED = "noted"  # one of them wrote; waiting for the other
    CONNECTED = "connected"  # this made them connected: tell the introducer, once
    ALREADY_CONNECTED = "already_connected"
    NOT_OPEN = "not_open"
    NOT_A_PARTY = "not_a_party"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Connected:
    outcome: Connect
    intro: IntroView | None = None
    inactive: frozenset[str] = field(default_factory=frozenset)


def _connect(session: Session, intro: Intro, now: datetime) -> Connected:
    intro.status = "connected"
    intro.connected_at = now
    intro.updated_at = now
    inactive = deactivated(session, intro.team_id,
                           [intro.introducer_id or "", intro.a_id or "", intro.b_id or ""])
    return Connected(Connect.CONNECTED, _view(intro), frozenset(inactive))


def note_message(session: Session, team_id: str, channel_id: str, user_id: str,
                 now: datetime) -> Connected:
    """Someone wrote in a group DM. Connected once both a and b have written there."""
    intro = session.scalars(
        select(Intro).where(Intro.team_id == team_id, Intro.group_channel_id == channel_id,
                            Intro.status.in_(("open", "connected")))
        .order_by(Intro.opened_at.desc(), Intro.id.desc()).limit(1).with_for_update()
    ).one_or_none()
    if intro is None:
        return Connected(Connect.NOT_FOUND)
    if user_id not in (intro.a_id, intro.b_id):
        return Connected(Connect.NOT_A_PARTY, _view(intro))
    if intro.status == "connected":
        return Connected(Connect.ALREADY_CONNECTED, _view(intro))
    if user_id == intro.a_id and intro.a_spoke_at is None:
        intro.a_spoke_at = now
    elif user_id == intro.b_id and intro.b_spoke_at is None:
        intro.b_spoke_at = now
    if intro.a_spoke_at is not None and intro.b_spoke_at is not None:
        return _connect(session, intro, now)
    intro.updated_at = now
    return Connected(Connect.NOTED, _view(intro))


def is_intro_group(session: Session, team_id: str, channel_id: str) -> bool:
    return session.scalar(
        select(Intro.id).where(Intro.team_id == team_id, Intro.group_channel_id == channel_id).limit(1)
    ) is not None


def mark_connected(session: Session, team_id: str, intro_id: int, user_id: str,
                   now: datetime) -> Connected:
    """`intro_connected`: either party says they have connected."""
    intro = session.get(Intro, intro_id, with_for_update=True)
    if intro is None or intro.team_id != team_id:
        return Connected(Connect.NOT_FOUND)
    if user_id not in (intro.a_id, intro.b_id):
        return Connected(Connect.NOT_A_PARTY, _view(intro))
    if intro.status == "connected":
        return Connected(Connect.ALREADY_CONNECTED, _view(intro))
    if intro.status != "open":
        return Connected(Connect.NOT_OPEN, _view(intro))
    return _connect(session, intro, now)
