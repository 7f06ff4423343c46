"""`mutual` (also `python -m bot`): run, db upgrade, jobs run, outbox, export, sandbox."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from dotenv import load_dotenv
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.cli_outbox import add_parser as add_outbox_parser
from bot.config import ConfigError, Settings, load_settings
from bot.observe.logs import configure_logging

if TYPE_CHECKING:
    from bot.db.session import Database
    from bot.services.export import Names

logger = logging.getLogger("mutual")
PROGRESS_AFTER = 2.0  # seconds an export runs before it reports progress on stderr
EXPORT_LOOKUPS_MAX, EXPORT_NAMES_WITHIN = 500, 30.0  # people (and channels) asked of Slack


def main(argv: list[str] | None = None) -> int:
    # The .env of the directory `mutual` runs in (python-dotenv's default would look next to
    # this file instead); variables already in the environment win.
    load_dotenv(Path.cwd() / ".env", override=False)
    args = _parser().parse_args(argv)
    if args.verb == "sandbox":  # its own Slack, database and clock: no settings to read
        from bot.sandbox.main import run_sandbox

        return run_sandbox(args.script, args.db, args.fresh, args.raw, web=args.web, port=args.port)
    needs_slack = args.verb == "run"
    try:
        settings = load_settings(require_slack=needs_slack)
        if args.verb == "jobs" and args.now:
            args.now = _parse_now(args.now)
    except ConfigError as e:
        print(f"mutual: {e}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format)
    try:
        return _dispatch(args, settings)
    except ConfigError as e:  # found while starting: a token Slack refuses, a server not answering
        print(f"mutual: {e}", file=sys.stderr)
        return 2
    except OperationalError as e:
        print(f"mutual: {_unreachable_database(settings.database_url, e)}", file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.verb == "run":
        return run(settings, scheduler=not args.no_scheduler)
    from bot.db.migrate import require_database, upgrade

    if args.verb != "db" or args.action != "upgrade":
        # Every verb but `run` and `db upgrade` reads an existing database: run from the wrong
        # folder, it must not create an empty one and report that there is nothing in it.
        require_database(settings.database_url)
    if args.verb == "db":
        print(upgrade(settings.database_url).describe())
        if args.action == "recount":
            return recount(settings)
        return 0
    if args.verb == "jobs":
        return jobs_run(settings, args.now or datetime.now(UTC))
    if args.verb == "outbox":
        from bot.cli_outbox import outbox

        return outbox(settings, args)
    return export(settings, args.team, args.format)


def recount(settings: Settings) -> int:
    """`mutual db recount`: rebuild every workspace's kept counts from its help records, in one
    transaction (what the app reads for Homes, `/mutual me` and the one-sided planning)."""
    from bot.db.session import Database
    from bot.services.counts import recount as rebuild

    db = Database(settings.database_url)
    try:
        with db.session() as session:
            buckets = rebuild(session, datetime.now(UTC))
        print(f"kept counts rebuilt from the help records: {buckets} day buckets")
    finally:
        db.dispose()
    return 0


def _unreachable_database(url: str, error: OperationalError) -> str:
    shown = make_url(url).render_as_string(hide_password=True)
    lines = str(error.orig or error).strip().splitlines()
    return f"DATABASE_URL {shown} cannot be used: {lines[0] if lines else 'no answer'}"


def _verb(verbs: argparse._SubParsersAction, name: str, about: str) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """A subcommand whose one-line `about` shows both in `mutual --help` and in its own."""
    return verbs.add_parser(name, help=about, description=about[0].upper() + about[1:] + ".")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mutual", description=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    run_p = _verb(verbs, "run", "migrate the database, then serve Slack and run the scheduler")
    run_p.add_argument("--no-scheduler", action="store_true", help="serve only (extra replicas)")
    db_p = _verb(verbs, "db", "database maintenance: `mutual db upgrade` applies the migrations")
    db_actions = db_p.add_subparsers(dest="action", required=True, metavar="ACTION")
    _verb(db_actions, "upgrade", "apply the migrations (creates the database if there is none)")
    _verb(db_actions, "recount", "rebuild the kept counts from the help records (an existing database)")
    jobs_p = _verb(verbs, "jobs", "scheduled jobs: `mutual jobs run` runs each once and delivers what is due")
    jobs_actions = jobs_p.add_subparsers(dest="action", required=True, metavar="ACTION")
    jobs_run_p = _verb(jobs_actions, "run", "run every scheduled job once, deliver what is due, exit")
    jobs_run_p.add_argument("--now", help="run as of this ISO 8601 instant (default: now)")
    add_outbox_parser(verbs)
    exp = _verb(verbs, "export", "print a workspace's records (JSON or CSV) to stdout")
    exp.add_argument("--team", required=True, help="workspace id, T…")
    exp.add_argument("--format", choices=["json", "csv"], default="json")
    sandbox = _verb(verbs, "sandbox", "try Mutual in a simulated Slack workspace (no Slack needed)")
    sandbox.add_argument("--script", metavar="FILE", help="run these lines and print the transcript")
    sandbox.add_argument("--db", metavar="PATH",
                         help="the SQLite file (default: mutual-sandbox.db here; a fresh temporary "
                              "one with --script)")
    sandbox.add_argument("--fresh", action="store_true", help="start over with a new workspace")
    sandbox.add_argument("--raw", action="store_true", help="also show the Web API calls Mutual makes")
    sandbox.add_argument("--web", action="store_true",
                         help="draw the workspace in a browser, as Slack would (on 127.0.0.1 only)")
    sandbox.add_argument("--port", type=int, default=8000, metavar="N",
                         help="the port for --web (default 8000; 0 picks a free one)")
    return parser


def _parse_now(raw: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"--now must be an ISO 8601 instant, got {raw!r}") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def run(settings: Settings, scheduler: bool = True) -> int:
    from slack_bolt.error import BoltError

    from bot.app import create_app, create_deliverer
    from bot.db.migrate import upgrade
    from bot.db.session import Database
    from bot.jobs.scheduler import build_scheduler
    from bot.server import serve

    upgrade(settings.database_url)
    db = Database(settings.database_url)
    try:
        app, deps = create_app(settings, db)
    except BoltError as e:
        raise ConfigError(f"SLACK_BOT_TOKEN was refused by Slack: {e}") from None
    except OSError as e:  # URLError included: nothing answers at SLACK_API_URL
        raise ConfigError(f"SLACK_API_URL {settings.api_url} does not answer: {e}") from None
    # Every process delivers what its own requests write (and any other due row); only the
    # planning jobs are left to the scheduler.
    deliverer = create_deliverer(settings, db, deps.clock).start()
    jobs = build_scheduler(db, deps.clock) if scheduler else None
    if jobs is not None:
        jobs.start()
        logger.info("scheduler started: %s", ", ".join(job.id for job in jobs.get_jobs()))
    else:
        logger.info("scheduler not started (--no-scheduler)")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        serve(settings, app, db, stop)
    finally:
        if jobs is not None:
            jobs.shutdown(wait=False)
        deliverer.stop()
        db.dispose()
    return 0


def jobs_run(settings: Settings, now: datetime) -> int:
    from bot.db.migrate import upgrade
    from bot.db.session import Database
    from bot.jobs.scheduler import FAILED, run_all, scheduler_clients

    upgrade(settings.database_url)
    db = Database(settings.database_url)
    try:
        results = run_all(db, now, scheduler_clients(settings, db))
    finally:
        db.dispose()
    for job_id, result in results.items():
        print(f"{job_id}: {result}")
    # A failed job makes the exit status say so (cron, CI); the others have still run.
    return 1 if any(str(r).startswith(FAILED) for r in results.values()) else 0


def export(settings: Settings, team_id: str, fmt: str) -> int:
    from bot.db.migrate import upgrade
    from bot.db.session import Database
    from bot.services import export as ex

    upgrade(settings.database_url)
    db = Database(settings.database_url)
    progress = Progress(sys.stderr)
    try:
        with db.snapshot() as session:
            if not ex.workspace_exists(session, team_id):
                ids = ex.workspace_ids(session, limit=6)
                known = ", ".join(ids[:5]) + (", …" if len(ids) > 5 else "") or "none"
                raise ConfigError(f"--team {team_id}: no such workspace in this database "
                                  f"(workspaces here: {known})")
            names = _export_names(settings, db, team_id, ex.member_names(session, team_id))
            if fmt == "csv":
                counts = {"records": ex.write_records_csv(ex.iter_records(session, team_id, names=names),
                                                          sys.stdout, progress)}
            else:
                counts = ex.write_json(session, team_id, sys.stdout, progress, names)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`mutual export … | head`): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    finally:
        db.dispose()
    progress.done(counts)
    return 0


def _export_names(settings: Settings, db: Database, team_id: str, people: dict[str, str]) -> Names:
    """People by the names Mutual has cached; anyone else, and channels, asked of Slack
    (briefly, and only when this process has a token for the workspace): an id Slack will not
    name stays an id."""
    from bot.jobs.scheduler import scheduler_clients
    from bot.services.export import Names
    from bot.slack.names import SlackNames, channel_name, person_name

    clients = scheduler_clients(settings, db)
    client = clients(team_id) if clients is not None else None
    return Names(
        person=SlackNames(client, person_name, known=people, limit=EXPORT_LOOKUPS_MAX,
                          seconds=EXPORT_NAMES_WITHIN),
        channel=SlackNames(client, channel_name, limit=EXPORT_LOOKUPS_MAX, seconds=EXPORT_NAMES_WITHIN))


class Progress:
    """Counts on stderr once an export has taken PROGRESS_AFTER seconds: nothing for a small
    workspace, a sign of life (at most one line a second) for a big one."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream, self.clock = stream, clock
        self.started = self.last = clock()
        self.shown = False

    def __call__(self, section: str, count: int) -> None:
        now = self.clock()
        if now - self.started >= PROGRESS_AFTER and now - self.last >= 1.0:
            print(f"exported {count:,} {section}…", file=self.stream, flush=True)
            self.last, self.shown = now, True

    def done(self, counts: dict[str, int]) -> None:
        if self.shown:
            what = ", ".join(f"{n:,} {name}" for name, n in counts.items())
            print(f"exported {what} in {self.clock() - self.started:.1f} s", file=self.stream, flush=True)
