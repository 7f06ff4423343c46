"""The sandbox's clock moves as a real one does: `time +3d` stops at every moment on the way
at which something is due, so what Mutual would have sent then is sent then, in order."""

from __future__ import annotations

from datetime import datetime

from bot.sandbox.lines import VERBS
from bot.sandbox.manifest import COMMANDS, SHORTCUTS
from tests.sandbox.conftest import Typist


def test_a_dm_held_for_working_hours_goes_out_when_they_begin(typist: Typist) -> None:
    # Monday 10:00 in London is 19:00 in Tokyo: Erin's claim reminder, due Thursday evening
    # her time, waits for Friday morning.
    typist.type("/helped @erin set up your laptop")
    said = typist.type("time +3d")
    assert "a DM for erin waits for their working hours: Fri 20 Nov 09:00 in Asia/Tokyo" in said
    # The next jump lands on Friday evening in Tokyo again; the reminder still goes out at
    # 09:00, not held over to Monday.
    said = typist.type("time +1d")
    assert "1 new DM for erin" in said and "waits for their working hours" not in said
    reminder = typist.saying("erin", "A gentle reminder")
    assert [r.at.strftime("%a %d %b %H:%M") for r in reminder] == ["Fri 20 Nov 09:00"]


def test_a_reminder_comes_before_the_expiry_it_warns_of(typist: Typist) -> None:
    typist.type("/intro @carol @dan you both run on-call rotations")
    typist.type("time +8d")
    reminders = typist.saying("carol", "A gentle reminder") + typist.saying("dan", "A gentle reminder")
    assert len(reminders) == 2
    expired = typist.saying("alice", "didn't get both answers")
    assert len(expired) == 1
    # Three days after the intro (in each one's working hours), well before the seventh day.
    for reminder in reminders:
        assert datetime(2026, 11, 19) <= reminder.at.replace(tzinfo=None) < datetime(2026, 11, 20)
    assert all(r.at < expired[0].at for r in reminders)
    assert expired[0].at.strftime("%a %d %b") == "Mon 23 Nov"


def test_the_weekly_summary_is_posted_at_its_hour_on_the_way(typist: Typist) -> None:
    typist.type("as erin", "/mutual config", "set Channel for the summary #general", "submit")
    for helper, receiver in (("bob", "alice"), ("carol", "bob"), ("dan", "carol"),
                             ("erin", "dan"), ("alice", "erin"), ("bob", "dan")):
        typist.type(f"as {receiver}", f"/thanks @{helper} for the help with the release")
    typist.type("as alice", "time +10d")
    posts = typist.saying("alice", "The week in Mutual", "#general")
    # Friday 16:00 in the workspace's time zone (UTC, London's time in November).
    assert [p.at.strftime("%a %d %b %H:%M") for p in posts] == ["Fri 20 Nov 16:00"]


def test_a_message_held_for_a_rate_limit_says_so(typist: Typist) -> None:
    typist.sb.ws.slack.rate_limit("chat.postMessage", times=1, retry_after=600)
    typist.type("/thanks @bob for the review")
    said = typist.type("time +1m")
    assert "a DM for bob waits because Slack asked Mutual to slow down (HTTP 429)" in said
    assert "working hours" not in said
    assert "1 new DM for bob" in typist.type("time +10m")


def test_the_clock_shows_when_each_thing_happened_on_the_way(typist: Typist) -> None:
    typist.type("/helped @carol reviewed the schema")
    said = typist.type("time +5d")
    assert "⏰ Moving the clock to Sat 21 Nov 2026 10:01" in said
    assert "⏱ Thu 19 Nov" in said  # Carol's reminder, in her working hours, on the way
    assert said.rstrip().endswith("⏰ It is now Sat 21 Nov 2026 10:01 for alice.")


def test_help_lists_everything_a_person_can_type(typist: Typist) -> None:
    said = typist.type("help")
    for command in COMMANDS:
        assert command in said
    for name in SHORTCUTS:
        assert f'"{name}"' in said
    for verb in VERBS:
        assert verb in said
    for fault in ("slack down", "slack up", "slack 429", "slack fail", "slack slow",
                  "slack reset", "slack status"):
        assert fault in said
