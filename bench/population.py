"""A workspace that looks lived in, for the benchmarks: N people whose profiles Mutual already
holds (as after their first week), a history of confirmed help among them over the last 90
days, and `/thanks` requests in which a different pair of people takes part each time — so
that neither the members cache, a Home refresh already waiting, nor a tiny table flatters the
figures."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from bot.db.models import OutboxItem
from bot.db.session import Database
from bot.services import outbox
from bot.services.outbox import SENT
from bot.services.people import Profile, save_profile
from bot.services.workspaces import ensure_workspace
from tests.support.bulk import RecordRow, insert_records
from tests.support.payloads import command, signed_headers
from tests.support.slack_double import TEAM

NOTES = ["the review of the billing PR", "covering my on-call shift", "the Terraform state",
         "pairing on the flaky test", "", "the deploy checklist", "explaining the tax rules"]


def person_id(i: int) -> str:
    return f"UP{i:05d}"


def people(count: int) -> list[str]:
    return [person_id(i) for i in range(1, count + 1)]


def profile(user_id: str) -> Profile:
    return Profile(user_id=user_id, home_team_id=TEAM, name=f"Person {user_id[2:]}",
                   tz="Europe/London", tz_offset=0, is_bot=False, deleted=False, is_admin=False,
                   is_owner=False)


def populate(url: str, count: int, records: int, homes_open: float = 1.0, seed: int = 7) -> None:
    """`count` known people and `records` confirmed /thanks between random pairs of them,
    spread over the last 90 days; a share `homes_open` of the people have opened Mutual's
    Home tab before (so Mutual keeps it current for them)."""
    db = Database(url)
    now = datetime.now(UTC)
    rng = random.Random(seed)
    try:
        with db.session() as session:
            ensure_workspace(session, TEAM, now)
            for user_id in people(count):
                save_profile(session, TEAM, profile(user_id), now)
                if rng.random() < homes_open:
                    outbox.show_home(session, TEAM, user_id, now)
            # Published long ago: only what a /thanks changes goes out during the run.
            session.execute(update(OutboxItem).values(status=SENT, sent_at=now))
        ids = people(count)

        def rows() -> Iterator[RecordRow]:
            for _ in range(records):
                helper, receiver = rng.sample(ids, 2)
                at = now - timedelta(seconds=rng.uniform(60, 90 * 86400))
                yield helper, receiver, at, rng.choice(NOTES)

        insert_records(db, TEAM, rows())
    finally:
        db.dispose()


def thanks_pairs(count: int, people_count: int, seed: int) -> list[tuple[str, str]]:
    """(receiver, helper) pairs, each person-pair different from the last few hundred."""
    rng = random.Random(seed)
    ids = people(people_count)
    return [tuple(rng.sample(ids, 2)) for _ in range(count)]  # type: ignore[misc]


def thanks_requests(count: int, people_count: int, seed: int,
                    new_share: float = 0.0) -> list[tuple[str, dict[str, str]]]:
    """Signed `/thanks <@helper> for …` from `receiver`, a new pair each time; a share
    `new_share` of them thank someone Mutual has never looked up (a `UQ…` id: users.info
    is asked while the person waits)."""
    rng = random.Random(seed + 1_000_000)
    out = []
    for n, (receiver, helper) in enumerate(thanks_pairs(count, people_count, seed)):
        if new_share and rng.random() < new_share:
            helper = f"UQ{seed:03d}{n:06d}"
        body = command("/thanks", f"<@{helper}> for {NOTES[n % 4]}", user=receiver)
        out.append((body, signed_headers(body)))
    return out
