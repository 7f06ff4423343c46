"""Following introductions through (PRODUCT.md §3.4): one reminder to whoever has not answered,
expiry with a note to the introducer, and one nudge to a party who stays silent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.blocks.intros import (
    build_intro_expired_notice,
    build_intro_reminder,
    build_intro_silent_nudge,
)
from bot.db.models import Intro, Workspace
from bot.db.session import Database
from bot.delivery.kinds import Kind, from_payload, register_kind
from bot.services.delivery import Outgoing
from bot.services.intros import (
    IntroDue,
    expire_intro,
    intros_needing_reminder,
    intros_to_expire,
    silent_parties,
)
from bot.services.nudges import INTRO_EXPIRED, INTRO_REMINDER, INTRO_SILENT
from bot.services.outbox import enqueue


def _payload(due: IntroDue) -> dict[str, Any]:
    return {"intro_id": due.intro_id, "introducer": due.introducer_id, "other": due.other_id,
            "reason": due.reason, "a": due.a_id, "b": due.b_id, "group": due.group_channel_id}


def plan_intro_reminders(db: Database, now: datetime) -> int:
    planned = 0
    with db.session() as session:
        for due in intros_needing_reminder(session, now):
            planned += enqueue(session, due.team_id, f"{INTRO_REMINDER}:{due.intro_id}:{due.user_id}",
                               INTRO_REMINDER, due.user_id, _payload(due), now, now,
                               subject=str(due.intro_id))
    return planned


def expire_intros(db: Database, now: datetime) -> int:
    """Lapse unanswered intros; the introducer's notice is written in the same transaction."""
    expired = 0
    with db.session() as session:
        for due in intros_to_expire(session, now):
            if not expire_intro(session, due.intro_id, now):
                continue
            expired += 1
            enqueue(session, due.team_id, f"{INTRO_EXPIRED}:{due.intro_id}", INTRO_EXPIRED,
                    due.user_id, _payload(due), now, now, subject=str(due.intro_id))
    return expired


def plan_silent_nudges(db: Database, now: datetime) -> int:
    planned = 0
    with db.session() as session:
        for due in silent_parties(session, now):
            planned += enqueue(session, due.team_id, f"{INTRO_SILENT}:{due.intro_id}:{due.user_id}",
                               INTRO_SILENT, due.user_id, _payload(due), now, now,
                               subject=str(due.intro_id))
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
register_kind(Kind(INTRO_SILENT, from_payload(lambda p: build_intro_silent_nudge(
    int(p["intro_id"]), p["introducer"], p["other"], p.get("group"))),
    nudge=True, still_wanted=_silent_wanted))
