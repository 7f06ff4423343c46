"""Sending asks: the post in its channel and its refreshes (rendered from the database as the
ask stands when they go out), and opening the group DM of an asker and the helper they took
up. A post Slack will not take (a private channel Mutual is not in) closes the ask and tells
the asker why."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.asks import build_ask_post, build_ask_post_failed, build_group_failed
from bot.delivery.kinds import Call, Kind, Rendering, Skip, register_kind
from bot.services import asks, outbox
from bot.services.ask_posts import ASK_GROUP, ASK_POST, ASK_REFRESH, post_key
from bot.services.asks import UNDER_WAY
from bot.services.delivery import Outgoing, sent_at
from bot.services.tact import mentioned_in
from bot.slack.sender import SENT, Outcome, in_channel, open_conversation, post_message, update_message


def _ask_id(row: Outgoing) -> int:
    return int(row.payload.get("ask_id") or row.subject or 0)


def _post(r: Rendering) -> Call:
    state = asks.post_state(r.session, r.row.team_id, _ask_id(r.row))
    if state is None or not state.ask.is_open or not state.ask.channel_id:
        raise Skip("the ask closed before it was posted")
    return {"channel": state.ask.channel_id, **build_ask_post(state)}


def _named_by_choice(r: Rendering, call: Call) -> list[str]:
    """The ask's post names the asker, who posted it, the people they say helped, and whoever
    they named in their own words — nobody else (bot.services.tact)."""
    state = asks.post_state(r.session, r.row.team_id, _ask_id(r.row))
    if state is None:
        return []
    return [state.ask.asker_id, *state.helpers, *mentioned_in(state.ask.text)]


def _send_post(client: WebClient, row: Outgoing, call: Call) -> Outcome:
    rest = dict(call)
    channel = rest.pop("channel")
    # A public channel Mutual is not in is joined; a private one it was not invited to fails.
    return in_channel(client, channel, lambda: post_message(client, channel, rest, row.key))


def _not_posted(session: Session, row: Outgoing, reason: str, now: datetime) -> None:
    ask = asks.mark_unposted(session, row.team_id, _ask_id(row), now)
    if ask is not None and ask.asker_id:
        outbox.message(session, row.team_id, f"ask_post_failed:{ask.id}", ask.asker_id,
                       build_ask_post_failed(ask, reason), now)


def _refresh(r: Rendering) -> Call:
    status, channel, ts = sent_at(r.session, r.row.team_id, post_key(_ask_id(r.row)))
    state = asks.post_state(r.session, r.row.team_id, _ask_id(r.row))
    if status != SENT or not channel or not ts or state is None:
        raise Skip("the ask was never posted")
    return {"channel": channel, "ts": ts, **build_ask_post(state)}


def _send_refresh(client: WebClient, row: Outgoing, call: Call) -> Outcome:
    rest = dict(call)
    return update_message(client, rest.pop("channel"), rest.pop("ts"), rest)


def _group(r: Rendering) -> Call:
    offer = asks.get_offer(r.session, r.row.team_id, int(r.payload["offer_id"]))
    ask = asks.get_ask(r.session, r.row.team_id, offer.ask_id) if offer is not None else None
    if offer is None or ask is None or offer.status not in UNDER_WAY or not ask.is_open \
            or not ask.asker_id or not offer.helper_id:
        raise Skip("the offer no longer stands")
    return {"users": [ask.asker_id, offer.helper_id]}


def _open(client: WebClient, row: Outgoing, call: Call) -> Outcome:
    return open_conversation(client, call["users"])


def _group_failed(session: Session, row: Outgoing, reason: str, now: datetime) -> None:
    """Slack would not open the group DM, even after retrying for the workspace's window."""
    offer = asks.get_offer(session, row.team_id, int(row.payload.get("offer_id") or 0))
    ask = asks.get_ask(session, row.team_id, offer.ask_id) if offer is not None else None
    if offer is not None and ask is not None and ask.asker_id and offer.helper_id:
        outbox.message(session, row.team_id, f"ask_group_failed:{offer.id}", ask.asker_id,
                       build_group_failed(offer.helper_id), now)


register_kind(Kind(ASK_POST, _post, send=_send_post, on_failed=_not_posted,
                   channel_post=_named_by_choice))
register_kind(Kind(ASK_REFRESH, _refresh, send=_send_refresh, method="chat.update",
                   idempotent=True, checkable=False, channel_post=_named_by_choice))
register_kind(Kind(ASK_GROUP, _group, send=_open, method="conversations.open", idempotent=True,
                   checkable=False, on_failed=_group_failed))
