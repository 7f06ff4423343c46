"""Structural checks that a message or view is valid Block Kit within Slack's limits: the same
checks the Web API double and the sandbox answer with (bot/blocks/checks.py)."""

from __future__ import annotations

from typing import Any

from bot.blocks import limits
from bot.blocks.checks import block_problems, message_problems, view_problems


def assert_valid_message(msg: dict[str, Any], max_blocks: int = limits.MESSAGE_BLOCKS) -> None:
    assert isinstance(msg.get("text"), str) and msg["text"].strip(), "plain-text fallback"
    assert_valid_blocks(msg["blocks"], max_blocks)
    problems = message_problems(msg)
    assert not problems, problems


def assert_valid_view(view: dict[str, Any]) -> None:
    problems = view_problems(view, None)
    assert not problems, problems


def assert_valid_blocks(blocks: list[dict[str, Any]], max_blocks: int) -> None:
    problems = block_problems(blocks, max_blocks)
    assert not problems, problems
