"""Small Block Kit pieces. Builders compose these; nothing here knows about Mutual."""

from __future__ import annotations

import re
import sys
from datetime import datetime
from typing import Any

from bot.blocks import limits
from bot.blocks.checks import block_text_length

Block = dict[str, Any]
SECTION_MAX = limits.SECTION_TEXT
BUTTON_TEXT_MAX = limits.BUTTON_TEXT
_ESCAPED_MENTION = re.compile(r"&lt;@([UW][A-Z0-9]+)(?:\|[^&]*)?&gt;")
_ENTITY = 6  # the longest escape Mutual writes, "&amp;", and a character


def clip(text: str, limit: int, tail: str = "…") -> str:
    """At most `limit` characters, marked with "…" when cut — never inside an escape
    ("&am"), a mention, link or date ("<@U12"), so what remains still reads right."""
    if len(text) <= limit:
        return text
    cut = text[:max(0, limit - len(tail))]
    amp = cut.rfind("&")
    if amp != -1 and amp >= len(cut) - _ENTITY and ";" not in cut[amp:]:
        cut = cut[:amp]
    angle = cut.rfind("<")
    if angle != -1 and ">" not in cut[angle:]:
        cut = cut[:angle]
    return cut.rstrip() + tail


def mrkdwn(text: str, limit: int = limits.TEXT_OBJECT) -> dict[str, str]:
    return {"type": "mrkdwn", "text": clip(text, limit)}


def plain(text: str, limit: int = limits.TEXT_OBJECT) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def section(text: str, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id:
        block["block_id"] = block_id
    return block


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text)]}


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": plain(text, BUTTON_TEXT_MAX),
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


def message(text: str, blocks: list[Block], keep_last: int = 0) -> dict[str, Any]:
    """A message with its plain-text fallback (notifications, screen readers), within
    Slack's limits for one message however long its parts grew (see `fit_message`)."""
    return {"text": clip(text, limits.MESSAGE_TEXT),
            "blocks": fit_message(blocks, keep_last=keep_last)}


def fit_message(blocks: list[Block], most: int = limits.MESSAGE_BLOCKS,
                budget: int = limits.MESSAGE_BLOCK_TEXT, keep_last: int = 0) -> list[Block]:
    """The last guard on a message: at most `most` blocks and `budget` characters of text
    (Slack's msg_blocks_too_long), what does not fit replaced by "…and N more". The last
    `keep_last` blocks and any buttons at the end are kept: they are what the message is for."""
    if len(blocks) <= most and block_text_length(blocks) <= budget:
        return blocks
    body = list(blocks)
    tail: list[Block] = []
    while body and (len(tail) < keep_last or body[-1].get("type") == "actions") and len(tail) < 5:
        tail.insert(0, body.pop())
    room = budget - block_text_length(tail) - 40
    kept: list[Block] = []
    for block in body:
        size = block_text_length(block)
        if len(kept) + len(tail) + 2 > most or size > room:
            break
        kept.append(block)
        room -= size
    dropped = len(body) - len(kept)
    if dropped:
        kept.append(context(f"_…and {dropped:,} more_"))
    return kept + tail


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


MESSAGE_BLOCKS_MAX = limits.MESSAGE_BLOCKS


def cap_blocks(blocks: list[Block], limit: int = MESSAGE_BLOCKS_MAX) -> list[Block]:
    """A last guard: never more blocks than Slack accepts (a Home tab's or a modal's text
    has no total limit; a message's is kept by `message` itself)."""
    return fit_message(blocks, limit, budget=sys.maxsize)
