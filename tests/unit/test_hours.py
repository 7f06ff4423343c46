"""Working hours in the recipient's own time zone, from Slack's tz_offset (seconds)."""

from datetime import UTC, datetime

import pytest

from bot.services.hours import is_working_time, next_working_instant

H = 3600
IST = 5 * H + 30 * 60  # +05:30, India
NST = -(3 * H + 30 * 60)  # −03:30, Newfoundland


def utc(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    # November 2026: Monday 16, Friday 20, Saturday 21, Sunday 22, Monday 23.
    return datetime(2026, 11, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(("at", "offset", "working"), [
    (utc(16, 9), 0, True),  # at the start
    (utc(16, 8, 59, 59), 0, False),  # just before
    (utc(16, 16, 59, 59), 0, True),  # just before the end
    (utc(16, 17), 0, False),  # at the end: after work
    (utc(21, 12), 0, False),  # Saturday
    (utc(22, 12), 0, False),  # Sunday
    (utc(16, 3, 30), IST, True),  # 09:00 in India
    (utc(16, 3, 29, 59), IST, False),
    (utc(16, 11, 29, 59), IST, True),  # 16:59:59 in India
    (utc(16, 11, 30), IST, False),  # 17:00 in India
    (utc(16, 12, 30), NST, True),  # 09:00 in Newfoundland
    (utc(16, 12, 29, 59), NST, False),
    (utc(16, 20, 29, 59), NST, True),
    (utc(16, 20, 30), NST, False),
    (utc(21, 3), -11 * H, True),  # Saturday in UTC, still Friday 16:00 in Pago Pago
    (utc(20, 19), 14 * H, False),  # Friday in UTC, Saturday 09:00 in Kiribati
    (utc(22, 19), 14 * H, True),  # Sunday in UTC, Monday 09:00 in Kiribati
])
def test_is_working_time(at, offset, working):
    assert is_working_time(at, offset) is working


@pytest.mark.parametrize(("at", "offset", "expected"), [
    (utc(16, 10), 0, utc(16, 10)),  # already working time: now
    (utc(16, 7), 0, utc(16, 9)),  # early: 09:00 the same day
    (utc(16, 17), 0, utc(17, 9)),  # late: 09:00 the next day
    (utc(20, 17), 0, utc(23, 9)),  # Friday evening: Monday morning
    (utc(21, 12), 0, utc(23, 9)),  # Saturday
    (utc(16, 11, 30), IST, utc(17, 3, 30)),  # 17:00 in India: 09:00 IST Tuesday
    (utc(16, 1), IST, utc(16, 3, 30)),
    (utc(16, 20, 30), NST, utc(17, 12, 30)),  # 17:00 in Newfoundland
    (utc(20, 20, 30), NST, utc(23, 12, 30)),  # Friday 17:00 there: Monday 09:00 there
    (utc(20, 19), 14 * H, utc(22, 19)),  # Saturday 09:00 in Kiribati: Monday 09:00 there
])
def test_next_working_instant(at, offset, expected):
    nxt = next_working_instant(at, offset)
    assert nxt == expected
    assert is_working_time(nxt, offset)
    assert nxt.tzinfo is not None
