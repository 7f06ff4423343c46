"""The rules of tact, each decided in one place (bot/services/tact.py), and the registries that
make every message obey them: every family of message with buttons has a closed form, and
every question Mutual asks later is gathered."""

from __future__ import annotations

from datetime import timedelta

from bot.delivery.forms import CLOSED, LIVE
from bot.delivery.kinds import KINDS
from bot.delivery.worker import deliver_due  # noqa: F401  (registers every kind)
from bot.jobs.wakes import next_moment
from bot.services import intros
from bot.services.closing import FAMILIES
from bot.services.tact import closes_at, may_ask_again, may_tell, named_in, names_not_chosen
from tests.conftest import START
from tests.support.nudging import workspace

DAY = timedelta(days=1)


def test_a_channel_post_may_name_only_who_chose_it():
    post = {"text": "<@UALICE> thanked <@UBOB|bob>", "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": "for pairing with <@WCAROL>"}}]}
    assert named_in(post) == {"UALICE", "UBOB", "WCAROL"}
    assert names_not_chosen(post, ["UALICE", "UBOB"]) == {"WCAROL"}
    assert names_not_chosen(post, ["UALICE", "UBOB", "WCAROL"]) == set()
    assert names_not_chosen({"text": "7 introductions are waiting"}, []) == set()


def test_a_no_is_told_only_when_a_silence_would_be():
    assert closes_at(START, 7) == START + 7 * DAY
    assert not may_tell(START, 7, START + 7 * DAY)
    assert may_tell(START, 7, START + 7 * DAY + timedelta(seconds=1))


def test_not_asked_again_for_a_while():
    assert may_ask_again(None, 30, START)
    assert not may_ask_again(START, 30, START + 29 * DAY)
    assert may_ask_again(START, 30, START + 30 * DAY)


def test_every_message_with_buttons_has_a_closed_form_and_every_question_is_gathered():
    families = {f for group in FAMILIES.values() for f in group}
    assert families == set(CLOSED), "a family closing.ended() finds must say how it closes"
    assert set(LIVE) <= families, "a question must close with its thing"
    assert "close" in KINDS and "questions" in KINDS


def test_the_next_moment_something_is_due(session):
    workspace(session, START)
    intro = intros.propose_intro(session, "T0001", "UALICE", "UBOB", "UCAROL", "why", START).intro
    assert intro is not None
    assert next_moment(session, START, START + 30 * DAY) == START + 3 * DAY  # the reminder
    assert next_moment(session, START + 3 * DAY, START + 30 * DAY) == START + 7 * DAY  # the lapse
    assert next_moment(session, START + 7 * DAY, START + 8 * DAY) is None


def test_the_over_givers_note_and_the_prune_have_their_moments(session):
    """protect_time may newly hold when help back leaves the window, or a quarter after the
    last note; the prune falls due as bookkeeping ages (bot.jobs.wakes)."""
    from bot.db.models import HelpRecord, OutboxItem, ProcessedEvent
    from bot.jobs.prune import EVENT_IDS_KEPT
    from bot.services.giving import PROTECT_TIME, QUARTER

    ws = workspace(session, START)
    session.add(HelpRecord(team_id="T0001", helper_id="UBOB", receiver_id="UALICE",
                           source="command", status="confirmed", note="", created_at=START,
                           updated_at=START))
    session.flush()
    leaves = START + timedelta(days=ws.window_days)
    assert next_moment(session, START + 80 * DAY, leaves) == leaves
    session.add(ProcessedEvent(team_id="T0001", event_id="Ev1", received_at=START))
    session.flush()
    assert next_moment(session, START + 4 * DAY, START + 8 * DAY) == START + EVENT_IDS_KEPT
    sent = START + 200 * DAY
    session.add(OutboxItem(team_id="T0001", key="protect:1", kind=PROTECT_TIME,
                           recipient_id="UBOB", payload="{}", status="sent", priority=1,
                           due_at=sent, sent_at=sent, attempts=0, requeue=False, created_at=sent))
    session.flush()
    assert next_moment(session, sent, sent + QUARTER) == sent + QUARTER
