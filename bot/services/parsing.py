"""Parsing what people type after a slash command."""

from __future__ import annotations

import re
from dataclasses import dataclass

# <@U123>, <@U123|bob> (older clients), and <@W123> for Enterprise Grid users.
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
# A leading run of mentions, with the separators people naturally type between them.
# Slack sends "&" as "&amp;"; a bare "&" is accepted too, but never the start of "&lt;".
_ONE = r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>"
_SEP = r"\s*(?:,|&amp;|&(?![a-z]+;)|\band\b)?\s*"
LEADING = re.compile(rf"^\s*{_ONE}(?:{_SEP}{_ONE})*", re.I)
BARE_HANDLE = re.compile(r"(?<![<\w])@[\w.\-]+")
NOTE_MAX = 500


@dataclass(frozen=True)
class Mentions:
    """`user_ids` in the order typed (duplicates removed) and the free text after them."""

    user_ids: list[str]
    rest: str
    bare_handles: list[str]


def split_mentions(text: str) -> Mentions:
    """Split "<@A> <@B|bob> for the review" into ([A, B], "the review")."""
    text = (text or "").strip()
    match = LEADING.match(text)
    head = match.group(0) if match else ""
    ids = list(dict.fromkeys(MENTION.findall(head)))
    rest = text[len(head) :].strip()
    if ids:
        rest = rest.lstrip(",:;").strip()
        rest = re.sub(r"^for\b[:\s]*", "", rest, flags=re.I).strip()
    rest = unescape(rest)
    handles = BARE_HANDLE.findall(head if ids else text)
    return Mentions(user_ids=ids, rest=rest, bare_handles=handles)


def first_word(text: str) -> tuple[str, str]:
    """("request", "<@A> <@B> why") from "request <@A> <@B> why"."""
    parts = (text or "").strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0].lower(), parts[1] if len(parts) > 1 else ""


def unescape(text: str) -> str:
    """Slack sends &, <, > in command text as entities; keep notes as the person typed them."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
