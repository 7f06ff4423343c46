"""Per request to /slack/events: which surface it was, how it ended, and how long the ack took.
Counted in the metrics and told in one INFO line (never the body: no notes, no response_url)."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from bot.observe import metrics

logger = logging.getLogger("mutual.requests")
# The key in Bolt's request context where the edge or the error handler says how a request
# ended when its HTTP status cannot: a refusal or a failure answered with a friendly 200.
OUTCOME = "mutual_outcome"
_INTERACTIVE = {"block_actions": "action", "view_submission": "view", "view_closed": "view",
                "shortcut": "shortcut", "message_action": "shortcut", "block_suggestion": "options"}


def mark(context: MutableMapping[str, Any], outcome: str) -> None:
    """Say how this request ended ("refused", "error") for the request's line and counter."""
    context[OUTCOME] = outcome


def surface_of(body: Mapping[str, Any]) -> str:
    """command, event, action, view, shortcut, options or other, from Bolt's parsed body."""
    if body.get("command"):
        return "command"
    kind = body.get("type")
    if kind == "event_callback":
        return "event"
    return _INTERACTIVE.get(kind, "other") if isinstance(kind, str) else "other"


def request_id(headers: Mapping[str, Any]) -> str:
    """Short and stable for one delivery (a hash of its timestamp and signature, which reveals
    neither), so a retry with new headers gets a new id; random when they are missing."""
    timestamp = _first(headers.get("x-slack-request-timestamp"))
    signature = _first(headers.get("x-slack-signature"))
    if timestamp and signature:
        return hashlib.sha256(f"{timestamp}:{signature}".encode("utf-8", "replace")).hexdigest()[:16]
    return uuid.uuid4().hex[:16]


def _first(value: object) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "")


@dataclass
class Seen:
    """What the front learned about one request while answering it."""

    request_id: str
    surface: str = "other"
    team: str | None = None
    outcome: str | None = None  # None: decided from the HTTP status

    def outcome_for(self, status: int) -> str:
        if self.outcome:
            return self.outcome
        if status >= 500:
            return "error"
        return "refused" if status >= 400 else "ok"

    def done(self, status: int, seconds: float) -> None:
        outcome = self.outcome_for(status)
        metrics.request_done(self.surface, outcome, seconds)
        latency_ms = round(seconds * 1000, 1)
        logger.info("%s from %s: %s (%s) in %.1f ms [%s]", self.surface, self.team or "-", outcome,
                    status, latency_ms, self.request_id,
                    extra={"surface": self.surface, "team": self.team, "outcome": outcome,
                           "status": status, "latency_ms": latency_ms, "request_id": self.request_id})
