"""Names for exports (`Bob Okafor` and `#general`, not `UBOB` and `C024BE91L`): what Mutual has
cached first, then Slack — users.info, conversations.info (`channels:read`) — each id asked
once per export, at most `limit` of them and for at most `seconds` in all. A lookup that fails
leaves that id as it is; one that says Slack is busy, or that Mutual may not ask, stops the
asking: an export never fails, or waits long, for a name."""

from __future__ import annotations

import http.client
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.directory import profile_from_user

logger = logging.getLogger(__name__)
# Answers about one id only; any other error stops the look-ups for this export.
THIS_ONE_ONLY = frozenset({"channel_not_found", "not_in_channel",
                           "method_not_supported_for_channel_type", "user_not_found",
                           "user_not_visible"})
CALL_MAX = 5.0  # seconds one look-up may take
Ask = Callable[[WebClient, str], str | None]


def person_name(client: WebClient, user_id: str) -> str | None:
    user = client.users_info(user=user_id).get("user")
    return profile_from_user(user).name if isinstance(user, dict) and user.get("id") else None


def channel_name(client: WebClient, channel_id: str) -> str | None:
    channel = client.conversations_info(channel=channel_id).get("channel")
    name = channel.get("name") if isinstance(channel, dict) else None
    return name if isinstance(name, str) and name else None


class SlackNames:
    """`names(id)`: its name, or None. Call it as the rows go by: ids are asked as they come."""

    def __init__(self, client: WebClient | None, ask: Ask, *, limit: int, seconds: float,
                 known: dict[str, str] | None = None) -> None:
        self.client = client
        self.ask = ask
        self.limit = limit
        self.deadline = time.monotonic() + seconds
        self.names: dict[str, str | None] = dict(known or {})
        self.asked = 0

    def __call__(self, some_id: str) -> str | None:
        if some_id not in self.names:
            self.names[some_id] = self._ask(some_id)
        return self.names[some_id]

    def _ask(self, some_id: str) -> str | None:
        left = self.deadline - time.monotonic()
        if self.client is None or self.asked >= self.limit or left < 0.2:
            return None
        self.asked += 1
        timeout: Any = min(left, CALL_MAX)  # urllib takes fractions of a second too
        timed = WebClient(token=self.client.token, base_url=self.client.base_url,
                          timeout=timeout, retry_handlers=[])
        try:
            return self.ask(timed, some_id)
        except SlackApiError as e:
            error = str(e.response.get("error") or f"http_{e.response.status_code}")
            if error not in THIS_ONE_ONLY:
                self._stop(f"Slack said {error}")
        except (URLError, OSError, http.client.HTTPException) as e:
            self._stop(type(e).__name__)
        return None

    def _stop(self, why: str) -> None:
        logger.info("names left as ids from here on (%s)", why)
        self.client = None
