"""A questions DM: the later questions waiting for someone ("how did it go?", "was it worth
it?", reminders), gathered into one message. Pure: the questions as their builders made them
in, one message out. Each question keeps its own buttons and box, told apart by a suffix on
their block ids (the listener reads a box by the suffix of the button pressed beside it)."""

from __future__ import annotations

from typing import Any

from bot import constants as ids
from bot.blocks.kit import Block, message, section

TEXT_MAX = 3000


def _own(blocks: list[Block], suffix: int) -> list[Block]:
    """A question's blocks with block ids of its own within the message."""
    out: list[Block] = []
    for block in blocks:
        block = dict(block)
        if block.get("type") == "actions":
            block["block_id"] = f"{ids.QUESTION_ACTIONS_BLOCK}.{suffix}"
        elif block.get("type") == "input":
            block["block_id"] = f"{block.get('block_id') or 'input'}.{suffix}"
        else:
            block.pop("block_id", None)
        out.append(block)
    return out


def build_questions(parts: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
    """One DM from (question id, its message) pairs, oldest first."""
    if len(parts) == 1:
        number, only = parts[0]
        return message(only["text"], _own(only["blocks"], number))
    blocks: list[Block] = [section(":seedling: A few questions from Mutual — answer any of them, "
                                   "whenever suits you, or none.")]
    for number, part in parts:
        blocks.append({"type": "divider"})
        blocks.extend(_own(part["blocks"], number))
    text = "A few questions from Mutual: " + " · ".join(p["text"] for _, p in parts)
    return message(text[:TEXT_MAX], blocks)


def words_block(pressed_block_id: str | None, base: str) -> str:
    """The box beside a pressed button: `base`, with the button's question suffix if any."""
    prefix = f"{ids.QUESTION_ACTIONS_BLOCK}."
    if pressed_block_id and pressed_block_id.startswith(prefix):
        return f"{base}.{pressed_block_id[len(prefix):]}"
    return base
