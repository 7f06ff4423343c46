"""A press whose response_url does not answer: the reply goes through the outbox after the
ack, so the press itself is answered at once and never with a 500 (it once was)."""

from __future__ import annotations

import pytest

from tests.support import payloads as p
from tests.support.fuzz import ANY, Case, payload_of
from tests.support.fuzz_mutations import UNREACHABLE_RESPONSE_URL
from tests.support.fuzz_run import Fuzzer


@pytest.mark.parametrize("action", ["thanks_share", "forget_cancel", "forget_confirm"])
def test_a_press_whose_response_url_does_not_answer(fuzzer: Fuzzer, action: str) -> None:
    value = {"thanks_share": "@@record@@"}.get(action, "x")
    body = payload_of(p.block_action(action, value, response_url=UNREACHABLE_RESPONSE_URL))
    fuzzer.check(Case("interactive", body, ANY, f"{action} with an unreachable response_url"))
