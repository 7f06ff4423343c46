"""The workspace's custom emoji (`emoji.list`, scope `emoji:read`), asked within a request's
budget when an admin names an emoji that is not one of Slack's standard ones, honouring a
rate-limit pause any process met (bot.slack.pauses)."""

from __future__ import annotations

import http.client
import logging
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.emoji import CustomEmoji
from bot.slack.budget import Budget, SlackBusy
from bot.slack.pauses import Pauses

logger = logging.getLogger(__name__)
# Answers that mean Mutual may not read them (an install from before it asked for emoji:read).
NOT_ALLOWED = frozenset({"missing_scope", "not_allowed_token_type", "no_permission",
                         "ekm_access_denied"})


EMOJI_LIST = "emoji.list"


def custom_emoji(client: WebClient, budget: Budget, pauses: Pauses, team_id: str) -> CustomEmoji:
    timed = budget.client(client)
    try:
        response = pauses.lookup(team_id, EMOJI_LIST, timed.emoji_list)
    except SlackBusy:
        return CustomEmoji(busy=True)
    except SlackApiError as e:
        error = str(e.response.get("error") or "")
        if error in NOT_ALLOWED:
            logger.info("emoji.list refused (%s): custom emoji names can't be checked", error)
            return CustomEmoji(unreadable=True)
        return CustomEmoji(busy=True)
    except (URLError, OSError, http.client.HTTPException):
        return CustomEmoji(busy=True)
    emoji = response.get("emoji")
    return CustomEmoji(frozenset(emoji) if isinstance(emoji, dict) else frozenset())
