"""The unanswered-intro timings the scheduler acts on, with a controllable clock."""

from datetime import timedelta

import pytest

from bot.services import intros as svc
from bot.services.people import Profile, save_profile
from bot.services.workspaces import ensure_workspace, mark_uninstalled
from tests.conftest import START

T = "T0001"
DAY = timedelta(days=1)


@pytest.fixture
def ws(session):
    return ensure_workspace(session, T, START)


def propose(session, a="UBOB", b="UCAROL", by="UALICE", at=START, team=T):
    return svc.propose_intro(session, team, by, a, b, "you both love search", at).intro


def open_it(session, intro, at=START, group="GALIBOCAR"):
    svc.answer_intro(session, intro.team_id, intro.id, intro.a_id, True, at)
    svc.answer_intro(session, intro.team_id, intro.id, intro.b_id, True, at)
    svc.set_group(session, intro.team_id, intro.id, group)


def deactivate(session, user_id):
    save_profile(session, T, Profile(user_id=user_id, home_team_id=T, name=user_id, deleted=True), START)


def who(dues):
    return sorted((d.intro_id, d.user_id) for d in dues)


def test_reminders_only_after_three_days_and_only_to_who_has_not_answered(session, ws):
    intro = propose(session)
    assert svc.intros_needing_reminder(session, START + 3 * DAY) == []
    svc.answer_intro(session, T, intro.id, "UBOB", True, START + DAY)
    due = svc.intros_needing_reminder(session, START + 3 * DAY + timedelta(minutes=1))
    assert who(due) == [(intro.id, "UCAROL")]
    d = due[0]
    assert (d.team_id, d.introducer_id, d.other_id, d.reason, d.created_at) == (
        T, "UALICE", "UBOB", "you both love search", START)
    assert (d.a_id, d.b_id) == ("UBOB", "UCAROL")


def test_both_unanswered_get_one_entry_each(session, ws):
    intro = propose(session)
    due = svc.intros_needing_reminder(session, START + 4 * DAY)
    assert who(due) == [(intro.id, "UBOB"), (intro.id, "UCAROL")]
    assert {d.user_id: d.other_id for d in due} == {"UBOB": "UCAROL", "UCAROL": "UBOB"}


def test_no_reminder_once_answered_or_lapsed_and_a_not_now_changes_nothing_for_the_other(session, ws):
    declined = propose(session)
    svc.answer_intro(session, T, declined.id, "UBOB", False, START)
    lapsed = propose(session, a="UERIN", b="UCAROL", at=START - 5 * DAY)
    # Bob said not now: he is not reminded; Carol is, as if Bob were still thinking.
    assert who(svc.intros_needing_reminder(session, START + 4 * DAY)) == [(declined.id, "UCAROL")]
    assert lapsed is not None


def test_reminder_threshold_is_per_workspace(session, ws):
    ws.intro_reminder_days = 1
    intro = propose(session)
    assert who(svc.intros_needing_reminder(session, START + DAY + timedelta(seconds=1))) == [
        (intro.id, "UBOB"), (intro.id, "UCAROL")]


def test_no_reminders_involving_deactivated_people(session, ws):
    propose(session)
    deactivate(session, "UCAROL")
    assert svc.intros_needing_reminder(session, START + 4 * DAY) == []


def test_no_reminders_for_uninstalled_workspaces(session, ws):
    propose(session)
    mark_uninstalled(session, T, START)
    assert svc.intros_needing_reminder(session, START + 4 * DAY) == []
    assert svc.intros_to_expire(session, START + 8 * DAY) == []


def test_expiry_after_seven_days_then_expire(session, ws):
    intro = propose(session)
    assert svc.intros_to_expire(session, START + 7 * DAY) == []
    due = svc.intros_to_expire(session, START + 7 * DAY + timedelta(seconds=1))
    assert who(due) == [(intro.id, "UALICE")]
    assert (due[0].introducer_id, due[0].a_id, due[0].b_id) == ("UALICE", "UBOB", "UCAROL")
    assert svc.expire_intro(session, intro.id, START + 8 * DAY).status == "expired"
    assert svc.expire_intro(session, intro.id, START + 8 * DAY) is None
    assert svc.intros_to_expire(session, START + 9 * DAY) == []
    assert svc.get_intro(session, T, intro.id).status == "expired"


def test_a_not_now_closes_it_only_when_it_would_have_lapsed(session, ws):
    intro = propose(session)
    svc.answer_intro(session, T, intro.id, "UBOB", False, START + DAY)
    assert svc.get_intro(session, T, intro.id).status == "proposed"
    assert svc.intros_to_expire(session, START + 7 * DAY) == []
    assert who(svc.intros_to_expire(session, START + 7 * DAY + timedelta(seconds=1))) == [
        (intro.id, "UALICE")]
    assert svc.expire_intro(session, intro.id, START + 8 * DAY).status == "declined"


def test_expire_refuses_an_intro_that_was_answered(session, ws):
    intro = propose(session)
    open_it(session, intro, START + 6 * DAY)
    assert svc.intros_to_expire(session, START + 8 * DAY) == []
    assert svc.expire_intro(session, intro.id, START + 8 * DAY) is None
    assert svc.get_intro(session, T, intro.id).status == "open"
    assert svc.expire_intro(session, 12345, START) is None


def test_silent_party_after_five_days_since_opening(session, ws):
    intro = propose(session)
    open_it(session, intro, START + DAY)
    svc.note_message(session, T, "GALIBOCAR", "UBOB", START + 2 * DAY)
    assert svc.silent_parties(session, START + 6 * DAY) == []
    due = svc.silent_parties(session, START + 6 * DAY + timedelta(seconds=1))
    assert who(due) == [(intro.id, "UCAROL")]
    assert due[0].other_id == "UBOB" and due[0].group_channel_id == "GALIBOCAR"
    assert due[0].opened_at == START + DAY


def test_both_silent_are_both_nudged_and_connected_ones_never(session, ws):
    quiet = propose(session)
    open_it(session, quiet)
    talked = propose(session, a="UERIN", b="UCAROL")
    open_it(session, talked, group="GERIN")
    svc.mark_connected(session, T, talked.id, "UERIN", START)
    assert who(svc.silent_parties(session, START + 6 * DAY)) == [(quiet.id, "UBOB"), (quiet.id, "UCAROL")]


def test_silent_nudges_skip_deactivated_people(session, ws):
    intro = propose(session)
    open_it(session, intro)
    deactivate(session, "UBOB")
    assert svc.silent_parties(session, START + 6 * DAY) == []


def test_open_intros_for_each_role(session, ws):
    intro = propose(session)
    declined = propose(session, a="UERIN", b="UCAROL")
    svc.answer_intro(session, T, declined.id, "UERIN", False, START)
    svc.expire_intro(session, declined.id, START + 8 * DAY)  # closed when it lapsed
    for user in ("UALICE", "UBOB", "UCAROL"):
        assert [i.id for i in svc.open_intros_for(session, T, user)] == [intro.id]
    assert svc.open_intros_for(session, T, "UERIN") == []
    open_it(session, intro)
    assert [i.status for i in svc.open_intros_for(session, T, "UBOB")] == ["open"]
    svc.mark_connected(session, T, intro.id, "UBOB", START)
    assert svc.open_intros_for(session, T, "UBOB") == []


def test_waiting_intros_for_the_digest(session, ws):
    pending = propose(session)
    lapsed = propose(session, a="UERIN", b="UCAROL", at=START - 8 * DAY)
    silent = propose(session, a="UERIN", b="UBOB", by="UCAROL")
    open_it(session, silent, group="GSILENT")
    fresh = propose(session, a="UALICE", b="UERIN", by="UBOB")
    open_it(session, fresh, at=START + 5 * DAY, group="GFRESH")
    now = START + 6 * DAY
    waiting = svc.waiting_intros(session, T, now)
    assert [i.id for i in waiting] == [pending.id, silent.id]
    assert waiting[0].waiting_on == ["UBOB", "UCAROL"] and waiting[1].waiting_on == ["UERIN", "UBOB"]
    assert lapsed.id not in [i.id for i in waiting]
    deactivate(session, "UERIN")
    assert [i.id for i in svc.waiting_intros(session, T, now)] == [pending.id]
    assert svc.waiting_intros(session, "T0404", now) == []
