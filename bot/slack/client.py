"""The Web API client: pointed at SLACK_API_URL, honouring 429 Retry-After."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)


def retry_handlers() -> list:  # type: ignore[type-arg]
    return [ConnectionErrorRetryHandler(max_retry_count=2), RateLimitErrorRetryHandler(max_retry_count=3)]


def make_client(api_url: str, token: str | None = None) -> WebClient:
    client = WebClient(token=token, base_url=api_url, timeout=10)
    client.retry_handlers.extend(retry_handlers())
    return client
