"""Property-based fuzzing of every surface Mutual registers, over real HTTP, signed as Slack
signs (see tests/fuzz/README.md).

For every example: no 5xx, an answer within 3 s, the server still answers /healthz, nothing
Mutual sends to Slack can ping a channel or carry a disguised link, and the database is
unchanged wherever the input must record nothing (every refused mutation, every unsigned
request). `MUTUAL_FUZZ_EXAMPLES` sets the examples per surface (default 200; CI uses the
default, a long run e.g. 5000)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.fuzz import (
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

EXAMPLES = int(os.environ.get("MUTUAL_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.filter_too_much])


SURFACES = {
    "slash commands": mutated(commands(), command_fields, "command"),
    "events": mutated(events(), event_fields, "event"),
    "block actions": mutated(block_actions(), action_fields, "interactive"),
    "view submissions": mutated(view_submissions(), view_fields, "interactive"),
    "shortcuts and closed views": mutated(shortcuts(), shortcut_fields, "interactive"),
    "broken bodies": raw_bodies(),
    "unsigned and badly signed": unsigned(),
}


@pytest.mark.timeout(EXAMPLES * 2 + 60)  # a few hundred requests, each answered over HTTP
@pytest.mark.parametrize("surface", SURFACES)
@FUZZ
@given(data=st.data())
def test_fuzz(fuzzer: Fuzzer, surface: str, data: st.DataObject) -> None:
    case = data.draw(SURFACES[surface], label=surface)
    fuzzer.check(case)
