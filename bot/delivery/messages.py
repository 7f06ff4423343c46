"""The kinds a request writes (bot/services/outbox.py): a rendered message, an update of a
message Mutual sent or a button sits on, a reply through a response_url, and an App Home
publish rendered from the database when it goes out."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.blocks.home import build_forgotten_home, build_home
from bot.blocks.setup import build_setup_checklist, with_setup
from bot.db.models import OutboxItem
from bot.delivery.kinds import Call, Kind, Rendering, Skip, register_kind
from bot.services.delivery import Outgoing, sent_at
from bot.services.forget import is_forgotten
from bot.services.outbox import DELETE, EPHEMERAL, HOME, MESSAGE, RESPOND, SENT, UPDATE, VIEW_UPDATE
from bot.services.setup import setup_left
from bot.services.views import personal_view
from bot.slack.sender import (
    Outcome,
    call,
    delete_message,
    post_ephemeral,
    post_to_response_url,
    publish_view,
    update_message,
)


def _message(r: Rendering) -> Call:
    call: dict[str, Any] = dict(r.payload["message"])
    channel_of = r.payload.get("channel_of")
    if channel_of:
        status, channel, _ = sent_at(r.session, r.row.team_id, channel_of)
        if status != SENT or not channel:
            raise Skip("the conversation it was for was never opened")
        call["channel"] = channel
    return call


def _update(r: Rendering) -> Call:
    channel, ts = r.payload.get("channel"), r.payload.get("ts")
    of = r.payload.get("of")
    if of:
        status, channel, ts = sent_at(r.session, r.row.team_id, of)
        if status != SENT:
            raise Skip("the message to update was never sent")
    if not channel or not ts:
        raise Skip("nowhere to update")
    return {"channel": channel, "ts": ts, **r.payload["message"]}


def _send_update(client: WebClient, row: Outgoing, call: Call) -> Outcome:
    rest = dict(call)
    return update_message(client, rest.pop("channel"), rest.pop("ts"), rest)


def _delete(r: Rendering) -> Call:
    status, channel, ts = sent_at(r.session, r.row.team_id, str(r.payload.get("of") or ""))
    if status != SENT or not channel or not ts:
        raise Skip("the message to delete was never sent")
    return {"channel": channel, "ts": ts}


def _send_delete(client: WebClient, row: Outgoing, call: Call) -> Outcome:
    return delete_message(client, call["channel"], call["ts"])


def _ephemeral(r: Rendering) -> Call:
    return {"channel": r.payload["channel"], **r.payload["message"]}


def _send_ephemeral(client: WebClient, row: Outgoing, call: Call) -> Outcome:
    rest = dict(call)
    return post_ephemeral(client, rest.pop("channel"), row.recipient_id, rest)


def _respond(r: Rendering) -> Call:
    return {"url": r.payload["url"], "body": r.payload["message"]}


def _public_reply(r: Rendering, call: Call) -> list[str] | None:
    """A reply the whole channel reads (`in_channel`) names only those who chose it."""
    if call["body"].get("response_type") != "in_channel":
        return None
    return list(r.payload.get("chose") or [])


def _send_response(client: WebClient, row: Outgoing, call: Call) -> Outcome:
    return post_to_response_url(call["url"], call["body"])


SAME_HOME = "the same Home is already published"


def _home(r: Rendering) -> Call:
    user_id = r.row.recipient_id
    if is_forgotten(r.session, r.row.team_id, user_id):
        return {"view": build_forgotten_home()}
    home = build_home(personal_view(r.session, r.workspace, user_id, r.now))
    left = setup_left(r.session, r.workspace, user_id)
    view = with_setup(home, build_setup_checklist(left)) if left else home
    # A refresh whose view equals the one last published to this person is not sent again
    # (opening the Home tab always publishes: `show_home` clears what was published).
    digest = view_digest(view)
    if r.payload.get(PUBLISHED) == digest:
        raise Skip(SAME_HOME)
    r.payload[RENDERED] = digest  # kept by `_after_home` once Slack has it
    return {"view": view}


PUBLISHED, RENDERED = "published", "rendered"


def view_digest(view: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(view, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:32]


def _send_home(client: WebClient, row: Outgoing, call: Call) -> Outcome:
    return publish_view(client, row.recipient_id, call["view"])


def _after_home(session: Session, row: Outgoing, outcome: Outcome, now: datetime) -> None:
    """Someone who asked Mutual to forget them has now seen so on their Home tab; the row that
    showed it must not name them either."""
    if is_forgotten(session, row.team_id, row.recipient_id):
        session.execute(update(OutboxItem).where(OutboxItem.id == row.id).values(
            key=f"forgotten:{row.id}", recipient_id=None))
        return
    digest = row.payload.get(RENDERED)
    if digest:
        # Unless it was asked for again meanwhile (then it goes out again anyway).
        session.execute(update(OutboxItem).where(OutboxItem.id == row.id,
                                                 OutboxItem.requeue.is_(False))
                        .values(payload=json.dumps({PUBLISHED: digest})))


register_kind(Kind(MESSAGE, _message))
register_kind(Kind(UPDATE, _update, send=_send_update, method="chat.update", idempotent=True,
                   checkable=False))
register_kind(Kind(DELETE, _delete, send=_send_delete, method="chat.delete", idempotent=True,
                   checkable=False))
# A response_url post cannot be looked up afterwards: one cut off mid-send is not sent again.
register_kind(Kind(RESPOND, _respond, send=_send_response, method="response_url",
                   checkable=False, channel_post=_public_reply))
register_kind(Kind(EPHEMERAL, _ephemeral, send=_send_ephemeral, method="chat.postEphemeral",
                   checkable=False))
register_kind(Kind(HOME, _home, send=_send_home, method="views.publish", idempotent=True,
                   checkable=False, after_sent=_after_home))


def _view_update(r: Rendering) -> Call:
    return {"view_id": r.payload["view_id"], "view": r.payload["view"]}


def _send_view_update(client: WebClient, row: Outgoing, call_: Call) -> Outcome:
    # A modal closed meanwhile answers not_found: refused, and rightly not retried.
    return call(lambda: client.views_update(view_id=call_["view_id"], view=call_["view"]))


register_kind(Kind(VIEW_UPDATE, _view_update, send=_send_view_update, method="views.update",
                   idempotent=True, checkable=False))
