"""Lists, and the scheduler's queries: it decides when to send what they find."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import BindParameter, ColumnElement, bindparam, or_, select
from sqlalchemy.orm import Session

from bot.db.models import Intro, Member, Workspace
from bot.services.intros.views import ACTIVE, IntroDue, IntroView, _lapsed, _settings, _view
from bot.services.tact import may_tell

# -- lists and the scheduler's queries ---------------------------------------------------------

_THEIRS: BindParameter[str] = bindparam("user")
_OPEN_FOR = (select(Intro).where(Intro.team_id == bindparam("team"), Intro.status.in_(ACTIVE),
                                 or_(Intro.introducer_id == _THEIRS, Intro.a_id == _THEIRS,
                                     Intro.b_id == _THEIRS))
             .order_by(Intro.created_at.desc(), Intro.id.desc()))  # built once: every Home


def open_intros_for(session: Session, team_id: str, user_id: str) -> list[IntroView]:
    """Proposed or open intros where `user_id` is the introducer, a or b; newest first."""
    return [_view(i) for i in session.scalars(_OPEN_FOR, {"team": team_id, "user": user_id})]


def _active(session: Session, team_id: str, who: ColumnElement[bool]) -> list[Intro]:
    """Proposed or open intros of the workspace matching `who`, newest first."""
    return list(session.scalars(
        select(Intro).where(Intro.team_id == team_id, Intro.status.in_(ACTIVE), who)
        .order_by(Intro.created_at.desc(), Intro.id.desc())))


def _installed(session: Session, status: str) -> list[tuple[Intro, Workspace]]:
    rows = session.execute(
        select(Intro, Workspace).join(Workspace, Workspace.team_id == Intro.team_id)
        .where(Intro.status == status, Workspace.uninstalled_at.is_(None))
        .order_by(Intro.team_id, Intro.created_at, Intro.id)
    ).all()
    return [(intro, workspace) for intro, workspace in rows]


def _deactivated_by_team(session: Session, teams: set[str]) -> set[tuple[str, str]]:
    if not teams:
        return set()
    rows = session.execute(
        select(Member.team_id, Member.user_id).where(Member.team_id.in_(teams), Member.deleted.is_(True))
    ).all()
    return {(t, u) for t, u in rows}


def _due(intro: Intro, recipient: str, other: str) -> IntroDue:
    return IntroDue(team_id=intro.team_id, intro_id=intro.id, user_id=recipient,
                    introducer_id=intro.introducer_id or "", other_id=other, reason=intro.reason,
                    created_at=intro.created_at, a_id=intro.a_id or "", b_id=intro.b_id or "",
                    group_channel_id=intro.group_channel_id, opened_at=intro.opened_at)


def intros_needing_reminder(session: Session, now: datetime) -> list[IntroDue]:
    """Proposed intros pending longer than `intro_reminder_days` (and not yet lapsed): one
    entry per party who has not answered. Skipped when any of the three has been deactivated."""
    rows = _installed(session, "proposed")
    gone = _deactivated_by_team(session, {i.team_id for i, _ in rows})
    due: list[IntroDue] = []
    for intro, ws in rows:
        age = now - intro.created_at
        if not timedelta(days=ws.intro_reminder_days) < age <= timedelta(days=ws.intro_expiry_days):
            continue
        people = (intro.introducer_id, intro.a_id, intro.b_id)
        if any((intro.team_id, p) in gone for p in people):
            continue
        for party, answer, other in ((intro.a_id, intro.a_answer, intro.b_id),
                                     (intro.b_id, intro.b_answer, intro.a_id)):
            if answer is None:
                due.append(_due(intro, party or "", other or ""))
    return due


def intros_to_expire(session: Session, now: datetime) -> list[IntroDue]:
    """Proposed intros past `intro_expiry_days`, declined or simply unanswered alike; the
    recipient is the introducer.

    Every such intro is listed so it does expire; the sender should not DM an introducer
    who has been deactivated (see `deactivated`)."""
    return [
        _due(intro, intro.introducer_id or "", intro.a_id or "")
        for intro, ws in _installed(session, "proposed")
        if may_tell(intro.created_at, ws.intro_expiry_days, now)
    ]


def expire_intro(session: Session, intro_id: int, now: datetime) -> IntroView | None:
    """proposed → declined (someone said "not now") or expired (nobody answered in time); None
    when it was no longer proposed (it opened, or was called off, meanwhile)."""
    intro = session.get(Intro, intro_id, with_for_update=True)
    if intro is None or intro.status != "proposed":
        return None
    intro.status = "declined" if "declined" in (intro.a_answer, intro.b_answer) else "expired"
    intro.updated_at = now
    return _view(intro)


def silent_parties(session: Session, now: datetime) -> list[IntroDue]:
    """Open intros where a party has not written in the group DM for more than
    `intro_silent_days` since it opened; the recipient is the silent party. Nobody is nudged
    about, or as, someone who has been deactivated."""
    rows = _installed(session, "open")
    gone = _deactivated_by_team(session, {i.team_id for i, _ in rows})
    due: list[IntroDue] = []
    for intro, ws in rows:
        if intro.opened_at is None or now - intro.opened_at <= timedelta(days=ws.intro_silent_days):
            continue
        if (intro.team_id, intro.a_id) in gone or (intro.team_id, intro.b_id) in gone:
            continue
        for party, spoke, other in ((intro.a_id, intro.a_spoke_at, intro.b_id),
                                    (intro.b_id, intro.b_spoke_at, intro.a_id)):
            if spoke is None:
                due.append(_due(intro, party or "", other or ""))
    return due


def waiting_intros(session: Session, team_id: str, now: datetime) -> list[IntroView]:
    """For the channel digest: proposed intros still waiting for an answer, and open ones where
    someone has been silent past `intro_silent_days`. Intros naming a deactivated person are
    left out (they are never named in new posts). `IntroView.waiting_on` says who it waits for."""
    workspace = _settings(session, team_id)
    if workspace is None:
        return []
    gone = {u for _, u in _deactivated_by_team(session, {team_id})}
    rows = session.scalars(
        select(Intro).where(Intro.team_id == team_id, Intro.status.in_(ACTIVE))
        .order_by(Intro.created_at, Intro.id)
    ).all()
    silent = timedelta(days=workspace.intro_silent_days)
    result: list[IntroView] = []
    for intro in rows:
        if {intro.introducer_id, intro.a_id, intro.b_id} & gone:
            continue
        if intro.status == "proposed" and _lapsed(intro, workspace, now):
            continue
        if intro.status == "open" and (intro.opened_at is None or now - intro.opened_at <= silent):
            continue
        result.append(_view(intro))
    return result


def intro_rows(session: Session, team_id: str) -> Iterator[IntroView]:
    """Every intro of a workspace, oldest first (export), fetched a batch at a time."""
    query = select(Intro).where(Intro.team_id == team_id).order_by(Intro.id)
    return (_view(i) for i in session.scalars(query.execution_options(yield_per=1_000)))
