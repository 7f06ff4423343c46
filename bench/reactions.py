"""Thank-you `reaction_added` events at 20 concurrent keep-alive clients, 10% of deliveries
duplicated (the same event_id sent again, half of them with X-Slack-Retry-Num as Slack's
retries carry), then a check that the database holds exactly one record per distinct reaction.

    python -m bench.reactions --servers waitress --repeat 3

Prints per-run figures, the median of the repeats and PASS/FAIL against the targets:
  >= 1,000 events/s on SQLite (duplicates included: each is a delivery the app must answer);
  in every run, exactly one help record, reaction mark and processed event per distinct
  reaction; no errors. A bare Bolt app whose reaction_added listener does nothing is measured
  alongside for scale (not a target)."""

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
    wait_for_quiet,
)
from bot.db.models import HelpRecord, ProcessedEvent, ReactionMark
from tests.support.payloads import reaction, signed_headers
from tests.support.slack_double import TEAM

PEOPLE = ["UALICE", "UBOB", "UCAROL", "UERIN"]
PAIRS = [(r, a) for r in PEOPLE for a in PEOPLE if r != a]  # (reactor, author)
EMOJI = ["pray", "raised_hands", "heart_hands", "thankyou", "pray::skin-tone-3"]
TARGET_EPS = 1000.0


def envelope(i: int, run: str) -> str:
    """Distinct reaction number i: its own message, a thank-you emoji, its own event id."""
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
    re-deliveries of one sent shortly before (close enough to race the original at 20
    concurrent clients). Half the re-deliveries carry Slack's retry headers."""
    out: list[tuple[str, dict[str, str]]] = []
    sent: list[str] = []
    for _ in range(count):
        if sent and rng.random() < dup_share:
            body = rng.choice(sent[-40:])
            headers = signed_headers(body, content_type="application/json")
            if rng.random() < 0.5:
                headers |= {"X-Slack-Retry-Num": str(rng.randint(1, 3)),
                            "X-Slack-Retry-Reason": "http_timeout"}
        else:
            body = envelope(first + len(sent), run)
            sent.append(body)
            headers = signed_headers(body, content_type="application/json")
        out.append((body, headers))
    return out, len(sent)


def database_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            def count(model: Any, *where: Any) -> int:
                return int(conn.scalar(select(func.count()).select_from(model).where(*where)) or 0)

            reactions = HelpRecord.source == "reaction"
            return {
                "records": count(HelpRecord, reactions),
                "distinct_keys": int(conn.scalar(
                    select(func.count(func.distinct(HelpRecord.dedupe_key))).where(reactions))
                    or 0),
                "confirmed": count(HelpRecord, reactions, HelpRecord.status == "confirmed"),
                "marks": count(ReactionMark),
                "events": count(ProcessedEvent),
            }
    finally:
        engine.dispose()


def one_app(app: str, candidate: Candidate, double: Double, workdir: Path, args: Any,
            run: int) -> dict[str, float]:
    events = args.events if app == "mutual" else args.bare_events
    rng = random.Random(run)
    tag = f"{run:02d}"
    with ExitStack() as stack:
        database = "sqlite://"
        if app == "mutual":
            database = stack.enter_context(
                fresh_database(workdir, f"reactions-{candidate.name}-{run}.db", args.pg))
        with server_process(app, candidate, double.api_url, database, workdir) as server:
            warm, warm_distinct = deliveries(0, args.warmup, tag, 0.0, rng)
            measured, distinct = deliveries(warm_distinct, events, tag, args.duplicates, rng)
            w = measure(server, double, warm, args.concurrency)
            quiet = 0.0 if args.no_wait else wait_for_quiet()
            m = measure(server, double, measured, args.concurrency, database_url=database)
            errors = server.errors_logged()
        f = m.figures
        row: dict[str, float] = {
            "eps": f["rps"], "p50_ms": f["p50_ms"], "p95_ms": f["p95_ms"], "p99_ms": f["p99_ms"],
            "errors": f["errors"] + w.figures["errors"],
            "server_cpu_ms": m.server_cpu_ms_per_request, "loadgen_cpu_pct": f["loadgen_cpu_pct"],
            "postgres_cpu_ms": 1000 * m.extra["postgres_cpu_s"] / f["requests"],
            "others_cores": m.extra["others_cores"], "quiet_before": quiet,
            "deliveries": f["requests"], "duplicates": f["requests"] - distinct,
            "logged_errors": len(errors),
        }
        if app == "mutual":
            row["expected"] = warm_distinct + distinct
            row.update(database_counts(database))
    print(f"  run {run} {candidate.name:14} {app:6} {_fmt(row)}", flush=True)
    if app == "mutual":
        print(f"    {row['deliveries']:.0f} deliveries ({row['duplicates']:.0f} duplicates) + "
              f"{args.warmup} warm-up; {row['expected']:.0f} distinct reactions -> database: "
              f"{row['records']:.0f} records ({row['distinct_keys']:.0f} distinct keys, "
              f"{row['confirmed']:.0f} confirmed), {row['marks']:.0f} reaction marks, "
              f"{row['events']:.0f} processed events", flush=True)
    for line in errors[:5]:
        print(f"    server log: {line}")
    return row


def _fmt(row: dict[str, float]) -> str:
    return (f"{row['eps']:6.0f} events/s  p50 {row['p50_ms']:5.1f}  p95 {row['p95_ms']:5.1f}  "
            f"p99 {row['p99_ms']:5.1f} ms  errors {row['errors']:.0f} | CPU ms/event: server "
            f"{row['server_cpu_ms']:.2f}"
            + (f", PostgreSQL {row['postgres_cpu_ms']:.2f}" if row["postgres_cpu_ms"] else "")
            + f" | loadgen {row['loadgen_cpu_pct']:.0f}% of a core"
            f" | others {row['others_cores']:.2f} cores")


def exact(r: dict[str, float]) -> bool:
    return (r["records"] == r["expected"] == r["distinct_keys"] == r["confirmed"] == r["marks"]
            == r["events"])


def judge(name: str, bare_runs: list[dict[str, float]], runs: list[dict[str, float]]) -> bool:
    mutual = median_run(runs)
    checks = [
        (f"{mutual['eps']:.0f} events/s (>= {TARGET_EPS:.0f})", mutual["eps"] >= TARGET_EPS),
        ("every run: exactly one record, reaction mark and processed event per distinct "
         "reaction", all(exact(r) for r in runs)),
        (f"errors in all runs {sum(r['errors'] for r in runs):.0f} (0)",
         all(r["errors"] == 0 for r in runs)),
    ]
    print(f"{name}:")
    if bare_runs:
        print(f"  bare   (median) {_fmt(median_run(bare_runs))}")
    print(f"  Mutual (median) {_fmt(mutual)}")
    for text, ok in checks:
        print(f"  {verdict(ok)}  {text}")
    return all(ok for _, ok in checks)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--servers", nargs="+", choices=sorted(CANDIDATES), default=["waitress"])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--events", type=int, default=6000, help="measured deliveries per Mutual run")
    p.add_argument("--bare-events", type=int, default=20000,
                   help="measured deliveries per bare run")
    p.add_argument("--warmup", type=int, default=300, help="unmeasured deliveries first")
    p.add_argument("--duplicates", type=float, default=0.10, help="share of re-deliveries")
    p.add_argument("--concurrency", type=int, default=20)
    p.add_argument("--no-bare", action="store_true", help="skip the bare-app baseline")
    p.add_argument("--no-wait", action="store_true",
                   help="do not wait (up to 45 s) for other jobs to quiet down before each run")
    p.add_argument("--pg", metavar="URL", help="run Mutual on a fresh database on this PostgreSQL "
                   "server instead of SQLite (the target is for SQLite)")
    args = p.parse_args(argv)
    print(f"reaction_added benchmark: {args.concurrency} clients, {args.events} Mutual / "
          f"{args.bare_events} bare deliveries ({args.duplicates:.0%} duplicated, +{args.warmup} "
          f"warm-up) per run, {args.repeat} runs, Mutual on "
          f"{'PostgreSQL' if args.pg else 'SQLite'}; {machine()}", flush=True)
    results: dict[str, dict[str, list[dict[str, float]]]] = {}
    apps = ("mutual",) if args.no_bare else ("bare", "mutual")
    with tempfile.TemporaryDirectory(prefix="mutual-bench-") as tmp, double_process() as double:
        for run in range(1, args.repeat + 1):
            for name in args.servers:
                per = results.setdefault(name, {"bare": [], "mutual": []})
                for app in apps:
                    per[app].append(one_app(app, CANDIDATES[name], double, Path(tmp), args, run))
    print()
    passed = [judge(name, r["bare"], r["mutual"]) for name, r in results.items()]
    return 0 if all(passed) else 1


if __name__ == "__main__":
    sys.exit(main())
