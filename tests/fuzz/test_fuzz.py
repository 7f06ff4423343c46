"""Property-based fuzzing of every surface Mutual registers, over real HTTP, signed as Slack
signs (see tests/fuzz/README.md).

For every example: no 5xx, an answer within 3 s, the server still answers /healthz, nothing
Mutual sends to Slack can ping a channel or carry a disguised link, and the database is
unchanged wherever the input must record nothing (every refused mutation, every unsigned
request). `MUTUAL_FUZZ_EXAMPLES` sets the examples per test (default 300; CI uses the
default, a long run e.g. 5000)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, assume, given, settings

from tests.fuzz.known import known
from tests.support.fuzz import (
    Case,
    block_actions,
    commands,
    events,
    raw_bodies,
    shortcuts,
    unsigned,
    view_submissions,
)
from tests.support.fuzz_mutations import (
    action_fields,
    command_fields,
    event_fields,
    mutated,
    shortcut_fields,
    view_fields,
)
from tests.support.fuzz_run import Fuzzer

EXAMPLES = int(os.environ.get("MUTUAL_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.filter_too_much])


def check(fuzzer: Fuzzer, case: Case) -> None:
    assume(known(case) is None)  # reproduced in test_known.py
    fuzzer.check(case)


@FUZZ
@given(case=mutated(commands(), command_fields, "command"))
def test_slash_commands(fuzzer: Fuzzer, case: Case) -> None:
    check(fuzzer, case)


@FUZZ
@given(case=mutated(events(), event_fields, "event"))
def test_events(fuzzer: Fuzzer, case: Case) -> None:
    check(fuzzer, case)


@FUZZ
@given(case=mutated(block_actions(), action_fields, "interactive"))
def test_block_actions(fuzzer: Fuzzer, case: Case) -> None:
    check(fuzzer, case)


@FUZZ
@given(case=mutated(view_submissions(), view_fields, "interactive"))
def test_view_submissions(fuzzer: Fuzzer, case: Case) -> None:
    check(fuzzer, case)


@FUZZ
@given(case=mutated(shortcuts(), shortcut_fields, "interactive"))
def test_shortcuts_and_closed_views(fuzzer: Fuzzer, case: Case) -> None:
    check(fuzzer, case)


@FUZZ
@given(case=raw_bodies())
def test_broken_bodies(fuzzer: Fuzzer, case: Case) -> None:
    check(fuzzer, case)


@FUZZ
@given(case=unsigned())
def test_unsigned_and_badly_signed(fuzzer: Fuzzer, case: Case) -> None:
    check(fuzzer, case)
