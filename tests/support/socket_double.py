"""A local double of Slack's Socket Mode WebSocket: it accepts the app's connection, says
`hello`, sends envelopes as Slack does, and records the acks that come back.

Point the Web API double's `apps.connections.open` at it with `slack.socket_url = sock.url`.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from typing import Any
from urllib.parse import parse_qsl

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from bot.blocks.checks import ack_problems

_ids = itertools.count(1)


class SocketDouble:
    def __init__(self) -> None:
        self.acks: list[dict[str, Any]] = []
        self.sent: list[dict[str, Any]] = []
        self.connections = 0
        self._live: list[ServerConnection] = []
        self._cond = threading.Condition()
        self._server: Server = serve(self._handle, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        port = self._server.socket.getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/?ticket=double"

    def start(self) -> SocketDouble:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    def ping(self) -> None:
        """Ping every connection (the app answers with a pong)."""
        with self._cond:
            live = list(self._live)
        for conn in live:
            with contextlib.suppress(ConnectionClosed):
                conn.ping()

    def _handle(self, conn: ServerConnection) -> None:
        conn.send(json.dumps({"type": "hello", "num_connections": 1,
                              "connection_info": {"app_id": "A0001"},
                              "debug_info": {"host": "double", "approximate_connection_time": 3600}}))
        with self._cond:
            self.connections += 1
            self._live.append(conn)
            self._cond.notify_all()
        try:
            for raw in conn:
                message = json.loads(raw)
                if isinstance(message, dict) and "envelope_id" in message:
                    with self._cond:
                        self.acks.append(message)
                        self._cond.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._cond:
                self._live.remove(conn)
                self._cond.notify_all()

    # -- waiting ---------------------------------------------------------------------------
    def _wait(self, ready: Any, timeout: float, what: str) -> Any:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = ready()
                if found:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out waiting for {what}; acks so far: {self.acks}")
                self._cond.wait(left)

    def wait_connected(self, timeout: float = 15.0) -> None:
        self._wait(lambda: bool(self._live), timeout, "the app to connect")

    def wait_disconnected(self, timeout: float = 15.0) -> None:
        self._wait(lambda: not self._live and self.connections > 0, timeout,
                   "the app to disconnect")

    def acks_for(self, envelope_id: str) -> list[dict[str, Any]]:
        with self._cond:
            return [a for a in self.acks if a["envelope_id"] == envelope_id]

    def wait_for_ack(self, envelope_id: str, timeout: float = 15.0) -> dict[str, Any]:
        found = self._wait(lambda: self.acks_for(envelope_id), timeout, f"the ack of {envelope_id}")
        problems = ack_problems(found[0].get("payload"))
        assert not problems, f"Slack would refuse Mutual's answer: {problems}"
        return found[0]

    # -- sending envelopes -----------------------------------------------------------------
    def send(self, kind: str, payload: dict[str, Any], *, retry_attempt: int = 0,
             retry_reason: str = "", accepts_response_payload: bool = False,
             envelope_id: str | None = None) -> str:
        """Send one envelope as Slack does; returns its envelope_id."""
        envelope_id = envelope_id or f"env-{next(_ids):06d}"
        envelope = {"envelope_id": envelope_id, "type": kind, "payload": payload,
                    "accepts_response_payload": accepts_response_payload,
                    "retry_attempt": retry_attempt, "retry_reason": retry_reason}
        with self._cond:
            if not self._live:
                raise AssertionError("no app is connected to the Socket Mode double")
            conn = self._live[-1]
            self.sent.append(envelope)
        conn.send(json.dumps(envelope))
        return envelope_id

    def send_command(self, form_body: str, **kw: Any) -> str:
        """A slash command, from the same form body the HTTP tests sign."""
        return self.send("slash_commands", dict(parse_qsl(form_body, keep_blank_values=True)),
                         accepts_response_payload=True, **kw)

    def send_event(self, json_body: str, **kw: Any) -> str:
        """An Events API callback, from the same JSON body the HTTP tests sign."""
        return self.send("events_api", json.loads(json_body), **kw)

    def send_interactive(self, form_body: str, **kw: Any) -> str:
        """Interactivity, from a `payload=<json>` form body."""
        payload = json.loads(dict(parse_qsl(form_body))["payload"])
        return self.send("interactive", payload, accepts_response_payload=True, **kw)
