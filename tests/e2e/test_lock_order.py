"""Two replicas recording reactions between the same two people at once (Alice thanks Bob's
message while Bob thanks Alice's) touch the same rows — both members, both Home rows — and
always in one order, so PostgreSQL never aborts one of them as a deadlock."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.models import HelpRecord
from bot.db.session import Database
from bot.services import outbox
from bot.services.reactions import Reaction, record_reaction
from bot.services.workspaces import ensure_workspace
from bot.slack.budget import Budget
from bot.slack.client import make_client
from bot.slack.directory import Directory
from tests.conftest import START
from tests.support.slack_double import SlackDouble, person

ROUNDS = 25


def test_reactions_both_ways_at_once_never_deadlock(db: Database, slack: SlackDouble) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite takes one writer at a time (BEGIN IMMEDIATE): no deadlock possible")
    replicas = [Database(db.url), Database(db.url)]
    client = make_client(slack.api_url, "xoxb-test")
    with db.session() as s:
        ensure_workspace(s, "T0001", START)
    errors: list[BaseException] = []

    def replica(index: int, barrier: threading.Barrier, a: str, b: str, n: int) -> None:
        base = replicas[index]
        reactor, author = (a, b) if index == 0 else (b, a)
        reaction = Reaction(team_id="T0001", enterprise_id=None, reactor_id=reactor,
                            author_id=author, emoji="pray", channel_id="CGENERAL",
                            message_ts=f"17000000{n:02d}.00{index}")
        try:
            barrier.wait()
            # As the listener does: look both up (new people: their members rows are made),
            # then record, which also re-publishes both Homes.
            Directory(base, lambda: START).lookup(client, "T0001", [author, reactor], Budget(10))
            with base.session() as s:
                workspace = ensure_workspace(s, "T0001", START)
                record_reaction(s, workspace, reaction, START + timedelta(seconds=n))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    for n in range(ROUNDS):
        a, b = f"UA{n:03d}", f"UB{n:03d}"
        slack.users[a], slack.users[b] = person(a, f"Ann{n}"), person(b, f"Ben{n}")
        with db.session() as s:  # both have opened their Home: each record re-publishes it
            for user in (a, b):
                outbox.show_home(s, "T0001", user, START)
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=replica, args=(i, barrier, a, b, n)) for i in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    for r in replicas:
        r.dispose()
    assert errors == [], errors[:1]
    with db.session() as s:
        assert len(s.scalars(select(HelpRecord)).all()) == 2 * ROUNDS
