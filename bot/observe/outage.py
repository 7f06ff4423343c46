"""A database outage in the log: one line per request (or, for background work, the first
failure only) and, once the database answers again, one summary — not a traceback each (a
10-second outage once wrote 2,530 of them)."""

from __future__ import annotations

import logging
import threading
import time


def first_line(error: BaseException) -> str:
    orig = getattr(error, "orig", None) or error
    lines = str(orig).strip().splitlines()
    return f"{type(orig).__name__}: {lines[0] if lines else 'no answer'}"


class OutageLog:
    """Failures because the database did not answer, counted until it answers again
    (`answered`, cheap enough to call after every commit)."""

    def __init__(self, logger: logging.Logger, what: str, each: bool = True) -> None:
        self.logger, self.what, self.each = logger, what, each
        self._lock = threading.Lock()
        self._failed = 0
        self._since = 0.0

    def failed(self, error: BaseException, detail: str = "") -> None:
        with self._lock:
            first = self._failed == 0
            if first:
                self._since = time.monotonic()
            self._failed += 1
        if first or self.each:
            self.logger.warning("database did not answer%s: %s", f" ({detail})" if detail else "",
                                first_line(error))

    def answered(self) -> None:
        if not self._failed:  # the common case: no lock, nothing to say
            return
        with self._lock:
            failed, self._failed = self._failed, 0
            took = time.monotonic() - self._since
        if failed:
            self.logger.warning("database answers again: %d %s failed over %.1f s", failed,
                                self.what, took)
