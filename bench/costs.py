"""Where a request's CPU goes, without HTTP: each path dispatched straight into Bolt in this
process, one at a time, timed as CPU seconds (best of several blocks, so other load on the
machine inflates it as little as possible). The Web API double runs in its own process.

    python -m bench.costs [--pg URL]

Rows: the bare app's /thanks ack; Mutual's /thanks ack path (record + receipt) with the
background work left out; one DM (chat.postMessage through Mutual's WebClient); Mutual's
/thanks with its DM; the same with the App Home refreshes it also queues (each computes the
person's Home view and calls views.publish; a refresh already waiting absorbs the next);
a thank-you reaction_added, bare and Mutual. The background work runs in the notifier's
threads and is counted: the process's CPU time covers every thread."""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slack_bolt import BoltRequest

from bench.common import Double, fresh_database, machine
from bench.reactions import deliveries
from bench.serve import bare_wsgi, settings
from bench.thanks import thanks_requests
from bot.app import create_app
from bot.blocks.recording import build_thanked_dm
from bot.db.session import Database
from bot.listeners.thanking import send_dm
from bot.web import SlackRequest

Prepared = list[tuple[str, dict[str, str]]]


def lower(requests: Prepared) -> Prepared:
    # As a WSGI front hands them to Bolt.
    return [(body, {k.lower(): v for k, v in headers.items()}) for body, headers in requests]


def best_cpu_ms(run_block: Callable[[int], None], block: int, blocks: int) -> float:
    """CPU milliseconds per item: the best of `blocks` blocks of `block` items."""
    best = float("inf")
    for i in range(blocks):
        start = time.process_time()
        run_block(i)
        best = min(best, (time.process_time() - start) / block)
    return 1000 * best


def dispatcher(app: Any, request_class: type[BoltRequest], batches: list[Prepared],
               after: Callable[[], None] | None = None) -> Callable[[int], None]:
    def run_block(i: int) -> None:
        for body, headers in batches[i]:
            response = app.dispatch(request_class(body=body, headers=dict(headers)))
            assert response.status == 200, response.body
        if after is not None:
            after()

    return run_block


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--block", type=int, default=200)
    p.add_argument("--blocks", type=int, default=10)
    p.add_argument("--pg", metavar="URL", help="PostgreSQL server URL (default: SQLite)")
    args = p.parse_args(argv)
    n, k = args.block, args.blocks
    print(f"CPU per request, in-process, best of {k} x {n}; {machine()}; "
          f"Mutual on {'PostgreSQL' if args.pg else 'SQLite'}")
    double = Double()
    try:
        with tempfile.TemporaryDirectory() as tmp, \
                fresh_database(Path(tmp), "costs.db", args.pg) as url:
            s = settings(double.api_url, url, 0)
            db = Database(url)
            app, deps = create_app(s, db)
            bare = bare_wsgi(s).app
            rng = random.Random(1)
            first = itertools.count(0, 10 * n)

            def reactions_batch() -> Prepared:
                return lower(deliveries(next(first), n, "00", 0.0, rng)[0])

            # Warm every path first (caches, compiled statements, auth.test).
            dispatcher(app, SlackRequest, [lower(thanks_requests(50))], deps.notifier.drain)(0)
            dispatcher(app, SlackRequest, [reactions_batch()])(0)
            rows: list[tuple[str, float]] = []
            submit, submit_once = deps.notifier.submit, deps.notifier.submit_once
            deps.notifier.submit = lambda *a, **kw: None  # type: ignore[method-assign]
            deps.notifier.submit_once = lambda *a, **kw: None  # type: ignore[method-assign]
            rows.append(("bare Bolt app: /thanks ack",
                         best_cpu_ms(dispatcher(bare, BoltRequest, [lower(thanks_requests(n))
                                                                    for _ in range(k)]), n, k)))
            rows.append(("Mutual /thanks: record + receipt, DM left out",
                         best_cpu_ms(dispatcher(app, SlackRequest, [lower(thanks_requests(n))
                                                                    for _ in range(k)]), n, k)))
            deps.notifier.submit = submit  # type: ignore[method-assign]
            dm = build_thanked_dm("UALICE", "x", "command")

            def dms(_i: int) -> None:
                for _ in range(n):
                    send_dm(app.client, "UBOB", dm)

            rows.append(("one DM (chat.postMessage via slack_sdk)", best_cpu_ms(dms, n, k)))
            rows.append(("Mutual /thanks with its DM, App Home refreshes left out",
                         best_cpu_ms(dispatcher(app, SlackRequest, [lower(thanks_requests(n))
                                                                    for _ in range(k)],
                                                deps.notifier.drain), n, k)))
            deps.notifier.submit_once = submit_once  # type: ignore[method-assign]
            rows.append(("Mutual /thanks as shipped: DM and App Home refreshes",
                         best_cpu_ms(dispatcher(app, SlackRequest, [lower(thanks_requests(n))
                                                                    for _ in range(k)],
                                                deps.notifier.drain), n, k)))
            rows.append(("bare Bolt app: reaction_added",
                         best_cpu_ms(dispatcher(bare, BoltRequest,
                                                [reactions_batch() for _ in range(k)]), n, k)))
            rows.append(("Mutual reaction_added (new thank-you)",
                         best_cpu_ms(dispatcher(app, SlackRequest,
                                                [reactions_batch() for _ in range(k)]), n, k)))
            deps.notifier.shutdown()
            db.dispose()
    finally:
        double.close()
    for label, ms in rows:
        print(f"  {label:56} {ms:6.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
