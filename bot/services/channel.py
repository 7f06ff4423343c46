"""The summary channel turning out private (Mutual not invited): remembered on the workspace
until a post there succeeds or an admin picks another channel, and who should be told."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.db.models import Member, Workspace
from bot.services.setup import known_admins

CHANNEL_PRIVATE = "channel_private"  # outbox key prefix: one DM per channel and admin


def channel_private(session: Session, team_id: str, channel_id: str) -> list[str]:
    """Note that Mutual cannot post in the workspace's summary channel; returns whom to tell
    (`channel_admins`). Nobody, when it is no longer the summary channel."""
    workspace = session.get(Workspace, team_id)
    if workspace is None or workspace.nudge_channel != channel_id:
        return []
    workspace.channel_problem = channel_id
    return channel_admins(session, workspace)


def channel_admins(session: Session, workspace: Workspace) -> list[str]:
    """Who hears of a problem with the summary channel: the admin who chose it while they
    still are one, else the admins and owners Mutual knows of."""
    admins = known_admins(session, workspace.team_id)
    chooser = workspace.nudge_channel_by
    if chooser and (chooser in admins or session.get(Member, (workspace.team_id, chooser)) is None):
        return [chooser]  # (someone Mutual has no profile of is not taken to have left)
    return admins


def channel_posted(session: Session, team_id: str, channel_id: str) -> None:
    """A post went out there: whatever was wrong with the channel has been fixed."""
    workspace = session.get(Workspace, team_id)
    if workspace is not None and workspace.channel_problem == channel_id:
        workspace.channel_problem = None


def channel_private_key(channel_id: str, admin_id: str) -> str:
    return f"{CHANNEL_PRIVATE}:{channel_id}:{admin_id}"
