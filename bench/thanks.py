"""`/thanks <@UBOB> for x` at 20 concurrent keep-alive clients: Mutual against a bare Bolt app
whose /thanks only acks, both served by the same server, in the same run.

    python -m bench.thanks --servers waitress gunicorn-1x8 gunicorn-2x4 cheroot --repeat 3

For each repeat and server: the bare app, then Mutual (fresh SQLite database, or --pg), each in
its own process, with the Web API double and the load generator in two more. A run counts
only when every DM Mutual sends after its ack has reached the double, and Mutual's database
holds one record per request. Prints per-run figures, the median of the repeats, and PASS/FAIL
against the targets:
  throughput(Mutual) >= 60% of throughput(bare);
  p99(Mutual) <= 3 x p99(bare) and < 300 ms."""

from __future__ import annotations

import argparse
import sys
import tempfile
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
from bot.db.models import HelpRecord
from tests.support.payloads import command, signed_headers

TEXT = "<@UBOB> for x"
RECEIPT = "Noted"  # every successful Mutual ack carries the receipt


def thanks_requests(n: int) -> list[tuple[str, dict[str, str]]]:
    out = []
    for _ in range(n):
        body = command("/thanks", TEXT, user="UALICE")
        out.append((body, signed_headers(body)))
    return out


def records_in(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(HelpRecord)) or 0)
    finally:
        engine.dispose()


def one_app(app: str, candidate: Candidate, double: Double, workdir: Path, args: Any,
            run: int) -> dict[str, float]:
    requests = args.requests if app == "mutual" else args.bare_requests
    with ExitStack() as stack:
        database = "sqlite://"
        if app == "mutual":
            database = stack.enter_context(
                fresh_database(workdir, f"thanks-{candidate.name}-{run}.db", args.pg))
        dms_before = double.counts().get("chat.postMessage", 0)
        with server_process(app, candidate, double.api_url, database, workdir) as server:
            warm = measure(server, double, thanks_requests(args.warmup), args.concurrency)
            quiet = 0.0 if args.no_wait else wait_for_quiet()
            m = measure(server, double, thanks_requests(requests), args.concurrency,
                        expect=RECEIPT if app == "mutual" else None, database_url=database)
            drain = 0.0
            if app == "mutual":
                # The DMs go out after the ack; the run is only done when they have.
                drain = double.wait_for("chat.postMessage", dms_before + args.warmup + requests)
            errors = server.errors_logged()
        f = m.figures
        row = {"rps": f["rps"], "p50_ms": f["p50_ms"], "p95_ms": f["p95_ms"],
               "p99_ms": f["p99_ms"], "errors": f["errors"] + warm.figures["errors"],
               "server_cpu_ms": m.server_cpu_ms_per_request,
               "double_cpu_ms": 1000 * m.double_cpu_s / f["requests"],
               "postgres_cpu_ms": 1000 * m.extra["postgres_cpu_s"] / f["requests"],
               "loadgen_cpu_pct": f["loadgen_cpu_pct"], "others_cores": m.extra["others_cores"],
               "quiet_before": quiet, "dm_drain_s": drain,
               "rps_with_dms": f["requests"] / (f["seconds"] + drain),
               "logged_errors": len(errors)}
        if app == "mutual":
            row["records"] = records_in(database)
            row["records_expected"] = args.warmup + requests
    print(f"  run {run} {candidate.name:14} {app:6} {_fmt(row)}", flush=True)
    for line in errors[:5]:
        print(f"    server log: {line}")
    return row


def _fmt(row: dict[str, float]) -> str:
    text = (f"{row['rps']:6.0f} req/s  p50 {row['p50_ms']:5.1f}  p95 {row['p95_ms']:5.1f}  "
            f"p99 {row['p99_ms']:5.1f} ms  errors {row['errors']:.0f} | CPU ms/req: server "
            f"{row['server_cpu_ms']:.2f}, double {row['double_cpu_ms']:.2f}"
            + (f", PostgreSQL {row['postgres_cpu_ms']:.2f}" if row["postgres_cpu_ms"] else "")
            + " | loadgen "
            f"{row['loadgen_cpu_pct']:.0f}% of a core | others {row['others_cores']:.2f} cores")
    if "records" in row:
        text += (f" | DMs out +{row['dm_drain_s']:.2f} s after the last ack | records "
                 f"{row['records']:.0f}/{row['records_expected']:.0f}")
    return text


def judge(name: str, bare_runs: list[dict[str, float]],
          mutual_runs: list[dict[str, float]]) -> bool:
    mutual = median_run(mutual_runs)
    checks = []
    if bare_runs:
        bare = median_run(bare_runs)
        share = mutual["rps"] / bare["rps"]
        p99_ratio = mutual["p99_ms"] / bare["p99_ms"]
        checks += [
            (f"throughput {mutual['rps']:.0f} vs bare {bare['rps']:.0f} req/s = {share:.0%} "
             "(>= 60%)", share >= 0.60),
            (f"p99 {mutual['p99_ms']:.1f} vs bare {bare['p99_ms']:.1f} ms = {p99_ratio:.1f}x "
             "(<= 3x)", p99_ratio <= 3.0),
        ]
    checks += [
        (f"p99 {mutual['p99_ms']:.1f} ms (< 300 ms)", mutual["p99_ms"] < 300),
        (f"errors in all runs: bare {sum(r['errors'] for r in bare_runs):.0f}, Mutual "
         f"{sum(r['errors'] for r in mutual_runs):.0f} (0)",
         all(r["errors"] == 0 for r in bare_runs + mutual_runs)),
        ("every run: one record per /thanks, every DM delivered",
         all(r["records"] == r["records_expected"] for r in mutual_runs)),
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
    p.add_argument("--requests", type=int, default=4000, help="measured requests per Mutual run")
    p.add_argument("--bare-requests", type=int, default=20000,
                   help="measured requests per bare run (it is faster: similar durations)")
    p.add_argument("--warmup", type=int, default=300, help="unmeasured requests first")
    p.add_argument("--concurrency", type=int, default=20)
    p.add_argument("--no-bare", action="store_true",
                   help="skip the bare app (compare servers on Mutual alone; no ratio targets)")
    p.add_argument("--no-wait", action="store_true",
                   help="do not wait (up to 45 s) for other jobs to quiet down before each run")
    p.add_argument("--pg", metavar="URL", help="run Mutual on a fresh database on this PostgreSQL "
                   "server (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres)")
    args = p.parse_args(argv)
    print(f"/thanks benchmark: {args.concurrency} clients, {args.requests} Mutual / "
          f"{args.bare_requests} bare requests (+{args.warmup} warm-up) per run, {args.repeat} "
          f"runs, Mutual on {'PostgreSQL' if args.pg else 'SQLite'}; {machine()}", flush=True)
    results: dict[str, dict[str, list[dict[str, float]]]] = {}
    with tempfile.TemporaryDirectory(prefix="mutual-bench-") as tmp, double_process() as double:
        for run in range(1, args.repeat + 1):
            for name in args.servers:
                per = results.setdefault(name, {"bare": [], "mutual": []})
                for app in ("mutual",) if args.no_bare else ("bare", "mutual"):
                    per[app].append(one_app(app, CANDIDATES[name], double, Path(tmp), args, run))
    print()
    passed = [judge(name, r["bare"], r["mutual"]) for name, r in results.items()]
    return 0 if all(passed) else 1


if __name__ == "__main__":
    sys.exit(main())
