"""Small Block Kit pieces. Builders compose these; nothing here knows about Mutual."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

Block = dict[str, Any]
SECTION_MAX = 3000
BUTTON_TEXT_MAX = 75
_ESCAPED_MENTION = re.compile(r"&lt;@([UW][A-Z0-9]+)(?:\|[^&]*)?&gt;")


def mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text[:SECTION_MAX]}


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def section(text: str, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id:
        block["block_id"] = block_id
    return block


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text)]}


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": plain(text[:BUTTON_TEXT_MAX]),
                               "action_id": action_id}
    if value:
        element["value"] = value
    if style:
        element["style"] = style
    return element


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


def message(text: str, blocks: list[Block]) -> dict[str, Any]:
    """A message with its plain-text fallback (notifications, screen readers)."""
    return {"text": text, "blocks": blocks}


def quote(note: str) -> str:
    """A note as a Slack block quote, safe for mrkdwn."""
    lines = escape(note).splitlines() or [""]
    return "\n".join(f">{line}" for line in lines)


def escape(text: str) -> str:
    """Escape &, <, > as Slack asks, so a note cannot ping @channel or fake a link; person
    mentions stay live so "thanks for pairing with @carol" still reads as a mention."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _ESCAPED_MENTION.sub(r"<@\1>", escaped)


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def join_people(user_ids: list[str]) -> str:
    names = [mention(u) for u in user_ids]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def plain_date(value: datetime) -> str:
    """"Friday 20 November 2026": how every date reads, wherever Slack can't draw it."""
    return f"{value:%A} {value.day} {value:%B %Y}"


def date(value: datetime) -> str:
    """A date, one way everywhere: Slack shows it in the reader's own time zone and locale,
    and the fallback text reads like `plain_date`."""
    return f"<!date^{int(value.timestamp())}^{{date_long}}|{plain_date(value)}>"


SHORT = 80


def short(note: str, limit: int = SHORT) -> str:
    """A note inside a sentence: one line, escaped, cut at a word."""
    one_line = " ".join(note.split())
    if len(one_line) > limit:
        one_line = one_line[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"
    return escape(one_line)


MESSAGE_BLOCKS_MAX = 50  # Slack: blocks in one message


def cap_blocks(blocks: list[Block], limit: int = MESSAGE_BLOCKS_MAX) -> list[Block]:
    """A last guard: never more blocks than Slack accepts."""
    if len(blocks) <= limit:
        return blocks
    return blocks[: limit - 1] + [context(f"_…and {len(blocks) - limit + 1} more_")]
