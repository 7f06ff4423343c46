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
    return _views("views.open", client, trigger_id, view, budget)


def push_modal(client: WebClient, trigger_id: str, view: dict[str, Any],
               budget: Budget | None = None) -> bool:
    """views.push: a second step over the modal a button was pressed in; False when it did
    not open."""
    return _views("views.push", client, trigger_id, view, budget)


def _views(method: str, client: WebClient, trigger_id: str, view: dict[str, Any],
           budget: Budget | None) -> bool:
    try:
        timed = (budget or Budget()).client(client)
        if method == "views.push":
            timed.views_push(trigger_id=trigger_id, view=view)
        else:
            timed.views_open(trigger_id=trigger_id, view=view)
        return True
    except SlackBusy:
        logger.warning("%s: no time left to open the modal", method)
    except SlackApiError as e:
        logger.warning("%s refused: %s", method, e.response.get("error"))
    except (URLError, OSError, http.client.HTTPException) as e:
        logger.warning("%s failed: %s", method, type(e).__name__)
    return False
