"""Following introductions through (PRODUCT.md §3.4): one reminder to whoever has not answered
and one nudge to a party who stays silent (questions, gathered into their questions DM), and
the lapse: an intro nobody answered in time — or that someone said "not now" to — closes, the
introducer and whoever said yes hear it won't go ahead for now (the same words either way),
and every message about it loses its buttons."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.blocks.intros import (
    build_intro_closed_notice,
    build_intro_expired_notice,
    build_intro_reminder,
    build_intro_silent_nudge,
    build_request_closed_notice,
)
from bot.db.models import Intro, Workspace
from bot.db.session import Database
from bot.delivery.kinds import Kind, from_payload, register_kind
from bot.services import closing, intros, outbox, questions
from bot.services.delivery import Outgoing
from bot.services.intros import (
    IntroDue,
    expire_intro,
    intros_needing_reminder,
    intros_to_expire,
    silent_parties,
)
from bot.services.nudges import (
    INTRO_CLOSED,
    INTRO_EXPIRED,
    INTRO_REMINDER,
    INTRO_SILENT,
    REQUEST_CLOSED,
)
from bot.services.outbox import enqueue


def _payload(due: IntroDue) -> dict[str, Any]:
    return {"intro_id": due.intro_id, "introducer": due.introducer_id, "other": due.other_id,
            "reason": due.reason, "a": due.a_id, "b": due.b_id, "group": due.group_channel_id}


def plan_intro_reminders(db: Database, now: datetime) -> int:
    planned = 0
    with db.session() as session:
        for due in intros_needing_reminder(session, now):
            planned += _ask(session, due, INTRO_REMINDER, now)
    return planned


def _ask(session: Session, due: IntroDue, family: str, now: datetime) -> bool:
    workspace = session.get(Workspace, due.team_id)
    return workspace is not None and questions.ask(
        session, workspace, due.user_id, f"{family}:{due.intro_id}:{due.user_id}", family,
        str(due.intro_id), now)


def expire_intros(db: Database, now: datetime) -> int:
    """Close intros that have lapsed; their notices are written in the same transaction."""
    expired = 0
    with db.session() as session:
        for due in intros_to_expire(session, now):
            intro = expire_intro(session, due.intro_id, now)
            if intro is None:
                continue
            expired += 1
            enqueue(session, due.team_id, f"{INTRO_EXPIRED}:{due.intro_id}", INTRO_EXPIRED,
                    due.user_id, _payload(due), now, now, subject=str(due.intro_id))
            for party in intro.parties:
                if intro.answer_of(party) == "accepted":
                    enqueue(session, due.team_id, f"{INTRO_CLOSED}:{intro.id}:{party}", INTRO_CLOSED,
                            party, {"introducer": intro.introducer_id, "other": intro.other(party)},
                            now, now, subject=str(intro.id))
            for party in intro.parties:  # a "not now" already shows as its sayer left it
                if intro.answer_of(party) != "declined":
                    closing.ended(session, due.team_id, closing.INTRO, intro.id, now,
                                  only=closing.ASKING, to=party)
            outbox.refresh_home(session, due.team_id, intro.introducer_id, *intro.parties, now=now)
    return expired


def close_requests(db: Database, now: datetime) -> int:
    """Requests for an introduction that have lapsed — the connector said "not now", or never
    answered — close; the requester hears it the same way either way."""
    closed = 0
    with db.session() as session:
        for request in intros.close_requests(session, now):
            closed += 1
            enqueue(session, request.team_id, f"{REQUEST_CLOSED}:{request.id}", REQUEST_CLOSED,
                    request.requester_id, {"connector": request.connector_id,
                                           "target": request.target_id}, now, now,
                    subject=str(request.id))
            closing.ended(session, request.team_id, closing.REQUEST, request.id, now)
            outbox.refresh_home(session, request.team_id, request.requester_id, now=now)
    return closed


def plan_silent_nudges(db: Database, now: datetime) -> int:
    planned = 0
    with db.session() as session:
        for due in silent_parties(session, now):
            planned += _ask(session, due, INTRO_SILENT, now)
    return planned


# -- rendering and last checks --------------------------------------------------------------

def _intro(session: Session, row: Outgoing) -> Intro | None:
    intro = session.get(Intro, int(row.subject or 0))
    return intro if intro is not None and intro.team_id == row.team_id else None


def _reminder_wanted(session: Session, workspace: Workspace, row: Outgoing, now: datetime) -> str | None:
    intro = _intro(session, row)
    if intro is None or intro.status != "proposed":
        return "intro no longer waiting"
    answer = intro.a_answer if intro.a_id == row.recipient_id else intro.b_answer
    return "already answered" if answer is not None else None


def _silent_wanted(session: Session, workspace: Workspace, row: Outgoing, now: datetime) -> str | None:
    intro = _intro(session, row)
    if intro is None or intro.status != "open":
        return "intro no longer open"
    spoke = intro.a_spoke_at if intro.a_id == row.recipient_id else intro.b_spoke_at
    return "already wrote" if spoke is not None else None


register_kind(Kind(INTRO_REMINDER, from_payload(lambda p: build_intro_reminder(
    int(p["intro_id"]), p["introducer"], p["other"], p.get("reason", ""))),
    nudge=True, still_wanted=_reminder_wanted))
register_kind(Kind(INTRO_EXPIRED, from_payload(lambda p: build_intro_expired_notice(
    p.get("a") or p["other"], p.get("b") or "", p.get("reason", ""))), nudge=True))
register_kind(Kind(REQUEST_CLOSED, from_payload(lambda p: build_request_closed_notice(
    p.get("connector") or "", p.get("target") or "")), nudge=True))
register_kind(Kind(INTRO_CLOSED, from_payload(lambda p: build_intro_closed_notice(
    p.get("introducer") or "", p.get("other") or "")), nudge=True))
register_kind(Kind(INTRO_SILENT, from_payload(lambda p: build_intro_silent_nudge(
    int(p["intro_id"]), p["introducer"], p["other"], p.get("group"))),
    nudge=True, still_wanted=_silent_wanted))
