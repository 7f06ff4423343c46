"""What the outbox can send: one `Kind` per `OutboxItem.kind`, registered in one place.

A kind says how to turn a claimed row into a Web API call (`render`, inside a database
transaction, so it may read the current state), how to make the call (`send`), whether it is a
planned private nudge (working hours and personal settings apply), what to check just before
sending (`still_wanted`), and what a send means afterwards: `idempotent` calls (updates,
publishes, opening a conversation) may simply be made again after a crash; `checkable` ones
(chat.postMessage carrying its key as message metadata) can be looked up; the rest are sent at
most once. `after_sent` and `on_failed` run in the transaction that records the outcome, so
what follows a send (remembering a group DM, telling someone it failed) is never lost."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.db.models import Workspace
from bot.services.delivery import Outgoing
from bot.slack.sender import Outcome, post_message

Call = dict[str, Any]  # the Web API call's arguments, as render built them


@dataclass(frozen=True)
class Rendering:
    """What a kind may look at to render a row: the current database state included."""

    session: Session
    workspace: Workspace
    row: Outgoing
    now: datetime

    @property
    def payload(self) -> dict[str, Any]:
        return self.row.payload


class Skip(Exception):  # noqa: N818 - reads as what it does: `raise Skip("already answered")`
    """Raised by `render`: the row is no longer wanted; it is cancelled with this reason."""


Render = Callable[[Rendering], Call]
# (session, workspace, row, now) -> why it should not be sent any more, or None
StillWanted = Callable[[Session, Workspace, Outgoing, datetime], str | None]
Send = Callable[[WebClient, Outgoing, Call], Outcome]
AfterSent = Callable[[Session, Outgoing, Outcome, datetime], None]
# For a kind that may post where a channel reads it: who chose to be named in this call (a
# post naming anyone else is never sent: bot.services.tact), or None when it is not a channel
# post (a response_url reply only its presser sees).
ChannelPost = Callable[[Rendering, Call], Collection[str] | None]
OnFailed = Callable[[Session, Outgoing, str, datetime], None]


def post(client: WebClient, row: Outgoing, call: Call) -> Outcome:
    """chat.postMessage to `call["channel"]` (default: the row's recipient), keyed by metadata."""
    call = dict(call)
    channel = call.pop("channel", None) or row.recipient_id
    return post_message(client, channel, call, row.key)


def from_payload(build: Callable[[dict[str, Any]], Call]) -> Render:
    """A render that needs only the row's payload (most planned messages)."""
    return lambda rendering: build(rendering.payload)


@dataclass(frozen=True)
class Kind:
    name: str
    render: Render
    send: Send = post
    # Calls of one kind share a Web API method, so a 429 for it pauses only that method.
    method: str = "chat.postMessage"
    nudge: bool = False  # a planned private DM: working hours, nudges off/snooze, deactivation
    still_wanted: StillWanted | None = None
    idempotent: bool = False
    checkable: bool = True  # the default send, chat.postMessage with metadata, can be looked up
    after_sent: AfterSent | None = None
    on_failed: OnFailed | None = None
    channel_post: ChannelPost | None = None


def nobody(rendering: Rendering, call: Call) -> Collection[str]:
    """A channel post that names nobody: figures only (the summary, the digest)."""
    return ()


KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind
