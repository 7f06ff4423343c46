"""Looking people up for a request: the members table first (profiles fetched in the last 12
hours), users.info for anyone else, within the request's budget. Nothing is kept in memory:
every replica reads the same table, so a deactivation or a `/mutual forget` seen by one is
seen by all on the next request."""

from __future__ import annotations

import http.client
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.db.models import GUESTS_OFF, Workspace
from bot.db.session import Database
from bot.services import forget, people
from bot.services.people import Profile
from bot.services.workspaces import ensure_workspace
from bot.slack.budget import Budget, SlackBusy
from bot.slack.pauses import Pauses

USERS_INFO = "users.info"

UNKNOWN_USER = ("user_not_found", "user_not_visible")


def profile_from_user(user: dict[str, Any]) -> Profile:
    prof = user.get("profile") or {}
    name = prof.get("display_name") or user.get("real_name") or prof.get("real_name") or user.get("name") or user["id"]
    return Profile(
        user_id=user["id"],
        home_team_id=user.get("team_id"),
        name=name,
        tz=user.get("tz"),
        tz_offset=int(user.get("tz_offset") or 0),
        is_bot=bool(user.get("is_bot")) or bool(user.get("is_app_user")),
        deleted=bool(user.get("deleted")),
        is_admin=bool(user.get("is_admin")),
        is_owner=bool(user.get("is_owner")),
        is_guest=bool(user.get("is_restricted")) or bool(user.get("is_ultra_restricted")),
    )


@dataclass(frozen=True)
class People:
    """The people a request names: a profile each (None: Slack does not know them), and which
    of them asked Mutual to forget them."""

    profiles: dict[str, Profile | None]
    forgotten: frozenset[str]
    guests_off: bool = False  # the workspace has Mutual leave guests out


class Directory:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.pauses = Pauses(db, clock)

    @staticmethod
    def cached(session: Session, workspace: Workspace, user_ids: Iterable[str],
               now: datetime) -> People | None:
        """The people, read inside the caller's transaction, when every one of them has a fresh
        profile in the members table; None when Slack must be asked about someone (outside any
        transaction: `lookup`)."""
        wanted = list(dict.fromkeys(user_ids))
        known: dict[str, Profile | None] = dict(people.cached_profiles(session, workspace.team_id,
                                                                       wanted, now))
        if len(known) < len(wanted):
            return None
        gone = forget.forgotten_among(session, workspace.team_id, wanted)
        return People(known, frozenset(gone), workspace.guests == GUESTS_OFF)

    def lookup(self, client: WebClient, team_id: str, user_ids: Iterable[str],
               budget: Budget) -> People:
        """Profiles of `user_ids`; raises SlackBusy when Slack could not say in time."""
        wanted = list(dict.fromkeys(user_ids))
        now = self.clock()
        with self.db.session() as session:
            known: dict[str, Profile | None] = dict(people.cached_profiles(session, team_id, wanted, now))
            gone = forget.forgotten_among(session, team_id, wanted)
            guests_off = people.guests_setting(session, team_id) == GUESTS_OFF
        fetched = []
        for user_id in wanted:
            if user_id not in known:
                known[user_id] = profile = self._fetch(budget.client(client), team_id, user_id)
                if profile is not None:
                    fetched.append(profile)
        if fetched:
            with self.db.session() as session:
                ensure_workspace(session, team_id, now)
                # One order for everyone (another replica may save the same people at once).
                for profile in sorted(fetched, key=lambda f: f.user_id):
                    people.save_profile(session, team_id, profile, now)
        return People(known, frozenset(gone), guests_off)

    def fresh(self, client: WebClient, team_id: str, user_id: str, budget: Budget) -> Profile | None:
        """Straight from Slack, never the cache (is this person an admin right now?)."""
        profile = self._fetch(budget.client(client), team_id, user_id)
        if profile is not None:
            now = self.clock()
            with self.db.session() as session:
                ensure_workspace(session, team_id, now)
                people.save_profile(session, team_id, profile, now)
        return profile

    def _fetch(self, client: WebClient, team_id: str, user_id: str) -> Profile | None:
        """users.info, unless Slack has asked this workspace to wait (a 429 any process met,
        kept in api_pauses): then SlackBusy at once, without calling."""
        try:
            response = self.pauses.lookup(team_id, USERS_INFO, lambda: client.users_info(user=user_id))
        except SlackApiError as e:
            if e.response.get("error") in UNKNOWN_USER:
                return None
            raise SlackBusy(str(e.response.get("error") or "error")) from None
        except (URLError, OSError, http.client.HTTPException) as e:
            raise SlackBusy(type(e).__name__) from None
        return profile_from_user(response["user"])
