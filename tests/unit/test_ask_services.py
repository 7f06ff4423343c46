"""Asks as services: words that say what an ask is about, who might help (never the paused,
the deactivated, bots or the asker), and the states of an ask and its offers."""

from datetime import timedelta

from bot.services import ask_queries, asks
from bot.services.ask_match import suggest_helpers, tokens, words_of
from bot.services.asks import Accepted, Closed, Finished, Offered
from bot.services.offers import OFFERS_MAX, Added, add_offer, offers_of, remove_offer
from bot.services.workspaces import ensure_workspace
from tests.conftest import START
from tests.support.nudging import helped, member

T = "T0001"


def test_tokens_fold_plurals_and_drop_common_words_and_mentions():
    assert words_of("Does anyone know how to rotate <@UBOB> the Postgres passwords?") == {
        "rotate": "rotate", "postgre": "postgres", "password": "passwords"}
    assert tokens("password rotation for postgres") >= tokens("Postgres passwords")
    assert tokens("Kubernetes &amp; CI/CD queries") == tokens("kubernetes query")
    assert tokens("") == set() and tokens("the and of") == set()


def test_suggestions_match_notes_and_offers_and_leave_people_out(session):
    ensure_workspace(session, T, START)
    helped(session, "UCAROL", "UX", START - timedelta(days=3), note="postgres migration review")
    helped(session, "UBOB", "UX", START - timedelta(days=2), note="postgres tuning")
    helped(session, "UDAVE", "UX", START - timedelta(days=2), note="postgres backups")
    helped(session, "UROBOT", "UX", START - timedelta(days=2), note="postgres bot")
    helped(session, "UALICE", "UX", START - timedelta(days=2), note="postgres")
    helped(session, "UOLD", "UX", START - timedelta(days=400), note="postgres")
    helped(session, "UERIN", "UX", START - timedelta(days=1), note="lunch", status="pending")
    member(session, "UDAVE", START, deleted=True)
    member(session, "UROBOT", START, is_bot=True)
    member(session, "UBOB", START, asks_paused_until=START + timedelta(days=3))
    add_offer(session, T, "UERIN", "Postgres migrations", START)
    found = suggest_helpers(session, T, "UALICE", "Postgres migration help?", START)
    assert [s.user_id for s in found] == ["UERIN", "UCAROL"]
    assert found[0].offers == ["Postgres migrations"] and found[1].words == {"postgres", "migration"}
    assert tokens("migrations") & tokens("postgres migration review")
    later = suggest_helpers(session, T, "UALICE", "Postgres migration help?", START + timedelta(days=4))
    assert "UBOB" in [s.user_id for s in later], "a pause ends"
    assert suggest_helpers(session, T, "UALICE", "help please", START) == []


def test_an_ask_and_its_offers_move_through_their_states(session):
    ensure_workspace(session, T, START)
    ask = asks.create_ask(session, T, "UALICE", "x" * 600, "CGENERAL", START)
    assert len(ask.text) == asks.ASK_MAX
    assert asks.offer_help(session, T, ask.id, "UALICE", START).outcome is Offered.OWN_ASK
    first = asks.offer_help(session, T, ask.id, "UBOB", START)
    assert first.outcome is Offered.NEW and first.offer.via == "channel"
    assert asks.offer_help(session, T, ask.id, "UBOB", START).outcome is Offered.AGAIN
    offer_id = first.offer.id
    assert asks.accept_offer(session, T, offer_id, "UCAROL", START)[0] is Accepted.NOT_YOURS
    assert asks.accept_offer(session, T, offer_id, "UALICE", START)[0] is Accepted.ACCEPTED
    assert asks.accept_offer(session, T, offer_id, "UALICE", START)[0] is Accepted.ALREADY
    assert asks.post_state(session, T, ask.id).under_way
    assert asks.finish_offer(session, T, offer_id, "UCAROL", False, START).outcome is Finished.NOT_YOURS
    cannot = asks.finish_offer(session, T, offer_id, "UBOB", False, START)
    assert cannot.outcome is Finished.CANNOT
    # A "no": to the asker and the channel it is under way until it would have lapsed.
    assert asks.get_offer(session, T, offer_id).status == asks.CANNOT
    assert asks.post_state(session, T, ask.id).under_way
    assert asks.finish_offer(session, T, offer_id, "UBOB", True, START).outcome is Finished.ALREADY
    assert asks.offer_help(session, T, ask.id, "UBOB", START).outcome is Offered.RENEWED
    assert asks.get_offer(session, T, offer_id).status == "accepted"
    assert ask_queries.open_offers_of(session, T, "UBOB")[0][1].id == ask.id
    assert asks.solve_ask(session, T, ask.id, "UBOB", ["UBOB"], START).outcome is Closed.NOT_YOURS
    solved = asks.solve_ask(session, T, ask.id, "UALICE", ["UBOB", "UALICE", "UBOB", "UCAROL"], START)
    assert solved.outcome is Closed.CLOSED and solved.helpers == ["UBOB", "UCAROL"]
    assert asks.ask_helpers(session, T, ask.id) == ["UBOB", "UCAROL"]
    assert asks.solve_ask(session, T, ask.id, "UALICE", ["UBOB"], START).outcome is Closed.ALREADY
    assert asks.offer_help(session, T, ask.id, "UERIN", START).outcome is Offered.CLOSED
    assert ask_queries.open_asks_of(session, T, "UALICE") == []


def test_open_asks_newest_first(session):
    ensure_workspace(session, T, START)
    made = [asks.create_ask(session, T, "UALICE", f"ask {n}", "CGENERAL", START + timedelta(hours=n))
            for n in range(3)]
    asks.withdraw_ask(session, T, made[1].id, "UALICE", START)
    assert [a.text for a in ask_queries.open_asks_of(session, T, "UALICE")] == ["ask 2", "ask 0"]
    bobs = asks.create_ask(session, T, "UBOB", "bob's", "CGENERAL", START + timedelta(hours=1))
    asks.offer_help(session, T, made[2].id, "UCAROL", START)
    assert [a.text for a in ask_queries.open_asks_by(session, T, ["UALICE", "UBOB"])] == [
        "ask 2", "bob's", "ask 0"]
    assert [a.id for a in ask_queries.open_asks_by(session, T, ["UALICE", "UBOB"], limit=2,
                                                   not_offered_by="UCAROL")] == [bobs.id, made[0].id]


def test_the_list_holds_five_and_only_you_remove_yours(session):
    ensure_workspace(session, T, START)
    for n in range(OFFERS_MAX):
        assert add_offer(session, T, "UBOB", f"topic {n}", START)[0] is Added.ADDED
    outcome, entries = add_offer(session, T, "UBOB", "one more", START)
    assert outcome is Added.FULL and len(entries) == OFFERS_MAX
    assert add_offer(session, T, "UBOB", "  TOPIC   0 ", START)[0] is Added.DUPLICATE
    first = offers_of(session, T, "UBOB")[0].id
    assert not remove_offer(session, T, "UCAROL", first)
    assert remove_offer(session, T, "UBOB", first)
    assert len(offers_of(session, T, "UBOB")) == OFFERS_MAX - 1


def test_an_offer_button_says_where_it_is():
    assert asks.offer_value(12) == "12" and asks.parse_offer_value("12") == (12, "channel")
    assert asks.parse_offer_value(asks.offer_value(12, "nudge")) == (12, "nudge")
    assert asks.parse_offer_value(asks.offer_value(12, "suggestion")) == (12, "suggestion")
    for bad in ("", "x", "12:elsewhere", "1" * 12, "-3"):
        assert asks.parse_offer_value(bad) is None


def test_an_offer_records_its_via(session):
    ensure_workspace(session, T, START)
    ask = asks.create_ask(session, T, "UALICE", "help", "CGENERAL", START)
    assert asks.offer_help(session, T, ask.id, "UBOB", START, via="nudge").offer.via == "nudge"
