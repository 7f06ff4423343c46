"""Structural checks that a message or view is valid Block Kit within Slack's limits."""

from __future__ import annotations

from typing import Any

BLOCK_TYPES = {"section", "context", "actions", "divider", "header", "input", "image"}


def assert_valid_message(msg: dict[str, Any], max_blocks: int = 50) -> None:
    assert isinstance(msg.get("text"), str) and msg["text"].strip(), "plain-text fallback"
    assert_valid_blocks(msg["blocks"], max_blocks)


def assert_valid_view(view: dict[str, Any]) -> None:
    assert view["type"] in ("modal", "home")
    if view["type"] == "modal":
        assert 0 < len(view["title"]["text"]) <= 24, view["title"]
        for key in ("submit", "close"):
            if key in view:
                assert 0 < len(view[key]["text"]) <= 24
    assert_valid_blocks(view["blocks"], 100)


def assert_valid_blocks(blocks: list[dict[str, Any]], max_blocks: int) -> None:
    assert 0 < len(blocks) <= max_blocks
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids)), "block_ids must be unique"
    for block in blocks:
        assert block["type"] in BLOCK_TYPES, block
        if block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= 3000
        if block["type"] == "context":
            assert 0 < len(block["elements"]) <= 10
        if block["type"] == "actions":
            assert 0 < len(block["elements"]) <= 25
            for element in block["elements"]:
                assert len(element["action_id"]) <= 255
                if element["type"] == "button":
                    assert 0 < len(element["text"]["text"]) <= 75
                    assert len(element.get("value", "")) <= 2000
        if block["type"] == "input":
            assert block["label"]["text"] and "element" in block
