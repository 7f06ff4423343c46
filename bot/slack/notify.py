"""Sends that need not hold up Slack's 3-second ack (DMs after a command) run here."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

logger = logging.getLogger(__name__)


class Notifier:
    def __init__(self, workers: int = 4, settle_seconds: float = 2.0) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="notify")
        self._pending: set[Future[Any]] = set()
        self._queued: set[Hashable] = set()
        self._timers: set[threading.Timer] = set()
        self._lock = threading.Lock()
        self.settle_seconds = settle_seconds

    def submit_once(self, key: Hashable, fn: Callable[..., Any], *args: Any) -> None:
        """Run `fn` once, `settle_seconds` from now; further requests for `key` until then are
        absorbed. A burst of changes to one person's App Home then costs one publish, with the
        latest state, instead of one per change (each publish rebuilds the whole view)."""
        with self._lock:
            if key in self._queued:
                return
            self._queued.add(key)

        def run() -> None:
            with self._lock:
                self._queued.discard(key)
            fn(*args)

        def fire() -> None:
            with self._lock:
                self._timers.discard(timer)
            self.submit(run)

        run.__name__ = getattr(fn, "__name__", "run")
        timer = threading.Timer(self.settle_seconds, fire)
        timer.daemon = True
        with self._lock:
            self._timers.add(timer)
        timer.start()

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        future = self._pool.submit(self._run, fn, *args, **kwargs)
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)

    @staticmethod
    def _run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        try:
            fn(*args, **kwargs)
        except Exception:
            # The record is already saved; a lost courtesy DM must not hide the cause.
            logger.exception("background send failed: %s", getattr(fn, "__name__", fn))

    def drain(self, timeout: float = 10.0) -> None:
        """Wait until everything submitted so far, delayed work included, has run."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                timers = list(self._timers)
            for timer in timers:
                timer.join(max(0.0, deadline - time.monotonic()))
            wait(list(self._pending), timeout=max(0.0, deadline - time.monotonic()))
            with self._lock:
                if not self._timers and not self._pending:
                    return

    def shutdown(self) -> None:
        with self._lock:
            timers = list(self._timers)
        for timer in timers:  # Home refreshes not yet due: the next app_home_opened redoes them
            timer.cancel()
        self._pool.shutdown(wait=True)
