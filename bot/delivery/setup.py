"""The set-up's messages: the welcome DM (rendered from the settings as they are when it goes
out) and joining the channel an admin chose — conversations.join for a public one, then a
hello there; a private one Mutual was not invited to is remembered and its admin told how to
invite it (bot/delivery/channel.py), as for a summary that could not be posted."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.setup import build_channel_hello, build_channel_join_failed, build_welcome
from bot.db.models import Workspace
from bot.delivery.channel import after_channel_post, channel_post_failed
from bot.delivery.kinds import Call, Kind, Rendering, Skip, register_kind
from bot.services.channel import channel_admins
from bot.services.delivery import Outgoing
from bot.services.outbox import message
from bot.services.settings import current_config
from bot.services.setup import CHANNEL_SETUP, CHANNEL_SETUP_FAILED, WELCOME, refresh_admin_homes
from bot.slack.sender import (
    NOT_A_MEMBER,
    PRIVATE,
    PRIVATE_CHANNEL,
    REFUSED,
    SENT,
    Outcome,
    call,
    post_message,
)

# chat.postMessage's answers, after a join was refused as private, that mean "not invited".
NOT_INVITED = NOT_A_MEMBER | {"channel_not_found"}


def _welcome(r: Rendering) -> Call:
    return build_welcome(current_config(r.workspace))


def _hello(r: Rendering) -> Call:
    if r.workspace.nudge_channel != r.row.recipient_id:
        raise Skip("the channel was changed")
    return build_channel_hello(current_config(r.workspace))


def _join_and_hello(client: WebClient, row: Outgoing, hello: Call) -> Outcome:
    """Join a public channel (harmless when already in it), then say hello. A private one
    cannot be joined: the hello then shows whether someone invited Mutual."""
    channel = row.recipient_id
    joined = call(lambda: client.conversations_join(channel=channel), read=lambda data: (channel, None))
    private = joined.status == REFUSED and joined.error in PRIVATE
    if joined.status != SENT and not private:
        return joined  # a 429 or an outage: tried again later; a refusal: the admin is told
    posted = post_message(client, channel, hello, row.key)
    if private and posted.status == REFUSED and posted.error in NOT_INVITED:
        return Outcome(REFUSED, PRIVATE_CHANNEL)
    return posted


def _joined(session: Session, row: Outgoing, outcome: Outcome, now: datetime) -> None:
    after_channel_post(session, row, outcome, now)
    refresh_admin_homes(session, row.team_id, now)


def _not_joined(session: Session, row: Outgoing, reason: str, now: datetime) -> None:
    channel = row.recipient_id
    if reason == PRIVATE_CHANNEL:
        channel_post_failed(session, row, reason, now)
    elif channel and (workspace := session.get(Workspace, row.team_id)) is not None and (
            workspace.nudge_channel == channel):
        for admin in channel_admins(session, workspace):
            message(session, row.team_id, f"{CHANNEL_SETUP_FAILED}:{channel}:{admin}", admin,
                    build_channel_join_failed(channel, reason), now)
    refresh_admin_homes(session, row.team_id, now)


register_kind(Kind(WELCOME, _welcome))
# Two calls (a join, a post) that Slack cannot confirm afterwards without a history scope:
# one cut off mid-way is not made again (the admin can choose the channel again).
register_kind(Kind(CHANNEL_SETUP, _hello, send=_join_and_hello, method="conversations.join",
                   checkable=False, after_sent=_joined, on_failed=_not_joined))
