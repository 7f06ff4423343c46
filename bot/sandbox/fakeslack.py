"""A local, stateful stand-in for Slack's Web API, on 127.0.0.1 (port 0) in this process.

It answers every method Mutual calls from the sandbox's State (bot/sandbox/methods.py), takes
file uploads and `response_url` posts, records every call, and can be told to misbehave the
way Slack sometimes does: errors, 429s, a rate limit, slow answers, or no answer at all
(`down()` closes the listening socket; `up()` opens the same port again). The names match
the test suite's double (tests/support/slack_double.py), so that one can build on this."""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from bot.sandbox.methods import Methods
from bot.sandbox.state import BOT_USER_ID, State


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


@dataclass
class Scripted:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    delay: float = 0.0  # seconds to wait before answering (hang)
    answer: bool = True  # False: after the delay, answer as usual


@dataclass
class Target:
    """Where a `response_url` post lands: the person, the conversation, the pressed message."""

    user: str
    channel: str
    original: int | None


class FakeSlack:
    def __init__(self, state: State, clock: Callable[[], datetime], files_dir: Path) -> None:
        self.state = state
        self.lock = threading.RLock()
        self.changes: list[tuple[str, Any]] = []  # what the terminal has yet to show
        self.methods = Methods(state, clock, files_dir, self._changed)
        self.calls: list[Call] = []
        self.notes: list[str] = []  # unknown methods, for --raw
        self._targets: dict[str, Target] = {}
        self._scripts: dict[str, deque[Scripted]] = {}
        self._limits: dict[str, tuple[int, float, deque[float]]] = {}
        self._ids = itertools.count(1)
        self._cond = threading.Condition(self.lock)
        self.last_call = time.monotonic()
        self.port = 0
        self.server: ThreadingHTTPServer | None = None
        self._bind()

    # -- lifecycle ---------------------------------------------------------------------------
    def _bind(self) -> None:
        server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(self))
        server.daemon_threads = True
        self.port = server.server_address[1]
        self.server = server
        self.methods.base_url = self.base
        threading.Thread(target=server.serve_forever, name="fake-slack", daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return self.base + "/api/"

    def start(self) -> FakeSlack:
        return self  # already serving: kept for the test double's interface

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def down(self) -> None:
        """Refuse connections, like Slack unreachable: the listening socket is closed."""
        self.stop()

    def up(self) -> None:
        """Answer again, on the same port."""
        if self.server is None:
            self._bind()

    @property
    def is_up(self) -> bool:
        return self.server is not None

    # -- what people do (the sandbox's side of Slack) ----------------------------------------
    def new_trigger(self, user: str) -> str:
        trigger = f"{next(self._ids)}.{int(time.time())}.sandbox"
        with self.lock:
            self.methods.triggers[trigger] = user
        return trigger

    def new_response_url(self, user: str, channel: str, original: int | None = None) -> str:
        key = f"R{next(self._ids):06d}"
        with self.lock:
            self._targets[key] = Target(user, channel, original)
        return f"{self.base}/respond/{key}"

    # -- fault injection ---------------------------------------------------------------------
    def fail(self, method: str, error: str, times: int = 1, status: int = 200) -> None:
        for _ in range(times):
            self._script(method, Scripted(status, {"ok": False, "error": error}, {}))

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        for _ in range(times):
            self._script(method, Scripted(429, {"ok": False, "error": "ratelimited"},
                                          {"Retry-After": str(retry_after)}))

    def limit(self, method: str, calls: int, per_seconds: float) -> None:
        """Answer 429 past `calls` per sliding `per_seconds`, as Slack's tiers do."""
        with self.lock:
            self._limits[method] = (calls, per_seconds, deque())

    def hang(self, method: str, seconds: float, times: int = 1) -> None:
        """Answer the next `times` calls only after `seconds` (the client may time out first)."""
        for _ in range(times):
            self._script(method, Scripted(200, {}, {}, delay=seconds, answer=False))

    def _script(self, method: str, scripted: Scripted) -> None:
        with self.lock:
            self._scripts.setdefault(method, deque()).append(scripted)

    def reset(self) -> None:
        """Forget the calls and every scripted misbehaviour (what people see is kept)."""
        with self.lock:
            self.calls.clear()
            self._scripts.clear()
            self._limits.clear()

    # -- reading what happened ---------------------------------------------------------------
    def calls_to(self, method: str) -> list[dict[str, Any]]:
        with self.lock:
            return [c.params for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c.params for c in self.calls if c.method == method]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} call(s) to {method}, saw {len(found)}: "
                                         f"{[c.method for c in self.calls]}")
                self._cond.wait(left)

    def quiet_for(self) -> float:
        """Seconds since the last call Mutual made."""
        with self.lock:
            return time.monotonic() - self.last_call

    def take_changes(self) -> list[tuple[str, Any]]:
        with self.lock:
            changes, self.changes = self.changes, []
        return changes

    def _changed(self, kind: str, what: Any) -> None:
        self.changes.append((kind, what))

    # -- answering ---------------------------------------------------------------------------
    def answer(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> Scripted:
        with self._cond:
            self.calls.append(Call(method, params, headers))
            self.last_call = time.monotonic()
            self._cond.notify_all()
            scripted = self._scripts.get(method)
            planned = scripted.popleft() if scripted else None
            limited = self._over_limit(method)
        if planned is not None and planned.delay:
            time.sleep(planned.delay)
        if planned is not None and planned.answer:
            return planned
        if limited is not None:
            return limited
        with self.lock:
            self.last_call = time.monotonic()
            handler = self.methods.table.get(method)
            if handler is None:
                self.notes.append(f"Mutual called {method}, which the sandbox does not simulate; "
                                  "it answered ok")
                return Scripted(200, {"ok": True}, {})
            return Scripted(200, handler(params), {})

    def _over_limit(self, method: str) -> Scripted | None:
        limited = self._limits.get(method)
        if limited is None:
            return None
        calls, window, seen = limited
        now = time.monotonic()
        while seen and now - seen[0] >= window:
            seen.popleft()
        if len(seen) >= calls:
            wait = max(1, int(window - (now - seen[0])) + 1)
            return Scripted(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)})
        seen.append(now)
        return None

    def upload(self, file_id: str, data: bytes, headers: dict[str, str]) -> bool:
        self.answer("upload", {"file_id": file_id, "size": len(data)}, headers)
        with self.lock:
            return self.methods.receive_upload(file_id, data)

    def respond(self, key: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """A post to a `response_url`: a reply only the person sees, a post in the channel, or
        a change to the message whose button was pressed."""
        self.answer("response_url", {**body, "_url": f"/respond/{key}"}, headers)
        with self.lock:
            target = self._targets.get(key)
            if target is None:
                return 404, {"ok": False, "error": "expired_url"}
            original = self.state.message(target.original) if target.original else None
            methods = self.methods
            conv = self.state.conversations.get(target.channel) or methods.conversation(target.channel)
            if conv is None:
                return 404, {"ok": False, "error": "channel_not_found"}
            if body.get("delete_original") and original is not None:
                original.deleted = True
                self._changed("deleted", original.number)
                return 200, {"ok": True}
            if body.get("replace_original") and original is not None:
                original.text = str(body.get("text") or "")
                original.blocks = body.get("blocks") or []
                original.edited = True
                self._changed("updated", original.number)
                return 200, {"ok": True}
            public = body.get("response_type") == "in_channel"
            methods.add(conv, BOT_USER_ID, body, ephemeral_to=None if public else target.user)
            return 200, {"ok": True}


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            path, _, query = self.path.partition("?")
            if path.startswith("/upload/"):
                ok = fake.upload(path.rsplit("/", 1)[1], raw, headers)
                return self._send(200 if ok else 404, {"ok": ok}, {})
            params = parse_body(raw, headers.get("content-type", ""))
            if path.startswith("/respond/"):
                status, body = fake.respond(path.rsplit("/", 1)[1], params, headers)
                return self._send(status, body, {})
            params.update(parse_qsl(query, keep_blank_values=True))
            reply = fake.answer(path.removeprefix("/api/"), params, headers)
            self._send(reply.status, reply.body, reply.headers)

        do_GET = do_POST

        def _send(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a hang outlasted its timeout)

    return Handler


def parse_body(raw: bytes, content_type: str) -> dict[str, Any]:
    text = raw.decode("utf-8", errors="replace")
    if not text:
        return {}
    if "json" in content_type or text.startswith("{"):
        try:
            parsed = json.loads(text)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}
    params: dict[str, Any] = dict(parse_qsl(text, keep_blank_values=True))
    for key in ("blocks", "view", "files", "attachments", "metadata"):
        if isinstance(params.get(key), str) and params[key][:1] in "[{":
            with contextlib.suppress(ValueError):  # not JSON after all: keep the text
                params[key] = json.loads(params[key])
    return params
