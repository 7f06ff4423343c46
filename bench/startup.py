"""Start-up on a shared database: three `mutual run` launched at the same instant on one
PostgreSQL database, timed from launch until all three answer GET /healthz with 200 — on a
fresh (empty) database, where one of them migrates while the others wait on the migration
lock, and on the same database once migrated. Baseline: one `mutual run` on the migrated
database (what a single process costs to start on this machine).

    .venv/bin/python -m bench.startup [--repeat 5]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Each replica is the real `mutual` command (a separate process, its own port) against the
benchmarks' Web API double; PASS when every replica of every run came up and logged no
traceback or error."""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import double_process, machine, verdict, wait_for_quiet
from tests.support.databases import private_postgres
from tests.support.procs import MutualProcess, WebApiDouble, free_port, http_env

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def launch(count: int, database_url: str, api: WebApiDouble, workdir: Path) -> tuple[list[float], list[str]]:
    """Start `count` replicas at once; seconds from launch until each served /healthz, and
    the problems their logs show."""
    ports = [free_port() for _ in range(count)]
    ready: list[float] = []
    problems: list[str] = []
    with contextlib.ExitStack() as stack:
        started = time.monotonic()
        replicas = []
        for i, port in enumerate(ports):
            folder = Path(tempfile.mkdtemp(prefix=f"replica{i}-", dir=workdir))
            replicas.append(stack.enter_context(
                MutualProcess(["run"], http_env(api, database_url, port), cwd=folder)))
        for replica, port in zip(replicas, ports, strict=True):
            replica.wait_healthy(port, timeout=120, every=0.01)
            ready.append(time.monotonic() - started)
        for replica in replicas:
            if replica.terminate() != 0:
                problems.append("a replica did not exit 0 on SIGTERM")
            log = replica.log()
            if "Traceback" in log or " ERROR " in log:
                problems.append(log)
    return ready, problems


def summary(runs: list[float]) -> str:
    return (f"median {statistics.median(runs):5.2f} s  (range {min(runs):.2f}–{max(runs):.2f} s, "
            f"{len(runs)} runs)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL (a private database is made)")
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print(machine())
    # In this order on each new database: the first launch migrates it.
    scenarios = {"fresh database (one migrates, the others wait)": args.replicas,
                 "migrated database": args.replicas,
                 "baseline: one replica, migrated database": 1}
    runs: dict[str, list[float]] = {name: [] for name in scenarios}
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="mutual-startup-") as tmp, double_process() as api:
        for _ in range(args.repeat):
            with private_postgres(args.pg, "mutual_bench_startup") as url:
                for name, count in scenarios.items():
                    wait_for_quiet()
                    ready, trouble = launch(count, url, api, Path(tmp))
                    runs[name].append(max(ready))
                    problems += trouble
    print(f"launch → all {args.replicas} replicas serving /healthz (PostgreSQL):")
    for name, seconds in runs.items():
        print(f"  {name:47s}: {summary(seconds)}")
    for problem in problems[:3]:
        print(problem, file=sys.stderr)
    print(f"every replica came up, no traceback or error logged: {verdict(not problems)}")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
