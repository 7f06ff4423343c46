"""The weekly team summary and channel digest, as the scheduler posts them: at the workspace's
moment in its own time zone, once per week, with the chart uploaded through files v2."""

import json
from datetime import UTC, datetime, timedelta

from bot.db.models import OutboxItem
from bot.jobs.scheduler import run_all
from bot.services import intros
from bot.services.recording import record_thanks
from bot.services.workspaces import ensure_workspace
from bot.slack.sender import single_workspace_clients
from tests.conftest import START

T = "T0001"
FRIDAY_4PM = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)  # the default moment, UTC workspace


def setup(db, people=5, at=START, **settings):
    with db.session() as s:
        ws = ensure_workspace(s, T, at)
        ws.nudge_channel = "CTEAM"
        for name, value in settings.items():
            setattr(ws, name, value)
        ring = [f"UP{i}" for i in range(people)]
        for i, giver in enumerate(ring):
            record_thanks(s, T, ring[(i + 1) % people], [giver], "", at)


def run(db, slack, now):
    return run_all(db, now, single_workspace_clients(slack.api_url, "xoxb-test"))


def posts(slack, channel="CTEAM"):
    return [c for c in slack.calls_to("chat.postMessage") if c["channel"] == channel]


def summaries(slack):
    return [c for c in posts(slack) if "The week in Mutual" in c["text"]]


def digests(slack):
    return [c for c in posts(slack) if "digest" in c["text"]]


def rows(db, key_prefix):
    """The week's post rows (not the chart that follows each summary)."""
    with db.session() as s:
        return [n for n in s.query(OutboxItem).order_by(OutboxItem.id)
                if n.key.startswith(key_prefix) and n.kind != "summary_chart"]


def test_summary_posts_once_at_the_moment_with_its_chart(db, slack):
    setup(db, digest_enabled=False)
    run(db, slack, FRIDAY_4PM - timedelta(minutes=1))
    assert summaries(slack) == []

    run(db, slack, FRIDAY_4PM)
    run(db, slack, FRIDAY_4PM + timedelta(minutes=10))
    run(db, slack, FRIDAY_4PM + timedelta(days=1))

    [post] = summaries(slack)
    assert "*5* times people helped a colleague" in json.dumps(post)
    [complete] = slack.calls_to("files.completeUploadExternal")
    assert complete["channel_id"] == "CTEAM"
    [upload] = slack.calls_to("upload")
    png = slack.uploads[upload["file_id"]]
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    [url] = slack.calls_to("files.getUploadURLExternal")
    assert int(url["length"]) == len(png)
    [row] = rows(db, "summary:")
    assert (row.key, row.status, row.recipient_id) == ("summary:2026-W47", "sent", "CTEAM")


def test_next_week_posts_again(db, slack):
    setup(db, digest_enabled=False)
    run(db, slack, FRIDAY_4PM)
    setup(db, at=FRIDAY_4PM + timedelta(days=5))
    run(db, slack, FRIDAY_4PM + timedelta(days=7))
    assert [r.key for r in rows(db, "summary:")] == ["summary:2026-W47", "summary:2026-W48"]
    assert len(summaries(slack)) == 2


def test_the_moment_is_in_the_workspaces_time_zone(db, slack):
    setup(db, timezone="Asia/Tokyo", summary_weekday=4, summary_hour=16, digest_enabled=False)
    tokyo_4pm_friday = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
    run(db, slack, tokyo_4pm_friday - timedelta(minutes=5))
    assert summaries(slack) == []
    run(db, slack, tokyo_4pm_friday)
    assert len(summaries(slack)) == 1


def test_the_privacy_floor_holds_in_the_channel(db, slack):
    setup(db, people=4, digest_enabled=False)
    run(db, slack, FRIDAY_4PM)
    [post] = summaries(slack)
    text = json.dumps(post)
    assert "*4*" not in text and "at least 5 people" in text
    assert slack.calls_to("files.getUploadURLExternal") == [], "no chart of a small group"


def test_no_channel_no_post_and_a_quiet_week_posts_nothing(db, slack):
    with db.session() as s:
        ensure_workspace(s, T, START)
    run(db, slack, FRIDAY_4PM)
    assert posts(slack) == [] and rows(db, "summary:") == []

    with db.session() as s:
        ensure_workspace(s, T, START).nudge_channel = "CTEAM"
    run(db, slack, FRIDAY_4PM)
    assert summaries(slack) == []
    [row] = rows(db, "summary:")
    assert row.status == "cancelled"


def test_the_digest_counts_waiting_intros_once_a_week_and_names_nobody(db, slack):
    setup(db)
    with db.session() as s:
        intros.propose_intro(s, T, "UCAROL", "UALICE", "UBOB", "both on search", START)
        intros.propose_intro(s, T, "UDAN", "UERIN", "UFRANK", "both on billing", START)
    monday_9am = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    run(db, slack, monday_9am - timedelta(minutes=1))
    assert digests(slack) == []
    run(db, slack, monday_9am)
    run(db, slack, monday_9am + timedelta(hours=3))
    [digest] = digests(slack)
    shown = json.dumps(digest, ensure_ascii=False)
    assert "2 introductions are waiting for a reply" in digest["text"]
    assert "your DMs from Mutual have it" in shown and "<@" not in shown
    assert [(r.key, r.status) for r in rows(db, "digest:")] == [("digest:2026-W48", "sent")]


def test_digest_off_means_no_digest(db, slack):
    setup(db, digest_enabled=False)
    with db.session() as s:
        intros.propose_intro(s, T, "UCAROL", "UALICE", "UBOB", "both on search", START)
    run(db, slack, START)
    assert digests(slack) == [] and rows(db, "digest:") == []


def test_a_public_channel_mutual_is_not_in_is_joined_then_posted_to(db, slack):
    setup(db, digest_enabled=False)
    slack.fail("chat.postMessage", "not_in_channel")
    slack.fail("files.completeUploadExternal", "not_in_channel")
    run(db, slack, FRIDAY_4PM)
    [row] = rows(db, "summary:")
    assert row.status == "sent"
    assert [c["channel"] for c in slack.calls_to("conversations.join")] == ["CTEAM", "CTEAM"]
    # One refused (not in the channel), one after joining; the same for the chart.
    assert len(summaries(slack)) == 2 and len(slack.calls_to("files.completeUploadExternal")) == 2


def test_a_private_channel_mutual_was_not_invited_to_fails_clearly(db, slack):
    setup(db, digest_enabled=False)
    slack.fail("chat.postMessage", "not_in_channel")
    slack.fail("conversations.join", "method_not_supported_for_channel_type")
    run(db, slack, FRIDAY_4PM)
    [row] = rows(db, "summary:")
    assert row.status == "failed" and row.last_error == "private_channel"
    assert slack.calls_to("files.getUploadURLExternal") == [], "no chart without its summary"
