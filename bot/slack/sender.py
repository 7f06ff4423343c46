"""The Web API edge for the outbox: make one call and say plainly what happened.

The delivery loop (bot/delivery/run.py) decides what to do with each outcome; this module only
classifies Slack's answer:
- `sent`
- `rate_limited`: HTTP 429; wait `retry_after` seconds before this workspace's next call
- `refused`: Slack will never accept it (`user_not_found`, `channel_not_found`,
  `account_inactive`, `not_in_channel`, …): fail the message with the reason
- `transient`: it did not go through but may later (5xx, `internal_error`, connection refused)
- `unknown`: the request may have reached Slack (the connection broke after it was sent)

Every message carries its outbox key in Slack message metadata, so `was_delivered` can look
in the conversation after a crash and tell a message that went out from one that did not."""

from __future__ import annotations

import hashlib
import http.client
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.oauth.installation_store import InstallationStore

logger = logging.getLogger(__name__)

SENT, RATE_LIMITED, REFUSED, TRANSIENT, UNKNOWN = "sent", "rate_limited", "refused", "transient", "unknown"
METADATA_EVENT = "mutual_message"
# Slack errors that mean "try again later"; every other error is final. A token Slack no
# longer accepts may have been replaced by a reinstall, which the next try reads afresh; if
# the workspace was really uninstalled, its rows are dropped once that event arrives.
TRANSIENT_ERRORS = frozenset({"internal_error", "fatal_error", "service_unavailable",
                              "request_timeout", "timeout", "ratelimited", "invalid_auth",
                              "token_revoked", "token_expired"})
DEFAULT_RETRY_AFTER = 30.0
# Since 2025, apps distributed outside the Slack Marketplace (Mutual's OAuth mode) may read
# conversations.history once a minute per workspace and at most 15 messages a call; the check
# asks for no more than that everywhere (a message looked for was sent moments before).
HISTORY = "conversations.history"
HISTORY_LIMIT = 15
HISTORY_EVERY = 60.0  # seconds between checks in one workspace, in OAuth mode

ClientForTeam = Callable[[str], WebClient | None]


@dataclass(frozen=True)
class Outcome:
    status: str
    error: str | None = None
    retry_after: float = 0.0
    channel: str | None = None
    ts: str | None = None
    data: dict[str, Any] | None = None  # what a call learned, for the kind's after_sent


DELIVERY_TIMEOUT = 10  # seconds one outbox call may take; a slower answer is checked, not resent


def delivery_client(api_url: str, token: str | None) -> WebClient:
    """A client with no automatic retries: a retried post could arrive twice, and the outbox
    decides when to try again (429s included)."""
    return WebClient(token=token, base_url=api_url, timeout=DELIVERY_TIMEOUT, retry_handlers=[])


def metadata_key(key: str) -> str:
    """What a message carries to be found again after a crash: a digest of its outbox key, so
    the key's words (`intro_declined:42`, a person's id) never travel with the message."""
    return hashlib.sha256(f"mutual-outbox:{key}".encode()).hexdigest()[:24]


def post_message(client: WebClient, channel: str, message: dict[str, Any], key: str) -> Outcome:
    """chat.postMessage to a user id (the app's DM with them) or a channel id."""
    metadata = {"event_type": METADATA_EVENT, "event_payload": {"key": metadata_key(key)}}
    return call(lambda: client.chat_postMessage(channel=channel, metadata=metadata, **message))


def post_ephemeral(client: WebClient, channel: str, user_id: str, message: dict[str, Any]) -> Outcome:
    """chat.postEphemeral: seen by one person, once; Slack keeps no copy to look up."""
    return call(lambda: client.chat_postEphemeral(channel=channel, user=user_id, **message))


def update_message(client: WebClient, channel: str, ts: str, message: dict[str, Any]) -> Outcome:
    """chat.update: replace a message (sending it twice is harmless)."""
    return call(lambda: client.chat_update(channel=channel, ts=ts, **message))


def delete_message(client: WebClient, channel: str, ts: str) -> Outcome:
    """chat.delete of a message Mutual sent; one already gone is as good as deleted."""
    outcome = call(lambda: client.chat_delete(channel=channel, ts=ts))
    return Outcome(SENT) if outcome.error == "message_not_found" else outcome


def publish_view(client: WebClient, user_id: str, view: dict[str, Any]) -> Outcome:
    """views.publish: a person's App Home (the latest publish wins)."""
    return call(lambda: client.views_publish(user_id=user_id, view=view))


def open_conversation(client: WebClient, user_ids: list[str]) -> Outcome:
    """conversations.open: a DM (one person) or group DM (2–8); the same people always get the
    same conversation, so opening it again is harmless. Outcome.channel is its id."""
    return call(lambda: client.conversations_open(users=",".join(user_ids)),
                read=lambda data: ((data.get("channel") or {}).get("id"), None))


# Answers that mean "Mutual is not in that channel": joining a public one fixes it.
NOT_A_MEMBER = frozenset({"not_in_channel"})
# Answers to conversations.join that mean the channel is private (someone must invite Mutual).
PRIVATE = frozenset({"method_not_supported_for_channel_type", "channel_not_found", "is_private"})
PRIVATE_CHANNEL = "private_channel"


def in_channel(client: WebClient, channel: str, attempt: Callable[[], Outcome]) -> Outcome:
    """`attempt()` a post or upload in a channel; if Slack says Mutual is not a member, join
    the channel (a public one; `channels:join`) and try once more. A private channel Mutual
    was not invited to fails as PRIVATE_CHANNEL, which people can be told how to fix."""
    outcome = attempt()
    if outcome.status != REFUSED or outcome.error not in NOT_A_MEMBER:
        return outcome
    joined = call(lambda: client.conversations_join(channel=channel), read=lambda data: (channel, None))
    if joined.status == REFUSED:
        return Outcome(REFUSED, PRIVATE_CHANNEL if joined.error in PRIVATE else joined.error)
    if joined.status != SENT:
        return joined
    return attempt()


def post_to_response_url(url: str, body: dict[str, Any], timeout: int = 10) -> Outcome:
    """A post to an interaction's response_url. Slack answers "ok", or 404 once the URL has
    expired or been used five times (final), or a 5xx/429 (later)."""
    from slack_sdk.webhook import WebhookClient

    try:
        response = WebhookClient(url, timeout=timeout).send_dict(body)
    except URLError as e:
        return Outcome(TRANSIENT, f"connection failed: {e.reason}")
    except (TimeoutError, ConnectionError, http.client.HTTPException) as e:
        return Outcome(UNKNOWN, f"connection broke: {type(e).__name__}")
    if response.status_code == 200:
        return Outcome(SENT)
    error = (response.body or f"http_{response.status_code}").strip()[:100]
    if response.status_code == 429:
        return Outcome(RATE_LIMITED, "ratelimited", retry_after=_retry_after(response.headers))
    if response.status_code >= 500:
        return Outcome(TRANSIENT, error)
    return Outcome(REFUSED, error)


def call(send: Callable[[], Any],
         read: Callable[[dict[str, Any]], tuple[str | None, str | None]] | None = None) -> Outcome:
    """Run one Web API call and classify the result; `read` picks (channel, ts) out of a
    successful answer (default: its `channel` and `ts`)."""
    try:
        response = send()
    except SlackApiError as e:
        return from_error(e)
    except URLError as e:
        # The connection was never made (refused, DNS, connect timeout): nothing was sent.
        return Outcome(TRANSIENT, f"connection failed: {e.reason}")
    except (TimeoutError, ConnectionError, http.client.HTTPException) as e:
        return Outcome(UNKNOWN, f"connection broke: {type(e).__name__}")
    except SlackRequestError as e:  # a file's bytes were not accepted by the upload URL
        return Outcome(TRANSIENT, f"upload failed: {str(e)[:80]}")
    data = response.data if isinstance(response.data, dict) else {}
    channel, ts = read(data) if read is not None else (data.get("channel"), data.get("ts"))
    return Outcome(SENT, channel=channel if isinstance(channel, str) else None,
                   ts=ts if isinstance(ts, str) else None, data=data)


def from_error(e: SlackApiError) -> Outcome:
    response = e.response
    status = getattr(response, "status_code", 200)
    data = response.data if isinstance(getattr(response, "data", None), dict) else {}
    error = str(data.get("error") or f"http_{status}")
    if status == 429:
        return Outcome(RATE_LIMITED, "ratelimited", retry_after=_retry_after(response.headers))
    if status >= 500 or error in TRANSIENT_ERRORS:
        return Outcome(TRANSIENT, error)
    return Outcome(REFUSED, error)


def _retry_after(headers: Any) -> float:
    for name in ("Retry-After", "retry-after"):
        raw = (headers or {}).get(name)
        if isinstance(raw, list):
            raw = raw[0] if raw else None
        if raw is not None:
            try:
                return max(0.0, float(raw))
            except ValueError:
                break
    return DEFAULT_RETRY_AFTER


class CheckLater(Exception):
    """Slack could not answer the delivery check just now (rate limit, outage): ask again."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"check again in {retry_after:g} s")
        self.retry_after = retry_after


def was_delivered(client: WebClient, recipient: str, key: str) -> bool | None:
    """Whether the message with outbox `key` is in the conversation: True, False, or None when
    Slack cannot tell us (no `im:history`/`channels:history` scope, or another refusal).
    Raises CheckLater when the answer may come later (429, 5xx, no connection)."""
    try:
        channel = recipient
        if recipient[:1] in ("U", "W"):
            opened = client.conversations_open(users=recipient)
            channel = opened["channel"]["id"]
        history = client.conversations_history(channel=channel, limit=HISTORY_LIMIT,
                                               include_all_metadata=True)
    except SlackApiError as e:
        outcome = from_error(e)
        if outcome.status in (RATE_LIMITED, TRANSIENT):
            raise CheckLater(outcome.retry_after or DEFAULT_RETRY_AFTER) from None
        logger.info("cannot check whether %s was delivered: %s", key, outcome.error)
        return None
    except (URLError, OSError, http.client.HTTPException):
        raise CheckLater(DEFAULT_RETRY_AFTER) from None
    except (KeyError, TypeError):
        return None
    messages = history.get("messages")
    if not isinstance(messages, list):
        return None
    for msg in messages:
        meta = msg.get("metadata") or {}
        if (meta.get("event_type") == METADATA_EVENT
                and (meta.get("event_payload") or {}).get("key") == metadata_key(key)):
            return True
    # Not among the latest 15 but there are more: it may be further back, so Slack cannot
    # say (and the message is not sent again: at most once).
    return None if history.get("has_more") else False


# -- a client per workspace ---------------------------------------------------------------

def single_workspace_clients(api_url: str, bot_token: str) -> ClientForTeam:
    """SLACK_BOT_TOKEN mode: one token, one workspace."""
    client = delivery_client(api_url, bot_token)
    return lambda team_id: client


class InstalledClients:
    """OAuth mode: each workspace's bot token, read from the installation store (the same one
    Bolt authorizes requests with) at every use, so a reinstall's new token is used at once
    and no replica holds on to an old one. An Enterprise Grid org-wide install is found
    through the workspace's enterprise."""

    distributed = True  # an app installed by link: conversations.history once a minute

    def __init__(self, api_url: str, store: InstallationStore,
                 enterprise_of: Callable[[str], str | None] = lambda team_id: None) -> None:
        self.api_url = api_url
        self.store = store
        self.enterprise_of = enterprise_of

    def __call__(self, team_id: str) -> WebClient | None:
        enterprise = self.enterprise_of(team_id)
        bot = self.store.find_bot(enterprise_id=enterprise, team_id=team_id)
        if bot is None and enterprise:
            bot = self.store.find_bot(enterprise_id=enterprise, team_id=None,
                                      is_enterprise_install=True)
        if bot is None or not bot.bot_token:
            return None  # not installed (yet): the row waits or fails as the caller decides
        return delivery_client(self.api_url, bot.bot_token)


def clients_for(api_url: str, bot_token: str | None, store: InstallationStore | None = None,
                enterprise_of: Callable[[str], str | None] = lambda team_id: None,
                ) -> ClientForTeam | None:
    """The client-for-team function for these settings, or None when there is no way to send."""
    if bot_token:
        return single_workspace_clients(api_url, bot_token)
    if store is not None:
        return InstalledClients(api_url, store, enterprise_of)
    return None
