"""Kept counts always equal a recount from the records: random sequences of every kind of
change to a help record (new from each source, confirmed, declined, expired, retracted, taken
back, a reaction removed, a person forgotten, the window changed), each through the services
the app uses, on the suite's database (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import delete

from bot.db.models import Base, HelpRecord
from bot.db.session import Database
from bot.services import counts, recording
from bot.services.forget import forget_person
from bot.services.recording import (
    answer_claim,
    expire_claims,
    reaction_added,
    reaction_removed,
    record_claim,
    record_for_message,
    record_from_ask,
    record_thanks,
)
from bot.services.undo import take_back
from bot.services.workspaces import ensure_workspace
from tests.conftest import START

TEAM = "T0001"
PEOPLE = st.sampled_from(["UA", "UB", "UC", "UD"])
EMOJI = st.sampled_from(["pray", "raised_hands", "tada"])  # tada is not a thank-you
MESSAGES = st.sampled_from([("C1", "1.1"), ("C1", "1.2"), ("C2", "2.1")])


def test_kept_counts_equal_a_recount_after_every_change(database_url: str) -> None:
    db = Database(database_url)

    class Changes(RuleBasedStateMachine):
        @initialize()
        def fresh(self) -> None:
            with db.engine.begin() as conn:
                for table in reversed(Base.metadata.sorted_tables):
                    conn.execute(table.delete())
            self.now = START
            with db.session() as s:
                ensure_workspace(s, TEAM, START)

        @rule(hours=st.integers(0, 60))
        def time_passes(self, hours: int) -> None:
            self.now += timedelta(hours=hours, minutes=7)

        @rule(receiver=PEOPLE, helpers=st.lists(PEOPLE, min_size=1, max_size=3, unique=True))
        def thanks(self, receiver: str, helpers: list[str]) -> None:
            with db.session() as s:
                self.last = [r.id for r in record_thanks(s, TEAM, receiver, helpers, "n", self.now)]
                self.giver = receiver

        @rule(receiver=PEOPLE, helper=PEOPLE, message=MESSAGES)
        def this_helped_me(self, receiver: str, helper: str, message: tuple[str, str]) -> None:
            with db.session() as s:
                record_for_message(s, TEAM, receiver, helper, *message, "", self.now)

        @rule(reactor=PEOPLE, author=PEOPLE, emoji=EMOJI, message=MESSAGES)
        def react(self, reactor: str, author: str, emoji: str, message: tuple[str, str]) -> None:
            with db.session() as s:
                ws = ensure_workspace(s, TEAM, self.now)
                reaction_added(s, ws, reactor, author, emoji, *message, self.now)

        @rule(reactor=PEOPLE, emoji=EMOJI, message=MESSAGES)
        def unreact(self, reactor: str, emoji: str, message: tuple[str, str]) -> None:
            with db.session() as s:
                ws = ensure_workspace(s, TEAM, self.now)
                reaction_removed(s, ws, reactor, emoji, *message, self.now)

        @rule(helper=PEOPLE, receiver=PEOPLE)
        def claim(self, helper: str, receiver: str) -> None:
            with db.session() as s:
                ws = ensure_workspace(s, TEAM, self.now)
                record_claim(s, ws, helper, receiver, "", self.now)

        def _answer(self, confirm: bool) -> None:
            with db.session() as s:
                pending = s.query(HelpRecord).filter_by(status="pending").first()
                if pending is not None and pending.receiver_id:
                    answer_claim(s, TEAM, pending.id, pending.receiver_id, confirm, self.now)

        @rule()
        def confirm(self) -> None:
            self._answer(True)

        @rule()
        def decline(self) -> None:
            self._answer(False)

        @rule()
        def expire(self) -> None:
            with db.session() as s:
                expire_claims(s, self.now)

        @rule()
        def take_it_back(self) -> None:
            if getattr(self, "last", None):
                with db.session() as s:
                    take_back(s, TEAM, self.last, self.giver, self.now)

        @rule(helper=PEOPLE, receiver=PEOPLE, ask=st.integers(1, 3))
        def ask_solved(self, helper: str, receiver: str, ask: int) -> None:
            with db.session() as s:
                record_from_ask(s, TEAM, helper, receiver, "q", None, f"ask:{ask}:{helper}", self.now)

        @rule(person=PEOPLE)
        def forget(self, person: str) -> None:
            with db.session() as s:
                forget_person(s, TEAM, person, self.now)

        @rule(days=st.sampled_from([7, 30, 90]))
        def window_changes(self, days: int) -> None:
            with db.session() as s:  # nothing kept depends on it: the readers sum their window
                ensure_workspace(s, TEAM, self.now).window_days = days

        @invariant()
        def kept_equals_a_recount(self) -> None:
            if not hasattr(self, "now"):
                return
            with db.session() as s:
                assert counts.kept(s, TEAM) == counts.expected(s, TEAM)

    try:
        run_state_machine_as_test(Changes, settings=settings(
            max_examples=40, stateful_step_count=30, deadline=None,
            suppress_health_check=list(HealthCheck)))
    finally:
        with db.engine.begin() as conn:
            conn.execute(delete(recording.HelpRecord))
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
        db.dispose()
