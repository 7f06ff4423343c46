"""What a request may spend waiting on Slack's Web API before it has to answer.

Slack shows people an error if a command or button gets no answer within 3 seconds, and Mutual
answers within 2.5. So a call made before the answer (looking someone up, opening a modal)
gets whatever time is left, never sleeps on a Retry-After, and is never retried: what Slack
cannot tell us in time becomes a friendly "Slack is busy, nothing was saved", or is checked
later from the outbox."""

from __future__ import annotations

import time
from typing import Any

from slack_sdk import WebClient

ANSWER_WITHIN = 2.0  # seconds for Web API calls; the rest of 2.5 s is Mutual's own work
CALL_MAX = 1.5  # no single call may take all of it
CALL_MIN = 0.2  # less than this left: don't start a call that cannot finish


class SlackBusy(Exception):  # noqa: N818 - a state, read as `except SlackBusy`
    """Slack did not answer in time (rate limited, erroring, slow or unreachable)."""


class Budget:
    def __init__(self, seconds: float = ANSWER_WITHIN) -> None:
        self.deadline = time.monotonic() + seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def client(self, client: WebClient) -> WebClient:
        """A copy of `client` (same token and base URL) whose calls end within the time left,
        with no retries. Raises SlackBusy when too little time is left to try."""
        left = self.left()
        if left < CALL_MIN:
            raise SlackBusy("no time left to ask Slack")
        # The SDK hands its timeout to urllib, which takes fractions of a second too.
        timeout: Any = min(left, CALL_MAX)
        return WebClient(token=client.token, base_url=client.base_url, timeout=timeout,
                         retry_handlers=[])
