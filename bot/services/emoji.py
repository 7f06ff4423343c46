"""Which thank-you emoji names are real: Slack's standard short names (shipped with Mutual,
bot/data/emoji_names.txt, made by tests/tools/emoji_names.py from iamcal's emoji-data, the
set Slack uses) and the workspace's custom emoji (Slack's `emoji.list`, when the app may read
it). An unknown name is refused with the closest real one as a suggestion."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

NAMES_FILE = "data/emoji_names.txt"


@cache
def standard_names() -> frozenset[str]:
    text = resources.files("bot").joinpath(NAMES_FILE).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def is_standard(name: str) -> bool:
    return name in standard_names()


@dataclass(frozen=True)
class CustomEmoji:
    """What Mutual could learn of the workspace's own emoji: their names, or why not
    (`unreadable`: the app may not read them; `busy`: Slack did not answer in time)."""

    names: frozenset[str] = frozenset()
    unreadable: bool = False
    busy: bool = False


def needs_checking(names: Iterable[str], kept: Iterable[str]) -> list[str]:
    """Names that are neither standard nor already saved (the default `thankyou`, a custom
    emoji in many workspaces, is never refused for having been there all along)."""
    known = set(kept)
    return [n for n in names if n not in known and not is_standard(n)]


def suggestion(name: str, custom: Iterable[str] = ()) -> str | None:
    """The closest real name, if one is close enough to be what was meant."""
    pool = standard_names() | frozenset(custom)
    found = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    return found[0] if found else None


def unknown_emoji_error(unchecked: list[str], custom: CustomEmoji) -> str | None:
    """The error to show next to the emoji field, or None when every name is real."""
    unknown = [n for n in unchecked if n not in custom.names]
    if not unknown:
        return None
    name = unknown[0][:40]
    if custom.busy:
        return (f"I couldn't check :{name}: against this workspace's custom emoji just now. "
                "Please try again in a minute.")
    if custom.unreadable:
        return (f"“{name}” isn't one of Slack's standard emoji, and Mutual may not read this "
                "workspace's custom ones (reinstalling the app grants emoji:read).")
    close = suggestion(name, custom.names)
    hint = f" Did you mean {close}?" if close else " Use the name Slack shows when you hover over an emoji, e.g. pray."
    return f"“{name}” isn't an emoji in this workspace.{hint}"
