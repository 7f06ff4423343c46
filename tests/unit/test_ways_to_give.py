"""Ways to give back, for a one-sided suggestion: the helper's open asks, others' asks to pass
it on (only from people the reader has a tie with), and help the reader never thanked for."""

from datetime import timedelta

from bot.db.models import Intro
from bot.services import asks
from bot.services.ways_to_give import tied_people, unthanked, ways_to_give
from bot.services.workspaces import ensure_workspace
from tests.conftest import START
from tests.support.nudging import helped, member

T = "T0001"
DAY = timedelta(days=1)
SINCE = START - 90 * DAY


def ask(session, asker, text, days_ago):
    return asks.create_ask(session, T, asker, text, "CGENERAL", START - days_ago * DAY)


def test_the_helpers_open_asks_newest_first_at_most_three_not_already_offered_on(session):
    ensure_workspace(session, T, START)
    helped(session, "UBOB", "UALICE", START - DAY, times=3)
    made = [ask(session, "UBOB", f"ask {n}", 10 - n) for n in range(5)]
    asks.solve_ask(session, T, made[4].id, "UBOB", [], START)  # closed: not suggested
    asks.offer_help(session, T, made[3].id, "UALICE", START)  # already offered: not again
    ways = ways_to_give(session, T, "UALICE", "UBOB", SINCE, START)
    assert [a.text for a in ways.helper_asks] == ["ask 2", "ask 1", "ask 0"]
    assert ways.pass_on == [] and ways.unthanked == 0 and ways.anything


def test_pass_it_on_only_from_people_the_reader_has_a_tie_with(session):
    ensure_workspace(session, T, START)
    helped(session, "UBOB", "UALICE", START - DAY, times=3)
    helped(session, "UALICE", "UCAROL", START - 200 * DAY)  # she helped Carol, long ago
    helped(session, "UDAN", "UALICE", START - 5 * DAY)  # Dan helped her
    helped(session, "UERIN", "UALICE", START - 5 * DAY, status="pending")  # not a tie yet
    helped(session, "UGONE", "UALICE", START - 5 * DAY)
    member(session, "UGONE", START, deleted=True)
    session.add(Intro(team_id=T, introducer_id="UIVY", a_id="UALICE", b_id="UJOE",
                      status="connected", created_at=START, updated_at=START))
    session.add(Intro(team_id=T, introducer_id="UKIM", a_id="UALICE", b_id="ULEE",
                      status="declined", created_at=START, updated_at=START))
    session.flush()
    assert tied_people(session, T, "UALICE") == ["UBOB", "UCAROL", "UDAN", "UGONE", "UIVY", "UJOE"]
    for n, who in enumerate(["UCAROL", "UDAN", "UERIN", "UGONE", "UJOE", "ULEE", "UBOB"]):
        ask(session, who, f"{who} asks", 20 - n)
    ask(session, "UALICE", "her own ask", 1)
    ways = ways_to_give(session, T, "UALICE", "UBOB", SINCE, START)
    assert [a.asker_id for a in ways.pass_on] == ["UJOE", "UDAN", "UCAROL"]
    assert [a.asker_id for a in ways.helper_asks] == ["UBOB"]


def test_nothing_to_suggest(session):
    ensure_workspace(session, T, START)
    helped(session, "UBOB", "UALICE", START - DAY, times=3)
    ask(session, "UZED", "a stranger's ask", 1)
    assert not ways_to_give(session, T, "UALICE", "UBOB", SINCE, START).anything


def test_unthanked_is_help_the_reader_did_not_thank_for_in_her_own_words(session):
    ensure_workspace(session, T, START)
    helped(session, "UBOB", "UALICE", START - 10 * DAY, times=3)  # her /thanks
    helped(session, "UBOB", "UALICE", START - 10 * DAY, source="reaction")
    assert unthanked(session, T, "UALICE", "UBOB", SINCE, START) == 0
    helped(session, "UBOB", "UALICE", START - 5 * DAY, source="claim")  # Bob's /helped, confirmed
    helped(session, "UBOB", "UALICE", START - 4 * DAY, source="ask")
    helped(session, "UBOB", "UALICE", START - 3 * DAY, source="claim", status="pending")
    helped(session, "UBOB", "UALICE", START - 100 * DAY, source="claim")  # outside the window
    assert unthanked(session, T, "UALICE", "UBOB", SINCE, START) == 2
    helped(session, "UBOB", "UALICE", START - 2 * DAY, source="shortcut")  # then she thanked him
    assert unthanked(session, T, "UALICE", "UBOB", SINCE, START) == 0
