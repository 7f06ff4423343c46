"""Failures the fuzz suite finds that only a listener change can fix (listed, with their
inputs and where they fail, in tests/fuzz/KNOWN.md). The property tests step around exactly
these inputs; tests/fuzz/test_known.py reproduces each as an xfail, so a fix shows up as an
XPASS."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.support.fuzz import Case
from tests.support.fuzz_mutations import UNREACHABLE_RESPONSE_URL


@dataclass(frozen=True)
class Known:
    name: str
    matches: Callable[[Case], bool]


KNOWN = [
    # Listeners call respond() on the request path; when the response_url does not answer,
    # it raises and the press becomes a 500 (KNOWN.md, "respond on the request path").
    Known("respond on the request path", lambda case: case.kind == "interactive"
          and isinstance(case.data, dict)
          and case.data.get("response_url") == UNREACHABLE_RESPONSE_URL),
]


def known(case: Case) -> Known | None:
    return next((k for k in KNOWN if k.matches(case)), None)
