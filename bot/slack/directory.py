"""Looking people up: users.info behind the members table, behind a short in-process cache."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import Clock
from bot.db.session import Database
from bot.services import forget, people
from bot.services.people import Profile
from bot.services.workspaces import ensure_workspace

logger = logging.getLogger(__name__)
MEMORY_TTL_SECONDS = 300.0
_MISSING = object()


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
    )


class Directory:
    """Profiles by (team, user). A hot path (every reaction) must not call Slack or even the
    database each time, so recent answers are kept in memory for a few minutes."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._memory: dict[tuple[str, str], tuple[float, Profile | None]] = {}
        self._forgotten: dict[tuple[str, str], tuple[float, bool]] = {}
        self._lock = threading.Lock()

    def get(self, client: WebClient, team_id: str, user_id: str) -> Profile | None:
        """The person's profile, or None when Slack does not know them."""
        key = (team_id, user_id)
        with self._lock:
            hit = self._memory.get(key)
        if hit is not None and time.monotonic() - hit[0] < MEMORY_TTL_SECONDS:
            return hit[1]
        now = self.clock()
        with self.db.session() as session:
            profile = people.cached_profile(session, team_id, user_id, now)
        if profile is None:
            profile = self._fetch(client, user_id)
            if profile is not None:
                with self.db.session() as session:
                    ensure_workspace(session, team_id, now)
                    people.save_profile(session, team_id, profile, now)
        self.remember(team_id, user_id, profile)
        return profile

    def get_many(self, client: WebClient, team_id: str, user_ids: list[str]) -> dict[str, Profile | None]:
        return {uid: self.get(client, team_id, uid) for uid in user_ids}

    def remember(self, team_id: str, user_id: str, profile: Profile | None) -> None:
        with self._lock:
            self._memory[(team_id, user_id)] = (time.monotonic(), profile)

    def forget(self, team_id: str, user_id: str) -> None:
        """After `/mutual forget`: drop their profile and leave them out from now on."""
        with self._lock:
            self._memory.pop((team_id, user_id), None)
            self._forgotten[(team_id, user_id)] = (time.monotonic(), True)

    def is_forgotten(self, team_id: str, user_id: str) -> bool:
        key = (team_id, user_id)
        with self._lock:
            hit = self._forgotten.get(key)
        if hit is not None and time.monotonic() - hit[0] < MEMORY_TTL_SECONDS:
            return hit[1]
        with self.db.session() as session:
            value = forget.is_forgotten(session, team_id, user_id)
        with self._lock:
            self._forgotten[key] = (time.monotonic(), value)
        return value

    def welcome_back(self, team_id: str, user_id: str) -> None:
        """They used Mutual again, so it may record and nudge them again."""
        if not self.is_forgotten(team_id, user_id):
            return
        with self.db.session() as session:
            forget.welcome_back(session, team_id, user_id)
        with self._lock:
            self._forgotten[(team_id, user_id)] = (time.monotonic(), False)

    @staticmethod
    def _fetch(client: WebClient, user_id: str) -> Profile | None:
        try:
            response = client.users_info(user=user_id)
        except SlackApiError as e:
            if e.response.get("error") in ("user_not_found", "user_not_visible"):
                return None
            raise
        return profile_from_user(response["user"])
