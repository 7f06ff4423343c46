"""Slack's limits that the plain double does not apply, switched on per test: what an app
distributed outside the Slack Marketplace (Mutual's OAuth mode) meets since 2025 —
conversations.history (and .replies) at most once a minute per workspace and at most 15
messages a call."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.localapi import Scripted
from tests.support.slack_double import SlackDouble

HISTORY_METHODS = ("conversations.history", "conversations.replies")
HISTORY_MAX = 15  # messages a call (Slack: "limit" above 15 is refused for these apps)
HISTORY_EVERY = 60.0  # seconds between calls per workspace


@dataclass
class HistoryLimits:
    """Installed on a double by `distributed_app_limits`; `refused` lists each call Slack
    would have refused (and did), `shift` lets a test pass time for the per-minute window."""

    slack: SlackDouble
    refused: list[str] = field(default_factory=list)
    last: dict[str, float] = field(default_factory=dict)  # workspace -> its last call let in
    offset: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def shift(self, seconds: float) -> None:
        with self.lock:
            self.offset += seconds

    def answer(self, method: str, params: dict[str, Any], plain: Any) -> Scripted:
        if method not in HISTORY_METHODS:
            return plain(method, params)
        token = str(params.get("token") or "the workspace")  # the double serves one workspace
        with self.lock:
            now = time.monotonic() + self.offset
            limit = int(params.get("limit") or 100)
            if limit > HISTORY_MAX:
                self.refused.append(f"limit={limit}")
                return Scripted(200, {"ok": False, "error": "invalid_arguments"}, {})
            if token in self.last and now - self.last[token] < HISTORY_EVERY:
                self.refused.append("more than one call a minute")
                wait = int(HISTORY_EVERY - (now - self.last[token])) + 1
                return Scripted(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)})
            self.last[token] = now
        reply = plain(method, params)
        messages = reply.body.get("messages")
        if isinstance(messages, list):
            reply.body["messages"] = messages[:limit]
            reply.body["has_more"] = len(messages) > limit
        return reply


def distributed_app_limits(slack: SlackDouble) -> HistoryLimits:
    limits = HistoryLimits(slack)
    plain = slack.ok
    slack.ok = lambda method, params: limits.answer(method, params, plain)  # type: ignore[method-assign]
    return limits
