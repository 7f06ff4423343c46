"""Thank-you `reaction_added` events at 20 concurrent keep-alive clients, 10% of deliveries
duplicated (the same event_id sent again, some with X-Slack-Retry-Num as Slack's retries are),
then a check that the database holds exactly one record per distinct reaction.

    python -m bench.reactions --servers waitress --repeat 3

Prints per-run figures, the median of the repeats and PASS/FAIL against the targets:
  >= 500 events/s (duplicates included: each is a delivery the app must answer);
  exactly one help record, reaction mark and processed event per distinct reaction;
  no errors. A bare Bolt app whose reaction_added listener does nothing is measured alongside
  for scale (not a target)."""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select

from bench.common import (
    CANDIDATES,
    Candidate,
    Double,
    double_process,
    fresh_database,
    machine,
    measure,
    median_run,
    server_process,
    verdict,
)
from bot.db.models import HelpRecord, ProcessedEvent, ReactionMark
from tests.support.payloads import reaction, signed_headers
from tests.support.slack_double import TEAM

PEOPLE = ["UALICE", "UBOB", "UCAROL", "UERIN"]
PAIRS = [(r, a) for r in PEOPLE for a in PEOPLE if r != a]  # (reactor, author)
EMOJI = ["pray", "raised_hands", "heart_hands", "thankyou", "pray::skin-tone-3"]
TARGET_EPS = 500.0


def envelope(i: int, run: str) -> str:
    reactor, author = PAIRS[i % len(PAIRS)]
    inner = reaction("reaction_added", reactor, author, emoji=EMOJI[i % len(EMOJI)],
                     ts=f"1700000000.{i:06d}")
    return json.dumps({
        "token": "legacy", "team_id": TEAM, "api_app_id": "A0001", "event": inner,
        "type": "event_callback", "event_id": f"Ev{run}{i:07d}", "event_time": int(time.time()),
        "authorizations": [{"enterprise_id": None, "team_id": TEAM, "user_id": "UMUTUAL",
                            "is_bot": True, "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
    })


def deliveries(first: int, count: int, run: str, dup_share: float,
               rng: random.Random) -> tuple[list[tuple[str, dict[str, str]]], int]:
    """`count` deliveries of distinct reactions numbered from `first`, of which `dup_share` are
    re-deliveries of a reaction sent a little earlier (close enough to race the original at 20
    concurrent clients). Half the re-deliveries carry Slack's retry headers, half do not."""
    out: list[tuple[str, dict[str, str]]] = []
    sent: list[str] = []
    distinct = 0
    for _ in range(count):
        if sent and rng.random() < dup_share:
            body = rng.choice(sent[-40:])
            headers = signed_headers(body, content_type="application/json")
            if rng.random() < 0.5:
                headers |= {"X-Slack-Retry-Num": str(rng.randint(1, 3)),
                            "X-Slack-Retry-Reason": "http_timeout"}
        else:
            body = envelope(first + distinct, run)
            distinct += 1
            sent.append(body)
            headers = signed_headers(body, content_type="application/json")
        out.append((body, headers))
    return out, distinct


def database_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            def count(model: Any, *where: Any) -> int:
                return int(conn.scalar(select(func.count()).select_from(model).where(*where)) or 0)

            return {
                "records": count(HelpRecord, HelpRecord.source == "reaction"),
                "distinct_keys": int(conn.scalar(
                    select(func.count(func.distinct(HelpRecord.dedupe_key)))
                    .where(HelpRecord.source == "reaction")) or 0),
                "confirmed": count(HelpRecord, HelpRecord.source == "reaction",
                                   HelpRecord.status == "confirmed"),
                "marks": count(ReactionMark),
                "events": count(ProcessedEvent),
            }
    finally:
        engine.dispose()


def one_app(app: str, candidate: Candidate, double: Double, workdir: Path, args: Any,
            run: int) -> dict[str, float]:
    with ExitStack() as stack:
        database = "sqlite://"
        if app == "mutual":
            database = stack.enter_context(
                fresh_database(workdir, f"reactions-{candidate.name}-{run}.db", args.pg))
        rng = random.Random(run)
        tag = f"{run:02d}"
        with server_process(app, candidate, double.api_url, database, workdir) as server:
            warm, warm_distinct = deliveries(0, args.warmup, tag, 0.0, rng)
            measured, distinct = deliveries(warm_distinct, args.events, tag, args.duplicates, rng)
            w = measure(server, double, warm, args.concurrency)
            m = measure(server, double, measured, args.concurrency)
            errors = server.errors_logged()
        f = m.figures
        row: dict[str, float] = {
            "eps": f["rps"], "p50_ms": f["p50_ms"], "p95_ms": f["p95_ms"], "p99_ms": f["p99_ms"],
            "errors": f["errors"] + w.figures["errors"],
            "server_cpu_ms": m.server_cpu_ms_per_request, "loadgen_cpu_pct": f["loadgen_cpu_pct"],
            "deliveries": f["requests"], "duplicates": f["requests"] - distinct,
            "logged_errors": len(errors),
        }
        if app == "mutual":
            row["expected"] = warm_distinct + distinct
            row.update(database_counts(database))
    print(f"  run {run} {candidate.name:13} {app:6} " + _fmt(row), flush=True)
    for line in errors[:5]:
        print(f"    server log: {line}")
    return row


def _fmt(row: dict[str, float]) -> str:
    text = (f"{row['eps']:6.0f} events/s  p50 {row['p50_ms']:6.1f}  p95 {row['p95_ms']:6.1f}  "
            f"p99 {row['p99_ms']:6.1f} ms  errors {row['errors']:.0f}  "
            f"server {row['server_cpu_ms']:.2f} ms CPU/event  loadgen {row['loadgen_cpu_pct']:.0f}% CPU")
    if "expected" in row:
        text += (f"  | {row['deliveries']:.0f} deliveries, {row['duplicates']:.0f} duplicates; "
                 f"distinct reactions {row['expected']:.0f}: records {row['records']:.0f} "
                 f"(distinct keys {row['distinct_keys']:.0f}, confirmed {row['confirmed']:.0f}), "
                 f"marks {row['marks']:.0f}, processed events {row['events']:.0f}")
    return text


def judge(name: str, bare: dict[str, float] | None, runs: list[dict[str, float]]) -> bool:
    mutual = median_run(runs)
    exact = all(r["records"] == r["expected"] == r["distinct_keys"] == r["confirmed"]
                == r["marks"] == r["events"] for r in runs)
    checks = [
        (f"{mutual['eps']:.0f} events/s (>= {TARGET_EPS:.0f})", mutual["eps"] >= TARGET_EPS),
        ("every run: exactly one record, mark and processed event per distinct reaction", exact),
        (f"errors {sum(r['errors'] for r in runs):.0f} (0)", all(r["errors"] == 0 for r in runs)),
    ]
    print(f"{name}:")
    if bare is not None:
        print(f"  bare   (median) {_fmt(bare)}")
    print(f"  Mutual (median) {_fmt(mutual)}")
    for text, ok in checks:
        print(f"  {verdict(ok)}  {text}")
    return all(ok for _, ok in checks)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--servers", nargs="+", choices=sorted(CANDIDATES), default=["waitress"])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--events", type=int, default=4000, help="measured deliveries per run")
    p.add_argument("--warmup", type=int, default=300, help="unmeasured deliveries first")
    p.add_argument("--duplicates", type=float, default=0.10, help="share of re-deliveries")
    p.add_argument("--concurrency", type=int, default=20)
    p.add_argument("--no-bare", action="store_true", help="skip the bare-app baseline")
    p.add_argument("--pg", metavar="URL", help="run Mutual on a fresh database on this PostgreSQL "
                   "server instead of SQLite (the target is for SQLite)")
    args = p.parse_args(argv)
    print(f"reaction_added benchmark: {args.concurrency} clients, {args.events} deliveries "
          f"({args.duplicates:.0%} duplicated, +{args.warmup} warm-up) per run, {args.repeat} runs, "
          f"Mutual on {'PostgreSQL' if args.pg else 'SQLite'}; {machine()}", flush=True)
    results: dict[str, dict[str, list[dict[str, float]]]] = {}
    apps = ("mutual",) if args.no_bare else ("bare", "mutual")
    with tempfile.TemporaryDirectory(prefix="mutual-bench-") as tmp, double_process() as double:
        for run in range(1, args.repeat + 1):
            for name in args.servers:
                per = results.setdefault(name, {"bare": [], "mutual": []})
                for app in apps:
                    per[app].append(one_app(app, CANDIDATES[name], double, Path(tmp), args, run))
    print()
    passed = [judge(name, median_run(r["bare"]) if r["bare"] else None, r["mutual"])
              for name, r in results.items()]
    return 0 if all(passed) else 1


if __name__ == "__main__":
    sys.exit(main())
