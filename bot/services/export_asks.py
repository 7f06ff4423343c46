"""The export's asks, offers and "ask me about" lists (keys `asks`, `offers`,
`ask_me_about`), in the shape of bot/services/export.py: ids as Slack ids, times as ISO 8601
UTC. Each offer says where it was made (`via`: "channel", the button on the channel post)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Ask, AskMeAbout, AskOffer


def iso(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value is not None else None


def ask_rows(session: Session, team_id: str) -> list[dict[str, Any]]:
    return [
        {"id": a.id, "asker": a.asker_id, "text": a.text, "channel": a.channel_id,
         "source": a.source, "status": a.status, "created_at": iso(a.created_at),
         "closed_at": iso(a.closed_at)}
        for a in session.scalars(select(Ask).where(Ask.team_id == team_id).order_by(Ask.id))
    ]


def offer_rows(session: Session, team_id: str) -> list[dict[str, Any]]:
    return [
        {"id": o.id, "ask": o.ask_id, "helper": o.helper_id, "status": o.status, "via": o.via,
         "created_at": iso(o.created_at), "accepted_at": iso(o.accepted_at)}
        for o in session.scalars(select(AskOffer).where(AskOffer.team_id == team_id)
                                 .order_by(AskOffer.id))
    ]


def ask_me_about_rows(session: Session, team_id: str) -> list[dict[str, Any]]:
    return [
        {"id": m.id, "user": m.user_id, "text": m.text, "created_at": iso(m.created_at)}
        for m in session.scalars(select(AskMeAbout).where(AskMeAbout.team_id == team_id)
                                 .order_by(AskMeAbout.id))
    ]
