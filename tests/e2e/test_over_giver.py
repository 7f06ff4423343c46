"""The over-giver, noticed privately: someone whose help over the window went to many people
and came back from almost no one gets at most one warm note a quarter, in their working hours,
with a button that pauses incoming asks for two weeks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import constants as ids
from bot.db.models import Member
from tests.conftest import START
from tests.support import payloads as p
from tests.support.blockkit import assert_valid_message
from tests.support.nudging import buttons, helped, jobs_runner, member, text_of, workspace

DAY = timedelta(days=1)
TOKYO = 9 * 3600


@pytest.fixture
def jobs(db, slack, mutual):
    return jobs_runner(db, slack, mutual)


def gives_to_many(db, giver, at, people=8, back_from=("UCAROL",)):
    with db.session() as s:
        workspace(s, START)
        for n in range(people):
            helped(s, giver, f"UPEER{n}", at, note="a review")
        for other in back_from:
            helped(s, other, giver, at)


def notes_to(slack, user):
    return [m for m in slack.dms_to(user) if ids.ASKS_PAUSE in buttons(m)]


def test_a_warm_note_at_most_once_a_quarter_in_working_hours(mutual, slack, db, jobs):
    slack.users["UBOB"]["tz_offset"] = TOKYO
    gives_to_many(db, "UBOB", START - DAY)
    jobs(START)  # 19:00 in Tokyo: it waits
    assert notes_to(slack, "UBOB") == []
    jobs(START + timedelta(hours=14))  # 09:00 the next morning in Tokyo
    [note] = notes_to(slack, "UBOB")
    assert_valid_message(note)
    assert "helped a lot of people" in note["text"] and "protect your time" in note["text"]
    assert "UCAROL" not in text_of(note) and "UPEER" not in text_of(note), "not a score, nobody named"
    for later in (START + 2 * DAY, START + 45 * DAY, START + 89 * DAY):
        gives_to_many(db, "UBOB", later - DAY)
        jobs(later + timedelta(hours=14))
    assert len(notes_to(slack, "UBOB")) == 1
    jobs(START + 92 * DAY + timedelta(hours=14))  # a new quarter, still giving a lot
    assert len(notes_to(slack, "UBOB")) == 2


def test_the_pause_button_stops_suggestions_and_says_until_when(mutual, slack, db, jobs):
    gives_to_many(db, "UBOB", START - DAY)
    jobs(START)
    [note] = notes_to(slack, "UBOB")
    reply = mutual.post(p.block_action(ids.ASKS_PAUSE, buttons(note)[ids.ASKS_PAUSE], user="UBOB",
                                       channel="DBOB", message_ts="1700000042.000100"))
    assert reply.status == 200
    mutual.settle()
    with db.session() as s:
        assert s.get(Member, ("T0001", "UBOB")).asks_paused_until == START + 14 * DAY
    [update] = slack.calls_to("chat.update")
    assert update["ts"] == "1700000042.000100" and buttons(update) == {}
    assert "I won't suggest you to anyone asking for help until" in update["text"]


def test_no_note_for_those_who_hear_back_or_turned_suggestions_off(mutual, slack, db, jobs):
    gives_to_many(db, "UBOB", START - DAY, back_from=("UCAROL", "UERIN"))  # two came back
    gives_to_many(db, "UCAROL", START - DAY, people=6, back_from=())  # with Bob, seven: not "many"
    gives_to_many(db, "UERIN", START - DAY, back_from=())
    with db.session() as s:
        member(s, "UERIN", START, nudges_enabled=False)
    result = jobs(START)
    assert result["protect_time"] == 0
    assert not any(notes_to(slack, u) for u in ("UBOB", "UCAROL", "UERIN"))


def test_thresholds_are_workspace_settings(mutual, slack, db, jobs):
    gives_to_many(db, "UBOB", START - DAY, people=3, back_from=())
    jobs(START)
    assert notes_to(slack, "UBOB") == []
    with db.session() as s:
        workspace(s, START, over_giver_people=3, over_giver_back_max=0)
    jobs(START + DAY)
    assert len(notes_to(slack, "UBOB")) == 1
