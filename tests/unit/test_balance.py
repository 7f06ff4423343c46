"""One-sided detection: every rule at, just under and just over its threshold."""

from datetime import timedelta

import pytest

from bot.db.models import MutedPair
from bot.services.balance import one_sided_pairs, recent_notes, still_one_sided
from tests.conftest import START
from tests.support import nudging
from tests.support.nudging import add_nudge, days, helped, member

NOW = START
SECOND = timedelta(seconds=1)


def workspace(session, now, **settings):
    """The timing rule (help spread over days, none just now) has its own tests at the end;
    the others look at one rule each with no quiet days after help."""
    return nudging.workspace(session, now, **{"one_sided_quiet_days": 0, **settings})


def pairs(session, ws=None, now=NOW, **kw):
    ws = ws or workspace(session, now)
    return [(p.helper_id, p.receiver_id, p.count) for p in one_sided_pairs(session, ws, now, **kw)]


@pytest.mark.parametrize(("times", "expected"), [(2, []), (3, [("UBOB", "UALICE", 3)]),
                                                 (4, [("UBOB", "UALICE", 4)])])
def test_threshold_three_times(session, times, expected):
    ws = workspace(session, NOW)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=times)
    assert pairs(session, ws) == expected


def test_threshold_is_a_workspace_setting(session):
    ws = workspace(session, NOW, one_sided_min=5)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=4)
    assert pairs(session, ws) == []
    helped(session, "UBOB", "UALICE", NOW - days(1))
    assert pairs(session, ws) == [("UBOB", "UALICE", 5)]


def test_giving_back_once_makes_it_two_way(session):
    ws = workspace(session, NOW)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=5)
    helped(session, "UALICE", "UBOB", NOW - days(80))
    assert pairs(session, ws) == []


def test_both_directions_are_found(session):
    # Alice passes Bob's help on to Carol; counted as giving only from `forward_min` up.
    ws = workspace(session, NOW, forward_min=4)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=3)  # Bob > Alice by id order
    helped(session, "UALICE", "UCAROL", NOW - days(1), times=3)  # Alice < Carol by id order
    assert pairs(session, ws) == [("UBOB", "UALICE", 3), ("UALICE", "UCAROL", 3)]


@pytest.mark.parametrize(("age", "counted"), [(days(90) - SECOND, True), (days(90), True),
                                              (days(90) + SECOND, False)])
def test_window_edges(session, age, counted):
    ws = workspace(session, NOW)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=2)
    helped(session, "UBOB", "UALICE", NOW - age)
    assert pairs(session, ws) == ([("UBOB", "UALICE", 3)] if counted else [])


def test_window_is_a_workspace_setting(session):
    ws = workspace(session, NOW, window_days=30)
    helped(session, "UBOB", "UALICE", NOW - days(31), times=3)
    assert pairs(session, ws) == []
    # …and help given back outside the window no longer balances it.
    helped(session, "UBOB", "UCAROL", NOW - days(2), times=3)
    helped(session, "UCAROL", "UBOB", NOW - days(31))
    assert pairs(session, ws) == [("UBOB", "UCAROL", 3)]


def test_future_records_do_not_count(session):
    ws = workspace(session, NOW)
    helped(session, "UBOB", "UALICE", NOW + days(1), times=3)
    assert pairs(session, ws) == []


@pytest.mark.parametrize("status", ["pending", "declined", "expired", "retracted"])
def test_only_confirmed_records_count(session, status):
    ws = workspace(session, NOW)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=2)
    helped(session, "UBOB", "UALICE", NOW - days(1), status=status)
    assert pairs(session, ws) == []
    # An unconfirmed record the other way does not balance it either.
    helped(session, "UBOB", "UALICE", NOW - days(1))
    helped(session, "UALICE", "UBOB", NOW - days(1), status=status)
    assert pairs(session, ws) == [("UBOB", "UALICE", 3)]


def test_other_workspaces_never_mix(session):
    ws = workspace(session, NOW)
    workspace(session, NOW, team="T0999")
    helped(session, "UBOB", "UALICE", NOW - days(1), times=2)
    helped(session, "UBOB", "UALICE", NOW - days(1), team="T0999")
    helped(session, "UCAROL", "UDAN", NOW - days(1), times=3, team="T0999")
    assert pairs(session, ws) == []


@pytest.mark.parametrize(("who", "fields"), [
    ("UALICE", {"deleted": True}), ("UBOB", {"deleted": True}),
    ("UALICE", {"nudges_enabled": False}), ("UALICE", {"snoozed_until": NOW + SECOND}),
])
def test_people_left_out(session, who, fields):
    ws = workspace(session, NOW)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=3)
    member(session, who, NOW, **fields)
    assert pairs(session, ws) == []


@pytest.mark.parametrize("until", [NOW, NOW - SECOND])
def test_snooze_that_has_ended(session, until):
    ws = workspace(session, NOW)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=3)
    member(session, "UALICE", NOW, snoozed_until=until)
    assert pairs(session, ws) == [("UBOB", "UALICE", 3)]


def test_muted_pair_only_mutes_that_pair(session):
    ws = workspace(session, NOW)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=3)
    helped(session, "UBOB", "UCAROL", NOW - days(1), times=3)
    session.add(MutedPair(team_id=ws.team_id, user_id="UALICE", other_id="UBOB", created_at=NOW))
    session.flush()
    assert pairs(session, ws) == [("UBOB", "UCAROL", 3)]


def test_one_per_receiver_the_strongest_first(session):
    ws = workspace(session, NOW)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=3)
    helped(session, "UCAROL", "UALICE", NOW - days(2), times=4)
    helped(session, "UERIN", "UALICE", NOW - days(1), times=4)
    assert pairs(session, ws) == [("UERIN", "UALICE", 4)]  # most help, then most recent


@pytest.mark.parametrize(("sent_ago", "blocked"), [(days(7) - SECOND, True), (days(7), False),
                                                   (days(7) + SECOND, False)])
def test_person_cooldown(session, sent_ago, blocked):
    ws = workspace(session, NOW)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=3)
    add_nudge(session, "earlier", "UALICE", NOW - sent_ago, NOW - sent_ago, subject="UCAROL",
              status="sent", sent_at=NOW - sent_ago)
    assert pairs(session, ws) == ([] if blocked else [("UBOB", "UALICE", 3)])


@pytest.mark.parametrize(("sent_ago", "blocked"), [(days(30) - SECOND, True), (days(30), False),
                                                   (days(30) + SECOND, False)])
def test_pair_cooldown(session, sent_ago, blocked):
    ws = workspace(session, NOW)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=3)
    add_nudge(session, "earlier", "UALICE", NOW - sent_ago, NOW - sent_ago, subject="UBOB",
              status="sent", sent_at=NOW - sent_ago)
    assert pairs(session, ws) == ([] if blocked else [("UBOB", "UALICE", 3)])


def test_cooldowns_are_workspace_settings(session):
    ws = workspace(session, NOW, person_cooldown_days=2, pair_cooldown_days=3)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=3)
    add_nudge(session, "earlier", "UALICE", NOW - days(3), NOW - days(3), status="sent",
              sent_at=NOW - days(3))
    assert pairs(session, ws) == [("UBOB", "UALICE", 3)]


def test_after_the_person_cooldown_the_next_helper_is_suggested(session):
    ws = workspace(session, NOW)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=4)
    helped(session, "UCAROL", "UALICE", NOW - days(1), times=3)
    add_nudge(session, "earlier", "UALICE", NOW - days(8), NOW - days(8), subject="UBOB",
              status="sent", sent_at=NOW - days(8))
    assert pairs(session, ws) == [("UCAROL", "UALICE", 3)]


@pytest.mark.parametrize(("status", "blocked"), [("pending", True), ("sending", True),
                                                 ("failed", False), ("cancelled", False)])
def test_a_nudge_still_to_go_out_counts_for_the_cooldown(session, status, blocked):
    ws = workspace(session, NOW)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=3)
    add_nudge(session, "held", "UALICE", NOW - days(40), NOW - days(40), status=status)
    assert pairs(session, ws) == ([] if blocked else [("UBOB", "UALICE", 3)])
    assert pairs(session, ws, apply_cooldowns=False) == [("UBOB", "UALICE", 3)]


def test_still_one_sided_and_notes(session):
    ws = workspace(session, NOW)
    helped(session, "UBOB", "UALICE", NOW - days(20), note="the code review")
    helped(session, "UBOB", "UALICE", NOW - days(10), note="")
    helped(session, "UBOB", "UALICE", NOW - days(1), note="pairing on the migration")
    assert still_one_sided(session, ws, "UBOB", "UALICE", NOW)
    assert recent_notes(session, ws.team_id, "UBOB", "UALICE", NOW - days(90)) == [
        "pairing on the migration", "the code review"]
    helped(session, "UALICE", "UBOB", NOW)
    assert not still_one_sided(session, ws, "UBOB", "UALICE", NOW)


# -- paying it forward ---------------------------------------------------------------------

@pytest.mark.parametrize(("onward", "expected"), [(0, [("UBOB", "UALICE", 3, 0)]),
                                                  (1, [("UBOB", "UALICE", 3, 1)]),
                                                  (2, []), (3, [])])
def test_a_receiver_who_passes_it_on_is_not_one_sided(session, onward, expected):
    ws = workspace(session, NOW)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=3)
    helped(session, "UALICE", "UCAROL", NOW - days(2), times=onward)
    found = [(p.helper_id, p.receiver_id, p.count, p.passed_on)
             for p in one_sided_pairs(session, ws, NOW) if p.receiver_id == "UALICE"]
    assert found == expected
    assert still_one_sided(session, ws, "UBOB", "UALICE", NOW) is bool(expected)


def test_forward_min_is_a_workspace_setting_and_counts_anyone_but_the_helper(session):
    ws = workspace(session, NOW, forward_min=3)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=3)
    helped(session, "UALICE", "UCAROL", NOW - days(1))
    helped(session, "UALICE", "UERIN", NOW - days(1))
    assert pairs(session, ws) == [("UBOB", "UALICE", 3)]
    # Help to someone who has since asked Mutual to forget them was still given.
    helped(session, "UALICE", None, NOW - days(1))
    assert pairs(session, ws) == []
    assert not still_one_sided(session, ws, "UBOB", "UALICE", NOW)


def test_passing_it_on_counts_only_inside_the_window_and_only_confirmed_help(session):
    ws = workspace(session, NOW)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=3)
    helped(session, "UALICE", "UCAROL", NOW - days(91), times=2)
    helped(session, "UALICE", "UCAROL", NOW - days(1), times=2, status="pending")
    helped(session, "UALICE", "UCAROL", NOW - days(1), times=2, status="retracted")
    assert pairs(session, ws) == [("UBOB", "UALICE", 3)]
    helped(session, "UALICE", "UERIN", NOW - days(90), times=2, spread=timedelta(0))
    assert pairs(session, ws) == []


# -- when a suggestion may come: help spread over days, none between the two just now ----------

def timed(session, **settings):
    return nudging.workspace(session, NOW, **settings)


@pytest.mark.parametrize(("spread", "found"), [(days(14) - SECOND, False), (days(14), True),
                                               (days(20), True)])
def test_help_must_be_spread_over_two_weeks(session, spread, found):
    ws = timed(session)
    helped(session, "UBOB", "UALICE", NOW - days(3), times=3, spread=spread)
    assert pairs(session, ws) == ([("UBOB", "UALICE", 3)] if found else [])
    assert still_one_sided(session, ws, "UBOB", "UALICE", NOW) is found


def test_never_for_help_given_on_a_single_day(session):
    ws = timed(session, one_sided_spread_days=1)
    helped(session, "UBOB", "UALICE", NOW - days(5), times=6, spread=timedelta(hours=3))
    assert pairs(session, ws) == []
    assert not still_one_sided(session, ws, "UBOB", "UALICE", NOW)


@pytest.mark.parametrize(("latest", "found"), [(days(3) - SECOND, False), (days(3), True)])
def test_the_latest_help_at_least_three_days_ago(session, latest, found):
    ws = timed(session)
    helped(session, "UBOB", "UALICE", NOW - latest, times=3)
    assert pairs(session, ws) == ([("UBOB", "UALICE", 3)] if found else [])
    assert still_one_sided(session, ws, "UBOB", "UALICE", NOW) is found


def test_help_just_now_holds_a_suggestion_back_until_it_is_quiet_again(session):
    ws = timed(session)
    helped(session, "UBOB", "UALICE", NOW - days(10), times=3)
    assert still_one_sided(session, ws, "UBOB", "UALICE", NOW)
    helped(session, "UBOB", "UALICE", NOW - days(1))  # Bob helped again yesterday
    assert pairs(session, ws) == []
    assert not still_one_sided(session, ws, "UBOB", "UALICE", NOW)
    assert pairs(session, ws, now=NOW + days(2)) == [("UBOB", "UALICE", 4)]


def test_the_timing_is_a_workspace_setting(session):
    ws = timed(session, one_sided_spread_days=5, one_sided_quiet_days=1)
    helped(session, "UBOB", "UALICE", NOW - days(1), times=3, spread=days(5))
    assert pairs(session, ws) == [("UBOB", "UALICE", 3)]
    ws.one_sided_spread_days = 6
    assert pairs(session, ws) == []
