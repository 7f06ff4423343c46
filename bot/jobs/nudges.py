"""Planning private nudges: one-sided relationships and unconfirmed claims.

Planning only writes outbox rows (bot/services/outbox.py) with their unique keys; delivery
(bot/delivery/run.py) sends them in the recipient's working hours."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.blocks.nudges import build_claim_reminder, build_one_sided_nudge
from bot.db.models import HelpRecord, Member, Workspace
from bot.db.session import Database
from bot.delivery.kinds import Kind, Rendering, from_payload, register_kind
from bot.services import questions
from bot.services.balance import one_sided_pairs, recent_notes, still_one_sided, window_start
from bot.services.delivery import Outgoing
from bot.services.nudges import CLAIM_REMINDER, ONE_SIDED, active_workspaces, is_muted
from bot.services.outbox import enqueue
from bot.services.planning import people_to_plan
from bot.services.planning import planned as planning_done
from bot.services.ways_to_give import ways_to_give


def plan_one_sided(db: Database, now: datetime) -> int:
    """A nudge for each person who keeps receiving from someone and never gave back, within
    the caps and cooldowns. Returns how many were newly planned."""
    planned = 0
    with db.session() as session:
        for workspace in active_workspaces(session):
            since = window_start(workspace, now)
            # Only the people whose situation changed since the last run (everyone, weekly).
            among = people_to_plan(session, workspace, now)
            found = one_sided_pairs(session, workspace, now, among=among) if among != set() else []
            planning_done(session, workspace.team_id, now, everyone=among is None)
            for pair in found:
                notes = recent_notes(session, workspace.team_id, pair.helper_id,
                                     pair.receiver_id, since)
                payload = {"helper": pair.helper_id, "count": pair.count,
                           "window_days": workspace.window_days, "notes": notes,
                           "passed_on": pair.passed_on}
                # One per person per day even if two runners race; the cooldowns do the rest.
                key = f"{ONE_SIDED}:{pair.receiver_id}:{now:%Y-%m-%d}"
                planned += enqueue(session, workspace.team_id, key, ONE_SIDED, pair.receiver_id,
                                   payload, now, now, subject=pair.helper_id)
    return planned


def plan_claim_reminders(db: Database, now: datetime) -> int:
    """One reminder to confirm each `/helped` claim pending for `claim_reminder_days`: a
    question, gathered into the receiver's questions DM."""
    planned = 0
    with db.session() as session:
        for workspace in active_workspaces(session):
            cutoff = now - timedelta(days=workspace.claim_reminder_days)
            claims = session.scalars(select(HelpRecord).where(
                HelpRecord.team_id == workspace.team_id, HelpRecord.source == "claim",
                HelpRecord.status == "pending", HelpRecord.created_at <= cutoff,
                or_(HelpRecord.expires_at.is_(None), HelpRecord.expires_at > now),
                HelpRecord.receiver_id.is_not(None), HelpRecord.helper_id.is_not(None),
            ).order_by(HelpRecord.id))
            for claim in claims:
                planned += questions.ask(session, workspace, claim.receiver_id or "",
                                         f"{CLAIM_REMINDER}:{claim.id}", CLAIM_REMINDER,
                                         str(claim.id), now)
    return planned


# -- rendering and last checks --------------------------------------------------------------

def _render_one_sided(rendering: Rendering) -> dict[str, Any]:
    """Rendered as it goes out (it may have waited for working hours): the asks it points to
    are the ones open now."""
    p, row = rendering.payload, rendering.row
    since = window_start(rendering.workspace, rendering.now)
    ways = ways_to_give(rendering.session, row.team_id, row.recipient_id, p["helper"], since,
                        rendering.now)
    return build_one_sided_nudge(p["helper"], int(p["count"]), int(p["window_days"]),
                                 list(p.get("notes") or []), ways)


def _one_sided_wanted(session: Session, workspace: Workspace, row: Outgoing,
                      now: datetime) -> str | None:
    helper = row.subject or ""
    if is_muted(session, row.team_id, row.recipient_id, helper):
        return "pair muted"
    member = session.get(Member, (row.team_id, helper))
    if member is not None and member.deleted:
        return "helper deactivated"
    if not still_one_sided(session, workspace, helper, row.recipient_id, now):
        return "no longer one-sided"
    return None


def _render_claim_reminder(p: dict[str, Any]) -> dict[str, Any]:
    expires = datetime.fromisoformat(p["expires_at"]) if p.get("expires_at") else None
    return build_claim_reminder(p["helper"], p.get("note", ""), int(p["record_id"]), expires)


def _claim_wanted(session: Session, workspace: Workspace, row: Outgoing, now: datetime) -> str | None:
    claim = session.get(HelpRecord, int(row.subject or 0))
    if claim is None or claim.status != "pending":
        return "claim already answered"
    if claim.expires_at is not None and claim.expires_at <= now:
        return "claim expired"
    return None


register_kind(Kind(ONE_SIDED, _render_one_sided, nudge=True,
                   still_wanted=_one_sided_wanted))
register_kind(Kind(CLAIM_REMINDER, from_payload(_render_claim_reminder), nudge=True,
                   still_wanted=_claim_wanted))
