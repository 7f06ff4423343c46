"""`mutual export` of a workspace with 1,000,000 records: wall time and peak memory of the real
command (a separate process: peak RSS from getrusage(RUSAGE_CHILDREN)), JSON and CSV, on
SQLite and on PostgreSQL. Baseline: the same rows read with the bare driver and written by
Python's csv module, no Mutual code (the floor for a Python export of these columns).

    .venv/bin/python -m bench.export [--records 1000000] [--no-sqlite]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Every output is checked: one valid JSON object with every record (parsed in full), or a CSV
with one row per record, formula-like notes made text. PASS/FAIL against the target: peak
memory under 150 MB for every export."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import PYTHON, fresh_database, machine, verdict, wait_for_quiet
from bot.db.session import Database
from bot.services.workspaces import ensure_workspace
from tests.support.bulk import RecordRow, insert_records
from tests.support.procs import mutual_command, run_measured

TEAM = "T0001"
START = datetime(2025, 11, 16, tzinfo=UTC)
TARGET_MB = 150
NOTES = ("thanks for the review of the migration plan", "=SUM(A1:A9) looked like a formula",
         "", "pairing on the flaky test, and the docs after", "+1 for the release notes")

# The floor: the bare driver, the same columns, csv.writer to the file. Run as its own process.
BASELINE = """
import csv, sys
from sqlalchemy import create_engine, text
engine = create_engine(sys.argv[1])
sql = text("SELECT id, helper_id, receiver_id, source, status, note, channel_id, message_ts, "
           "created_at FROM help_records WHERE team_id = 'T0001' ORDER BY id")
with engine.connect() as conn, open(sys.argv[2], "w", newline="") as out:
    writer = csv.writer(out)
    writer.writerows(conn.execution_options(yield_per=2000).execute(sql))
"""


def rows(count: int) -> Iterator[RecordRow]:
    for i in range(count):
        yield (f"U{i % 5000:07d}", f"U{(i * 7 + 1) % 5000:07d}", START + timedelta(seconds=30 * i),
               NOTES[i % len(NOTES)])


def build(url: str, count: int) -> float:
    started = time.perf_counter()
    db = Database(url)
    with db.session() as session:
        ensure_workspace(session, TEAM, START)
    insert_records(db, TEAM, rows(count))
    db.dispose()
    return time.perf_counter() - started


def check(path: Path, fmt: str, count: int) -> str:
    """'' when the output is right, else what is wrong."""
    with path.open(encoding="utf-8", newline="") as f:
        if fmt == "json":
            data = json.load(f)
            if list(data) != ["team", "records", "intros", "nudges"] or len(data["records"]) != count:
                return f"JSON: keys {list(data)}, {len(data.get('records', []))} records"
            return ""
        reader = csv.reader(f)
        header = next(reader)
        seen = formulas = 0
        for row in reader:
            seen += 1
            formulas += row[header.index("note")].startswith(("=", "+"))
        if seen != count or formulas:
            return f"CSV: {seen} rows, {formulas} notes a spreadsheet would run"
        return ""


@dataclass
class Run:
    label: str
    seconds: float
    peak_mb: float
    mb_out: float
    progress: list[str]
    problem: str

    def line(self) -> str:
        last = f" (last: {self.progress[-1]})" if self.progress else ""
        return (f"  {self.label:30s} {self.seconds:6.1f} s  peak {self.peak_mb:6.1f} MB  "
                f"{self.mb_out:6.0f} MB written  {len(self.progress)} progress lines{last}")


def export_once(url: str, fmt: str, workdir: Path, count: int) -> Run:
    out_path = workdir / f"export.{fmt}"
    wait_for_quiet()
    with out_path.open("wb") as out:
        started = time.perf_counter()
        if fmt == "baseline":
            out_path = workdir / "floor.csv"
            status, stderr, peak = run_measured([PYTHON, "-c", BASELINE, url, str(out_path)], {}, workdir, out)
        else:
            status, stderr, peak = run_measured(
                [*mutual_command(), "export", "--team", TEAM, "--format", fmt],
                {"DATABASE_URL": url}, workdir, out)
        seconds = time.perf_counter() - started
    problem = f"exit {status}: {stderr[-500:]}" if status != 0 else ""
    if not problem and fmt != "baseline":
        problem = check(out_path, fmt, count)
    label = "baseline (driver + csv)" if fmt == "baseline" else f"mutual export --format {fmt}"
    progress = [line for line in stderr.splitlines() if line.startswith("exported ")]
    return Run(label, seconds, peak, out_path.stat().st_size / 2**20, progress, problem)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                        help="PostgreSQL server URL (a private database is made); '' to skip")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args(argv)
    print(machine())
    ok = True
    backends = ([] if args.no_sqlite else [("SQLite", None)]) + ([("PostgreSQL", args.pg)] if args.pg else [])
    with tempfile.TemporaryDirectory(prefix="mutual-export-") as tmp:
        for name, server in backends:
            with fresh_database(Path(tmp), "export", server) as url:
                built = build(url, args.records)
                print(f"{name}: {args.records:,} records built in {built:.0f} s")
                for fmt in ("json", "csv", "baseline"):
                    run = export_once(url, fmt, Path(tmp), args.records)
                    print(run.line())
                    if run.problem:
                        print(f"    PROBLEM: {run.problem}")
                    if fmt != "baseline":
                        ok = ok and not run.problem and run.peak_mb < TARGET_MB
    print(f"every export complete and valid, peak memory < {TARGET_MB} MB: {verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
