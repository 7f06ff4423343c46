"""Team summary and digest figures: the week, the window, and the privacy floor."""

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.blocks.summary import build_digest, build_team_summary
from bot.db.models import Intro
from bot.services import intros
from bot.services.recording import record_thanks
from bot.services.summary import (
    Figure,
    channel_digest,
    digest_from,
    digest_payload,
    period_ending,
    summary_from,
    summary_payload,
    team_summary,
)
from bot.services.workspaces import ensure_workspace
from tests.conftest import START
from tests.support.blockkit import assert_valid_message

T = "T0001"


@pytest.fixture
def ws(session):
    return ensure_workspace(session, T, START)


def helped(session, helper, receiver, times=1, at=START):
    for _ in range(times):
        record_thanks(session, T, receiver, [helper], "", at)
    session.flush()


def ring(session, people, at=START):
    """Each person helps the next: len(people) records, everyone gives and receives."""
    for i, person in enumerate(people):
        helped(session, person, people[(i + 1) % len(people)], at=at)


def test_privacy_floor_four_people_show_nothing_five_show_counts(session, ws):
    ring(session, ["U1", "U2", "U3", "U4"])
    four = team_summary(session, ws, START)
    assert four.help == Figure(4, 4) and not four.help.shown
    rendered = json.dumps(build_team_summary(four))
    assert "*4*" not in rendered and "at least 5 people" in rendered

    helped(session, "U4", "U5")
    five = team_summary(session, ws, START)
    assert five.help == Figure(5, 5) and five.help.shown
    assert five.givers == Figure(4, 4) and not five.givers.shown, "only 4 people gave"
    assert five.receivers == Figure(5, 5) and five.receivers.shown
    text = json.dumps(build_team_summary(five))
    assert "*5* times people helped a colleague" in text and "people gave help" not in text


def test_never_names_anyone_who_receives_without_giving(session, ws):
    ring(session, ["U1", "U2", "U3", "U4", "U5", "U6"])
    helped(session, "U1", "UTAKER", 5)
    summary = build_team_summary(team_summary(session, ws, START))
    assert "UTAKER" not in json.dumps(summary)
    assert "<@" not in json.dumps(summary), "no one is named without an intro to credit"


def test_week_is_seven_local_days_and_relationships_use_the_window(session, ws):
    ws.timezone = "America/New_York"
    ring(session, ["U1", "U2", "U3", "U4", "U5"], at=START - timedelta(days=30))
    ring(session, ["U6", "U7", "U8", "U9", "U10"])
    helped(session, "U2", "U1")  # U1 and U2 now help each other: new two-way this week
    summary = team_summary(session, ws, START)

    period = summary.period
    assert period.key == "2026-W47" and len(period.days) == 7
    assert period.start == datetime(2026, 11, 10, 5, 0, tzinfo=UTC)  # midnight in New York
    assert summary.help.value == 6
    assert summary.one_way == Figure(9, 10)
    assert summary.two_way == Figure(1, 2) and not summary.two_way.shown
    assert summary.new_two_way == Figure(1, 2)
    assert sum(d.help.value for d in summary.daily) == 6
    assert summary.daily[-1].day == START.astimezone(ZoneInfo("America/New_York")).date()


def test_intros_made_connected_and_credit(session, ws):
    made = []
    for a, b in (("U1", "U2"), ("U3", "U4"), ("U5", "U6")):
        made.append(intros.propose_intro(session, T, "UCONNECT", a, b, "why", START).intro)
    first = session.get(Intro, made[0].id)
    first.status, first.connected_at = "connected", START
    old = intros.propose_intro(session, T, "UOLD", "U7", "U8", "why", START - timedelta(days=20)).intro
    stale = session.get(Intro, old.id)
    stale.status, stale.connected_at = "connected", START - timedelta(days=10)
    session.flush()

    summary = team_summary(session, ws, START)
    assert summary.intros_made == Figure(3, 7)
    assert summary.intros_connected == Figure(1, 3) and not summary.intros_connected.shown
    assert summary.credited == ["UCONNECT"] and summary.credit_counts == {"UCONNECT": 1}
    text = json.dumps(build_team_summary(summary))
    # Connectors are thanked privately (a DM of their own), never named in the channel.
    assert "UCONNECT" not in text and "UOLD" not in text and "<@" not in text
    assert "*3* introductions were offered" in text


def test_payload_round_trip(session, ws):
    ring(session, ["U1", "U2", "U3", "U4", "U5"])
    summary = team_summary(session, ws, START)
    assert summary_from(json.loads(json.dumps(summary_payload(summary)))) == summary
    digest = channel_digest(session, ws, START)
    assert digest_from(json.loads(json.dumps(digest_payload(digest)))) == digest


def test_the_digest_counts_waiting_intros_and_one_sided_never_naming_anyone(session, ws):
    intros.propose_intro(session, T, "UCAROL", "UALICE", "UBOB", "both on search", START - timedelta(days=2))
    for receiver in ("UR1", "UR2", "UR3"):
        helped(session, "UGIVER", receiver, 3)
    digest = channel_digest(session, ws, START)
    assert digest.waiting == Figure(1, 3) and not digest.waiting.shown
    assert digest.one_sided == Figure(3, 4) and not digest.one_sided.shown
    msg = build_digest(digest)
    assert_valid_message(msg)
    text = json.dumps(msg)
    assert "<@" not in text and "waiting for a reply" not in text  # 3 people: under the floor
    assert "one-sided for now" not in text

    intros.propose_intro(session, T, "UDAN", "UERIN", "UFRANK", "both on billing", START - timedelta(days=1))
    shown = build_digest(channel_digest(session, ws, START))
    text = json.dumps(shown)
    assert "*2* introductions are waiting for a reply" in text and "your DMs from Mutual" in text
    assert "<@" not in text

    helped(session, "UGIVER", "UR4", 3)
    shown = channel_digest(session, ws, START)
    assert shown.one_sided == Figure(4, 5)
    assert "*4* relationships are one-sided for now" in json.dumps(build_digest(shown))
    assert "UR4" not in json.dumps(build_digest(shown))


def test_period_key_follows_the_workspace_day():
    late_sunday_utc = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    assert period_ending(late_sunday_utc, "UTC").key == "2026-W47"
    assert period_ending(late_sunday_utc, "Asia/Tokyo").key == "2026-W48"
    assert period_ending(late_sunday_utc, "Not/AZone").key == "2026-W47", "falls back to UTC"
