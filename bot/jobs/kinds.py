"""What the outbox can send: one `Kind` per Nudge.kind, registered in one place.

A kind says how to render its payload (a builder), whether it is a private message to a person
(working hours and personal settings apply) or a post to a channel, and how to tell, just
before sending, that it is no longer wanted (the claim was answered, the pair was muted …).
Other jobs (the weekly summary and digest) register their own kinds with `register_kind`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.db.models import Workspace
from bot.services.nudges import Outgoing
from bot.slack.sender import Outcome, post_message

Render = Callable[[dict[str, Any]], dict[str, Any]]
# (session, workspace, row, now) -> why it should not be sent any more, or None
StillWanted = Callable[[Session, Workspace, Outgoing, datetime], str | None]
# (client, row, rendered message) -> what Slack said; the default is chat.postMessage
Send = Callable[[WebClient, Outgoing, dict[str, Any]], Outcome]


def post(client: WebClient, row: Outgoing, msg: dict[str, Any]) -> Outcome:
    return post_message(client, row.recipient_id, msg, row.key)


@dataclass(frozen=True)
class Kind:
    name: str
    render: Render
    personal: bool = True  # a DM to a person: working hours, nudges off/snooze, deactivation
    still_wanted: StillWanted | None = None
    send: Send = post
    # Calls of one kind share a Web API method, so a 429 for it pauses only that kind.
    method: str = "chat.postMessage"


KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind
