"""A lean Web API double for the benchmarks, in its own process: the same people and answers as
tests/support/slack_double.py for the methods the benchmarked paths call (auth.test,
users.info, chat.postMessage; anything else answers {"ok": true}), served by one asyncio loop
instead of a thread per connection, so that the double takes as little as possible of the CPU
the server under test shares with it. Counts calls by method instead of keeping them.

    python -m bench.api_double --max-seconds 600

Prints `PORT <n>` once listening; a line `counts` on stdin prints `CALLS {method: count}`;
exits when stdin closes or after --max-seconds."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import sys
import threading
from collections import Counter
from typing import Any
from urllib.parse import parse_qsl

from tests.support.slack_double import TEAM, default_people

USERS = default_people()
BOT_USER = "UMUTUAL"


class Double:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._ts = itertools.count(1)

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self.counts[method] += 1
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "BMUTUAL", "team_id": TEAM,
                    "team": "Acme", "url": "https://acme.slack.com/"}
        if method == "users.info":
            user = USERS.get(str(params.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "chat.postMessage":
            ts = f"{1700000000 + next(self._ts)}.000100"
            return {"ok": True, "channel": params.get("channel"), "ts": ts,
                    "message": {"text": params.get("text"), "ts": ts}}
        return {"ok": True}

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                raw = await reader.readexactly(int(headers.get("content-length") or 0))
                body = json.dumps(self.answer(path.split("?")[0].removeprefix("/api/"),
                                              _params(raw, headers.get("content-type", "")))).encode()
                close = headers.get("connection", "").lower() == "close"
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\n%s\r\n" % (len(body), b"Connection: close\r\n"
                                                                 if close else b"") + body)
                await writer.drain()
                if close:
                    # Let the client close first, as it would with Slack: the TIME_WAIT then
                    # stays with the client, which may reuse it, instead of piling up here and
                    # making every new connect() on this machine hunt for a free port.
                    await asyncio.wait_for(reader.read(), 5.0)
                    break
        except (asyncio.IncompleteReadError, ConnectionError, TimeoutError):
            pass
        finally:
            writer.close()


def _params(raw: bytes, content_type: str) -> dict[str, Any]:
    text = raw.decode("utf-8", errors="replace")
    if not text:
        return {}
    if "json" in content_type or text.startswith("{"):
        return dict(json.loads(text))
    return dict(parse_qsl(text, keep_blank_values=True))


async def run(max_seconds: float) -> None:
    double = Double()
    server = await asyncio.start_server(double.serve, "127.0.0.1", 0, backlog=512)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    loop = asyncio.get_running_loop()
    closed = asyncio.Event()

    def listen() -> None:
        # One command on stdin: "counts" prints the calls so far; end of input stops us.
        for line in sys.stdin:
            if line.strip() == "counts":
                snapshot = asyncio.run_coroutine_threadsafe(_snapshot(double), loop).result()
                print("CALLS " + json.dumps(snapshot), flush=True)
        loop.call_soon_threadsafe(closed.set)

    threading.Thread(target=listen, daemon=True).start()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(closed.wait(), max_seconds)
    server.close()


async def _snapshot(double: Double) -> dict[str, int]:
    return dict(double.counts)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--max-seconds", type=float, default=900.0)
    args = p.parse_args(argv)
    asyncio.run(run(args.max_seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
