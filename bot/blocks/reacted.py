"""What thank-you reactions tell people: the author's gathered DM, and the reactor's one-time
note. Pure: values in, Block Kit out."""

from __future__ import annotations

from typing import Any

from bot.blocks.kit import Block, context, mention, message, section
from bot.services.reacted import ReactionThanks

LINES_MAX = 15


def _where(channel_id: str | None) -> str:
    return f" in <#{channel_id}>" if channel_id else ""


def build_reactions_dm(reactions: list[ReactionThanks]) -> dict[str, Any]:
    """The author's DM: one reaction as one line, as a `/thanks` DM reads; several gathered."""
    if len(reactions) == 1:
        [one] = reactions
        text = (f"{mention(one.receiver_id)} thanked you with a thank-you reaction on your "
                f"message{_where(one.channel_id)}.")
        return message(text, [section(f":sparkles: {text}")])
    shown = reactions[:LINES_MAX]
    lines = "\n".join(f"• {mention(r.receiver_id)}{_where(r.channel_id)}" for r in shown)
    more = len(reactions) - len(shown)
    text = f"{len(reactions)} thank-you reactions on your messages this past hour."
    blocks: list[Block] = [section(f":sparkles: Thank-you reactions on your messages this past "
                                   f"hour:\n{lines}")]
    if more:
        blocks.append(context(f"…and {more} more."))
    return message(text, blocks)


def build_reaction_counted(author_id: str) -> dict[str, Any]:
    """The reactor's note, the first time one of their thank-you reactions counts."""
    text = (f"Your thank-you reaction counted: Mutual noted that {mention(author_id)} helped "
            "you and will let them know. Removing the emoji takes it back.")
    return message(text, [section(f":white_check_mark: {text}")])
