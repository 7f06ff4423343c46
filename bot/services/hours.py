"""Working hours: private messages go out on weekdays, 09:00–17:00 in the recipient's own time.

A person's time is their Slack `tz_offset` (seconds east of UTC, e.g. 19800 for +05:30)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

DAY_START = time(9, 0)
DAY_END = time(17, 0)  # exclusive: 17:00:00 is already after work
WEEKDAYS = range(0, 5)  # Monday … Friday


def local_time(at: datetime, tz_offset: int) -> datetime:
    """`at` (aware UTC) as a naive wall-clock time for someone at `tz_offset`."""
    return at.replace(tzinfo=None) + timedelta(seconds=tz_offset)


def is_working_time(at: datetime, tz_offset: int) -> bool:
    local = local_time(at, tz_offset)
    return local.weekday() in WEEKDAYS and DAY_START <= local.time() < DAY_END


def next_working_instant(at: datetime, tz_offset: int) -> datetime:
    """`at` itself when it is working time for the person, else the next 09:00 on a weekday,
    in their time, returned as aware UTC."""
    if is_working_time(at, tz_offset):
        return at
    local = local_time(at, tz_offset)
    day = local.date()
    if local.weekday() not in WEEKDAYS or local.time() >= DAY_END:
        day += timedelta(days=1)
    while day.weekday() not in WEEKDAYS:
        day += timedelta(days=1)
    start_local = datetime.combine(day, DAY_START)
    return (start_local - timedelta(seconds=tz_offset)).replace(tzinfo=at.tzinfo)
