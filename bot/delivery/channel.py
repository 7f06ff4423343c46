"""After a summary or digest post: a private channel Mutual was not invited to is remembered
and its admin told once (by DM, through the outbox); a post that went out clears it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.blocks.channel import build_channel_private_dm
from bot.services.channel import channel_posted, channel_private, channel_private_key
from bot.services.delivery import Outgoing
from bot.services.outbox import message
from bot.slack.sender import PRIVATE_CHANNEL, Outcome


def after_channel_post(session: Session, row: Outgoing, outcome: Outcome, now: datetime) -> None:
    if row.recipient_id:
        channel_posted(session, row.team_id, row.recipient_id)


def channel_post_failed(session: Session, row: Outgoing, reason: str, now: datetime) -> None:
    channel = row.recipient_id
    if reason != PRIVATE_CHANNEL or not channel:
        return
    tell = channel_private(session, row.team_id, channel)
    if row.payload.get("admin"):
        return  # an admin's own `/mutual summary post`: they are told why by its reply
    for admin in tell:
        message(session, row.team_id, channel_private_key(channel, admin), admin,
                build_channel_private_dm(channel), now)
