"""`/thanks` at 20 concurrent keep-alive clients in a workspace that looks lived in (2,000
known people, 200k stored records, a different pair of people in every request), against a
bare Bolt app whose /thanks only acks, both behind the same server in the same run.

    python -m bench.thanks [--records 200000] [--repeat 3] [--deliverer inprocess|separate]
                           [--all-429] [--new-people 0.2] [--pg URL] [--against bare|floor]

For each repeat: the bare app, then Mutual (a fresh database, populated), each in its own
process, with the Web API double and the load generator in two more. Mutual's outbox is
delivered by the server's own deliverer (as `mutual run` has it), or with `--deliverer
separate` by a deliverer in a process of its own, whose CPU is reported apart. A run counts
only once the outbox is empty — every DM and Home publish sent — and the database holds one
record per request.

Targets (issue 8): throughput >= 0.45x the bare app's; p99 <= 3x the bare app's and < 100 ms;
no errors; every record committed before its ack, every DM delivered. Also printed: delivery
latency (a DM's row written -> Slack answered) p50/p99 and the deliverer's lag after the last
ack. `--all-429`: every Web API method answers 429 (Retry-After: 30) during the measured
phase; the same ack targets, and nothing is lost once Slack answers again. `--new-people`: a
share of requests thank someone Mutual has not looked up yet (users.info on the ack path).

`--against floor` (issue 17): instead of the bare app, the *floor app* (`bench.serve --app
floor`): the bare app plus the helper's DM and both Homes, sent after the ack from as many
sender threads as Mutual's deliverer runs, no database. Both apps are then judged on completed
`/thanks` per second: measured requests over the time from the first request until the Web API
double has received every one of their DMs (its chat.postMessage count). Targets: Mutual's
completed rate >= 0.6x the floor app's; its ack p99 <= 3x the floor app's and < 100 ms."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select

from bench.common import (
    CANDIDATES,
    Double,
    double_process,
    fresh_database,
    machine,
    measure,
    median_run,
    process_tree_cpu,
    server_process,
    verdict,
    wait_for_quiet,
)
from bench.population import populate, thanks_requests
from bot.db.models import HelpRecord, OutboxItem
from bot.services.outbox import PENDING, SENDING

RECEIPT = "Noted"  # every Mutual ack that recorded something carries the receipt
SHARE, P99_RATIO, P99_MAX = 0.45, 3.0, 100.0
FLOOR_SHARE = 0.6  # issue 17: completed /thanks per second against the floor app's
DM = "chat.postMessage"


def outbox_state(url: str, since: float) -> dict[str, Any]:
    """Rows still to send, records, and the DMs' delivery latencies (ms) since `since`."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            waiting = int(conn.scalar(select(func.count()).select_from(OutboxItem)
                                      .where(OutboxItem.status.in_((PENDING, SENDING)))) or 0)
            records = int(conn.scalar(select(func.count()).select_from(HelpRecord)) or 0)
            rows = conn.execute(select(OutboxItem.created_at, OutboxItem.sent_at)
                                .where(OutboxItem.key.like("thanked:%"),
                                       OutboxItem.sent_at.is_not(None))).all()
    finally:
        engine.dispose()
    latencies = sorted(1000 * (sent - made).total_seconds() for made, sent in rows
                       if made.timestamp() >= since)
    return {"waiting": waiting, "records": records, "latencies": latencies}


def drain(url: str, since: float, timeout: float) -> tuple[float, dict[str, Any]]:
    """Seconds until nothing is left to send (the deliverer's lag after the last ack)."""
    start = time.monotonic()
    while True:
        state = outbox_state(url, since)
        if state["waiting"] == 0 or time.monotonic() - start > timeout:
            return time.monotonic() - start, state
        time.sleep(0.05)


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(share * len(values)))] if values else float("nan")


def one_app(app: str, double: Double, workdir: Path, args: Any, run: int) -> dict[str, float]:
    requests = args.requests if app == "mutual" else args.bare_requests
    candidate = CANDIDATES["waitress"]
    with ExitStack() as stack:
        database = "sqlite://"
        extra: tuple[str, ...] = ()
        deliverer = None
        if app == "mutual":
            database = stack.enter_context(fresh_database(workdir, f"thanks-{run}.db", args.pg))
            populate(database, args.people, args.records, args.homes_open)
            if args.profile:
                extra = ("--profile", f"{args.profile}.{run}")
            if args.deliverer == "separate":
                extra += ("--deliverer", "none")
                deliverer = stack.enter_context(server_process(
                    "deliverer", candidate, double.api_url, database, workdir))
        server = stack.enter_context(server_process(app, candidate, double.api_url, database,
                                                    workdir, extra=extra))
        sent0 = double.counts().get(DM, 0)
        warm = measure(server, double, thanks_requests(args.warmup, args.people, 10_000 + run),
                       args.concurrency)
        lag0 = 0.0
        if app == "mutual":
            lag0, _ = drain(database, 0.0, 60)
        if args.against == "floor":
            double.wait_for(DM, sent0 + args.warmup, 120)
        calls0 = double.counts()
        quiet = 0.0 if args.no_wait else wait_for_quiet()
        deliverer_cpu0 = process_tree_cpu(deliverer.proc.pid) if deliverer else 0.0
        if args.all_429:
            double.limit()
        started = time.time()
        batch = thanks_requests(requests, args.people, run, args.new_people)
        plain = app == "mutual" and not args.all_429 and not args.new_people
        m = measure(server, double, batch, args.concurrency,
                    expect=RECEIPT if plain else None, database_url=database)
        if args.all_429:
            double.limit(False)
        row: dict[str, float] = {}
        if args.against == "floor":
            # Completed: until the double holds every measured request's DM.
            wait = double.wait_for(DM, calls0.get(DM, 0) + requests, 120)
            row = {"completed_rps": requests / (m.figures["seconds"] + wait), "dm_wait_s": wait}
        if app == "mutual":
            lag, state = drain(database, started, 120 if args.all_429 else 60)
            row |= {"lag_s": lag, "waiting": state["waiting"], "records": state["records"],
                   "records_expected": args.records + args.warmup + requests,
                   "deliver_p50_ms": percentile(state["latencies"], 0.5),
                   "deliver_p99_ms": percentile(state["latencies"], 0.99),
                   "dms": len(state["latencies"]), "warm_lag_s": lag0}
            if deliverer is not None:
                row["deliverer_cpu_ms"] = (1000 * (process_tree_cpu(deliverer.proc.pid)
                                                   - deliverer_cpu0) / requests)
        if args.against == "floor":
            calls = double.counts()
            row |= {f"{method}_calls": calls.get(method, 0) - calls0.get(method, 0)
                    for method in (DM, "views.publish")}
        errors = server.errors_logged()
    f = m.figures
    row |= {"requests": f["requests"], "rps": f["rps"], "p50_ms": f["p50_ms"],
            "p95_ms": f["p95_ms"], "p99_ms": f["p99_ms"],
            "errors": f["errors"] + warm.figures["errors"],
            "server_cpu_ms": m.server_cpu_ms_per_request,
            "double_cpu_ms": 1000 * m.double_cpu_s / f["requests"],
            "postgres_cpu_ms": 1000 * m.extra["postgres_cpu_s"] / f["requests"],
            "loadgen_cpu_pct": f["loadgen_cpu_pct"], "others_cores": m.extra["others_cores"],
            "quiet_before": quiet, "logged_errors": len(errors)}
    print(f"  run {run} {app:6} {_fmt(row)}", flush=True)
    for line in errors[:5]:
        print(f"    server log: {line}")
    return row


def _fmt(row: dict[str, float]) -> str:
    text = (f"{row['rps']:6.0f} req/s  p50 {row['p50_ms']:5.1f}  p95 {row['p95_ms']:5.1f}  "
            f"p99 {row['p99_ms']:5.1f} ms  errors {row['errors']:.0f} | CPU ms/req: server "
            f"{row['server_cpu_ms']:.2f}"
            + (f", deliverer {row['deliverer_cpu_ms']:.2f}" if "deliverer_cpu_ms" in row else "")
            + f", double {row['double_cpu_ms']:.2f}"
            + (f", PostgreSQL {row['postgres_cpu_ms']:.2f}" if row["postgres_cpu_ms"] else "")
            + f" | loadgen {row['loadgen_cpu_pct']:.0f}% of a core | others "
            f"{row['others_cores']:.2f} cores")
    if "completed_rps" in row:
        text += (f" | completed {row['completed_rps']:.0f} /thanks/s (last DM "
                 f"{row['dm_wait_s']:.2f} s after the last ack; {row[DM + '_calls']:.0f} DMs, "
                 f"{row['views.publish_calls']:.0f} Homes)")
    if "records" in row:
        text += (f" | outbox empty {row['lag_s']:.2f} s after the last ack ({row['waiting']:.0f} "
                 f"left); DM delivered p50 {row['deliver_p50_ms']:.0f} / p99 "
                 f"{row['deliver_p99_ms']:.0f} ms after its request | records "
                 f"{row['records']:.0f}/{row['records_expected']:.0f}")
    return text


def judge(args: Any, bare_runs: list[dict[str, float]], mutual_runs: list[dict[str, float]]) -> bool:
    mutual, bare = median_run(mutual_runs), median_run(bare_runs)
    name = args.against
    share, ratio = mutual["rps"] / bare["rps"], mutual["p99_ms"] / bare["p99_ms"]
    checks = [
        (f"p99 {mutual['p99_ms']:.1f} vs {name} {bare['p99_ms']:.1f} ms = {ratio:.1f}x "
         f"(<= {P99_RATIO:.0f}x)", ratio <= P99_RATIO),
        (f"p99 {mutual['p99_ms']:.1f} ms (< {P99_MAX:.0f} ms)", mutual["p99_ms"] < P99_MAX),
        (f"errors in all runs: {name} {sum(r['errors'] for r in bare_runs):.0f}, Mutual "
         f"{sum(r['errors'] for r in mutual_runs):.0f} (0)",
         all(r["errors"] == 0 for r in bare_runs + mutual_runs)),
        ("every run: everything delivered (outbox empty)",
         all(r["waiting"] == 0 for r in mutual_runs)),
    ]
    if name == "floor":
        share = mutual["completed_rps"] / bare["completed_rps"]
        checks.insert(0, (f"completed {mutual['completed_rps']:.0f} vs floor "
                          f"{bare['completed_rps']:.0f} /thanks/s = {share:.0%} (>= "
                          f"{FLOOR_SHARE:.0%})", share >= FLOOR_SHARE))
        checks.append(("every run: one DM per /thanks, both apps", all(
            r[DM + "_calls"] == r["requests"] for r in bare_runs + mutual_runs)))
    elif not args.all_429:
        checks.insert(0, (f"throughput {mutual['rps']:.0f} vs bare {bare['rps']:.0f} req/s = "
                          f"{share:.0%} (>= {SHARE:.0%})", share >= SHARE))
    if not args.new_people and not args.all_429:
        checks.append(("every run: one record per /thanks",
                       all(r["records"] == r["records_expected"] for r in mutual_runs)))
    print("Medians:")
    print(f"  {name:6} {_fmt(bare)}")
    print(f"  Mutual {_fmt(mutual)}")
    for text, ok in checks:
        print(f"  {verdict(ok)}  {text}")
    return all(ok for _, ok in checks)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--requests", type=int, default=4000, help="measured requests per Mutual run")
    p.add_argument("--bare-requests", type=int, default=20000,
                   help="measured requests per bare or floor run (it is faster: similar durations)")
    p.add_argument("--against", choices=["bare", "floor"], default="bare",
                   help="the baseline: the bare app (acks only) or the floor app (issue 17)")
    p.add_argument("--warmup", type=int, default=300, help="unmeasured requests first")
    p.add_argument("--concurrency", type=int, default=20)
    p.add_argument("--people", type=int, default=2000)
    p.add_argument("--records", type=int, default=200_000, help="records stored before the run")
    p.add_argument("--homes-open", type=float, default=1.0,
                   help="share of people who have opened Mutual's Home tab (default: all)")
    p.add_argument("--deliverer", choices=["inprocess", "separate"], default="inprocess")
    p.add_argument("--all-429", action="store_true",
                   help="every Web API method answers 429 during the measured phase")
    p.add_argument("--new-people", type=float, default=0.0,
                   help="share of requests naming someone Mutual has not looked up yet")
    p.add_argument("--no-wait", action="store_true",
                   help="do not wait (up to 45 s) for other jobs to quiet down before each run")
    p.add_argument("--profile", metavar="PATH", help="Mutual's server writes a yappi CPU profile "
                   "(pstats, every thread) of each run to PATH.<run>")
    p.add_argument("--pg", metavar="URL", help="run Mutual on a fresh database on this PostgreSQL "
                   "server (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres)")
    args = p.parse_args(argv)
    print(f"/thanks: {args.concurrency} clients, {args.requests} Mutual / {args.bare_requests} "
          f"{args.against} "
          f"requests (+{args.warmup} warm-up) per run, {args.repeat} runs; {args.people} people, "
          f"{args.records:,} records, {args.homes_open:.0%} with Mutual's Home open; deliverer "
          f"{args.deliverer}; {'every Web API call answers 429; ' if args.all_429 else ''}"
          f"{f'{args.new_people:.0%} new people; ' if args.new_people else ''}"
          f"Mutual on {'PostgreSQL' if args.pg else 'SQLite'}; {machine()}", flush=True)
    runs: dict[str, list[dict[str, float]]] = {args.against: [], "mutual": []}
    with tempfile.TemporaryDirectory(prefix="mutual-bench-") as tmp, double_process() as double:
        for run in range(1, args.repeat + 1):
            for app in (args.against, "mutual"):
                runs[app].append(one_app(app, double, Path(tmp), args, run))
    print()
    return 0 if judge(args, runs[args.against], runs["mutual"]) else 1


if __name__ == "__main__":
    sys.exit(main())
