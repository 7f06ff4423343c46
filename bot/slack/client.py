"""The Web API client Bolt hands to listeners: pointed at SLACK_API_URL, with no automatic
retries. Whatever a request asks Slack before it answers must not sleep on a Retry-After or
try again (bot/slack/budget.py gives each call the time left); everything sent afterwards goes
through the outbox, which retries on its own terms."""

from __future__ import annotations

from slack_sdk import WebClient

TIMEOUT = 5  # start-up's auth.test; calls made while a request waits get less (Budget)


def make_client(api_url: str, token: str | None = None) -> WebClient:
    return WebClient(token=token, base_url=api_url, timeout=TIMEOUT, retry_handlers=[])
