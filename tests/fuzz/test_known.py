"""Each failure in tests/fuzz/KNOWN.md, reproduced over HTTP and marked xfail until the
listener it lives in is changed (an XPASS means it is fixed: move it out of KNOWN)."""

from __future__ import annotations

import pytest

from tests.fuzz.known import UNREACHABLE_RESPONSE_URL
from tests.support import payloads as p
from tests.support.fuzz import ANY, Case, payload_of
from tests.support.fuzz_run import Fuzzer

REASON = "listener calls respond() on the request path (KNOWN.md: respond on the request path)"


@pytest.mark.xfail(strict=False, reason=REASON)
@pytest.mark.parametrize("action", ["thanks_share", "forget_cancel", "forget_confirm"])
def test_a_press_whose_response_url_does_not_answer(fuzzer: Fuzzer, action: str) -> None:
    value = {"thanks_share": "@@record@@"}.get(action, "x")
    body = payload_of(p.block_action(action, value, response_url=UNREACHABLE_RESPONSE_URL))
    fuzzer.check(Case("interactive", body, ANY, f"{action} with an unreachable response_url"))
