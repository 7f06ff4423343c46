"""Telling an admin that the summary channel is one Mutual cannot post in."""

from __future__ import annotations

import re
from typing import Any

from bot.blocks.kit import message, section

CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,31}$")


def _channel(channel_id: str) -> str:
    # Only a real channel id becomes a link; anything else is not shown at all.
    return f"<#{channel_id}>" if CHANNEL_ID.match(channel_id) else "the summary channel"


def channel_problem_text(channel_id: str) -> str:
    """What to do about a private summary channel Mutual was not invited to (the DM, and the
    warning at the top of the settings modal while it stands)."""
    return (f"I can't post in {_channel(channel_id)}: it's private and I haven't been invited. "
            "Invite me with /invite @Mutual, or pick another channel.")


def build_channel_private_dm(channel_id: str) -> dict[str, Any]:
    """Once per channel, to the admin who chose it (or the workspace's admins)."""
    text = channel_problem_text(channel_id)
    return message(text, [
        section(f":warning: {text}"),
        section("The weekly summary and digest will go there once I'm in. You can change the "
                "channel any time with `/mutual config`."),
    ])
