"""How concentrated helping is, in the team summary: a share of the people and a share of the
help, never who, and only where at least five people are involved. Old summary payloads (from
before the figure) still render."""

import json

import pytest

from bot.blocks.summary import build_team_summary, concentration_line, share_words
from bot.services.concentration import Concentration, concentration
from bot.services.recording import record_thanks
from bot.services.summary import summary_from, summary_payload, team_summary
from bot.services.workspaces import ensure_workspace
from tests.conftest import START
from tests.support.blockkit import assert_valid_message

T = "T0001"


@pytest.fixture
def ws(session):
    return ensure_workspace(session, T, START)


def helped(session, helper, receiver, times=1):
    for _ in range(times):
        record_thanks(session, T, receiver, [helper], "", START)
    session.flush()


def test_the_smallest_group_giving_half_of_the_help():
    counts = {("A", "X"): 4, ("A", "Y"): 2, ("B", "X"): 4, ("C", "A"): 1, ("D", "A"): 1,
              ("E", "B"): 1, ("F", "B"): 1, ("G", "C"): 1}
    figure = concentration(counts)
    assert figure == Concentration(people=9, top_people=2, help=15, top_help=10)
    assert concentration({}) is None


@pytest.mark.parametrize(("share", "words"), [
    (0.2, "a fifth"), (2 / 3, "two thirds"), (0.5, "half"), (0.21, "about a fifth"),
    (0.7, "about two thirds"), (0.05, "about a tenth"), (1.0, "all")])
def test_shares_in_words(share, words):
    assert share_words(share) == words


def test_a_share_is_said_only_where_each_side_has_five_people(session, ws):
    # Ten people; two of them gave 8 of the 12 times anyone helped: "a fifth of the people"
    # would pick out two people, so it is not said.
    for receiver in ("U3", "U4", "U5", "U6"):
        helped(session, "U1", receiver)
        helped(session, "U2", receiver)
    for helper, receiver in (("U7", "U1"), ("U8", "U2"), ("U9", "U1"), ("U10", "U2")):
        helped(session, helper, receiver)
    summary = team_summary(session, ws, START)
    assert summary.concentration == Concentration(10, 2, 12, 8)
    assert "of the help" not in json.dumps(build_team_summary(summary))


def test_half_the_people_gave_most_of_the_help(session, ws):
    # Twelve givers: six gave twice, six once; half the help came from five of the first six.
    for n in range(1, 7):
        helped(session, f"UG{n}", f"UR{n}")
        helped(session, f"UG{n}", f"UR{n + 6}")
        helped(session, f"UH{n}", f"UR{n}")
    summary = team_summary(session, ws, START)
    figure = summary.concentration
    assert figure is not None and figure.top_people >= 5 and figure.people - figure.top_people >= 5
    message = build_team_summary(summary)
    assert_valid_message(message)
    shown = json.dumps(message)
    assert "of the people gave" in shown and "of the help" in shown
    assert "<@" not in shown, "never who"


def test_below_the_floor_the_figure_is_not_shown(session, ws):
    helped(session, "U1", "U2", 5)
    helped(session, "U1", "U3")
    helped(session, "U4", "U1")
    summary = team_summary(session, ws, START)
    assert summary.concentration is not None and summary.concentration.people == 4
    assert concentration_line(summary.concentration) is None
    assert "of the help" not in json.dumps(build_team_summary(summary))


def test_payload_carries_it_and_an_old_payload_has_none(session, ws):
    for receiver in ("U3", "U4", "U5", "U6"):
        helped(session, "U1", receiver)
    summary = team_summary(session, ws, START)
    data = json.loads(json.dumps(summary_payload(summary)))
    assert summary_from(data) == summary
    old = {k: v for k, v in data.items() if k != "concentration"}
    assert summary_from(old).concentration is None
    assert_valid_message(build_team_summary(summary_from(old)))
