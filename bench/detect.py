"""One-sided detection at scale: 10,000 members, 1,000,000 confirmed records over 90 days.

Measures `bot.services.balance.one_sided_pairs` (the query the scheduler runs) against one
hand-written `GROUP BY helper_id, receiver_id` over the same rows, in the same run, each in a
fresh child process so its peak memory is its own. Prints the figures and PASS/FAIL against
the targets (≤ 5 s on PostgreSQL, ≤ 10 s on SQLite, ≤ 300 MB peak, ≤ 2× the GROUP BY).

    .venv/bin/python bench/detect.py --url sqlite:////tmp/mutual-detect.db
    .venv/bin/python bench/detect.py --url postgresql+psycopg://postgres@127.0.0.1:5432/mutual_detect

The data are generated once per URL (pass --regenerate to rebuild): people work in teams of
20 and help each other both ways; 5% of pairs only ever help one way; 10% of help crosses
teams. Deterministic (seeded)."""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, func, make_url, select, text  # noqa: E402

from bot.db.migrate import upgrade  # noqa: E402
from bot.db.models import HelpRecord, Member, Workspace  # noqa: E402
from bot.db.session import Database  # noqa: E402
from bot.services.balance import _tune_for_aggregation, one_sided_pairs, window_start  # noqa: E402
from tests.support.bulk import insert_records  # noqa: E402

TEAM = "T0001"
NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
TEAM_SIZE = 20
ONE_WAY_SHARE = 20  # 1 pair in 20 only ever helps one way
CROSS_TEAM = 0.10
TARGET_SECONDS = {"postgresql": 5.0, "sqlite": 10.0}
TARGET_MB = 300
TARGET_RATIO = 2.0
REPEATS = 3


def user(i: int) -> str:
    return f"U{i:07d}"


def generate_rows(members: int, records: int, days: int):  # type: ignore[no-untyped-def]
    """(helper, receiver, created_at) tuples, deterministic."""
    rng = random.Random(20261116)
    span = days * 86400 - 60
    start = NOW - timedelta(days=days) + timedelta(seconds=30)
    for _ in range(records):
        a = rng.randrange(members)
        if rng.random() < CROSS_TEAM:
            b = rng.randrange(members)
        else:
            base = a - a % TEAM_SIZE
            b = base + rng.randrange(min(TEAM_SIZE, members - base))
        if a == b:
            b = (a + 1) % members
        low, high = min(a, b), max(a, b)
        if (low * 7919 + high) % ONE_WAY_SHARE == 0:
            a, b = low, high  # this pair only ever goes one way
        yield user(a), user(b), start + timedelta(seconds=rng.randrange(span))


def build(url: str, members: int, records: int, days: int) -> None:
    print(f"generating {members:,} members and {records:,} records over {days} days …", flush=True)
    started = time.perf_counter()
    upgrade(url)
    db = Database(url)
    with db.engine.begin() as conn:
        for table in ("nudges", "muted_pairs", "help_records", "members", "workspaces"):
            conn.execute(text(f"DELETE FROM {table}"))
    with db.session() as s:
        s.add(Workspace(team_id=TEAM, created_at=NOW))
        s.flush()
        s.execute(Member.__table__.insert(), [
            {"team_id": TEAM, "user_id": user(i), "name": user(i), "tz_offset": 0,
             "is_bot": False, "deleted": False, "is_admin": False, "is_owner": False,
             "fetched_at": NOW, "nudges_enabled": True} for i in range(members)])
    rows = generate_rows(members, records, days)
    insert_records(db, TEAM, ((helper, receiver, at, "") for helper, receiver, at in rows))
    with db.engine.begin() as conn:
        if not db.is_sqlite:
            conn.execute(text("ANALYZE help_records"))
        else:
            conn.execute(text("ANALYZE"))
    db.dispose()
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


def measure(url: str, what: str) -> dict[str, float | int]:
    """In a child process: run `what` REPEATS times, report the times and peak RSS."""
    db = Database(url)
    with db.session() as s:
        ws = s.get(Workspace, TEAM)
        assert ws is not None
        since = window_start(ws, NOW)
    times, found = [], 0
    for _ in range(REPEATS):
        with db.session() as s:
            ws = s.get(Workspace, TEAM)
            started = time.perf_counter()
            hr = HelpRecord
            grouped = (select(hr.helper_id, hr.receiver_id, func.count())
                       .where(hr.team_id == TEAM, hr.status == "confirmed",
                              hr.created_at >= since, hr.created_at <= NOW)
                       .group_by(hr.helper_id, hr.receiver_id))
            if what == "group_by_count_tuned":  # with detection's per-transaction settings
                _tune_for_aggregation(s)
            if what == "detect":
                found = len(one_sided_pairs(s, ws, NOW))
            elif what == "group_by":  # the pairs fetched into Python, as a report would
                found = len(s.execute(grouped).all())
            else:  # the GROUP BY alone, counted in the database: nothing to transfer
                found = int(s.scalar(select(func.count()).select_from(grouped.subquery())) or 0)
            times.append(time.perf_counter() - started)
    db.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"median_s": statistics.median(times), "best_s": min(times), "rows": found,
            "peak_mb": round(peak_mb, 1)}


def child(url: str, what: str) -> dict[str, float | int]:
    out = subprocess.run([sys.executable, __file__, "--url", url, "--measure", what],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def count_records(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM help_records")).scalar() or 0)
    except Exception:  # noqa: BLE001 - no table yet
        return 0
    finally:
        engine.dispose()


def ensure_pg_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                              {"n": parsed.database}).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="sqlite:////tmp/mutual-detect.db")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--measure", choices=["detect", "group_by", "group_by_count",
                                              "group_by_count_tuned"],
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.url, args.measure)))
        return 0
    ensure_pg_database(args.url)
    if args.regenerate or count_records(args.url) != args.records:
        build(args.url, args.members, args.records, args.days)
    backend = make_url(args.url).get_backend_name()
    # Alternate, so no side always runs on the colder cache.
    order = ("group_by", "group_by_count", "detect") * 2
    if backend == "postgresql":
        order += ("group_by_count_tuned",) * 2
    runs: dict[str, list[dict[str, float | int]]] = {}
    for what in order:
        runs.setdefault(what, []).append(child(args.url, what))
    fetched = min(r["median_s"] for r in runs["group_by"])
    counted = min(r["median_s"] for r in runs["group_by_count"])
    detect = min(r["median_s"] for r in runs["detect"])
    peak = max(r["peak_mb"] for r in runs["detect"])
    base = min(fetched, counted)  # the stricter baseline
    ratio = detect / base
    limit = TARGET_SECONDS[backend]
    print(f"backend {backend}: {args.members:,} members, {count_records(args.url):,} records "
          f"(median of {REPEATS}, best of 2 processes)")
    print(f"  GROUP BY helper, receiver, rows fetched : {fetched:6.2f} s  "
          f"({runs['group_by'][0]['rows']:,} pairs)")
    print(f"  GROUP BY helper, receiver, count only   : {counted:6.2f} s")
    if "group_by_count_tuned" in runs:
        tuned = min(r["median_s"] for r in runs["group_by_count_tuned"])
        print(f"  GROUP BY, count only, detection's SETs  : {tuned:6.2f} s  "
              f"(work_mem, jit off: for comparison; ratio {detect / tuned:.2f} ×)")
    print(f"  one-sided detection                     : {detect:6.2f} s  "
          f"({runs['detect'][0]['rows']:,} people to nudge)")
    print(f"  ratio to the faster GROUP BY            : {ratio:6.2f} ×  (target ≤ {TARGET_RATIO}) "
          f"{'PASS' if ratio <= TARGET_RATIO else 'FAIL'}")
    print(f"  detection time                          : {detect:6.2f} s  (target ≤ {limit} s) "
          f"{'PASS' if detect <= limit else 'FAIL'}")
    print(f"  detection peak memory (whole process)   : {peak:6.1f} MB (target ≤ {TARGET_MB} MB) "
          f"{'PASS' if peak <= TARGET_MB else 'FAIL'}")
    ok = ratio <= TARGET_RATIO and detect <= limit and peak <= TARGET_MB
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
