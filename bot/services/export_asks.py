"""The export's asks, offers and "ask me about" lists (keys `asks`, `offers`,
`ask_me_about`), in the shape of bot/services/export.py: ids as Slack ids, times as ISO 8601
UTC. Each offer says where it was made (`via`: "channel", the button on the channel post;
"suggestion", the asker's private suggestion of people; "nudge", a one-sided suggestion's
*I can help*). `offers_by_via` measures how many asks were answered from suggestions: per
`via`, aggregate only, each count shown only where at least `PRIVACY_FLOOR` people are behind
it and it is itself at least that large ("fewer than 5" otherwise)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from bot.db.models import Ask, AskMeAbout, AskOffer
from bot.services.asks import VIAS
from bot.services.summary import PRIVACY_FLOOR

BELOW_FLOOR = f"fewer than {PRIVACY_FLOOR}"


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


def floored(count: int, people: int) -> int | str:
    """A count as the export shows it: only from the privacy floor up, in count and people."""
    return count if count >= PRIVACY_FLOOR and people >= PRIVACY_FLOOR else BELOW_FLOOR


def offers_by_via(session: Session, team_id: str) -> list[dict[str, Any]]:
    """Per `via`: offers made, offers the asker took up, and asks answered (solved naming
    someone who offered there) — never who."""
    o = AskOffer
    helped = o.status == "helped"
    taken = o.accepted_at.is_not(None) | helped
    rows = {via: (offers, offerers, took, took_people, answered, answerers)
            for via, offers, offerers, took, took_people, answered, answerers in session.execute(
                select(o.via, func.count(), func.count(distinct(o.helper_id)),
                       func.count(case((taken, o.id))),
                       func.count(distinct(case((taken, o.helper_id)))),
                       func.count(distinct(case((helped, o.ask_id)))),
                       func.count(distinct(case((helped, o.helper_id)))))
                .where(o.team_id == team_id).group_by(o.via))}
    result = []
    for via in (*VIAS, *sorted(set(rows) - set(VIAS))):
        offers, offerers, took, took_people, answered, answerers = rows.get(via, (0,) * 6)
        result.append({"via": via, "offers": floored(offers, offerers),
                       "taken_up": floored(took, took_people),
                       "asks_answered": floored(answered, answerers)})
    return result


def ask_me_about_rows(session: Session, team_id: str) -> list[dict[str, Any]]:
    return [
        {"id": m.id, "user": m.user_id, "text": m.text, "created_at": iso(m.created_at)}
        for m in session.scalars(select(AskMeAbout).where(AskMeAbout.team_id == team_id)
                                 .order_by(AskMeAbout.id))
    ]
