"""Delivering 600 due nudges through a rate-limited Web API, once straight through and once with
the delivering process killed (SIGKILL) part-way and started again.

The Web API double runs in its own process and allows 100 `chat.postMessage` calls per sliding
10 s, answering 429 with `Retry-After` beyond that, as Slack's tiers do; it also answers
`conversations.open` / `conversations.history` (with message metadata) so a restarted runner can
check the message that was in flight. Delivery is the real thing: `python -m bot jobs run
--now …` as a separate process. Prints the figures and PASS/FAIL against the targets: done within
1.2× the floor (600 / 100 per 10 s = 60 s, so ≤ 72 s), zero duplicates, zero lost.

    .venv/bin/python bench/deliver.py
    .venv/bin/python bench/deliver.py --url postgresql+psycopg://postgres@127.0.0.1:5432/mutual_deliver
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, deque
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TEAM = "T0001"
NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)  # a Monday, 10:00 for everyone (UTC)


# -- the Web API double (its own process) -------------------------------------------------

class RateLimitedSlack:
    def __init__(self, calls: int, per: float) -> None:
        self.calls, self.per = calls, per
        self.window: deque[float] = deque()
        self.lock = threading.Lock()
        self.accepted: Counter[str] = Counter()
        self.history: dict[str, list[dict[str, Any]]] = {}
        self.limited = 0
        self.first: float | None = None
        self.last: float | None = None

    def answer(self, method: str, p: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        if method == "chat.postMessage":
            return self._post(p)
        if method == "conversations.open":
            return 200, {"ok": True, "channel": {"id": "D" + str(p.get("users"))}}, {}
        if method == "conversations.history":
            with self.lock:
                messages = list(reversed(self.history.get(str(p.get("channel")), [])))
            return 200, {"ok": True, "messages": messages, "has_more": False}, {}
        if method == "users.info":
            user = str(p.get("user"))
            return 200, {"ok": True, "user": {"id": user, "team_id": TEAM, "name": user,
                                              "tz": "UTC", "tz_offset": 0}}, {}
        if method == "bench.stats":
            with self.lock:
                return 200, {"ok": True, "accepted": dict(self.accepted), "limited": self.limited,
                             "first": self.first, "last": self.last}, {}
        return 200, {"ok": True}, {}

    def _post(self, p: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        now = time.monotonic()
        with self.lock:
            while self.window and now - self.window[0] >= self.per:
                self.window.popleft()
            if len(self.window) >= self.calls:
                self.limited += 1
                wait = math.ceil(self.per - (now - self.window[0]))
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(max(wait, 1))}
            self.window.append(now)
            meta = p.get("metadata")
            meta = json.loads(meta) if isinstance(meta, str) else meta or {}
            key = str((meta.get("event_payload") or {}).get("key"))
            self.accepted[key] += 1
            channel = str(p.get("channel"))
            channel = "D" + channel if channel[:1] in ("U", "W") else channel
            ts = f"{time.time():.6f}"
            self.history.setdefault(channel, []).append({"type": "message", "ts": ts,
                                                         "text": p.get("text"), "metadata": meta})
            self.first = self.first if self.first is not None else time.time()
            self.last = time.time()
        return 200, {"ok": True, "channel": channel, "ts": ts}, {}


def serve_double(calls: int, per: float) -> None:
    slack = RateLimitedSlack(calls, per)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            if raw.startswith("{"):
                params: dict[str, Any] = json.loads(raw)
            else:
                params = dict(parse_qsl(raw, keep_blank_values=True))
            path, _, query = self.path.partition("?")
            params.update(parse_qsl(query))
            status, body, headers = slack.answer(path.removeprefix("/api/"), params)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    server.serve_forever()


# -- the run ------------------------------------------------------------------------------

def prepare(url: str, count: int) -> None:
    """A fresh database with `count` one-sided relationships, planned into the outbox."""
    from sqlalchemy import create_engine, make_url, text

    from bot.db.migrate import upgrade
    from bot.db.models import HelpRecord, Member, Workspace
    from bot.db.session import Database
    from bot.jobs.nudges import plan_one_sided

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(str(parsed.database) + suffix).unlink(missing_ok=True)
    else:
        admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
        admin.dispose()
    upgrade(url)
    db = Database(url)
    with db.session() as s:
        s.add(Workspace(team_id=TEAM, created_at=NOW))
        s.flush()
        for i in range(count):
            for user in (f"UR{i:05d}", f"UH{i:05d}"):
                s.add(Member(team_id=TEAM, user_id=user, name=user, tz="UTC", tz_offset=0,
                             fetched_at=NOW, nudges_enabled=True))
            s.add_all(HelpRecord(team_id=TEAM, helper_id=f"UH{i:05d}", receiver_id=f"UR{i:05d}",
                                 source="command", status="confirmed", note=f"help #{n}",
                                 created_at=NOW - timedelta(days=n + 1),
                                 updated_at=NOW - timedelta(days=n + 1)) for n in range(3))
    planned = plan_one_sided(db, NOW)
    db.dispose()
    assert planned == count, planned


def start_delivery(url: str, api_url: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MUTUAL_"))}
    env.update({"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_API_URL": api_url, "DATABASE_URL": url,
                "MUTUAL_LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1"})
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        env.pop(proxy, None)
    return subprocess.Popen([sys.executable, "-m", "bot", "jobs", "run", "--now", NOW.isoformat()],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def stats(api_url: str) -> dict[str, Any]:
    with urlopen(api_url + "bench.stats", timeout=5) as resp:  # noqa: S310 - loopback only
        return json.loads(resp.read())


def outbox(url: str) -> Counter[str]:
    from sqlalchemy import func, select

    from bot.db.models import OutboxItem
    from bot.db.session import Database

    db = Database(url)
    with db.session() as s:
        found = Counter({status: n for status, n in s.execute(
            select(OutboxItem.status, func.count()).group_by(OutboxItem.status))})
    db.dispose()
    return found


def scenario(url: str, count: int, calls: int, per: float, kill_at: int) -> bool:
    prepare(url, count)
    double = subprocess.Popen([sys.executable, __file__, "double", "--calls", str(calls),
                               "--per", str(per)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert double.stdout is not None
        port = int(double.stdout.readline().split()[1])
        api_url = f"http://127.0.0.1:{port}/api/"
        started = time.monotonic()
        first = start_delivery(url, api_url)
        outputs = []
        if kill_at:
            while sum(stats(api_url)["accepted"].values()) < kill_at and first.poll() is None:
                time.sleep(0.02)
            first.send_signal(signal.SIGKILL)
            first.wait()
            killed_after = sum(stats(api_url)["accepted"].values())
            second = start_delivery(url, api_url)
            outputs.append(second.communicate(timeout=600)[0])
            code = second.returncode
        else:
            outputs.append(first.communicate(timeout=600)[0])
            code = first.returncode
        elapsed = time.monotonic() - started
        final = stats(api_url)
    finally:
        if double.stdin:
            double.stdin.close()
        double.wait(timeout=10)
    accepted: dict[str, int] = final["accepted"]
    duplicates = sum(n - 1 for n in accepted.values() if n > 1)
    lost = count - len(accepted)
    floor = count / calls * per
    rows = outbox(url)
    ok = (code == 0 and duplicates == 0 and lost == 0 and elapsed <= 1.2 * floor
          and rows.get("sent", 0) == count)
    title = f"killed after {killed_after} sent, then restarted" if kill_at else "straight through"
    print(f"\n{count} nudges, {calls} chat.postMessage per {per:g} s — {title}")
    print(f"  elapsed          : {elapsed:6.1f} s  (floor {floor:.0f} s, target ≤ {1.2 * floor:.0f} s)")
    print(f"  delivered        : {len(accepted)} distinct, {duplicates} duplicates, {lost} lost")
    print(f"  429s answered    : {final['limited']}")
    print(f"  outbox           : {dict(rows)}")
    last_line = [line for line in outputs[-1].splitlines() if line.startswith("deliver_nudges")]
    print(f"  last run said    : {last_line[0] if last_line else outputs[-1].strip()[-300:]}")
    print(f"  verdict          : {'PASS' if ok else 'FAIL'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode")
    dbl = sub.add_parser("double")
    dbl.add_argument("--calls", type=int, default=100)
    dbl.add_argument("--per", type=float, default=10.0)
    parser.add_argument("--url", default="sqlite:////tmp/mutual-deliver.db")
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--per", type=float, default=10.0)
    parser.add_argument("--kill-at", type=int, default=250,
                        help="SIGKILL the runner once the double has this many (0: never)")
    args = parser.parse_args()
    if args.mode == "double":
        serve_double(args.calls, args.per)
        return 0
    straight = scenario(args.url, args.count, args.calls, args.per, 0)
    killed = scenario(args.url, args.count, args.calls, args.per, args.kill_at)
    return 0 if straight and killed else 1


if __name__ == "__main__":
    sys.exit(main())
