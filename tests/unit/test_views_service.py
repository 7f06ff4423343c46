"""The personal view: what counts, over which window, and who is named."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.models import HelpRecord
from bot.services import intros
from bot.services.counts import recount
from bot.services.people import Profile, save_profile
from bot.services.recording import record_claim, record_thanks
from bot.services.views import history_with, personal_view
from bot.services.workspaces import ensure_workspace
from tests.conftest import START

T = "T0001"


@pytest.fixture
def ws(session):
    return ensure_workspace(session, T, START)


def helped(session, helper, receiver, times=1, at=START, note="", status=None):
    for _ in range(times):
        [rec] = record_thanks(session, T, receiver, [helper], note, at)
        if status:
            session.get(HelpRecord, rec.id).status = status
    session.flush()
    if status:  # changed by hand: the kept counts follow, as `mutual db recount` would
        recount(session, at, T)


def test_counts_and_relationship_kinds(session, ws):
    helped(session, "UBOB", "UALICE", 3)  # Bob → Alice only: Alice may return the favour
    helped(session, "UALICE", "UCAROL", 2)  # Alice → Carol only
    helped(session, "UALICE", "UERIN", 1)
    helped(session, "UERIN", "UALICE", 4)  # two-way

    view = personal_view(session, ws, "UALICE", START)

    assert (view.given, view.received) == (3, 7)
    assert [(p.other_id, p.given, p.received) for p in view.two_way] == [("UERIN", 1, 4)]
    assert [(p.other_id, p.received) for p in view.received_only] == [("UBOB", 3)]
    assert [(p.other_id, p.given) for p in view.given_only] == [("UCAROL", 2)]


def test_only_confirmed_records_within_the_window_count(session, ws):
    helped(session, "UBOB", "UALICE", 1, at=START - timedelta(days=91))  # outside 90 days
    helped(session, "UBOB", "UALICE", 1, at=START - timedelta(days=89))
    helped(session, "UBOB", "UALICE", 1, status="retracted")
    helped(session, "UBOB", "UALICE", 1, status="declined")
    helped(session, "UBOB", "UALICE", 1, at=START + timedelta(hours=1))  # the future: not yet
    other = ensure_workspace(session, "T0999", START)
    record_thanks(session, "T0999", "UALICE", ["UBOB"], "", START)  # another workspace

    view = personal_view(session, ws, "UALICE", START)
    assert view.received == 1
    ws.window_days = 120
    assert personal_view(session, ws, "UALICE", START).received == 2
    assert personal_view(session, other, "UALICE", START).received == 1


def test_forgotten_and_deactivated_people_count_but_are_never_named(session, ws):
    helped(session, "UBOB", "UALICE", 2)
    helped(session, "UDAVE", "UALICE", 1)
    save_profile(session, T, Profile("UDAVE", T, "Dave", deleted=True), START)
    first = session.scalars(select(HelpRecord).order_by(HelpRecord.id)).first()
    first.helper_id = None  # as after someone asked Mutual to forget them
    session.flush()

    view = personal_view(session, ws, "UALICE", START)
    assert view.received == 3
    assert [p.other_id for p in view.received_only] == ["UBOB"]


def test_open_intros_and_claims_awaiting(session, ws):
    intros.propose_intro(session, T, "UCAROL", "UALICE", "UBOB", "you both run on-call", START)
    record_claim(session, ws, "UBOB", "UALICE", "fixed your build", START)
    record_claim(session, ws, "UALICE", "UBOB", "not Alice's to confirm", START)

    view = personal_view(session, ws, "UALICE", START)
    assert [(i.introducer_id, i.status) for i in view.open_intros] == [("UCAROL", "proposed")]
    assert [(c.helper_id, c.note) for c in view.claims_awaiting] == [("UBOB", "fixed your build")]
    assert view.given == view.received == 0, "pending claims do not count"
    assert not view.empty


def test_history_with_one_person_both_directions(session, ws):
    helped(session, "UBOB", "UALICE", 2, note="reviewed the plan")
    helped(session, "UALICE", "UBOB", 1, at=START - timedelta(days=200), note="old favour")
    helped(session, "UCAROL", "UALICE", 5)

    history = history_with(session, ws, "UALICE", "UBOB", START)
    assert (history.given_window, history.received_window) == (0, 2)
    assert (history.given_all, history.received_all) == (1, 2)
    assert [i.note for i in history.recent] == ["reviewed the plan", "reviewed the plan", "old favour"]
