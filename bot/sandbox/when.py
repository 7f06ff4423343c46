"""Reading the times people type for `time`: `+3d`, `+2h`, `+90m`, `+1w`, `+1d 4h`, or a
date and time (`2026-12-01 10:00`) in the current person's own time zone."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

STEP = re.compile(r"(\d+)\s*(w|d|h|m)", re.I)
UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d")
USAGE = "Try `time +3d`, `time +2h`, `time +1d 4h` or `time 2026-12-01 10:00` (your own time zone)."


class WhenError(ValueError):
    pass


def parse_when(text: str, now: datetime, tz: str) -> datetime:
    """The instant `text` names, as aware UTC; WhenError worded for the person."""
    text = text.strip()
    if not text:
        raise WhenError(USAGE)
    if text.startswith("+"):
        rest = text[1:].replace("+", " ")
        steps = STEP.findall(rest)
        if not steps or STEP.sub("", rest).strip():
            raise WhenError(f"I can't read “{text}”. {USAGE}")
        delta = timedelta()
        for amount, unit in steps:
            delta += timedelta(**{UNITS[unit.lower()]: int(amount)})
        if delta > timedelta(days=3650):
            raise WhenError("That's more than ten years ahead; try something smaller.")
        return now + delta
    for fmt in FORMATS:
        try:
            local = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return local.replace(tzinfo=ZoneInfo(tz)).astimezone(now.tzinfo)
    raise WhenError(f"I can't read “{text}”. {USAGE}")
