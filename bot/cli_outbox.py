"""`mutual outbox`: what Mutual still has to send, what it is holding and why, and what
failed; `mutual outbox retry --id N | --failed` sends them again."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

from bot.config import Settings


def add_parser(verbs: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from bot.cli import _verb

    p = _verb(verbs, "outbox", "list pending, held and failed outgoing messages; re-queue them")
    p.set_defaults(action="list")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    _verb(actions, "list", "list what is pending, held or failed, and why (the default)")
    retry = _verb(actions, "retry", "send a message (or every failed one) again now")
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", type=int, help="this message (an id `mutual outbox` lists)")
    which.add_argument("--failed", action="store_true", help="every failed message")


def outbox(settings: Settings, args: argparse.Namespace) -> int:
    from bot.db.migrate import upgrade
    from bot.db.session import Database
    from bot.services.delivery import overview, requeue, status_of

    upgrade(settings.database_url)
    db = Database(settings.database_url)
    now = datetime.now(UTC)
    try:
        with db.session() as session:
            if args.action == "retry":
                count = requeue(session, now, item_id=args.id, failed=args.failed)
                if args.id is not None and not count:
                    print(_not_requeued(args.id, status_of(session, args.id)))
                    return 1
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


def _not_requeued(item_id: int, status: str | None) -> str:
    if status is None:
        return f"no message with id {item_id} in the outbox (`mutual outbox` lists them)"
    state = {"sent": "was sent already", "cancelled": "was cancelled",
             "sending": "is being sent now"}.get(status, f"is {status}")
    return f"message {item_id} {state}: nothing to re-queue"


def _age(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    if seconds < 172800:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"
