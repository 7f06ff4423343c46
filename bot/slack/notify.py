"""Sends that need not hold up Slack's 3-second ack (DMs after a command) run here."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

logger = logging.getLogger(__name__)


class Notifier:
    def __init__(self, workers: int = 4) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="notify")
        self._pending: set[Future[Any]] = set()
        self._queued: set[Hashable] = set()
        self._lock = threading.Lock()

    def submit_once(self, key: Hashable, fn: Callable[..., Any], *args: Any) -> None:
        """Like submit, but a request for `key` already waiting to run absorbs this one: a burst
        of changes to one person's App Home publishes it once, with the latest state."""
        with self._lock:
            if key in self._queued:
                return
            self._queued.add(key)

        def run() -> None:
            with self._lock:
                self._queued.discard(key)
            fn(*args)

        run.__name__ = getattr(fn, "__name__", "run")
        self.submit(run)

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
        wait(list(self._pending), timeout=timeout)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
