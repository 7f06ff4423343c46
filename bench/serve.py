"""Serve one app with one HTTP server, in its own process, on loopback.

    python -m bench.serve --app mutual --server waitress --port 3100 \\
        --database sqlite:///bench.db --api-url http://127.0.0.1:PORT/api/

--app mutual   the real app: bot.app.create_app(settings, Database(url)) behind bot.web.WebApp
               (under waitress exactly as production builds it: bot.server.make_http_server)
               with the outbox's deliverer running in the same process, as `mutual run` has it
               (--deliverer none: rows are left for a separate `--app deliverer` process)
--app deliverer  only the outbox's deliverer (bot.app.create_deliverer), no HTTP: what a
               separate delivering process costs, measured apart from the acks
--app bare     a bare Bolt App whose /thanks only acks (and reaction_added does nothing), same Bolt options
               (process_before_response=True, token, signing secret, same Web API client),
               behind Bolt's own WSGI adapter, served with the same server and options.
--app floor    the bare app, plus what any app must do for a /thanks: after the ack, from as many
               sender threads as Mutual's deliverer runs (bot.delivery.worker.WORKERS), the
               helper's DM and both people's Homes (bench.common.floor_calls) — no database
--server       waitress (bot.server's options) | gunicorn (gthread workers) | cheroot

Exits after --max-seconds, or on SIGTERM."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bot.config import Settings
from tests.support.payloads import SECRET

BOT_TOKEN = "xoxb-bench"


def settings(api_url: str, database_url: str, port: int) -> Settings:
    return Settings(bot_token=BOT_TOKEN, signing_secret=SECRET, app_token=None, client_id=None,
                    client_secret=None, api_url=api_url, database_url=database_url, port=port,
                    log_level="WARNING")


def mutual_wsgi(s: Settings) -> Any:
    """Mutual for gunicorn and cheroot, with its deliverer (in each gunicorn worker)."""
    from bot.app import create_app, create_deliverer
    from bot.db.session import Database
    from bot.web import WebApp

    db = Database(s.database_url)
    app, deps = create_app(s, db)
    create_deliverer(s, db, deps.clock).start()
    return WebApp(app, db, s.signing_secret)


def floor_senders(client: Any) -> Any:
    """A queue of (helper, receiver) emptied by WORKERS threads, each making the three calls."""
    import queue
    import re

    from bench.common import floor_calls
    from bot.delivery.worker import WORKERS

    jobs: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
    mention = re.compile(r"<@(\w+)")

    def send() -> None:
        while True:
            helper, receiver = jobs.get()
            try:
                floor_calls(client, helper, receiver)
            except Exception:  # counted by the double: a missing DM shows there
                logging.getLogger("bench.floor").exception("floor calls failed")

    for index in range(WORKERS):
        threading.Thread(target=send, name=f"floor-sender-{index}", daemon=True).start()

    def enqueue(command: dict[str, Any]) -> None:
        found = mention.search(command.get("text") or "")
        jobs.put((found.group(1) if found else command["user_id"], command["user_id"]))

    return enqueue


def bare_wsgi(s: Settings, floor: bool = False) -> Any:
    from slack_bolt import Ack, App
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from bot.slack.client import make_client

    app = App(token=s.bot_token, signing_secret=s.signing_secret,
              client=make_client(s.api_url, s.bot_token), process_before_response=True)

    enqueue = floor_senders(app.client) if floor else None

    @app.command("/thanks")
    def thanks(ack: Ack, command: dict[str, Any]) -> None:
        ack()
        if enqueue is not None:
            enqueue(command)

    @app.event("reaction_added")
    def reacted() -> None:
        pass

    return SlackRequestHandler(app)


def build_wsgi(kind: str, s: Settings) -> Any:
    return mutual_wsgi(s) if kind == "mutual" else bare_wsgi(s, floor=kind == "floor")


def serve_waitress(kind: str, s: Settings, threads: int, stock: bool,
                   stop: threading.Event, deliver: bool = True) -> None:
    import bot.server
    from bot.server import make_http_server, wsgi_server

    if threads:
        bot.server.THREADS = threads
    if stock:
        # Waitress's own channel instead of bot.server.QuietChannel, for comparison.
        from waitress.channel import HTTPChannel

        bot.server.QuietChannel = HTTPChannel  # type: ignore[misc]

    deliverer = None
    if kind == "mutual":
        from bot.app import create_app, create_deliverer
        from bot.db.session import Database

        db = Database(s.database_url)
        app, deps = create_app(s, db)
        server = make_http_server(app, db, s, host="127.0.0.1", port=s.port)
        if deliver:
            deliverer = create_deliverer(s, db, deps.clock).start()
    else:
        server = wsgi_server(bare_wsgi(s, floor=kind == "floor"), "127.0.0.1", s.port)
    threading.Thread(target=server.run, daemon=True).start()
    print("READY", flush=True)
    stop.wait()
    server.close()
    if deliverer is not None:
        deliverer.stop()


def serve_deliverer(s: Settings, stop: threading.Event, listen: bool, poll: float | None) -> None:
    from bot.app import create_deliverer
    from bot.db.session import Database

    db = Database(s.database_url)
    deliverer = create_deliverer(s, db, listen=listen, poll=poll).start()
    print("READY", flush=True)
    stop.wait()
    deliverer.stop()


@contextmanager
def cpu_profile(path: str | None) -> Iterator[None]:
    """CPU time of every thread with yappi (pip install yappi), written as pstats to `path`."""
    if not path:
        yield
        return
    import yappi

    yappi.set_clock_type("cpu")
    yappi.start(builtins=True)
    try:
        yield
    finally:
        yappi.stop()
        yappi.get_func_stats().save(path, type="pstat")


def serve_cheroot(kind: str, s: Settings, threads: int, stop: threading.Event) -> None:
    from cheroot.wsgi import Server

    server = Server(("127.0.0.1", s.port), build_wsgi(kind, s), numthreads=threads,
                    server_name="bench")
    server.prepare()
    threading.Thread(target=server.serve, daemon=True).start()
    print("READY", flush=True)
    stop.wait()
    server.stop()


def serve_gunicorn(kind: str, s: Settings, workers: int, threads: int, max_seconds: float) -> None:
    from gunicorn.app.base import BaseApplication

    class Bench(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {"bind": f"127.0.0.1:{s.port}", "worker_class": "gthread",
                       "workers": workers, "threads": threads, "keepalive": 5, "timeout": 60,
                       "graceful_timeout": 5, "loglevel": "warning", "accesslog": None,
                       "when_ready": lambda _arbiter: print("READY", flush=True)}
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            # Called in each worker after the fork: every worker owns its engine and pools.
            return build_wsgi(kind, s)

    # Bounded even if nobody stops us: the master terminates itself (and its workers).
    timer = threading.Timer(max_seconds, lambda: os.kill(os.getpid(), signal.SIGTERM))
    timer.daemon = True
    timer.start()
    Bench().run()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--app", choices=["mutual", "bare", "floor", "deliverer"], required=True)
    p.add_argument("--server", choices=["waitress", "gunicorn", "cheroot"], default="waitress")
    p.add_argument("--deliverer", choices=["inprocess", "none"], default="inprocess",
                   help="waitress only: the outbox's deliverer in this process, or none")
    p.add_argument("--no-listen", action="store_true",
                   help="--app deliverer on PostgreSQL: poll only, no LISTEN/NOTIFY")
    p.add_argument("--poll", type=float, help="--app deliverer: seconds between polls")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--database", default="sqlite://")
    p.add_argument("--api-url", required=True)
    p.add_argument("--workers", type=int, default=1, help="gunicorn worker processes")
    p.add_argument("--threads", type=int, default=0,
                   help="threads per worker (0: bot.server.THREADS, as in production)")
    p.add_argument("--max-seconds", type=float, default=600.0)
    p.add_argument("--profile", help="waitress only: write a yappi CPU profile (pstats) here")
    p.add_argument("--stock-channel", action="store_true",
                   help="waitress only: waitress's HTTPChannel instead of bot.server.QuietChannel")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    s = settings(args.api_url, args.database, args.port)
    if not args.threads:
        from bot.server import THREADS

        args.threads = THREADS
    if args.server == "gunicorn":
        serve_gunicorn(args.app, s, args.workers, args.threads, args.max_seconds)
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    timer = threading.Timer(args.max_seconds, stop.set)
    timer.daemon = True
    timer.start()
    if args.app == "deliverer":
        serve_deliverer(s, stop, not args.no_listen, args.poll)
    elif args.server == "waitress":
        with cpu_profile(args.profile):
            serve_waitress(args.app, s, args.threads, args.stock_channel, stop,
                           deliver=args.deliverer == "inprocess")
    else:
        serve_cheroot(args.app, s, args.threads, stop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
