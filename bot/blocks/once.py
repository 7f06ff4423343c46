"""Words a person reads once ever (bot.services.once decides when). Pure."""

from __future__ import annotations

from typing import Any

from bot.blocks.kit import MESSAGE_BLOCKS_MAX, context

FIRST_CONTACT = ("Mutual keeps track of help between teammates and now and then suggests, "
                 "privately, a way to give back. Rather not have suggestions? "
                 "`/mutual nudges off` turns them off.")


def with_first_contact(msg: dict[str, Any]) -> dict[str, Any]:
    """The first DM Mutual sends a person, with one line on what Mutual is and how to turn its
    suggestions off; `msg` is a chat.postMessage call's arguments."""
    blocks = list(msg.get("blocks") or [])
    if not blocks:
        return {**msg, "text": f"{msg.get('text', '')}\n\n{FIRST_CONTACT}".strip()}
    if len(blocks) >= MESSAGE_BLOCKS_MAX:
        return msg
    # Above the buttons, if the message ends with some: they stay its last word.
    at = len(blocks) - 1 if blocks[-1].get("type") == "actions" else len(blocks)
    return {**msg, "blocks": [*blocks[:at], context(f":wave: {FIRST_CONTACT}"), *blocks[at:]]}
