"""The intro state machine: every transition, and the odd presses."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.db.models import Intro, IntroRequest
from bot.services import intros as svc
from bot.services.intros import Answer, Connect, Refused, RequestAnswer, RequestRefused
from bot.services.people import Profile, save_profile
from bot.services.workspaces import ensure_workspace
from tests.conftest import START

T = "T0001"


@pytest.fixture
def ws(session):
    return ensure_workspace(session, T, START)


def propose(session, a="UBOB", b="UCAROL", by="UALICE", reason="you both love search", at=START, **kw):
    result = svc.propose_intro(session, T, by, a, b, reason, at, **kw)
    assert result.intro is not None, result
    return result.intro


def deactivate(session, user_id):
    save_profile(session, T, Profile(user_id=user_id, home_team_id=T, name=user_id, deleted=True), START)


def status(session, intro_id):
    session.flush()
    session.expire_all()
    return session.get(Intro, intro_id).status


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


# -- proposing ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b", "reason", "refused"), [
    (None, "UCAROL", "why", Refused.TOO_FEW),
    ("UBOB", "UBOB", "why", Refused.SAME_PERSON),
    ("UALICE", "UBOB", "why", Refused.SELF),
    ("UBOB", "UALICE", "why", Refused.SELF),
    ("UBOB", "UCAROL", "   ", Refused.EMPTY_REASON),
    ("UBOB", "UCAROL", "x" * 501, Refused.REASON_TOO_LONG),
])
def test_bad_proposals_store_nothing(session, ws, a, b, reason, refused):
    result = svc.propose_intro(session, T, "UALICE", a, b, reason, START)
    assert result.intro is None and result.refused is refused
    assert count(session, Intro) == 0


def test_reason_of_exactly_500_is_fine(session, ws):
    assert propose(session, reason="x" * 500).reason == "x" * 500


def test_propose_stores_a_proposed_intro(session, ws):
    intro = propose(session, reason="  compare notes  ")
    assert (intro.status, intro.introducer_id, intro.a_id, intro.b_id) == ("proposed", "UALICE", "UBOB", "UCAROL")
    assert intro.reason == "compare notes" and intro.waiting_on == ["UBOB", "UCAROL"]


@pytest.mark.parametrize("order", [("UBOB", "UCAROL"), ("UCAROL", "UBOB")])
def test_same_pair_twice_while_proposed_is_refused_with_pointer(session, ws, order):
    first = propose(session)
    again = svc.propose_intro(session, T, "UERIN", *order, "another reason", START + timedelta(hours=1))
    assert again.intro is None and again.refused is Refused.DUPLICATE
    assert again.existing is not None and again.existing.id == first.id
    assert count(session, Intro) == 1


def test_same_pair_refused_while_open_but_allowed_after_decline_or_connect(session, ws):
    first = propose(session)
    svc.answer_intro(session, T, first.id, "UBOB", True, START)
    svc.answer_intro(session, T, first.id, "UCAROL", True, START)
    assert svc.propose_intro(session, T, "UERIN", "UCAROL", "UBOB", "why", START).refused is Refused.DUPLICATE
    svc.mark_connected(session, T, first.id, "UBOB", START)
    assert svc.propose_intro(session, T, "UERIN", "UCAROL", "UBOB", "why", START).intro is not None


def test_a_lapsed_proposal_does_not_block_a_new_one(session, ws):
    propose(session)
    later = START + timedelta(days=7, minutes=1)
    assert svc.propose_intro(session, T, "UERIN", "UBOB", "UCAROL", "why", later).intro is not None


def test_other_workspaces_do_not_count_as_duplicates(session, ws):
    ensure_workspace(session, "T0002", START)
    propose(session)
    other = svc.propose_intro(session, "T0002", "UALICE", "UBOB", "UCAROL", "why", START)
    assert other.intro is not None


# -- answering ---------------------------------------------------------------------------------

def test_one_accept_waits_then_both_open(session, ws):
    intro = propose(session)
    first = svc.answer_intro(session, T, intro.id, "UBOB", True, START + timedelta(hours=1))
    assert first.outcome is Answer.ACCEPTED and first.intro.status == "proposed"
    assert first.intro.waiting_on == ["UCAROL"]
    both = svc.answer_intro(session, T, intro.id, "UCAROL", True, START + timedelta(hours=2))
    assert both.outcome is Answer.OPENED
    assert both.intro.status == "open" and both.intro.opened_at == START + timedelta(hours=2)
    assert status(session, intro.id) == "open"


def test_a_not_now_waits_for_the_lapse(session, ws):
    intro = propose(session)
    result = svc.answer_intro(session, T, intro.id, "UCAROL", False, START)
    assert result.outcome is Answer.DECLINED and status(session, intro.id) == "proposed"
    # Bob may still say yes: it waits, as if Carol had not answered — and opens nothing.
    later = svc.answer_intro(session, T, intro.id, "UBOB", True, START)
    assert later.outcome is Answer.ACCEPTED and status(session, intro.id) == "proposed"
    assert svc.expire_intro(session, intro.id, START + timedelta(days=8)).status == "declined"


def test_decline_after_the_other_accepted(session, ws):
    intro = propose(session)
    svc.answer_intro(session, T, intro.id, "UBOB", True, START)
    assert svc.answer_intro(session, T, intro.id, "UCAROL", False, START).outcome is Answer.DECLINED
    assert status(session, intro.id) == "proposed"


@pytest.mark.parametrize("second", [True, False])
def test_pressing_again_or_the_other_button_changes_nothing(session, ws, second):
    intro = propose(session)
    svc.answer_intro(session, T, intro.id, "UBOB", True, START)
    again = svc.answer_intro(session, T, intro.id, "UBOB", second, START + timedelta(minutes=1))
    assert again.outcome is Answer.ALREADY_ANSWERED
    row = session.get(Intro, intro.id)
    assert (row.a_answer, row.a_answered_at, row.status) == ("accepted", START, "proposed")


def test_pressing_decline_twice_is_harmless(session, ws):
    intro = propose(session)
    svc.answer_intro(session, T, intro.id, "UBOB", False, START)
    assert svc.answer_intro(session, T, intro.id, "UBOB", False, START).outcome is Answer.ALREADY_ANSWERED
    assert svc.answer_intro(session, T, intro.id, "UBOB", True, START).outcome is Answer.ALREADY_ANSWERED
    assert session.get(Intro, intro.id).a_answer == "declined"


@pytest.mark.parametrize("who", ["UALICE", "UERIN"])
def test_someone_not_a_party_is_refused(session, ws, who):
    intro = propose(session)
    assert svc.answer_intro(session, T, intro.id, who, True, START).outcome is Answer.NOT_A_PARTY
    row = session.get(Intro, intro.id)
    assert (row.a_answer, row.b_answer, row.status) == (None, None, "proposed")


def test_unknown_or_other_workspace_intro_is_not_found(session, ws):
    intro = propose(session)
    assert svc.answer_intro(session, T, 9999, "UBOB", True, START).outcome is Answer.NOT_FOUND
    assert svc.answer_intro(session, "T0002", intro.id, "UBOB", True, START).outcome is Answer.NOT_FOUND


def test_accept_after_expiry_is_refused_and_changes_nothing(session, ws):
    intro = propose(session)
    late = START + timedelta(days=7, seconds=1)
    result = svc.answer_intro(session, T, intro.id, "UBOB", True, late)
    assert result.outcome is Answer.EXPIRED
    row = session.get(Intro, intro.id)
    assert (row.a_answer, row.status) == (None, "proposed")


def test_accept_just_before_expiry_still_counts(session, ws):
    intro = propose(session)
    result = svc.answer_intro(session, T, intro.id, "UBOB", True, START + timedelta(days=7))
    assert result.outcome is Answer.ACCEPTED


def test_accept_after_the_scheduler_expired_it(session, ws):
    intro = propose(session)
    assert svc.expire_intro(session, intro.id, START + timedelta(days=8))
    assert svc.answer_intro(session, T, intro.id, "UBOB", True, START).outcome is Answer.EXPIRED
    assert session.get(Intro, intro.id).a_answer is None


def test_expiry_follows_the_workspace_setting(session, ws):
    ws.intro_expiry_days = 2
    intro = propose(session)
    result = svc.answer_intro(session, T, intro.id, "UBOB", True, START + timedelta(days=2, hours=1))
    assert result.outcome is Answer.EXPIRED


def test_a_party_deactivated_before_the_last_yes_cannot_go_ahead(session, ws):
    intro = propose(session)
    svc.answer_intro(session, T, intro.id, "UBOB", True, START)
    deactivate(session, "UBOB")
    result = svc.answer_intro(session, T, intro.id, "UCAROL", True, START)
    assert result.outcome is Answer.CANT_GO_AHEAD and "UBOB" in result.inactive
    assert status(session, intro.id) == "expired"


def test_a_deactivated_introducer_does_not_stop_it(session, ws):
    intro = propose(session)
    deactivate(session, "UALICE")
    svc.answer_intro(session, T, intro.id, "UBOB", True, START)
    result = svc.answer_intro(session, T, intro.id, "UCAROL", True, START)
    assert result.outcome is Answer.OPENED and result.inactive == {"UALICE"}


# -- following through -------------------------------------------------------------------------

def opened(session, group="GALIBOCAR"):
    intro = propose(session)
    svc.answer_intro(session, T, intro.id, "UBOB", True, START)
    svc.answer_intro(session, T, intro.id, "UCAROL", True, START)
    svc.set_group(session, T, intro.id, group)
    return intro


def test_connected_when_both_have_written(session, ws):
    intro = opened(session)
    assert svc.is_intro_group(session, T, "GALIBOCAR")
    assert svc.note_message(session, T, "GALIBOCAR", "UALICE", START).outcome is Connect.NOT_A_PARTY
    first = svc.note_message(session, T, "GALIBOCAR", "UBOB", START + timedelta(hours=1))
    assert first.outcome is Connect.NOTED and first.intro.waiting_on == ["UCAROL"]
    again = svc.note_message(session, T, "GALIBOCAR", "UBOB", START + timedelta(hours=2))
    assert again.outcome is Connect.NOTED
    assert session.get(Intro, intro.id).a_spoke_at == START + timedelta(hours=1)
    done = svc.note_message(session, T, "GALIBOCAR", "UCAROL", START + timedelta(hours=3))
    assert done.outcome is Connect.CONNECTED and done.intro.connected_at == START + timedelta(hours=3)
    assert svc.note_message(session, T, "GALIBOCAR", "UCAROL", START).outcome is Connect.ALREADY_CONNECTED
    assert status(session, intro.id) == "connected"


def test_messages_elsewhere_count_for_nothing(session, ws):
    intro = opened(session)
    assert svc.note_message(session, T, "GOTHER", "UBOB", START).outcome is Connect.NOT_FOUND
    assert not svc.is_intro_group(session, T, "GOTHER")
    assert svc.note_message(session, "T0002", "GALIBOCAR", "UBOB", START).outcome is Connect.NOT_FOUND
    assert session.get(Intro, intro.id).a_spoke_at is None


def test_the_connected_button_once(session, ws):
    intro = opened(session)
    assert svc.mark_connected(session, T, intro.id, "UALICE", START).outcome is Connect.NOT_A_PARTY
    assert status(session, intro.id) == "open"
    assert svc.mark_connected(session, T, intro.id, "UCAROL", START).outcome is Connect.CONNECTED
    assert svc.mark_connected(session, T, intro.id, "UBOB", START).outcome is Connect.ALREADY_CONNECTED
    assert session.get(Intro, intro.id).connected_at == START


def test_connected_button_on_an_unopened_intro(session, ws):
    intro = propose(session)
    assert svc.mark_connected(session, T, intro.id, "UBOB", START).outcome is Connect.NOT_OPEN
    assert status(session, intro.id) == "proposed"


def test_connect_stays_sane_when_a_party_left(session, ws):
    intro = opened(session)
    deactivate(session, "UBOB")
    result = svc.mark_connected(session, T, intro.id, "UCAROL", START)
    assert result.outcome is Connect.CONNECTED and result.inactive == {"UBOB"}


def test_the_same_three_again_use_the_latest_open_intro(session, ws):
    first = opened(session)
    svc.mark_connected(session, T, first.id, "UBOB", START)
    second = opened(session)  # the same three people: Slack returns the same group DM
    svc.note_message(session, T, "GALIBOCAR", "UBOB", START)
    assert session.get(Intro, second.id).a_spoke_at == START


# -- requests ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("connector", "target", "reason", "refused"), [
    ("UBOB", None, "why", RequestRefused.TOO_FEW),
    ("UBOB", "UBOB", "why", RequestRefused.SAME_PERSON),
    ("UALICE", "UBOB", "why", RequestRefused.SELF_CONNECTOR),
    ("UBOB", "UALICE", "why", RequestRefused.SELF_TARGET),
    ("UBOB", "UCAROL", "", RequestRefused.EMPTY_REASON),
    ("UBOB", "UCAROL", "y" * 501, RequestRefused.REASON_TOO_LONG),
])
def test_bad_requests_store_nothing(session, ws, connector, target, reason, refused):
    result = svc.request_intro(session, T, "UALICE", connector, target, reason, START)
    assert result.request is None and result.refused is refused
    assert count(session, IntroRequest) == 0


def test_request_then_make(session, ws):
    req = svc.request_intro(session, T, "UALICE", "UBOB", "UCAROL", "pricing advice", START).request
    assert req.status == "pending"
    assert svc.request_intro(session, T, "UALICE", "UBOB", "UCAROL", "again", START).refused is RequestRefused.DUPLICATE
    assert svc.request_to_make(session, T, req.id, "UCAROL").outcome is RequestAnswer.NOT_YOURS
    assert svc.request_to_make(session, T, req.id, "UBOB").outcome is RequestAnswer.OK
    made = svc.propose_intro(session, T, "UBOB", "UALICE", "UCAROL", "pricing advice", START, request_id=req.id)
    assert made.intro is not None and made.request.status == "made" and made.request.intro_id == made.intro.id
    assert made.intro.request_id == req.id
    assert svc.request_to_make(session, T, req.id, "UBOB").outcome is RequestAnswer.ALREADY_ANSWERED
    twice = svc.propose_intro(session, T, "UBOB", "UERIN", "UCAROL", "x", START, request_id=req.id)
    assert twice.refused is Refused.REQUEST_ANSWERED and count(session, Intro) == 1


def test_only_the_connector_can_make_a_request(session, ws):
    req = svc.request_intro(session, T, "UALICE", "UBOB", "UCAROL", "why", START).request
    result = svc.propose_intro(session, T, "UERIN", "UALICE", "UCAROL", "why", START, request_id=req.id)
    assert result.refused is Refused.REQUEST_ANSWERED and count(session, Intro) == 0


def test_request_decline(session, ws):
    req = svc.request_intro(session, T, "UALICE", "UBOB", "UCAROL", "why", START).request
    assert svc.decline_request(session, T, req.id, "UALICE", START).outcome is RequestAnswer.NOT_YOURS
    declined = svc.decline_request(session, T, req.id, "UBOB", START)
    assert declined.outcome is RequestAnswer.DECLINED
    # Told to nobody: still pending to the requester until it would have lapsed.
    assert (declined.request.status, declined.request.declined_at) == ("pending", START)
    assert svc.decline_request(session, T, req.id, "UBOB", START).outcome is RequestAnswer.ALREADY_ANSWERED
    assert svc.decline_request(session, T, 999, "UBOB", START).outcome is RequestAnswer.NOT_FOUND
    again = svc.request_intro(session, T, "UALICE", "UBOB", "UCAROL", "again", START)
    assert again.refused is RequestRefused.DUPLICATE  # as far as she knows, it still waits
    [closed] = svc.close_requests(session, START + timedelta(days=8))
    assert (closed.id, closed.status) == (req.id, "declined")
    # Then not again for a while (PRODUCT.md §4c), whoever asks it.
    later = svc.request_intro(session, T, "UALICE", "UBOB", "UCAROL", "again", START + timedelta(days=9))
    assert later.refused is RequestRefused.NOT_NOW


def test_request_refused_while_an_intro_of_the_two_is_under_way(session, ws):
    existing = propose(session, a="UCAROL", b="UALICE", by="UERIN")
    result = svc.request_intro(session, T, "UALICE", "UBOB", "UCAROL", "why", START)
    assert result.refused is RequestRefused.ALREADY_INTRODUCED and result.existing_intro.id == existing.id
