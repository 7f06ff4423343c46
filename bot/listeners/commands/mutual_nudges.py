"""`/mutual nudges off|on` and `/mutual snooze <days>`: personal nudge controls."""

from __future__ import annotations

import re
from typing import Any

from slack_sdk import WebClient

from bot.blocks.kit import escape
from bot.blocks.nudges import build_controls_error, build_nudges_set, build_snooze_reply
from bot.blocks.recording import build_busy
from bot.listeners.deps import Deps
from bot.listeners.settings import change_nudges
from bot.payloads.commands import SlashCommand

MAX_SNOOZE_DAYS = 365
DAYS = re.compile(r"^(\d{1,6})\s*(?:d|days?)?$", re.I)


def nudges(deps: Deps, client: WebClient, team_id: str, command: SlashCommand, rest: str) -> dict[str, Any]:
    choice = rest.strip().lower()
    if choice not in ("on", "off"):
        said = f" (not `{_shown(rest)}`)" if rest.strip() else ""
        return build_controls_error(f"Say `on` or `off`{said} — for example `/mutual nudges off`.")
    state = change_nudges(deps, client, team_id, command.user_id, enabled=choice == "on")
    if state is None:
        return build_busy()
    return build_nudges_set(state.nudges_enabled)


def snooze(deps: Deps, client: WebClient, team_id: str, command: SlashCommand, rest: str) -> dict[str, Any]:
    raw = rest.strip()
    match = DAYS.match(raw)
    if match is None:
        what = f"`{_shown(raw)}` isn't a number of days" if raw else "How many days?"
        return build_controls_error(f"{what} — try `/mutual snooze 14`.")
    days = int(match.group(1))
    if days < 1:
        return build_controls_error("Snooze for at least one day — or use `/mutual nudges off` "
                                    "to stop suggestions altogether.")
    if days > MAX_SNOOZE_DAYS:
        return build_controls_error(f"I can snooze for up to {MAX_SNOOZE_DAYS} days at a time; "
                                    "`/mutual nudges off` stops suggestions for good.")
    state = change_nudges(deps, client, team_id, command.user_id, days=days)
    if state is None:
        return build_busy()
    assert state.snoozed_until is not None
    return build_snooze_reply(state.snoozed_until)


def _shown(typed: str) -> str:
    """What the person typed, safe inside inline code."""
    return escape(typed.strip().replace("`", "'"))[:40]
