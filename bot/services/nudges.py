"""Private nudges: which kinds there are, who may be sent one now, and the personal controls
(`/mutual nudges off|on`, snooze, mute a pair). Nudges are outbox rows (bot/services/outbox.py)
written by the planning jobs; working hours and these settings are checked again just before
one goes out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import GUESTS_FULL, GUESTS_QUIET, Member, MutedPair, Workspace
from bot.db.upsert import insert_ignore
from bot.services.outbox import cancel_pending
from bot.services.people import Profile, save_profile
from bot.services.planning import look_at_everyone

# Kinds of planned private message (the keys of bot/delivery/kinds.py's registry).
ONE_SIDED = "one_sided"
CLAIM_REMINDER = "claim_reminder"
INTRO_REMINDER = "intro_reminder"
INTRO_EXPIRED = "intro_expired"
INTRO_SILENT = "intro_silent"
INTRO_CLOSED = "intro_closed"  # to a party who said yes, when the intro lapsed
REQUEST_CLOSED = "intro_request_closed"  # to the requester, when the request lapsed


# -- who may be nudged --------------------------------------------------------------------

def why_not_nudge(member: Member | None, now: datetime, guests: str = GUESTS_QUIET) -> str | None:
    """The reason a person gets no private nudges now, or None. Someone Mutual has not
    looked up yet has the defaults (nudges on); a guest is nudged only where the workspace
    treats guests like everyone (`guests`, its setting)."""
    if member is None:
        return None
    if member.deleted:
        return "recipient deactivated"
    if member.is_bot:
        return "recipient is a bot"
    if member.is_guest and guests != GUESTS_FULL:
        return "recipient is a guest"
    if not member.nudges_enabled:
        return "recipient turned nudges off"
    if member.snoozed_until is not None and member.snoozed_until > now:
        return "recipient snoozed nudges"
    return None


def is_muted(session: Session, team_id: str, user_id: str, other_id: str) -> bool:
    return session.get(MutedPair, (team_id, user_id, other_id)) is not None


def active_workspaces(session: Session) -> list[Workspace]:
    """Installed workspaces: an uninstalled one is never sent anything."""
    return list(session.scalars(select(Workspace).where(Workspace.uninstalled_at.is_(None))
                                .order_by(Workspace.team_id)))


# -- personal controls --------------------------------------------------------------------

@dataclass(frozen=True)
class Controls:
    nudges_enabled: bool
    snoozed_until: datetime | None


def member_for(session: Session, team_id: str, profile: Profile, now: datetime) -> Member:
    """The person's row, created from their profile when Mutual has none yet."""
    member = session.get(Member, (team_id, profile.user_id))
    return member if member is not None else save_profile(session, team_id, profile, now)


def set_nudges(session: Session, member: Member, enabled: bool) -> Controls:
    """`/mutual nudges on|off`. Turning them on also ends a snooze."""
    member.nudges_enabled = enabled
    if enabled:
        member.snoozed_until = None
        look_at_everyone(session, member.team_id)  # the next planning sees them again
    return Controls(member.nudges_enabled, member.snoozed_until)


def snooze(session: Session, member: Member, now: datetime, days: int) -> Controls:
    member.snoozed_until = now + timedelta(days=days)
    return Controls(member.nudges_enabled, member.snoozed_until)


def mute_pair(session: Session, team_id: str, user_id: str, other_id: str, now: datetime) -> bool:
    """`nudge_mute_pair`: never nudge `user_id` about `other_id` again. True when new."""
    new = insert_ignore(session, MutedPair, {"team_id": team_id, "user_id": user_id,
                                             "other_id": other_id, "created_at": now})
    cancel_pending(session, team_id, user_id, "pair muted", kind=ONE_SIDED, subject=other_id)
    return new
