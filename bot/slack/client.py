"""The Web API client Bolt hands to listeners: pointed at SLACK_API_URL, with no automatic
retries. Whatever a request asks Slack before it answers must not sleep on a Retry-After or
try again (bot/slack/budget.py gives each call the time left); everything sent afterwards goes
through the outbox, which retries on its own terms."""

from __future__ import annotations

import logging

from slack_sdk import WebClient

TIMEOUT = 5  # start-up's auth.test; calls made while a request waits get less (Budget)

# The SDK logs each failed call at ERROR, with its URL. Mutual classifies every outcome itself
# (a refusal, a retry, a dead letter, a "Slack is busy" answer) and says so once; the SDK's
# line would say it twice and may carry a response_url, which is a secret.
for _name in ("slack_sdk.web.base_client", "slack_sdk.webhook.client"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


def make_client(api_url: str, token: str | None = None) -> WebClient:
    return WebClient(token=token, base_url=api_url, timeout=TIMEOUT, retry_handlers=[])
