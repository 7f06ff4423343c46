"""What a person sees when the edge turns a request away before any listener runs: a slash
command gets words (Slack shows nothing else), a modal a closing view; buttons, shortcuts and
events get a quiet 200, because nothing can be shown there reliably."""

from __future__ import annotations

from typing import Any

from bot.blocks.kit import message, plain, section

UNREADABLE = "Mutual couldn't read that request — nothing was saved. Please try again."
NOT_INSTALLED = ("Mutual isn't installed in this workspace, so nothing was saved. A Slack admin "
                 "can install it.")
ALREADY_DONE = "That was already done."
INPUT_UNREADABLE = "Mutual couldn't read this answer — please check it and try again."


def build_command_refusal(text: str) -> dict[str, Any]:
    """The ephemeral reply to a slash command the edge turned away."""
    return {"response_type": "ephemeral", **message(text, [section(f":information_source: {text}")])}


def build_modal_refusal(text: str = UNREADABLE) -> dict[str, Any]:
    """Replaces a submitted modal the edge could not read."""
    return {"response_action": "update",
            "view": {"type": "modal", "title": plain("Mutual"), "close": plain("Close"),
                     "blocks": [section(text)]}}


def build_input_refusal(block_id: str) -> dict[str, Any]:
    """Points at the one input of a submitted modal the edge could not read."""
    return {"response_action": "errors", "errors": {block_id: INPUT_UNREADABLE}}
