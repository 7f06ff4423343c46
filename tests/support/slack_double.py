"""A local double of Slack's Web API: answers like Slack, records every call, and can be told
to answer 429s and errors. Runs on an ephemeral port in a thread."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

TEAM = "T0001"
OTHER_TEAM = "T0999"


def person(user_id: str, name: str, team: str = TEAM, **extra: Any) -> dict[str, Any]:
    user = {"id": user_id, "team_id": team, "name": name.lower(), "real_name": name,
            "profile": {"display_name": name, "real_name": name}, "tz": "Europe/London",
            "tz_offset": 0, "is_bot": False, "deleted": False, "is_admin": False,
            "is_owner": False}
    user.update(extra)
    return user


def default_people() -> dict[str, dict[str, Any]]:
    users = [
        person("UALICE", "Alice"),
        person("UBOB", "Bob"),
        person("UCAROL", "Carol"),
        person("UERIN", "Erin", is_admin=True),
        person("UDAVE", "Dave", deleted=True),
        person("UROBOT", "Robot", is_bot=True),
        person("UFOREIGN", "Faye", team=OTHER_TEAM),
    ]
    return {u["id"]: u for u in users}


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


class SlackDouble:
    def __init__(self) -> None:
        self.users = default_people()
        self.calls: list[Call] = []
        self.uploads: dict[str, bytes] = {}
        self.bot_user_id = "UMUTUAL"
        self.team_id = TEAM
        self.socket_url: str | None = None
        self._scripts: dict[str, deque[Scripted]] = {}
        self._limits: dict[str, tuple[int, float, deque[float]]] = {}
        self._ts = itertools.count(1)
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.base + "/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.base}/respond/{name}"

    def start(self) -> SlackDouble:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- scripting -------------------------------------------------------------------------
    def fail(self, method: str, error: str, times: int = 1, status: int = 200) -> None:
        for _ in range(times):
            self._script(method, Scripted(status, {"ok": False, "error": error}, {}))

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        for _ in range(times):
            self._script(method, Scripted(429, {"ok": False, "error": "ratelimited"},
                                          {"Retry-After": str(retry_after)}))

    def limit(self, method: str, calls: int, per_seconds: float) -> None:
        """Answer 429 past `calls` per sliding `per_seconds`, as Slack's tiers do."""
        self._limits[method] = (calls, per_seconds, deque())

    def _script(self, method: str, scripted: Scripted) -> None:
        with self._lock:
            self._scripts.setdefault(method, deque()).append(scripted)

    # -- reading what happened -------------------------------------------------------------
    def calls_to(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
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

    def dms_to(self, user_id: str) -> list[dict[str, Any]]:
        return [p for p in self.calls_to("chat.postMessage") if p.get("channel") == user_id]

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self._scripts.clear()
            self._limits.clear()

    # -- answering -------------------------------------------------------------------------
    def answer(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> Scripted:
        with self._cond:
            self.calls.append(Call(method, params, headers))
            self._cond.notify_all()
            scripted = self._scripts.get(method)
            if scripted:
                return scripted.popleft()
            limited = self._limits.get(method)
            if limited is not None:
                calls, window, seen = limited
                now = time.monotonic()
                while seen and now - seen[0] >= window:
                    seen.popleft()
                if len(seen) >= calls:
                    wait = max(1, int(window - (now - seen[0])) + 1)
                    return Scripted(429, {"ok": False, "error": "ratelimited"},
                                    {"Retry-After": str(wait)})
                seen.append(now)
        return Scripted(200, self._ok(method, params), {})

    def _ok(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "user_id": self.bot_user_id, "bot_id": "BMUTUAL",
                    "team_id": self.team_id, "team": "Acme", "url": "https://acme.slack.com/"}
        if method == "users.info":
            user = self.users.get(str(p.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "users.list":
            return {"ok": True, "members": list(self.users.values()),
                    "response_metadata": {"next_cursor": ""}}
        if method in ("chat.postMessage", "chat.update"):
            ts = p.get("ts") or f"{1700000000 + next(self._ts)}.000100"
            return {"ok": True, "channel": p.get("channel"), "ts": ts,
                    "message": {"text": p.get("text"), "ts": ts}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{1700000000 + next(self._ts)}.000200"}
        if method == "conversations.open":
            users = sorted(str(p.get("users", "")).split(","))
            prefix = "G" if len(users) > 1 else "D"
            return {"ok": True, "channel": {"id": prefix + "".join(u[1:4] for u in users)}}
        if method in ("views.open", "views.update", "views.push", "views.publish"):
            return {"ok": True, "view": {"id": f"V{next(self._ts)}"}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts)}"
            return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = p.get("files")
            files = json.loads(files) if isinstance(files, str) else files or []
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url or "ws://127.0.0.1:9/"}
        if method == "oauth.v2.access":
            return {"ok": True, "access_token": "xoxb-installed", "token_type": "bot",
                    "scope": "commands,chat:write", "bot_user_id": self.bot_user_id,
                    "app_id": "A0001", "team": {"id": self.team_id, "name": "Acme"},
                    "enterprise": None, "is_enterprise_install": False,
                    "authed_user": {"id": "UALICE"}}
        return {"ok": True}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                if self.path.startswith("/upload/"):
                    double.uploads[self.path.rsplit("/", 1)[1]] = raw
                    double.answer("upload", {"file_id": self.path.rsplit("/", 1)[1],
                                             "size": len(raw)}, headers)
                    return self._send(200, {"ok": True}, {})
                params = _parse(raw, headers.get("content-type", ""))
                if self.path.startswith("/respond/"):
                    params["_url"] = self.path
                    double.answer("response_url", params, headers)
                    return self._send(200, {"ok": True}, {})
                path, _, query = self.path.partition("?")
                params.update(parse_qsl(query, keep_blank_values=True))
                method = path.removeprefix("/api/")
                reply = double.answer(method, params, headers)
                self._send(reply.status, reply.body, reply.headers)

            do_GET = do_POST

            def _send(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _parse(raw: bytes, content_type: str) -> dict[str, Any]:
    text = raw.decode("utf-8", errors="replace")
    if not text:
        return {}
    if "json" in content_type or text.startswith("{"):
        return json.loads(text)
    params: dict[str, Any] = dict(parse_qsl(text, keep_blank_values=True))
    for key in ("blocks", "view", "files", "attachments"):
        if isinstance(params.get(key), str) and params[key][:1] in "[{":
            params[key] = json.loads(params[key])
    return params
