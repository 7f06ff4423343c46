"""The `mutual` command as a separate process, with only the environment a test gives it."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any, Protocol

from tests.support.payloads import SECRET

# Settings a developer's shell might carry; a test states every one it wants.
_SCRUBBED_PREFIXES = ("SLACK_", "MUTUAL_")
# PYTHONPATH too: `mutual` must import the installed package, never a checkout by accident.
_SCRUBBED = {"DATABASE_URL", "PORT", "TEST_DATABASE_URL", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
             "http_proxy", "https_proxy", "all_proxy", "PYTHONPATH"}


def mutual_command() -> list[str]:
    script = Path(sys.executable).with_name("mutual")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in _SCRUBBED and not k.startswith(_SCRUBBED_PREFIXES)}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict[str, str], cwd: Path, *, module: bool = False,
            timeout: float = 120, command: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a short verb to completion. `module=True` runs `python -m bot` instead of `mutual`;
    `command` runs another install's `mutual`."""
    command = command or ([sys.executable, "-m", "bot"] if module else mutual_command())
    return subprocess.run([*command, *args], env=clean_env(env), cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, check=False)


# Runs argv[3:], then writes its peak RSS (KiB) to argv[1]. A small process in between, because
# a child's ru_maxrss also counts the pages it shared with its parent between fork and exec: run
# straight from a big test process, the figure would be that process's size.
_MEASURE = ("import resource, subprocess, sys\n"
            "code = subprocess.call(sys.argv[3:], timeout=float(sys.argv[2]))\n"
            "with open(sys.argv[1], 'w') as f:\n"
            "    f.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
            "sys.exit(code)\n")


def run_measured(command: list[str], env: dict[str, str], cwd: Path, stdout: IO[bytes],
                 timeout: float = 600) -> tuple[int, str, float]:
    """Run `command` to completion with its output going to `stdout`; returns its exit status,
    its stderr, and its peak RSS in MB (getrusage(RUSAGE_CHILDREN) of a process between)."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        done = subprocess.run([sys.executable, "-c", _MEASURE, rss.name, str(timeout), *command],
                              env=clean_env(env), cwd=cwd, stdout=stdout, stderr=subprocess.PIPE,
                              timeout=timeout + 30, check=False)
        peak_kib = int(rss.read() or 0)
    return done.returncode, done.stderr.decode(errors="replace"), peak_kib / 1024


class WebApiDouble(Protocol):
    @property
    def api_url(self) -> str: ...


def http_env(slack: WebApiDouble, database_url: str, port: int) -> dict[str, str]:
    """What `mutual run` over HTTP needs, against a Web API double (the tests' or bench's)."""
    return {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.api_url, "DATABASE_URL": database_url, "PORT": str(port)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request(port: int, method: str, path: str, body: str = "",
             headers: dict[str, str] | None = None) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request(method, path, body=body.encode(), headers=headers or {})
        resp = conn.getresponse()
        raw = resp.read().decode()
        try:
            return resp.status, json.loads(raw) if raw else None
        except ValueError:
            return resp.status, raw
    finally:
        conn.close()


def http_get(port: int, path: str) -> tuple[int, Any]:
    return _request(port, "GET", path)


def http_post(port: int, path: str, body: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    headers = headers or {"Content-Type": "application/x-www-form-urlencoded"}
    return _request(port, "POST", path, body, headers)


class MutualProcess:
    """`mutual <args>` running in the background; output goes to a log file in `cwd`."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path,
                 command: list[str] | None = None) -> None:
        self.command = command or mutual_command()
        self.args = args
        self.env = clean_env(env)
        self.cwd = cwd
        self.log_path = cwd / "mutual.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> MutualProcess:
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen([*self.command, *self.args], env=self.env, cwd=self.cwd,
                                         stdout=log, stderr=subprocess.STDOUT)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_healthy(self, port: int, timeout: float = 60, every: float = 0.1) -> None:
        """Poll GET /healthz (each `every` s) until it answers 200 (start-up migrates first)."""
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"mutual exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if http_get(port, "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(every)
        raise AssertionError(f"mutual never became healthy on port {port}:\n{self.log()}")

    def terminate(self, timeout: float = 30) -> int:
        """SIGTERM, as a process manager stops it; returns the exit status."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"mutual ignored SIGTERM for {timeout}s:\n{self.log()}") from None
