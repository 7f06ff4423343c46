"""Slack's mrkdwn as a person reads it: mentions as names, dates as their fallback text, links
as text, `&lt;` as `<`, emoji codes as emoji, *bold*, _italic_, `code` and > quotes styled."""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.emoji import Emoji
from rich.text import Text

ANGLE = re.compile(r"<([^<>]+)>")
STYLES = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])|(?<![\w_])_(?!\s)([^_\n]+?)_(?![\w_])|`([^`\n]+)`")
EMOJI = re.compile(r":([a-z0-9_+\-]+):")

Name = Callable[[str], str]


def plain_text(text: str, person: Name, channel: Name) -> str:
    """mrkdwn to plain text: `<@U1>` → `@bob`, `<#C1>` → `#general`, dates and links as text."""

    def angle(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "@" + person(target[1:])
        if target.startswith("#"):
            return "#" + (label or channel(target[1:]))
        if target.startswith("!date^"):
            return label or target
        if target.startswith("!subteam^"):
            return label or "@group"
        if target.startswith("!"):
            return "@" + (label or target[1:])
        if label:
            return f"{label} ({target})"
        return target

    text = ANGLE.sub(angle, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def emoji(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        try:
            return str(Emoji(match.group(1)))
        except Exception:  # rich raises NoEmoji for codes it does not know: keep them as typed
            return match.group(0)

    return EMOJI.sub(one, text)


def styled(text: str, person: Name, channel: Name, base: str = "") -> Text:
    """mrkdwn as a rich Text, quotes drawn with a bar."""
    out = Text(style=base)
    lines = plain_text(text, person, channel).split("\n")
    for i, line in enumerate(lines):
        if i:
            out.append("\n")
        if line.startswith(">"):
            out.append("▌ ", style="dim")
            out.append_text(_inline(emoji(line[1:].lstrip()), "italic"))
        else:
            out.append_text(_inline(emoji(line), ""))
    return out


def _inline(line: str, style: str) -> Text:
    out = Text(style=style)
    at = 0
    for match in STYLES.finditer(line):
        out.append(line[at:match.start()])
        bold, italic, code = match.groups()
        if bold is not None:
            out.append(bold, style="bold")
        elif italic is not None:
            out.append(italic, style="italic")
        else:
            out.append(code, style="cyan")
        at = match.end()
    out.append(line[at:])
    return out
