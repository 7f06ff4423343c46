"""Workspaces and the events that mark them processed."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, or_, select
from sqlalchemy.orm import Session

from bot.db.models import DEFAULT_THANK_EMOJI, Base, ProcessedEvent, Workspace, emoji_set
from bot.db.upsert import insert_ignore

DEFAULT_SET = emoji_set(DEFAULT_THANK_EMOJI)
THANK_EMOJI_OF = select(Workspace.thank_emoji).where(Workspace.team_id == bindparam("team"))


def ensure_workspace(
    session: Session, team_id: str, now: datetime, enterprise_id: str | None = None
) -> Workspace:
    """The workspace row, created with default settings on first sight."""
    workspace = session.get(Workspace, team_id)
    if workspace is None:
        insert_ignore(
            session,
            Workspace,
            {"team_id": team_id, "enterprise_id": enterprise_id, "created_at": now},
        )
        workspace = session.get(Workspace, team_id)
        assert workspace is not None
    elif workspace.uninstalled_at is not None:
        # An event from a workspace means it is installed (again): keep its data.
        workspace.uninstalled_at = None
    if enterprise_id and workspace.enterprise_id is None:
        workspace.enterprise_id = enterprise_id  # first seen without it (an org install since)
    return workspace


def claim_trigger(session: Session, team_id: str, trigger_id: str, now: datetime) -> bool:
    """Claim a command's trigger_id inside the caller's transaction (its replay is not acted
    on again); False when it was seen before. Rolled back with the transaction on failure."""
    return insert_ignore(session, ProcessedEvent, {
        "team_id": team_id, "event_id": trigger_key(trigger_id), "received_at": now})


def trigger_key(trigger_id: str) -> str:
    """The processed_events key of a trigger_id: hashed, because Slack's run to about 60
    characters and the column holds 64."""
    return "trigger:" + hashlib.sha256(trigger_id.encode()).hexdigest()[:56]


def first_delivery(session: Session, team_id: str, event_id: str | None, now: datetime) -> bool:
    """Claim an event id inside the caller's transaction; False when it was seen before.

    Because the claim commits together with what the event records, a delivery that failed
    half-way leaves no claim behind and Slack's retry is processed normally."""
    if not event_id:
        return True
    return insert_ignore(
        session, ProcessedEvent, {"team_id": team_id, "event_id": event_id, "received_at": now}
    )


def mark_uninstalled(session: Session, team_id: str, now: datetime) -> None:
    workspace = session.get(Workspace, team_id)
    if workspace is not None and workspace.uninstalled_at is None:
        workspace.uninstalled_at = now


def mark_org_uninstalled(session: Session, enterprise_id: str, now: datetime) -> list[str]:
    """An org-wide install removed (Enterprise Grid): every workspace of the organisation
    stops, the install's own row (keyed by the enterprise) too. Returns their ids."""
    gone = list(session.scalars(select(Workspace).where(
        or_(Workspace.enterprise_id == enterprise_id, Workspace.team_id == enterprise_id),
        Workspace.uninstalled_at.is_(None))))
    for workspace in gone:
        workspace.uninstalled_at = now
    return [w.team_id for w in gone]


def is_active(session: Session, team_id: str) -> bool:
    workspace = session.get(Workspace, team_id)
    return workspace is not None and workspace.uninstalled_at is None


UNINSTALL_GRACE = timedelta(days=30)


def purge_uninstalled(session: Session, now: datetime) -> list[str]:
    """Delete every row of workspaces uninstalled more than 30 days ago (a reinstall within
    the grace period clears `uninstalled_at` and keeps everything)."""
    gone = list(session.scalars(
        select(Workspace.team_id).where(Workspace.uninstalled_at <= now - UNINSTALL_GRACE)
    ))
    if not gone:
        return []
    for table in reversed(Base.metadata.sorted_tables):
        if "team_id" in table.c:
            session.execute(delete(table).where(table.c.team_id.in_(gone)))
    return gone
