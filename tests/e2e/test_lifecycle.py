"""Workspace and people changes arriving as events."""

from bot.db.models import Member, Workspace
from tests.support import payloads as p
from tests.support.db_read import record_count


def test_a_bot_reacting_thanks_nobody(mutual, db):
    mutual.post_event(p.event(p.reaction("reaction_added", "UROBOT", "UBOB")))
    assert record_count(db) == 0


def test_deactivation_via_user_change_is_honoured_at_once(mutual, slack, db):
    assert mutual.post(p.command("/thanks", "<@UBOB> for the help")).status == 200
    assert record_count(db) == 1
    deactivated = {**slack.users["UBOB"], "deleted": True}
    assert mutual.post_event(p.event({"type": "user_change", "user": deactivated})).status == 200
    with db.session() as s:
        assert s.get(Member, ("T0001", "UBOB")).deleted is True
    reply = mutual.post(p.command("/thanks", "<@UBOB> for more help"))
    assert "no longer active" in reply.json()["text"]
    assert record_count(db) == 1


def test_time_zone_changes_are_kept(mutual, slack, db):
    moved = {**slack.users["UCAROL"], "tz": "Asia/Kolkata", "tz_offset": 19800}
    mutual.post_event(p.event({"type": "user_change", "user": moved}))
    with db.session() as s:
        assert s.get(Member, ("T0001", "UCAROL")).tz_offset == 19800


def test_uninstall_marks_the_workspace_and_keeps_its_data(mutual, db):
    mutual.post(p.command("/thanks", "<@UBOB> for the help"))
    assert mutual.post_event(p.event({"type": "app_uninstalled"})).status == 200
    mutual.settle()  # the Home refresh /thanks queued runs after the uninstall: it must not revive it
    with db.session() as s:
        assert s.get(Workspace, "T0001").uninstalled_at is not None
    assert record_count(db) == 1, "data stays until the 30-day grace period ends"


def test_revoked_user_tokens_do_not_stop_the_bot_but_bot_tokens_do(mutual, db):
    mutual.post(p.command("/thanks", "<@UBOB> for the help"))
    mutual.post_event(p.event({"type": "tokens_revoked", "tokens": {"oauth": ["UALICE"]}}))
    with db.session() as s:
        assert s.get(Workspace, "T0001").uninstalled_at is None
    mutual.post_event(p.event({"type": "tokens_revoked", "tokens": {"bot": ["UMUTUAL"]}}))
    with db.session() as s:
        assert s.get(Workspace, "T0001").uninstalled_at is not None


def test_jobs_run_purges_a_workspace_uninstalled_30_days_ago(mutual, db, clock):
    from datetime import timedelta

    from bot.jobs.scheduler import run_all

    mutual.post(p.command("/thanks", "<@UBOB> for the help"))
    mutual.post_event(p.event({"type": "app_uninstalled"}))
    run_all(db, clock() + timedelta(days=29))
    assert record_count(db) == 1
    run_all(db, clock() + timedelta(days=30, minutes=1))
    assert record_count(db) == 0
    with db.session() as s:
        assert s.get(Workspace, "T0001") is None


def test_writing_to_mutual_or_mentioning_it_gets_a_short_hello(mutual, slack):
    dm = {"type": "message", "channel": "DALICE", "channel_type": "im", "user": "UALICE",
          "text": "hello?", "ts": "1700000000.000001"}
    assert mutual.post_event(p.event(dm)).status == 200
    assert mutual.post_event(p.event({**dm, "ts": "1700000000.000002"})).status == 200
    [hello] = slack.dms_to("UALICE")  # once a day, not once per message
    assert "/mutual help" in hello["text"] and hello["blocks"]
    own = {**dm, "user": "UMUTUAL", "ts": "1700000000.000003"}
    mutual.post_event(p.event({**own, "bot_id": "BMUTUAL"}))
    mention = {"type": "app_mention", "channel": "CGENERAL", "user": "UBOB",
               "text": "<@UMUTUAL> what do you do?", "ts": "1700000000.000004"}
    assert mutual.post_event(p.event(mention)).status == 200
    [seen] = slack.calls_to("chat.postEphemeral")
    assert (seen["channel"], seen["user"]) == ("CGENERAL", "UBOB")
    assert "Thanks for the mention" in seen["text"]
    assert len(slack.calls_to("chat.postMessage")) == 1, "nothing posted in the channel"
