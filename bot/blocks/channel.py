"""Telling an admin that the summary channel is one Mutual cannot post in."""

from __future__ import annotations

from typing import Any

from bot.blocks.kit import escape, message, section


def channel_problem_text(channel_id: str) -> str:
    """What to do about a private summary channel Mutual was not invited to (the DM, and the
    warning at the top of the settings modal while it stands)."""
    return (f"I can't post in <#{escape(channel_id)}>: it's private and I haven't been invited. "
            "Invite me with /invite @Mutual, or pick another channel.")


def build_channel_private_dm(channel_id: str) -> dict[str, Any]:
    """Once per channel, to the admin who chose it (or the workspace's admins)."""
    text = channel_problem_text(channel_id)
    return message(text, [
        section(f":warning: {text}"),
        section("The weekly summary and digest will go there once I'm in. You can change the "
                "channel any time with `/mutual config`."),
    ])
