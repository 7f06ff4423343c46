"""A lean Web API double for the benchmarks, in its own process: the same people and answers as
tests/support/slack_double.py for the methods the benchmarked paths call (auth.test,
users.info, chat.postMessage; anything else answers {"ok": true}), served by one asyncio loop
instead of a thread per connection, so that the double takes as little as possible of the CPU
the server under test shares with it. Counts calls by method instead of keeping them.

    python -m bench.api_double --max-seconds 600

Prints `PORT <n>` once listening. Commands on stdin: `counts` prints `CALLS {method: count}`;
`limit` makes every method but auth.test answer 429 (Retry-After: 30), as Slack does to an
app over its rate limits; `calm` ends that. Exits when stdin closes or after --max-seconds.

Anyone whose id starts with `UP` or `UQ` (bench/population.py's people) is a member of the team."""

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

from tests.support.slack_double import TEAM, default_people, person

USERS = default_people()
BOT_USER = "UMUTUAL"


class Double:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.limited = False
        self._ts = itertools.count(1)

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any] | None:
        """The answer, or None for a 429."""
        self.counts[method] += 1
        if self.limited and method != "auth.test":
            self.counts["429"] += 1
            return None
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "BMUTUAL", "team_id": TEAM,
                    "team": "Acme", "url": "https://acme.slack.com/"}
        if method == "users.info":
            user_id = str(params.get("user"))
            user = USERS.get(user_id) or (person(user_id, f"Person {user_id[2:]}")
                                          if user_id.startswith(("UP", "UQ")) else None)
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
                answer = self.answer(path.split("?")[0].removeprefix("/api/"),
                                     _params(raw, headers.get("content-type", "")))
                status = b"200 OK" if answer is not None else b"429 Too Many Requests\r\nRetry-After: 30"
                body = json.dumps(answer or {"ok": False, "error": "ratelimited"}).encode()
                close = headers.get("connection", "").lower() == "close"
                writer.write(b"HTTP/1.1 %s\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\n%s\r\n" % (status, len(body), b"Connection: close\r\n"
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
            elif line.strip() in ("limit", "calm"):
                double.limited = line.strip() == "limit"
                print("OK", flush=True)
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
