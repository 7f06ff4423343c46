"""A Web API server on 127.0.0.1 (port 0) in this process that records every call and can be
told to misbehave the way Slack sometimes does: an error, a 429 with Retry-After, a sliding
rate limit, a slow answer, or no answer at all (`down()` closes the listening socket, `up()`
opens the same port again). The sandbox's simulated Slack and the test suite's double both
build on it; each says how a call is answered when nothing goes wrong (`ok`)."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


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
    answer: bool = True  # False: take the call as usual, then answer only after the delay

HANG = 10.0  # seconds a hanging Slack takes to answer (longer than Mutual waits before an ack)


class LocalApi:
    """Subclasses say how a call is answered when nothing goes wrong (`ok`), and may take file
    bytes posted to an upload URL (`upload`) and posts to a response_url (`respond`)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.calls: list[Call] = []
        self._scripts: dict[str, deque[Scripted]] = {}
        self._limits: dict[str, tuple[int, float, deque[float]]] = {}
        self._cond = threading.Condition(self.lock)
        self.last_call = time.monotonic()
        self.port = 0
        self.server: ThreadingHTTPServer | None = None
        self._trouble: tuple[str, frozenset[str] | None] | None = None
        self._bind()

    def handler(self) -> type[BaseHTTPRequestHandler]:
        return _handler(self)

    def ok(self, method: str, params: dict[str, Any]) -> Scripted:
        """The answer when nothing is scripted to go wrong."""
        raise NotImplementedError

    def upload(self, file_id: str, data: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Bytes posted to an upload URL (files v2)."""
        reply = self.answer("upload", {"file_id": file_id, "size": len(data)}, headers)
        return reply.status, reply.body

    def respond(self, key: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """A post to a response_url."""
        reply = self.answer("response_url", {**body, "_url": f"/respond/{key}"}, headers)
        return reply.status, reply.body

    # -- lifecycle ---------------------------------------------------------------------------
    def _bind(self) -> None:
        server = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler())
        server.daemon_threads = True
        self.port = server.server_address[1]
        self.server = server
        # A short poll, so stop() (shutdown waits for the loop to look) takes milliseconds.
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                         name="local-slack", daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return self.base + "/api/"

    def start(self) -> LocalApi:
        return self  # already serving

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

    # -- misbehaving on request --------------------------------------------------------------
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

    def trouble(self, kind: str, methods: list[str] | None = None) -> None:
        """Until `calm()`, every call (or only calls to `methods`) goes wrong the same way:
        "ratelimited" (429, Retry-After 1), "hang" (taken, answered after HANG seconds),
        "down" (connections refused), or any other Slack error name (e.g. internal_error)."""
        if kind == "down":
            self.down()
            return
        with self.lock:
            self._trouble = (kind, frozenset(methods) if methods else None)

    def calm(self) -> None:
        """Slack is well again."""
        with self.lock:
            self._trouble = None
        self.up()

    def _script(self, method: str, scripted: Scripted) -> None:
        with self.lock:
            self._scripts.setdefault(method, deque()).append(scripted)

    def reset(self) -> None:
        """Forget the calls and every scripted misbehaviour."""
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
        """Seconds since the last call."""
        with self.lock:
            return time.monotonic() - self.last_call

    # -- answering ---------------------------------------------------------------------------
    def answer(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> Scripted:
        """Record the call, then answer it: as scripted, 429 past a limit, or `ok`."""
        with self._cond:
            self.calls.append(Call(method, params, headers))
            self.last_call = time.monotonic()
            self._cond.notify_all()
            scripted = self._scripts.get(method)
            planned = scripted.popleft() if scripted else None
            if planned is None:
                planned = self._troubled(method)
            limited = self._over_limit(method)
        if planned is not None and planned.answer:
            time.sleep(planned.delay)
            return planned
        if limited is not None:
            return limited
        with self.lock:
            self.last_call = time.monotonic()
            answer = self.ok(method, params)
        if planned is not None:  # a hang: the call was taken; the answer comes late
            time.sleep(planned.delay)
        return answer

    def _troubled(self, method: str) -> Scripted | None:
        if self._trouble is None:
            return None
        kind, methods = self._trouble
        if methods is not None and method not in methods:
            return None
        if kind == "ratelimited":
            return Scripted(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
        if kind == "hang":
            return Scripted(200, {}, {}, delay=HANG, answer=False)
        return Scripted(200, {"ok": False, "error": kind}, {})

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


def _handler(api: LocalApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            path, _, query = self.path.partition("?")
            if path.startswith("/upload/"):
                status, body = api.upload(path.rsplit("/", 1)[1], raw, headers)
                return send_json(self, status, body, {})
            params = parse_body(raw, headers.get("content-type", ""))
            if path.startswith("/respond/"):
                status, body = api.respond(path.rsplit("/", 1)[1], params, headers)
                return send_json(self, status, body, {})
            params.update(parse_qsl(query, keep_blank_values=True))
            reply = api.answer(path.removeprefix("/api/"), params, headers)
            send_json(self, reply.status, reply.body, reply.headers)

        do_GET = do_POST

    return Handler


def parse_body(raw: bytes, content_type: str) -> dict[str, Any]:
    """A Web API call's arguments: JSON, or a form whose JSON-valued fields are decoded."""
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


def send_json(handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any],
              headers: dict[str, str]) -> None:
    data = json.dumps(body).encode()
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        for k, v in headers.items():
            handler.send_header(k, v)
        handler.end_headers()
        handler.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up (a hang outlasted its timeout)
