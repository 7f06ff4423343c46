"""Setting Mutual up in a workspace: the one welcome DM, saving the settings (and joining the
channel chosen for the summary), and what is left for an admin to do.

Who is welcomed: in OAuth mode Slack says who installed Mutual (`authed_user` of the code
exchange), and they are. With a single bot token Slack never says, so the first admin or owner
who uses Mutual — opens its Home tab or types a command — is: an admin is who can act on it.
Either way it is one outbox row keyed `welcome`, written with `welcomed_at` in one transaction,
so two replicas, a retried event or a reinstall never send a second."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.db.models import Member, Workspace
from bot.services import outbox
from bot.services.people import Profile
from bot.services.settings import WorkspaceConfig, apply_config, current_config

WELCOME = "welcome"  # outbox kind and key: the workspace's one welcome DM
CHANNEL_SETUP = "channel_setup"  # outbox kind: join the chosen channel and say hello there
CHANNEL_SETUP_FAILED = "channel_setup_failed"  # outbox key prefix: told once per channel


def welcome(session: Session, workspace: Workspace, user_id: str, now: datetime) -> bool:
    """Write the workspace's welcome DM to `user_id` unless one was written before; True when
    this call wrote it (the message is rendered from the settings when it goes out)."""
    if workspace.welcomed_at is not None:
        return False
    if not outbox.enqueue(session, workspace.team_id, WELCOME, WELCOME, user_id, {}, now, now,
                          priority=outbox.NOW):
        return False  # another replica wrote it first
    workspace.welcomed_id, workspace.welcomed_at = user_id, now
    return True


def welcome_first_admin(session: Session, team_id: str, user_id: str, now: datetime) -> bool:
    """Single-token mode: welcome this person if nobody was yet and Mutual knows them (its
    cached profile) as an admin or owner of the workspace."""
    workspace = session.get(Workspace, team_id)
    if workspace is None or workspace.welcomed_at is not None:
        return False
    member = session.get(Member, (team_id, user_id))
    if member is None or not _is_admin(member):
        return False
    return welcome(session, workspace, user_id, now)


def welcome_known_admin(session: Session, workspace: Workspace, profile: Profile | None,
                        now: datetime) -> bool:
    """`welcome_first_admin` for a request that has read the workspace and the person's cached
    profile already (in its one transaction)."""
    if workspace.welcomed_at is not None or profile is None:
        return False
    if not (profile.is_admin or profile.is_owner) or profile.deleted or profile.is_bot:
        return False
    return welcome(session, workspace, profile.user_id, now)


def needs_welcome(session: Session, team_id: str) -> bool:
    workspace = session.get(Workspace, team_id)
    return workspace is not None and workspace.welcomed_at is None


def knows(session: Session, team_id: str, user_id: str) -> bool:
    return session.get(Member, (team_id, user_id)) is not None


def _is_admin(member: Member) -> bool:
    return (member.is_admin or member.is_owner) and not member.deleted and not member.is_bot


def known_admins(session: Session, team_id: str) -> list[str]:
    """The admins and owners Mutual knows of (cached profiles), by id."""
    return list(session.scalars(select(Member.user_id).where(
        Member.team_id == team_id, or_(Member.is_admin.is_(True), Member.is_owner.is_(True)),
        Member.deleted.is_(False), Member.is_bot.is_(False)).order_by(Member.user_id)))


def refresh_admin_homes(session: Session, team_id: str, now: datetime) -> None:
    """Set-up changed: admins who look at their Home see what is left (or that it is done)."""
    outbox.refresh_home(session, team_id, *known_admins(session, team_id), now=now)


# -- saving the settings --------------------------------------------------------------------

@dataclass(frozen=True)
class Saved:
    """What the admin is told once the settings are saved."""

    config: WorkspaceConfig
    joining: bool  # Mutual joins the channel (and says hello there) now


def save_settings(session: Session, workspace: Workspace, config: WorkspaceConfig,
                  admin_id: str, now: datetime, *, first_step: bool = True) -> Saved:
    """Save the settings an admin submitted. `first_step`: the main settings (channel, day,
    time zone…), whose first save ends that part of the set-up; the Advanced step's
    thresholds do not. A channel newly chosen — or chosen again while Mutual could not post
    there — is joined from the outbox, which says hello there or tells the admin what to do."""
    before, problem = workspace.nudge_channel, workspace.channel_problem
    apply_config(session, workspace, config, admin_id)
    if first_step and workspace.configured_at is None:
        workspace.configured_at = now
    channel = workspace.nudge_channel
    joining = bool(channel) and (channel != before or problem == channel)
    if channel and joining:
        outbox.coalesce(session, workspace.team_id, f"{CHANNEL_SETUP}:{channel}", CHANNEL_SETUP,
                        channel, {}, now)
    refresh_admin_homes(session, workspace.team_id, now)
    return Saved(current_config(workspace), joining)


# -- what is left to do ---------------------------------------------------------------------

@dataclass(frozen=True)
class SetupLeft:
    """An admin's checklist: the summary channel (chosen, and one Mutual can post in) and the
    main settings saved once."""

    config: WorkspaceConfig
    configured: bool

    @property
    def channel_ready(self) -> bool:
        return bool(self.config.nudge_channel) and not self.config.channel_problem

    @property
    def done(self) -> bool:
        return self.configured and self.channel_ready


def setup_left(session: Session, workspace: Workspace, user_id: str | None) -> SetupLeft | None:
    """What is left to set up, for this person's Home: None when nothing is, or when they are
    not an admin or owner Mutual knows of."""
    member = session.get(Member, (workspace.team_id, user_id)) if user_id else None
    if member is None or not _is_admin(member):
        return None
    left = SetupLeft(current_config(workspace), workspace.configured_at is not None)
    return None if left.done else left
