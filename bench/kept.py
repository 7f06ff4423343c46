"""Kept counts and the lean hot path (issue 17), each figure against its anchor in the same run:

    python -m bench.kept [--records 1000000] [--people 2000] [--pg URL] [--rss-requests 100000]

In-process (no HTTP), on a workspace of `--people` known people and `--records` stored records
(the same population as bench.costs: every Home open):

- a Home render (everything the deliverer does to render one person's App Home, from the kept
  counts and the person's open items): CPU per render, target <= 1 ms at 1M records;
- the one-sided planning after 1,000 new records (made through the app's own writer, so the
  kept counts change) against a full recount of the kept counts from the records (`mutual db
  recount`): target <= 0.1x;
- a reaction with an emoji that is not a thank-you against the bare Bolt app's reaction
  (which does nothing): CPU per event, target <= 2x;
- RSS of this process over `--rss-requests` requests (nine in ten a reaction with another
  emoji, one in ten a thank-you reaction on its own message): target flat (the last reading
  within 10% of the one after warm-up)."""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from slack_bolt import BoltRequest

from bench.common import Double, fresh_database, machine, verdict
from bench.costs import lower
from bench.population import people, populate
from bench.serve import bare_wsgi, settings
from bot.app import create_app
from bot.db.models import Workspace
from bot.db.session import Database
from bot.delivery.kinds import KINDS, Rendering
from bot.jobs.nudges import plan_one_sided
from bot.services import counts
from bot.services.delivery import Outgoing
from bot.services.outbox import HOME
from bot.services.recording import record_thanks
from bot.web import SlackRequest
from tests.support.payloads import reaction, signed_headers
from tests.support.slack_double import TEAM

HOME_MS = 1.0
PLANNING_SHARE = 0.1
OTHER_TIMES = 2.0
RSS_GROWTH = 0.10


def cpu_ms(run: Callable[[], None], items: int) -> float:
    start = time.process_time()
    run()
    return 1000 * (time.process_time() - start) / items


def wall_s(run: Callable[[], Any]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def reaction_requests(count: int, ids: list[str], seed: int, thank_share: float,
                      run: str) -> list[tuple[str, dict[str, str]]]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        reactor, author = rng.sample(ids, 2)
        thanks = rng.random() < thank_share
        inner = reaction("reaction_added", reactor, author, emoji="pray" if thanks else
                         rng.choice(["tada", "eyes", "+1", "joy", "white_check_mark"]),
                         ts=f"17{seed:04d}.{i:06d}")
        body = json.dumps({
            "token": "legacy", "team_id": TEAM, "api_app_id": "A0001", "event": inner,
            "type": "event_callback", "event_id": f"Ev{run}{seed:03d}{i:07d}",
            "event_time": int(time.time()),
            "authorizations": [{"enterprise_id": None, "team_id": TEAM, "user_id": "UMUTUAL",
                                "is_bot": True, "is_enterprise_install": False}],
            "is_ext_shared_channel": False})
        out.append((body, {k.lower(): v for k, v in
                           signed_headers(body, content_type="application/json").items()}))
    return out


def dispatch(app: Any, request_class: type[BoltRequest], batch: list[Any]) -> Callable[[], None]:
    def run() -> None:
        for body, headers in batch:
            response = app.dispatch(request_class(body=body, headers=dict(headers)))
            assert response.status == 200, response.body

    return run


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--records", type=int, default=1_000_000)
    p.add_argument("--people", type=int, default=2000)
    p.add_argument("--renders", type=int, default=300)
    p.add_argument("--events", type=int, default=2000)
    p.add_argument("--rss-requests", type=int, default=100_000)
    p.add_argument("--pg", metavar="URL", help="PostgreSQL server URL (default: SQLite)")
    args = p.parse_args(argv)
    print(f"Kept counts and the lean path, in-process, {args.people} people, {args.records:,} "
          f"records; Mutual on {'PostgreSQL' if args.pg else 'SQLite'}; {machine()}", flush=True)
    double = Double()
    checks: list[tuple[str, bool]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp, \
                fresh_database(Path(tmp), "kept.db", args.pg) as url:
            started = time.monotonic()
            populate(url, args.people, args.records)
            print(f"  loaded in {time.monotonic() - started:.1f} s", flush=True)
            s = settings(double.api_url, url, 0)
            db = Database(url)
            ids = people(args.people)
            now = datetime.now(UTC)
            app, _ = create_app(s, db)
            bare = bare_wsgi(settings(double.api_url, "sqlite://", 0)).app

            # -- a Home render --------------------------------------------------------------
            rng = random.Random(3)
            who = [rng.choice(ids) for _ in range(args.renders)]

            def renders() -> None:
                with db.session() as session:
                    ws = session.get(Workspace, TEAM)
                    assert ws is not None
                    for n, user in enumerate(who):
                        row = Outgoing(n, TEAM, f"{HOME}:{user}", HOME, user, None, {}, now, 0, now)
                        KINDS[HOME].render(Rendering(session, ws, row, now))

            renders()  # warm up
            home = min(cpu_ms(renders, len(who)) for _ in range(3))
            print(f"  Home render: {home:.3f} ms CPU each (best of 3 x {len(who)})", flush=True)
            checks.append((f"Home render at {args.records:,} records <= {HOME_MS} ms CPU "
                           f"({home:.3f} ms)", home <= HOME_MS))

            # -- planning after 1,000 new records vs a full recount -----------------------------
            full_plan = wall_s(lambda: plan_one_sided(db, now))  # the first run: everyone
            later = now + timedelta(hours=1)
            with db.session() as session:
                for _ in range(1000):
                    receiver, helper = rng.sample(ids, 2)
                    record_thanks(session, TEAM, receiver, [helper], "", later)
            incremental = wall_s(lambda: plan_one_sided(db, later + timedelta(days=1)))

            def recount() -> None:
                with db.session() as session:
                    counts.recount(session, later)

            full_recount = wall_s(recount)
            print(f"  planning: first (everyone) {full_plan:.2f} s; after 1,000 new records "
                  f"{incremental:.3f} s; a full recount {full_recount:.2f} s", flush=True)
            checks.append((f"planning after 1,000 new records <= {PLANNING_SHARE:g}x a full "
                           f"recount ({incremental / full_recount:.3f}x)",
                           incremental <= PLANNING_SHARE * full_recount))

            # -- a reaction with another emoji vs the bare app ---------------------------------
            other = [lower(reaction_requests(args.events, ids, seed, 0.0, "O"))
                     for seed in range(5)]
            dispatch(app, SlackRequest, other[0])()
            mine = min(cpu_ms(dispatch(app, SlackRequest, b), args.events) for b in other[1:])
            bare_other = [reaction_requests(args.events, ids, seed, 0.0, "B") for seed in range(5)]
            dispatch(bare, BoltRequest, bare_other[0])()
            floor = min(cpu_ms(dispatch(bare, BoltRequest, b), args.events) for b in bare_other[1:])
            print(f"  another emoji: Mutual {mine:.3f} ms CPU, bare app {floor:.3f} ms "
                  f"({mine / floor:.2f}x)", flush=True)
            checks.append((f"a non-thank-you reaction <= {OTHER_TIMES:g}x the bare app's CPU "
                           f"({mine / floor:.2f}x)", mine <= OTHER_TIMES * floor))

            # -- RSS over many requests --------------------------------------------------------
            block, readings = 10_000, []
            for seed in range(max(1, args.rss_requests // block)):
                batch = reaction_requests(block, ids, 100 + seed, 0.1, "R")
                dispatch(app, SlackRequest, batch)()
                readings.append(rss_mb())
            first, last = readings[0], readings[-1]
            print("  RSS (MB) every 10,000 requests: " + ", ".join(f"{r:.0f}" for r in readings),
                  flush=True)
            checks.append((f"RSS flat over {args.rss_requests:,} requests (first {first:.0f} MB, "
                           f"last {last:.0f} MB)", last <= first * (1 + RSS_GROWTH)))
            db.dispose()
    finally:
        double.close()
    for text, ok in checks:
        print(f"  {verdict(ok)}  {text}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
