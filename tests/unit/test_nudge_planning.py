"""Planning: which outbox rows the jobs write, at and around each threshold."""

from datetime import timedelta

import pytest

from bot.db.models import Question, Workspace
from bot.jobs.nudges import plan_claim_reminders, plan_one_sided
from tests.conftest import START
from tests.support.nudging import days, helped, nudge_rows, workspace

NOW = START
SECOND = timedelta(seconds=1)


def claim(db, age, **settings):
    with db.session() as s:
        ws = workspace(s, NOW, **settings)
        expires = NOW - age + timedelta(days=ws.claim_expiry_days)
        [record] = helped(s, "UBOB", "UALICE", NOW - age, source="claim", status="pending",
                          note="reviewed the plan", expires_at=expires)
        return record.id


@pytest.mark.parametrize(("age", "planned"), [(days(3) - SECOND, 0), (days(3), 1),
                                              (days(3) + SECOND, 1)])
def test_claim_reminder_threshold(db, age, planned):
    record_id = claim(db, age)
    assert plan_claim_reminders(db, NOW) == planned
    if planned:
        # A question for Alice's questions DM, which is on its way.
        with db.session() as s:
            [question] = s.query(Question).all()
            assert (question.key, question.kind, question.user_id, question.subject) == (
                f"claim_reminder:{record_id}", "claim_reminder", "UALICE", str(record_id))
        [row] = nudge_rows(db)
        assert (row.kind, row.recipient_id) == ("questions", "UALICE")
        assert plan_claim_reminders(db, NOW + days(1)) == 0  # once


def test_claim_reminder_days_is_a_workspace_setting(db):
    claim(db, days(1), claim_reminder_days=1)
    assert plan_claim_reminders(db, NOW) == 1


@pytest.mark.parametrize("status", ["confirmed", "declined", "expired"])
def test_no_reminder_for_an_answered_claim(db, status):
    claim(db, days(5))
    with db.session() as s:
        from bot.db.models import HelpRecord

        s.query(HelpRecord).update({"status": status})
    assert plan_claim_reminders(db, NOW) == 0


def test_no_reminder_once_the_claim_has_lapsed(db):
    claim(db, days(14))
    assert plan_claim_reminders(db, NOW) == 0


def test_uninstalled_workspaces_are_not_planned_for(db):
    claim(db, days(5))
    with db.session() as s:
        helped(s, "UCAROL", "UERIN", NOW - days(1), times=3)
        s.get(Workspace, "T0001").uninstalled_at = NOW
    assert plan_claim_reminders(db, NOW) == 0
    assert plan_one_sided(db, NOW) == 0


def test_one_sided_payload_names_the_help(db):
    with db.session() as s:
        workspace(s, NOW)
        helped(s, "UBOB", "UALICE", NOW - days(20), note="the code review")
        helped(s, "UBOB", "UALICE", NOW - days(3), times=2)
        helped(s, "UALICE", "UCAROL", NOW - days(2))  # passed on once: not yet `forward_min`
    assert plan_one_sided(db, NOW) == 1
    [row] = nudge_rows(db)
    assert (row.kind, row.recipient_id, row.subject, row.due_at) == ("one_sided", "UALICE", "UBOB", NOW)
    import json

    assert json.loads(row.payload) == {"helper": "UBOB", "count": 3, "window_days": 90,
                                       "notes": ["the code review"], "passed_on": 1}
    assert plan_one_sided(db, NOW) == 0
