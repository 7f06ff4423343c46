"""Time zones an admin can pick for the workspace: real IANA zones, found as they type.

Slack loads an `external_select`'s options from the app as the person types (at most 100 a
time), so the settings modal offers every zone without a static list over Slack's limit: an
empty query gets the zones that matter here (the current one, then where the team is, then a
few common ones), a typed one every zone whose name, city or offset matches."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import Member, Workspace

OPTIONS_MAX = 100  # Slack shows at most 100 options
REGIONS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe",
           "Indian", "Pacific")
COMMON = ("UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago",
          "America/Los_Angeles", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Singapore",
          "Asia/Tokyo", "Australia/Sydney")
TEAM_ZONES_MAX = 20


@dataclass(frozen=True)
class Zone:
    name: str  # the option's value: an IANA name
    label: str  # what the admin reads: "Europe/London (UTC+00:00)"


@cache
def zone_names() -> tuple[str, ...]:
    """Canonical region/city zones and UTC: not the legacy aliases (US/Eastern, Etc/GMT+5)."""
    return ("UTC", *sorted(z for z in available_timezones() if z.split("/")[0] in REGIONS))


def zone_label(name: str, at: datetime) -> str:
    try:
        offset = at.astimezone(ZoneInfo(name)).utcoffset()
    except (ValueError, OSError):  # ZoneInfoNotFoundError is one: a name saved before checks
        return re.sub(r"[<>&]", "", name)[:75] or "UTC"
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "−"
    hours, mins = divmod(abs(minutes), 60)
    return f"{name} (UTC{sign}{hours:02d}:{mins:02d})"[:75]


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s/_()]+", text.lower().replace("−", "-")) if w]


def _rank(name: str, label: str, words: list[str]) -> int | None:
    """0: the city is what was typed; 1: the city starts with it; 2: it is in the name (or,
    for a query with digits, the offset); None: no match."""
    typed_digits = any(ch.isdigit() for w in words for ch in w)
    haystack = " ".join(_words(label if typed_digits else name))
    if not all(w in haystack for w in words):
        return None
    city = " ".join(_words(name.split("/")[-1]))
    typed = " ".join(words)
    if city == typed:
        return 0
    return 1 if city.startswith(typed) else 2


def matching_zones(query: str, at: datetime, first: Iterable[str] = ()) -> list[Zone]:
    """Zones for what was typed (`query`), best first; with nothing typed, `first` (the
    current and the team's zones) and then common ones. At most OPTIONS_MAX."""
    words = _words(query)
    if not words:
        wanted = [z for z in dict.fromkeys([*first, *COMMON]) if z in set(zone_names())]
        return [Zone(z, zone_label(z, at)) for z in wanted[:OPTIONS_MAX]]
    found: list[tuple[int, str, str]] = []
    for name in zone_names():
        label = zone_label(name, at)
        rank = _rank(name, label, words)
        if rank is not None:
            found.append((rank, name, label))
    found.sort()
    return [Zone(name, label) for _, name, label in found[:OPTIONS_MAX]]


def team_zones(session: Session, team_id: str) -> list[str]:
    """Where the team is: its members' zones, the most common first."""
    rows = session.execute(
        select(Member.tz, func.count()).where(Member.team_id == team_id, Member.tz.is_not(None),
                                              Member.deleted.is_(False), Member.is_bot.is_(False))
        .group_by(Member.tz).order_by(func.count().desc(), Member.tz).limit(TEAM_ZONES_MAX))
    return [str(tz) for tz, _ in rows]


def zones_first(session: Session, team_id: str) -> list[str]:
    """What to offer before anything is typed: the workspace's zone, then where its team is."""
    workspace = session.get(Workspace, team_id)
    return [*([workspace.timezone] if workspace else []), *team_zones(session, team_id)]
