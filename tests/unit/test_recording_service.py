from datetime import timedelta

from bot.services.people import Problem, Profile, problem_with
from bot.services.recording import (
    ClaimAnswer,
    ReactionResult,
    answer_claim,
    expire_claims,
    reaction_added,
    reaction_removed,
    record_claim,
    record_for_message,
    record_thanks,
)
from bot.services.workspaces import ensure_workspace, first_delivery
from tests.conftest import START

NOW = START


def test_thanks_creates_one_confirmed_record_per_helper(session):
    ensure_workspace(session, "T1", NOW)
    made = record_thanks(session, "T1", "UA", ["UB", "UC"], "note", NOW)
    assert [(r.helper_id, r.receiver_id, r.status, r.source) for r in made] == [
        ("UB", "UA", "confirmed", "command"), ("UC", "UA", "confirmed", "command")]


def test_reaction_lifecycle(session):
    ws = ensure_workspace(session, "T1", NOW)
    args = ("C1", "1.1", NOW)
    assert reaction_added(session, ws, "UA", "UB", "pray", *args)[0] is ReactionResult.RECORDED
    assert reaction_added(session, ws, "UA", "UB", "pray", *args)[0] is ReactionResult.ALREADY_COUNTED
    assert reaction_added(session, ws, "UA", "UB", "heart_hands", *args)[0] is ReactionResult.ALREADY_COUNTED
    assert reaction_added(session, ws, "UA", "UB", "smile", *args)[0] is ReactionResult.IGNORED
    assert reaction_removed(session, ws, "UA", "pray", *args) is ReactionResult.STILL_COUNTED
    assert reaction_removed(session, ws, "UA", "heart_hands", *args) is ReactionResult.RETRACTED
    assert reaction_removed(session, ws, "UA", "heart_hands", *args) is ReactionResult.IGNORED


def test_removing_a_reaction_never_retracts_a_shortcut_record(session):
    ws = ensure_workspace(session, "T1", NOW)
    record_for_message(session, "T1", "UA", "UB", "C1", "1.1", "great", NOW)
    reaction_added(session, ws, "UA", "UB", "pray", "C1", "1.1", NOW)
    assert reaction_removed(session, ws, "UA", "pray", "C1", "1.1", NOW) is ReactionResult.IGNORED


def test_claim_transitions(session):
    ws = ensure_workspace(session, "T1", NOW)
    claim = record_claim(session, ws, "UA", "UB", "did a thing", NOW)
    assert claim.status == "pending"
    assert answer_claim(session, "T1", claim.id, "UC", True, NOW)[0] is ClaimAnswer.NOT_YOURS
    assert answer_claim(session, "T2", claim.id, "UB", True, NOW)[0] is ClaimAnswer.NOT_FOUND
    assert answer_claim(session, "T1", claim.id, "UB", True, NOW)[0] is ClaimAnswer.CONFIRMED
    outcome, rec = answer_claim(session, "T1", claim.id, "UB", False, NOW)
    assert outcome is ClaimAnswer.ALREADY_ANSWERED and rec.status == "confirmed"


def test_claim_expiry_boundary(session):
    ws = ensure_workspace(session, "T1", NOW)
    claim = record_claim(session, ws, "UA", "UB", "x", NOW)
    just_before = NOW + timedelta(days=14) - timedelta(microseconds=1)
    assert expire_claims(session, just_before) == []
    assert [c.id for _, c in expire_claims(session, NOW + timedelta(days=14))] == [claim.id]
    assert answer_claim(session, "T1", claim.id, "UB", True, NOW)[0] is ClaimAnswer.EXPIRED


def test_first_delivery_is_once_per_event_per_workspace(session):
    ensure_workspace(session, "T1", NOW)
    assert first_delivery(session, "T1", "Ev1", NOW) is True
    assert first_delivery(session, "T1", "Ev1", NOW) is False
    assert first_delivery(session, "T2", "Ev1", NOW) is True
    assert first_delivery(session, "T1", None, NOW) is True


def test_people_rules():
    me = "UA"
    def person(**kw):
        return Profile(user_id=kw.pop("user_id", "UB"), home_team_id=kw.pop("team", "T1"), name="B", **kw)
    assert problem_with(person(), me, "T1") is None
    assert problem_with(None, me, "T1") is Problem.NOT_FOUND
    assert problem_with(person(user_id="UA"), me, "T1") is Problem.SELF
    assert problem_with(person(is_bot=True), me, "T1") is Problem.BOT
    assert problem_with(person(user_id="USLACKBOT"), me, "T1") is Problem.BOT
    assert problem_with(person(deleted=True), me, "T1") is Problem.DEACTIVATED
    assert problem_with(person(team="T9"), me, "T1") is Problem.OTHER_WORKSPACE
    assert problem_with(person(team="E1"), me, "T1", enterprise_id="E1") is None


def test_uninstalled_workspaces_are_purged_after_30_days_only(session):
    from sqlalchemy import func, select

    from bot.db.models import HelpRecord
    from bot.services.workspaces import mark_uninstalled, purge_uninstalled

    for team in ("T1", "T2"):
        ensure_workspace(session, team, NOW)
        record_thanks(session, team, "UA", ["UB"], "", NOW)
        first_delivery(session, team, "Ev1", NOW)
    mark_uninstalled(session, "T1", NOW)
    assert purge_uninstalled(session, NOW + timedelta(days=30) - timedelta(seconds=1)) == []
    assert purge_uninstalled(session, NOW + timedelta(days=30)) == ["T1"]
    teams = session.scalars(select(HelpRecord.team_id)).all()
    assert teams == ["T2"]
    assert session.scalar(select(func.count()).select_from(HelpRecord)) == 1


def test_reinstall_within_grace_keeps_everything(session):
    from bot.services.workspaces import mark_uninstalled, purge_uninstalled

    ensure_workspace(session, "T1", NOW)
    mark_uninstalled(session, "T1", NOW)
    ensure_workspace(session, "T1", NOW + timedelta(days=29))  # an event: it is back
    assert purge_uninstalled(session, NOW + timedelta(days=60)) == []
