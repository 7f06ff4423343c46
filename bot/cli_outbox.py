"""`mutual outbox`: what Mutual still has to send, what it is holding and why, and what
failed; `mutual outbox retry --id N | --failed` sends them again."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

from bot.config import Settings


def add_parser(verbs: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = verbs.add_parser("outbox", help="list pending, held and failed outgoing messages; re-queue them")
    p.add_argument("action", nargs="?", choices=["list", "retry"], default="list")
    p.add_argument("--id", type=int, help="with retry: this row")
    p.add_argument("--failed", action="store_true", help="with retry: every failed row")


def outbox(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db.migrate import upgrade
    from bot.db.session import Database
    from bot.services.delivery import overview, requeue

    if args.action == "retry" and args.id is None and not args.failed:
        print("mutual: outbox retry needs --id N or --failed")
        return 2
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    now = datetime.now(UTC)
    try:
        with db.session() as session:
            if args.action == "retry":
                count = requeue(session, now, item_id=args.id, failed=args.failed)
                print(f"re-queued {count} message{'' if count == 1 else 's'}"
                      + ("; a running `mutual run` sends them now" if count else ""))
                return 0 if count or args.failed else 1
            rows = overview(session, now)
    finally:
        db.dispose()
    if not rows:
        print("the outbox is empty: nothing pending, held or failed")
        return 0
    print(f"{'id':>7}  {'team':<12} {'kind':<16} {'state':<8} {'age':>8} {'tries':>5}  reason")
    for row in rows:
        print(f"{row.id:>7}  {row.team_id:<12} {row.kind:<16} {row.state:<8} "
              f"{_age(row.age):>8} {row.attempts:>5}  {row.reason or ''}")
    return 0


def _age(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    if seconds < 172800:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"
