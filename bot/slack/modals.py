"""Opening a modal while a request waits for its answer: the one Web API call that cannot go
through the outbox, because a `trigger_id` expires 3 seconds after the click."""

from __future__ import annotations

import http.client
import logging
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.budget import Budget, SlackBusy

logger = logging.getLogger(__name__)


def open_modal(client: WebClient, trigger_id: str, view: dict[str, Any],
               budget: Budget | None = None) -> bool:
    """views.open within the request's budget, never retried; False when it did not open."""
    try:
        (budget or Budget()).client(client).views_open(trigger_id=trigger_id, view=view)
        return True
    except SlackBusy:
        logger.warning("views.open: no time left to open the modal")
    except SlackApiError as e:
        logger.warning("views.open refused: %s", e.response.get("error"))
    except (URLError, OSError, http.client.HTTPException) as e:
        logger.warning("views.open failed: %s", type(e).__name__)
    return False
