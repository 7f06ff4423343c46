"""Who can be thanked or introduced: the cached profiles and the rules about them."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.db.models import GUEST_MODES, GUESTS_FULL, GUESTS_QUIET, Member, Workspace
from bot.db.upsert import insert_ignore

PROFILE_TTL = timedelta(hours=12)
# Slackbot is not flagged is_bot by users.info, but it is one.
SLACKBOT_ID = "USLACKBOT"


@dataclass(frozen=True)
class Profile:
    """The part of a Slack user profile Mutual keeps."""

    user_id: str
    home_team_id: str | None
    name: str
    tz: str | None = None
    tz_offset: int = 0
    is_bot: bool = False
    deleted: bool = False
    is_admin: bool = False
    is_owner: bool = False
    is_guest: bool = False  # Slack's is_restricted or is_ultra_restricted


class Problem(enum.Enum):
    NOT_FOUND = "not_found"
    SELF = "self"
    BOT = "bot"
    DEACTIVATED = "deactivated"
    OTHER_WORKSPACE = "other_workspace"
    FORGOTTEN = "forgotten"
    GUEST = "guest"  # a guest, in a workspace that has Mutual leave guests out
    GUEST_SELF = "guest_self"  # the person asking is such a guest


@dataclass(frozen=True)
class Refusal:
    user_id: str
    problem: Problem


def problem_with(
    profile: Profile | None, invoker_id: str, team_id: str, enterprise_id: str | None = None,
    *, guests_off: bool = False,
) -> Problem | None:
    """Why this person cannot take part, or None when they can (`guests_off`: the workspace
    has Mutual leave guests out)."""
    if profile is None:
        return Problem.NOT_FOUND
    if profile.user_id == invoker_id:
        return Problem.SELF
    if profile.is_bot or profile.user_id == SLACKBOT_ID:
        return Problem.BOT
    if profile.deleted:
        return Problem.DEACTIVATED
    if guests_off and profile.is_guest:
        return Problem.GUEST
    home = profile.home_team_id
    if home and home != team_id and (enterprise_id is None or home != enterprise_id):
        return Problem.OTHER_WORKSPACE
    return None


_PROFILES = select(Member.user_id, Member.home_team_id, Member.name, Member.tz, Member.tz_offset,
                   Member.is_bot, Member.deleted, Member.is_admin, Member.is_owner,
                   Member.is_guest).where(
    Member.team_id == bindparam("team"), Member.user_id.in_(bindparam("users", expanding=True)),
    Member.fetched_at >= bindparam("fresh_since"))  # built once: every request names people


def cached_profiles(session: Session, team_id: str, user_ids: list[str],
                    now: datetime) -> dict[str, Profile]:
    """The fresh cached profiles among `user_ids` (anyone missing must be fetched again)."""
    if not user_ids:
        return {}
    rows = session.execute(_PROFILES, {"team": team_id, "users": list(user_ids),
                                       "fresh_since": now - PROFILE_TTL})
    return {row.user_id: Profile(**row._mapping) for row in rows}


def to_profile(member: Member) -> Profile:
    return Profile(
        user_id=member.user_id,
        home_team_id=member.home_team_id,
        name=member.name,
        tz=member.tz,
        tz_offset=member.tz_offset,
        is_bot=member.is_bot,
        deleted=member.deleted,
        is_admin=member.is_admin,
        is_owner=member.is_owner,
        is_guest=member.is_guest,
    )


def save_profile(session: Session, team_id: str, profile: Profile, now: datetime) -> Member:
    """Insert or refresh a member's cached profile; their personal settings are kept."""
    member = session.get(Member, (team_id, profile.user_id))
    if member is None:
        # Two deliveries may meet the same new person at once: insert-or-nothing, then update.
        insert_ignore(session, Member, {"team_id": team_id, "user_id": profile.user_id,
                                        "fetched_at": now})
        member = session.get(Member, (team_id, profile.user_id))
        assert member is not None
    member.home_team_id = profile.home_team_id
    member.name = profile.name[:200]
    member.tz = profile.tz
    member.tz_offset = profile.tz_offset
    member.is_bot = profile.is_bot
    member.deleted = profile.deleted
    member.is_admin = profile.is_admin
    member.is_owner = profile.is_owner
    member.is_guest = profile.is_guest
    member.fetched_at = now
    return member


_GUESTS = select(Workspace.guests).where(Workspace.team_id == bindparam("team"))


def guests_setting(session: Session, team_id: str) -> str:
    """How this workspace treats guests, read on every use (replicas must agree at once)."""
    value = session.scalar(_GUESTS, {"team": team_id})
    return value if value in GUEST_MODES else GUESTS_QUIET


def guests_left_out(session: Session, team_id: str) -> set[str]:
    """The guests to leave out of nudges and team summaries: none when the workspace treats
    guests like everyone, otherwise every guest Mutual knows of."""
    if guests_setting(session, team_id) == GUESTS_FULL:
        return set()
    return set(session.scalars(select(Member.user_id).where(Member.team_id == team_id,
                                                            Member.is_guest.is_(True))))
