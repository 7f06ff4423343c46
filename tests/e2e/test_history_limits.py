"""After a crash, whether a message went out is read from conversations.history within what
Slack allows an app distributed outside the Marketplace (OAuth mode): at most 15 messages a
call, one call a minute per workspace — shared by every process — and never a resend."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import select, text

from bot.db.models import OutboxItem
from bot.delivery.worker import deliver_due
from bot.slack.sender import InstalledClients, metadata_key
from tests.conftest import START
from tests.e2e.test_oauth import OAUTH_TABLES
from tests.support.nudging import FakeTimer, add_nudge, member, workspace
from tests.support.slack_double import SlackDouble
from tests.support.slack_limits import distributed_app_limits

PEOPLE = ("UANN", "UBEN", "UCAT", "UDEE")


@pytest.fixture
def installed(db, slack: SlackDouble) -> Iterator[InstalledClients]:
    """OAuth mode: the workspace's token comes from the installation store."""
    store = SQLAlchemyInstallationStore(client_id="1111.2222", engine=db.engine)
    store.create_tables()
    store.save(Installation(app_id="A0001", team_id="T0001", bot_token="xoxb-installed",
                            bot_id="BMUTUAL", bot_user_id="UMUTUAL", user_id="UALICE",
                            installed_at=time.time()))
    yield InstalledClients(slack.api_url, store)
    with db.engine.begin() as conn:  # the SDK's tables are not in Mutual's models
        for table in OAUTH_TABLES:
            conn.execute(text(f"DELETE FROM {table}"))


def crashed_mid_send(db, slack: SlackDouble) -> None:
    """Four DMs were in flight when their runner died: Ann's and Dee's reached Slack (5 and
    20 messages followed them), Ben's and Cat's never left."""
    with db.session() as s:
        workspace(s, START)
        for i, user in enumerate(PEOPLE):
            member(s, user, START)
            add_nudge(s, f"k{i}", user, START, START, kind="claim_reminder", subject=None,
                      payload={"helper": "UBOB", "note": f"note {i}", "record_id": i,
                               "expires_at": None},
                      status="sending", claimed_by="gone:1:x", claimed_until=START, attempts=1)
    for user, key, chatter in (("UANN", "k0", 5), ("UDEE", "k3", 20)):
        slack.history[slack.dm_id(user)] = [  # oldest first, as the double keeps it
            {"ts": "1.1", "text": "x", "metadata": {"event_type": "mutual_message",
                                                    "event_payload": {"key": metadata_key(key)}}},
            *({"ts": f"2.{n}", "text": "later chatter"} for n in range(chatter))]


def statuses(db) -> dict[str, str]:
    with db.session() as s:
        return {r.recipient_id: r.status for r in s.scalars(select(OutboxItem))}


def minute_passes(limits) -> None:
    limits.shift(61)  # the double's window (the app's pauses move with the run's `now`)


@pytest.fixture
def always_wanted(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.delivery import kinds

    kind = kinds.KINDS["claim_reminder"]
    monkeypatch.setitem(kinds.KINDS, "claim_reminder", replace(kind, still_wanted=None))


def test_checks_after_a_crash_keep_to_fifteen_messages_and_one_call_a_minute(
        db, slack: SlackDouble, installed: InstalledClients, always_wanted: None) -> None:
    limits = distributed_app_limits(slack)
    clients = installed
    crashed_mid_send(db, slack)
    now = START + timedelta(seconds=61)

    first = deliver_due(db, now, clients, timer=FakeTimer(), max_sleep=0)
    assert len(slack.calls_to("conversations.history")) == 1
    assert all(int(c["limit"]) <= 15 for c in slack.calls_to("conversations.history"))
    assert first.recovered >= 1 and limits.refused == []

    # Each later check waits for its minute, in this process or another (`mutual jobs run`).
    for _ in range(len(PEOPLE) * 2):
        if set(statuses(db).values()) <= {"sent", "failed"}:
            break
        minute_passes(limits)
        now += timedelta(minutes=1)
        deliver_due(db, now, clients, timer=FakeTimer(), max_sleep=0)
    assert limits.refused == [], "never more than Slack allows"
    assert len(slack.calls_to("conversations.history")) == len(PEOPLE)
    # Ann's DM was found: sent, not again. Dee's is not among the latest 15 (20 messages
    # followed it): Slack cannot say, so it is not sent again (at most once). Ben's and Cat's
    # never left: sent now.
    assert statuses(db) == {"UANN": "sent", "UBEN": "sent", "UCAT": "sent", "UDEE": "failed"}
    assert sorted(c["channel"] for c in slack.calls_to("chat.postMessage")) == ["UBEN", "UCAT"]
