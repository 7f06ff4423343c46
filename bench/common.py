"""Process plumbing shared by the benchmark scripts: the Web API double, one server under test,
the load generator, CPU accounting, and the figures they print."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.loadgen import http_request, write_requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Candidate:
    """A production HTTP server configuration to compare."""

    name: str
    server: str
    workers: int = 1
    threads: int = 0  # 0: bot.server.THREADS, the production setting
    extra: tuple[str, ...] = ()

    def args(self) -> list[str]:
        return ["--server", self.server, "--workers", str(self.workers),
                "--threads", str(self.threads), *self.extra]


CANDIDATES = {
    "waitress": Candidate("waitress", "waitress"),
    "waitress-stock": Candidate("waitress-stock", "waitress", extra=("--stock-channel",)),
    "waitress-4": Candidate("waitress-4", "waitress", threads=4),
    "waitress-2": Candidate("waitress-2", "waitress", threads=2),
    "gunicorn-1x8": Candidate("gunicorn-1x8", "gunicorn", workers=1, threads=8),
    "gunicorn-2x4": Candidate("gunicorn-2x4", "gunicorn", workers=2, threads=4),
    "cheroot": Candidate("cheroot", "cheroot"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _spawn(args: list[str], **kw: Any) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY",
                  "all_proxy"):
        env.pop(proxy, None)
    return subprocess.Popen([PYTHON, *args], cwd=ROOT, env=env, text=True, **kw)


def _read_line(proc: subprocess.Popen[str], prefix: str, timeout: float = 60.0) -> str:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"{proc.args!r} exited before printing {prefix!r}")
        if line.startswith(prefix):
            return line[len(prefix):].strip()
    raise RuntimeError(f"{proc.args!r} did not print {prefix!r} in {timeout}s")


class Double:
    """tests/support/slack_double.py in its own process."""

    def __init__(self, max_seconds: float = 1800.0) -> None:
        self.proc = _spawn(["-m", "bench.api_double", "--max-seconds", str(max_seconds)],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.port = int(_read_line(self.proc, "PORT "))
        self.api_url = f"http://127.0.0.1:{self.port}/api/"

    def counts(self) -> dict[str, int]:
        assert self.proc.stdin is not None
        self.proc.stdin.write("counts\n")
        self.proc.stdin.flush()
        return dict(json.loads(_read_line(self.proc, "CALLS ")))

    def limit(self, on: bool = True) -> None:
        """Every Web API method but auth.test answers 429 (on), or answers normally again."""
        assert self.proc.stdin is not None
        self.proc.stdin.write("limit\n" if on else "calm\n")
        self.proc.stdin.flush()
        _read_line(self.proc, "OK")

    def wait_for(self, method: str, count: int, timeout: float = 60.0) -> float:
        """Seconds until the double has seen `count` calls to `method` (the app's background
        DMs may still be going out when the load generator finishes)."""
        start = time.monotonic()
        while self.counts().get(method, 0) < count:
            if time.monotonic() - start > timeout:
                raise RuntimeError(f"only {self.counts().get(method, 0)} of {count} {method} calls")
            time.sleep(0.02)
        return time.monotonic() - start

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(10)


@contextmanager
def double_process() -> Iterator[Double]:
    double = Double()
    try:
        yield double
    finally:
        double.close()


@dataclass
class Server:
    proc: subprocess.Popen[str]
    port: int
    log: Path

    def cpu_seconds(self) -> float:
        return process_tree_cpu(self.proc.pid)

    def errors_logged(self) -> list[str]:
        lines = self.log.read_text(errors="replace").splitlines()
        return [ln for ln in lines if "ERROR" in ln or "Traceback" in ln or "CRITICAL" in ln]


@contextmanager
def server_process(app: str, candidate: Candidate, api_url: str, database_url: str,
                   workdir: Path, max_seconds: float = 600.0,
                   extra: tuple[str, ...] = ()) -> Iterator[Server]:
    """`bench.serve` in its own process: an app behind a server, or (`app="deliverer"`) the
    outbox's deliverer alone."""
    port = free_port()
    log = workdir / f"server-{app}-{candidate.name}-{port}.log"
    with log.open("w") as err:
        proc = _spawn(["-m", "bench.serve", "--app", app, *candidate.args(), "--port", str(port),
                       "--database", database_url, "--api-url", api_url,
                       "--max-seconds", str(max_seconds), *extra],
                      stdout=subprocess.PIPE, stderr=err)
    try:
        _read_line(proc, "READY")
        yield Server(proc, port, log)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def process_tree_cpu(pid: int) -> float:
    """User+system CPU seconds of a process and its live descendants (gunicorn's workers)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLK_TCK
        todo.extend(children.get(p, []))
    return total


def load(port: int, requests: list[tuple[str, dict[str, str]]], concurrency: int,
         expect: str | None = None) -> dict[str, Any]:
    """Run the load generator in its own process; its JSON figures."""
    raw = [http_request("/slack/events", body.encode(), headers) for body, headers in requests]
    with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as f:
        path = Path(f.name)
    try:
        write_requests(path, raw)
        args = ["-m", "bench.loadgen", "--port", str(port), "--requests", str(path),
                "--concurrency", str(concurrency)]
        if expect:
            args += ["--expect", expect]
        proc = _spawn(args, stdout=subprocess.PIPE)
        out, _ = proc.communicate(timeout=600)
        if proc.returncode != 0:
            raise RuntimeError(f"load generator failed ({proc.returncode})")
        return dict(json.loads(out))
    finally:
        path.unlink(missing_ok=True)


@dataclass
class Measured:
    """One measured phase, with the CPU each process spent in it."""

    figures: dict[str, Any]
    server_cpu_s: float
    double_cpu_s: float
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def server_cpu_ms_per_request(self) -> float:
        return 1000 * self.server_cpu_s / max(1, self.figures["requests"])


def busy_seconds() -> tuple[float, float]:
    """(CPU seconds all cores spent busy since boot, wall seconds), from /proc/stat."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLK_TCK, time.monotonic()


def wait_for_quiet(max_wait: float = 45.0, threshold: float = 0.3) -> float:
    """Wait (at most `max_wait` s) until the machine's other work keeps less than `threshold`
    of a core busy over 2 s: the cores are shared with other people's jobs. Returns that load."""
    deadline = time.monotonic() + max_wait
    while True:
        b0, t0 = busy_seconds()
        time.sleep(2.0)
        b1, t1 = busy_seconds()
        load = (b1 - b0) / (t1 - t0)
        if load < threshold or time.monotonic() > deadline:
            return load


def postgres_backends_cpu(database_url: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving `database_url`'s database (the server is
    on this machine: its work for us shares the same two cores)."""
    if not database_url.startswith("postgresql"):
        return {}
    from sqlalchemy import make_url

    needle = f" {make_url(database_url).database} ".encode()
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
                if cmdline.startswith(b"postgres:") and needle in cmdline:
                    found[int(entry)] = process_tree_cpu(int(entry))
            except OSError:
                continue
    return found


def measure(server: Server, double: Double, requests: list[tuple[str, dict[str, str]]],
            concurrency: int, expect: str | None = None, database_url: str = "") -> Measured:
    s0, d0 = server.cpu_seconds(), process_tree_cpu(double.proc.pid)
    pg0 = postgres_backends_cpu(database_url)
    b0, t0 = busy_seconds()
    figures = load(server.port, requests, concurrency, expect)
    b1, t1 = busy_seconds()
    server_s, double_s = server.cpu_seconds() - s0, process_tree_cpu(double.proc.pid) - d0
    pg_s = sum(cpu - pg0.get(pid, 0.0) for pid, cpu in postgres_backends_cpu(database_url).items())
    loadgen_s = figures["loadgen_process_cpu_s"]
    # What other people's jobs took from the two cores meanwhile (in cores, 1.0 = one core).
    others = max(0.0, (b1 - b0) - server_s - double_s - pg_s - loadgen_s) / (t1 - t0)
    return Measured(figures, server_s, double_s,
                    {"others_cores": round(others, 2), "postgres_cpu_s": pg_s})


def median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """Per-figure medians over repeated runs."""
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


@contextmanager
def fresh_database(workdir: Path, name: str, server_url: str | None = None) -> Iterator[str]:
    """A new, migrated database: a SQLite file in `workdir`, or, given a PostgreSQL server URL,
    a private database on it (dropped afterwards)."""
    from bot.db.migrate import upgrade
    from tests.support.databases import empty_database

    prefix = "mutual_bench_" + "".join(c if c.isalnum() else "_" for c in name.removesuffix(".db")).lower()
    with empty_database(workdir, prefix, server_url) as url:
        upgrade(url)
        yield url


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load1 = os.getloadavg()[0]
    return (f"{os.cpu_count()} cores ({cpu}), Python {sys.version.split()[0]}, "
            f"load average {load1:.2f} at start")


def floor_calls(client: Any, helper: str, receiver: str) -> None:
    """The Web API calls one `/thanks` causes, made bare: the helper's DM (three blocks) and
    both people's Homes (fifteen blocks each). The floor of `bench.costs` and `bench.thanks`."""
    section = {"type": "section", "text": {"type": "mrkdwn", "text": f"<@{receiver}> helped you " * 4}}
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": "a note"}]}
    home = {"type": "home", "blocks": [section] * 15}
    client.chat_postMessage(channel=helper, text="thanked", blocks=[section, note, section])
    client.views_publish(user_id=helper, view=home)
    client.views_publish(user_id=receiver, view=home)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"
