"""What every listener needs, built once in create_app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.db.session import Database
from bot.slack.directory import Directory


@dataclass
class Deps:
    db: Database
    clock: Clock
    directory: Directory


def team_of(context: Any, body: dict[str, Any]) -> str:
    """The workspace a request belongs to (org-wide installs may only give the user's team)."""
    team = context.get("team_id") or body.get("team_id")
    if not team and isinstance(body.get("team"), dict):
        team = body["team"].get("id")
    if not team and isinstance(body.get("user"), dict):
        team = body["user"].get("team_id")
    return str(team or context.get("enterprise_id") or "")
