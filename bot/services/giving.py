"""Noticing the over-giver, privately: someone whose help over the window went to many
people and came back from almost no one gets, at most once a quarter, a warm note that it is
fine to protect their time — with a way to pause incoming asks for two weeks (while paused,
Mutual never suggests them to someone asking for help). Never a score, never public."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from bot.db.models import Member, OutboxItem, Workspace
from bot.db.upsert import insert_ignore
from bot.services.counts import window_params, window_rows
from bot.services.outbox import LIVE

PROTECT_TIME = "protect_time"  # outbox kind: the private note (bot/jobs/asks.py)
PAUSE_DAYS = 14
QUARTER = timedelta(days=91)


@dataclass(frozen=True)
class OverGiver:
    user_id: str
    people_helped: int
    people_back: int


_WINDOW = window_rows("given")  # the window's help, from the kept counts


def over_givers(session: Session, workspace: Workspace, now: datetime) -> list[OverGiver]:
    """People who, over the window, helped at least `over_giver_people` others and were
    helped by at most `over_giver_back_max`; not deactivated, not bots, not with suggestions
    off or snoozed, and not sent the note in the last quarter."""
    team = workspace.team_id
    w = _WINDOW
    rows = session.execute(select(w.c.helper_id, w.c.receiver_id).where(
        w.c.helper_id.is_not(None), w.c.receiver_id.is_not(None)).distinct(),
        window_params(team, now - timedelta(days=workspace.window_days), now)).all()
    helped: dict[str, set[str]] = {}
    back: dict[str, set[str]] = {}
    for helper, receiver in rows:
        if helper and receiver and helper != receiver:
            helped.setdefault(helper, set()).add(receiver)
            back.setdefault(receiver, set()).add(helper)
    found = [OverGiver(u, len(people), len(back.get(u, ())))
             for u, people in helped.items()
             if len(people) >= workspace.over_giver_people
             and len(back.get(u, ())) <= workspace.over_giver_back_max]
    if not found:
        return []
    left_out = set(session.scalars(select(Member.user_id).where(
        Member.team_id == team, Member.user_id.in_([f.user_id for f in found]),
        or_(Member.deleted.is_(True), Member.is_bot.is_(True), Member.nudges_enabled.is_(False),
            Member.snoozed_until > now))))
    left_out |= set(session.scalars(select(OutboxItem.recipient_id).where(
        OutboxItem.team_id == team, OutboxItem.kind == PROTECT_TIME,
        or_(OutboxItem.status.in_(LIVE),
            and_(OutboxItem.status == "sent", OutboxItem.sent_at > now - QUARTER)))))
    return sorted((f for f in found if f.user_id not in left_out), key=lambda f: f.user_id)


def pause_asks(session: Session, team_id: str, user_id: str, now: datetime,
               days: int = PAUSE_DAYS) -> datetime:
    """Not suggested to askers until the returned instant."""
    member = session.get(Member, (team_id, user_id))
    if member is None:
        # Not looked up yet: a row whose profile counts as stale, so it is fetched when needed.
        insert_ignore(session, Member, {"team_id": team_id, "user_id": user_id,
                                        "fetched_at": now - timedelta(days=365)})
        member = session.get(Member, (team_id, user_id))
        assert member is not None
    member.asks_paused_until = now + timedelta(days=days)
    return member.asks_paused_until


def asks_paused_until(session: Session, team_id: str, user_id: str,
                      now: datetime) -> datetime | None:
    member = session.get(Member, (team_id, user_id))
    until = member.asks_paused_until if member is not None else None
    return until if until is not None and until > now else None


def recently_noted(session: Session, team_id: str, user_id: str, now: datetime) -> bool:
    """A note went out (or is on its way) to them within the quarter."""
    return bool(session.scalar(select(exists().where(
        OutboxItem.team_id == team_id, OutboxItem.kind == PROTECT_TIME,
        OutboxItem.recipient_id == user_id,
        or_(OutboxItem.status.in_(LIVE),
            and_(OutboxItem.status == "sent", OutboxItem.sent_at > now - QUARTER))))))
