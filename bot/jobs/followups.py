"""Planning "how did it go?" (help with a note, `followup_days` later) and "was it worth it?"
(an intro, `intro_followup_days` after it connected). Each question is keyed by what it asks
about, so it is asked once however often the job runs, and gathered into the person's
questions DM (bot/services/questions.py): a private nudge, in their working hours, at most
once a day. What it asks is read again from the database when it goes out. The kinds below
send questions planned one by one before they were gathered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.blocks.followups import build_followup_question, build_intro_followup_question
from bot.db.models import Workspace
from bot.db.session import Database
from bot.delivery.kinds import Call, Kind, Rendering, Skip, register_kind
from bot.services import questions
from bot.services.delivery import Outgoing
from bot.services.followups import (
    FOLLOWUP,
    INTRO_FOLLOWUP,
    help_questions_due,
    help_still_asked,
    intro_questions_due,
    intro_still_asked,
)
from bot.services.nudges import active_workspaces


def plan_followups(db: Database, now: datetime) -> int:
    """One question per piece of help recorded with a note (one /thanks naming several people
    is one question)."""
    planned = 0
    with db.session() as session:
        for workspace in active_workspaces(session):
            for question in help_questions_due(session, workspace, now):
                planned += questions.ask(session, workspace, question.receiver_id, question.key,
                                         FOLLOWUP, str(question.record_ids[0]), now)
    return planned


def plan_intro_followups(db: Database, now: datetime) -> int:
    """One question to each of the two people an intro connected."""
    planned = 0
    with db.session() as session:
        for workspace in active_workspaces(session):
            for question in intro_questions_due(session, workspace, now):
                planned += questions.ask(session, workspace, question.party_id, question.key,
                                         INTRO_FOLLOWUP, str(question.intro_id), now)
    return planned


# -- rendering and last checks --------------------------------------------------------------

def _record_ids(payload: dict[str, Any]) -> list[int]:
    return [int(i) for i in payload.get("records") or [] if str(i).isdigit()]


def _help_wanted(session: Session, workspace: Workspace, row: Outgoing, now: datetime) -> str | None:
    records = help_still_asked(session, row.team_id, _record_ids(row.payload))
    if not [r for r in records if r.receiver_id == row.recipient_id]:
        return "the help was taken back, or someone left or was forgotten"
    return None


def _render_help(r: Rendering) -> Call:
    records = [rec for rec in help_still_asked(r.session, r.row.team_id, _record_ids(r.payload))
               if rec.receiver_id == r.row.recipient_id]
    if not records:
        raise Skip("nothing left to ask about")
    return build_followup_question(list(dict.fromkeys(rec.helper_id or "" for rec in records)),
                                   records[0].note, records[0].created_at,
                                   [rec.id for rec in records])


def _intro_wanted(session: Session, workspace: Workspace, row: Outgoing, now: datetime) -> str | None:
    intro = intro_still_asked(session, row.team_id, int(row.subject or 0))
    if intro is None or row.recipient_id not in (intro.a_id, intro.b_id):
        return "the intro is no longer there, or someone in it left or was forgotten"
    return None


def _render_intro(r: Rendering) -> Call:
    intro = intro_still_asked(r.session, r.row.team_id, int(r.row.subject or 0))
    if intro is None or intro.connected_at is None:
        raise Skip("nothing left to ask about")
    other = intro.b_id if r.row.recipient_id == intro.a_id else intro.a_id
    return build_intro_followup_question(intro.id, intro.introducer_id or "", other or "",
                                         intro.reason, intro.connected_at)


register_kind(Kind(FOLLOWUP, _render_help, nudge=True, still_wanted=_help_wanted))
register_kind(Kind(INTRO_FOLLOWUP, _render_intro, nudge=True, still_wanted=_intro_wanted))
