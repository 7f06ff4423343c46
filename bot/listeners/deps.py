"""What every listener needs, built once in create_app, and the typed request it serves.

The edge middleware (bot/edge.py) sets `context["payload"]` to the checked model before any
listener runs; `payload`, `typed`, `actor` and `team` read it, so listeners never look into
the raw `body`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from bot.clock import Clock
from bot.db.session import Database
from bot.payloads import Payload
from bot.payloads.commands import SlashCommand
from bot.payloads.events import EventCallback
from bot.slack.directory import Directory

P = TypeVar("P", bound=Payload)


@dataclass
class Deps:
    db: Database
    clock: Clock
    directory: Directory


def payload(context: Any) -> Payload:
    """The request, as the edge parsed and checked it."""
    found: Payload = context["payload"]
    return found


def typed(context: Any, kind: type[P]) -> P:
    """The request as the model its listener was registered for (`BlockActions` for an
    action, `SlashCommand` for a command…)."""
    found = payload(context)
    if not isinstance(found, kind):
        raise TypeError(f"{kind.__name__} expected, got {type(found).__name__}")
    return found


def team(context: Any) -> str:
    """The workspace a request belongs to (org-wide installs may only give the user's team):
    Bolt's, else the one the request names, else the user's, else the enterprise."""
    found = payload(context)
    if isinstance(found, SlashCommand):
        sent: str | None = found.team_id
    elif isinstance(found, EventCallback):
        sent = found.team_id_
    else:
        sent = (found.team.id if found.team else None) or found.user.team_id
    return str(context.get("team_id") or sent or context.get("enterprise_id") or "")


def actor(context: Any) -> tuple[str, str]:
    """(user_id, team_id) of whoever ran the command or pressed, submitted or used the shortcut."""
    found = payload(context)
    if isinstance(found, EventCallback):
        raise TypeError("an event has no single actor")
    return found.user_id, team(context)
