"""The daily one-sided planning looks only at what changed since its last run, and finds
exactly what a run over everyone would (issue 17, part 2)."""

from __future__ import annotations

from bot.db.models import Workspace
from bot.jobs.nudges import plan_one_sided
from bot.services.balance import one_sided_pairs
from bot.services.planning import people_to_plan
from tests.conftest import START
from tests.support.nudging import days, helped, workspace

NOW = START


def everyone_finds(db, now):
    with db.session() as s:
        ws = s.get(Workspace, "T0001")
        return {(p.helper_id, p.receiver_id) for p in one_sided_pairs(s, ws, now, apply_cooldowns=False)}


def to_plan(db, now):
    with db.session() as s:
        return people_to_plan(s, s.get(Workspace, "T0001"), now)


def test_the_first_run_looks_at_everyone_the_next_only_at_what_changed(db):
    with db.session() as s:
        workspace(s, NOW)
        helped(s, "UBOB", "UALICE", NOW - days(20), times=3)  # due at once
        helped(s, "UCAROL", "UERIN", NOW - days(40), times=4)
        helped(s, "UERIN", "UCAROL", NOW - days(40))  # two-way
    assert to_plan(db, NOW) is None
    assert plan_one_sided(db, NOW) == 1
    # Nothing happened since: only Alice (just suggested something) is looked at again.
    assert to_plan(db, NOW + days(1)) == {"UALICE"}
    assert plan_one_sided(db, NOW + days(1)) == 0
    # Dan keeps helping Frank; the window and quiet days move on: Dan and Frank come up.
    with db.session() as s:
        helped(s, "UDAN", "UFRANK", NOW + days(1), times=3)
    later = NOW + days(1) + days(5)
    assert {"UDAN", "UFRANK"} <= to_plan(db, later)
    assert "UCAROL" not in to_plan(db, later)
    assert plan_one_sided(db, later) == 1
    assert everyone_finds(db, later) >= {("UDAN", "UFRANK")}


def test_help_leaving_the_window_is_seen_without_any_new_record(db):
    with db.session() as s:
        workspace(s, NOW)
        helped(s, "UCAROL", "UERIN", NOW - days(30), times=4)
        helped(s, "UERIN", "UCAROL", NOW - days(89))  # gave back once, about to leave the window
    assert plan_one_sided(db, NOW) == 0
    later = NOW + days(2)
    assert {"UCAROL", "UERIN"} <= to_plan(db, later)
    assert plan_one_sided(db, later) == 1 and everyone_finds(db, later) == {("UCAROL", "UERIN")}


def test_saving_settings_makes_the_next_run_look_at_everyone(db):
    from bot.services.planning import look_at_everyone

    with db.session() as s:
        workspace(s, NOW)
    plan_one_sided(db, NOW)
    assert to_plan(db, NOW + days(1)) == set()
    with db.session() as s:
        look_at_everyone(s, "T0001")
    assert to_plan(db, NOW + days(1)) is None
    plan_one_sided(db, NOW + days(1))
    assert to_plan(db, NOW + days(8) + days(1)) is None  # once a week, everyone anyway
