"""`/offer <what you can help with>`: a person's own "ask me about" list, at most five
entries. Others see it only when they look at their history with that person
(`/mutual with @a`), and it helps Mutual suggest people privately to someone asking; there is
no public directory, and nobody is ranked."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.db.models import AskMeAbout

OFFERS_MAX = 5
OFFER_TEXT_MAX = 150


@dataclass(frozen=True)
class AboutView:
    id: int
    user_id: str
    text: str
    created_at: datetime


class Added(enum.Enum):
    ADDED = "added"
    DUPLICATE = "duplicate"
    FULL = "full"
    TOO_LONG = "too_long"


def offers_of(session: Session, team_id: str, user_id: str) -> list[AboutView]:
    """The person's list, in the order they added it."""
    return [AboutView(a.id, a.user_id, a.text, a.created_at) for a in session.scalars(
        select(AskMeAbout).where(AskMeAbout.team_id == team_id, AskMeAbout.user_id == user_id)
        .order_by(AskMeAbout.created_at, AskMeAbout.id))]


def add_offer(session: Session, team_id: str, user_id: str, text: str,
              now: datetime) -> tuple[Added, list[AboutView]]:
    """Add an entry (the same words twice count once); refused past OFFERS_MAX."""
    text = " ".join(text.split())
    if len(text) > OFFER_TEXT_MAX:
        return Added.TOO_LONG, offers_of(session, team_id, user_id)
    mine = offers_of(session, team_id, user_id)
    if any(a.text.casefold() == text.casefold() for a in mine):
        return Added.DUPLICATE, mine
    if len(mine) >= OFFERS_MAX:
        return Added.FULL, mine
    session.add(AskMeAbout(team_id=team_id, user_id=user_id, text=text, created_at=now))
    session.flush()
    return Added.ADDED, offers_of(session, team_id, user_id)


def remove_offer(session: Session, team_id: str, user_id: str, about_id: int) -> bool:
    """Only the person's own entry can go."""
    gone = session.execute(delete(AskMeAbout).where(
        AskMeAbout.team_id == team_id, AskMeAbout.user_id == user_id, AskMeAbout.id == about_id)
        .returning(AskMeAbout.id)).first()
    return gone is not None


def offer_count(session: Session, team_id: str, user_id: str) -> int:
    return int(session.scalar(select(func.count()).select_from(AskMeAbout).where(
        AskMeAbout.team_id == team_id, AskMeAbout.user_id == user_id)) or 0)
