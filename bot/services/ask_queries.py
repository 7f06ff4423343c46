"""Reading asks and offers: a person's own (`/mutual asks`, and issue 13's suggestions, which
list a person's open asks newest first) and what the scheduler follows up. Changes of state
are in bot/services/asks.py."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from bot.db.models import Ask, AskOffer, Workspace
from bot.services.asks import LIST_MAX, STANDING, AskView, OfferView, ask_view, offer_view

# -- a person's own view (`/mutual asks`) -------------------------------------------------------

def offers_on(session: Session, team_id: str, ask_id: int,
              statuses: tuple[str, ...] = STANDING) -> list[OfferView]:
    return [offer_view(o) for o in session.scalars(select(AskOffer).where(
        AskOffer.team_id == team_id, AskOffer.ask_id == ask_id, AskOffer.status.in_(statuses),
        AskOffer.helper_id.is_not(None)).order_by(AskOffer.id))]


def open_asks_of(session: Session, team_id: str, user_id: str,
                 limit: int = LIST_MAX) -> list[AskView]:
    """The person's open asks, newest first."""
    return [ask_view(a) for a in session.scalars(select(Ask).where(
        Ask.team_id == team_id, Ask.asker_id == user_id, Ask.status == "open")
        .order_by(Ask.created_at.desc(), Ask.id.desc()).limit(limit))]


def open_asks_by(session: Session, team_id: str, asker_ids: list[str], limit: int = 3,
                 not_offered_by: str | None = None) -> list[AskView]:
    """Open asks of any of these people, newest first; with `not_offered_by`, leaving out
    the asks that person already offered on (for "pass it on" suggestions)."""
    if not asker_ids:
        return []
    query = select(Ask).where(Ask.team_id == team_id, Ask.asker_id.in_(asker_ids),
                              Ask.status == "open")
    if not_offered_by is not None:
        query = query.where(~exists().where(AskOffer.team_id == Ask.team_id,
                                            AskOffer.ask_id == Ask.id,
                                            AskOffer.helper_id == not_offered_by))
    return [ask_view(a) for a in session.scalars(
        query.order_by(Ask.created_at.desc(), Ask.id.desc()).limit(limit))]


def open_offers_of(session: Session, team_id: str, user_id: str,
                   limit: int = LIST_MAX) -> list[tuple[OfferView, AskView]]:
    """Offers the person made that still stand, on asks still open, newest first."""
    rows = session.execute(select(AskOffer, Ask).join(Ask, Ask.id == AskOffer.ask_id).where(
        AskOffer.team_id == team_id, AskOffer.helper_id == user_id,
        AskOffer.status.in_(STANDING), Ask.status == "open")
        .order_by(AskOffer.created_at.desc(), AskOffer.id.desc()).limit(limit)).all()
    return [(offer_view(o), ask_view(a)) for o, a in rows]


# -- for the scheduler ----------------------------------------------------------------------------

def offers_to_remind(session: Session, workspace: Workspace, now: datetime) -> list[OfferView]:
    """Accepted offers on open asks, not followed up for `offer_reminder_days`."""
    cutoff = now - timedelta(days=workspace.offer_reminder_days)
    return [offer_view(o) for o in session.scalars(
        select(AskOffer).join(Ask, Ask.id == AskOffer.ask_id).where(
            AskOffer.team_id == workspace.team_id, AskOffer.status == "accepted",
            AskOffer.accepted_at <= cutoff, AskOffer.helper_id.is_not(None),
            Ask.status == "open").order_by(AskOffer.id))]


def has_offers(session: Session, team_id: str, ask_id: int) -> bool:
    return bool(session.scalar(select(exists().where(
        AskOffer.team_id == team_id, AskOffer.ask_id == ask_id,
        AskOffer.status.in_((*STANDING, "helped"))))))


def asks_without_offers(session: Session, workspace: Workspace, now: datetime) -> list[AskView]:
    """Open asks nobody has offered on for `ask_suggest_days`."""
    cutoff = now - timedelta(days=workspace.ask_suggest_days)
    offered = exists().where(AskOffer.team_id == Ask.team_id, AskOffer.ask_id == Ask.id,
                             AskOffer.status.in_((*STANDING, "helped")))
    return [ask_view(a) for a in session.scalars(select(Ask).where(
        Ask.team_id == workspace.team_id, Ask.status == "open", Ask.created_at <= cutoff,
        Ask.asker_id.is_not(None), ~offered).order_by(Ask.id))]


def asks_to_expire(session: Session, workspace: Workspace, now: datetime) -> list[AskView]:
    cutoff = now - timedelta(days=workspace.ask_expiry_days)
    return [ask_view(a) for a in session.scalars(select(Ask).where(
        Ask.team_id == workspace.team_id, Ask.status == "open", Ask.created_at <= cutoff)
        .order_by(Ask.id))]
