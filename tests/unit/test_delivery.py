"""Delivering the outbox against the Web API double: working hours, refusals, 429s, crashes."""

import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import delete

from bot import constants as ids
from bot.db.models import Ask, Member, PostPace, Workspace
from bot.delivery.run import INTERRUPTED
from bot.delivery.worker import deliver_due
from bot.jobs.scheduler import run_all
from bot.services import delivery as outbox
from bot.slack.sender import metadata_key, single_workspace_clients
from tests.conftest import START
from tests.support.nudging import (
    FakeTimer,
    add_nudge,
    buttons,
    days,
    helped,
    member,
    nudge_rows,
    text_of,
    workspace,
)

NOW = START  # Monday 10:00 UTC
IST = 19800


@pytest.fixture
def clients(slack):
    return single_workspace_clients(slack.api_url, "xoxb-test")


def deliver(db, clients, now=NOW, **kw):
    kw.setdefault("timer", FakeTimer())
    return deliver_due(db, now, clients, **kw)


def one_nudge(db, recipient="UALICE", due=NOW, tz_offset=0, known=True, **fields):
    with db.session() as s:
        workspace(s, NOW)
        if known:
            member(s, recipient, NOW, tz_offset=tz_offset)
        helped(s, "UBOB", recipient, NOW - days(4), times=3, note="the launch review")
        add_nudge(s, f"one_sided:{recipient}", recipient, due, NOW,
                  payload={"helper": "UBOB", "count": 3, "window_days": 90,
                           "notes": ["the launch review"]}, **fields)


def test_a_due_nudge_is_sent_once_with_its_buttons(db, slack, clients):
    one_nudge(db)
    report = deliver(db, clients)
    assert report.sent == 1
    [dm] = slack.dms_to("UALICE")
    assert "<@UBOB> has helped you three times this quarter" in dm["text"]
    assert "the launch review" in text_of(dm)
    # Alice thanked Bob herself and Bob asks for nothing: only the controls.
    assert buttons(dm) == {ids.NUDGE_SNOOZE: "30", ids.NUDGE_MUTE_PAIR: "UBOB"}
    assert dm["metadata"]["event_payload"]["key"] == metadata_key("one_sided:UALICE")
    [row] = nudge_rows(db)
    assert (row.status, row.sent_at, row.attempts) == ("sent", NOW, 1)
    assert deliver(db, clients, NOW + days(1)).sent == 0
    assert len(slack.dms_to("UALICE")) == 1


def test_a_held_nudge_points_to_the_asks_open_when_it_goes_out(db, slack, clients):
    """Planned on Saturday, sent on Monday: Bob's ask from Sunday is there, his closed one not."""
    one_nudge(db)
    with db.session() as s:
        for text, status in (("Old question", "solved"), ("Who knows Terraform?", "open")):
            s.add(Ask(team_id="T0001", asker_id="UBOB", text=text, channel_id="CGENERAL",
                      status=status, created_at=NOW - days(1), updated_at=NOW - days(1)))
        s.flush()
        open_id = s.query(Ask).filter_by(status="open").one().id
    assert deliver(db, clients).sent == 1
    [dm] = slack.dms_to("UALICE")
    assert buttons(dm)[ids.ASK_OFFER] == f"{open_id}:nudge"
    assert "Who knows Terraform?" in text_of(dm) and "Old question" not in text_of(dm)
    assert ids.NUDGE_THANK not in buttons(dm)  # every record is Alice's own thank-you


@pytest.mark.parametrize(("now", "offset", "sent", "held_until"), [
    (NOW.replace(hour=3, minute=29, second=59), IST, False, NOW.replace(hour=3, minute=30)),
    (NOW.replace(hour=3, minute=30), IST, True, None),
    (NOW.replace(hour=11, minute=29, second=59), IST, True, None),
    (NOW.replace(hour=11, minute=30), IST, False, NOW.replace(hour=3, minute=30) + days(1)),
    (NOW.replace(hour=12, minute=29), -12600, False, NOW.replace(hour=12, minute=30)),
    (NOW.replace(hour=12, minute=30), -12600, True, None),
    (NOW + days(5), 0, False, NOW.replace(hour=9) + days(7)),  # Saturday → Monday 09:00
])
def test_only_in_the_recipients_working_hours(db, slack, clients, now, offset, sent, held_until):
    one_nudge(db, tz_offset=offset, due=now)
    report = deliver(db, clients, now)
    [row] = nudge_rows(db)
    if sent:
        assert report.sent == 1 and row.status == "sent"
        assert len(slack.dms_to("UALICE")) == 1
    else:
        assert report.held == 1 and slack.dms_to("UALICE") == []
        assert (row.status, row.due_at, row.attempts) == ("pending", held_until, 0)
        # Held, not dropped: it goes out once the time comes.
        assert deliver(db, clients, held_until - timedelta(seconds=1)).sent == 0
        assert deliver(db, clients, held_until).sent == 1
        assert len(slack.dms_to("UALICE")) == 1


def test_unknown_time_zone_is_looked_up_first(db, slack, clients):
    slack.users["UALICE"]["tz_offset"] = IST
    one_nudge(db, known=False, due=NOW.replace(hour=12))  # 17:30 in India
    report = deliver(db, clients, NOW.replace(hour=12))
    assert report.held == 1 and slack.calls_to("users.info")[0]["user"] == "UALICE"
    with db.session() as s:
        assert s.get(Member, ("T0001", "UALICE")).tz_offset == IST
    assert nudge_rows(db)[0].due_at == NOW.replace(hour=3, minute=30) + days(1)


def test_an_unknown_recipient_fails_without_retry(db, slack, clients):
    one_nudge(db, recipient="UGHOST", known=False)
    assert deliver(db, clients).failed == 1
    [row] = nudge_rows(db)
    assert (row.status, row.last_error) == ("failed", "user_not_found")
    assert slack.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("error", ["user_not_found", "channel_not_found", "account_inactive",
                                   "not_in_channel", "cannot_dm_bot", "invalid_blocks"])
def test_refusals_fail_with_the_reason_and_are_never_retried(db, slack, clients, error):
    one_nudge(db)
    slack.fail("chat.postMessage", error)
    assert deliver(db, clients).failed == 1
    [row] = nudge_rows(db)
    assert (row.status, row.last_error) == ("failed", error)
    for later in (days(1), days(30)):
        assert deliver(db, clients, NOW + later).sent == 0
    assert len(slack.calls_to("chat.postMessage")) == 1


def test_transient_errors_retry_later_a_bounded_number_of_times(db, slack, clients):
    one_nudge(db)
    slack.fail("chat.postMessage", "internal_error", times=2)
    slack.fail("chat.postMessage", "service_unavailable", status=503)
    assert deliver(db, clients).retried == 1
    assert deliver(db, clients).retried == 0  # not due again yet
    at = NOW
    for _ in range(2):
        at = nudge_rows(db)[0].due_at
        assert deliver(db, clients, at).retried == 1
    at = nudge_rows(db)[0].due_at
    assert deliver(db, clients, at).sent == 1
    assert len(slack.calls_to("chat.postMessage")) == 4
    assert nudge_rows(db)[0].attempts == 4


def test_transient_errors_are_retried_for_the_workspaces_window_then_failed(db, slack, clients):
    one_nudge(db)
    with db.session() as s:
        s.get(Workspace, "T0001").delivery_retry_hours = 1
    slack.fail("chat.postMessage", "internal_error", times=50)
    at = NOW
    while nudge_rows(db)[0].status == "pending":
        deliver(db, clients, at)
        with db.session() as s:  # the tries are seconds to an hour apart, not milliseconds:
            s.execute(delete(PostPace))  # no conversation's turn (real seconds) holds the next
        at = nudge_rows(db)[0].due_at
        assert at <= NOW + timedelta(hours=1)
    row = nudge_rows(db)[0]
    # Tries at 0 s, 5 s, 20 s, 80 s, 380 s, 1,280 s and 3,080 s; the next would be past the hour.
    assert row.status == "failed" and row.last_error == "gave up after 7 attempts: internal_error"
    assert deliver(db, clients, at + days(1)).sent == 0
    assert len(slack.calls_to("chat.postMessage")) == 7


def many(db, n, recipients=None):
    with db.session() as s:
        workspace(s, NOW)
        for i in range(n):
            user = recipients[i] if recipients else f"U{i:04d}"
            member(s, user, NOW)
            add_nudge(s, f"k{i}", user, NOW, NOW, kind="claim_reminder", subject=None,
                      payload={"helper": "UBOB", "note": f"note {i}", "record_id": i,
                               "expires_at": None})


@pytest.fixture
def always_wanted(monkeypatch):
    from bot.delivery import kinds

    kind = kinds.KINDS["claim_reminder"]
    monkeypatch.setitem(kinds.KINDS, "claim_reminder", replace(kind, still_wanted=None))


def test_a_429_storm_delays_sends_without_dropping_any(db, slack, clients, always_wanted):
    many(db, 6)
    slack.rate_limit("chat.postMessage", times=4, retry_after=7)
    timer = FakeTimer()
    report = deliver(db, clients, timer=timer)
    assert report.sent == 6 and report.rate_limited == 4
    assert timer.sleeps == [7, 7, 7, 7]  # Retry-After honoured each time
    posted = [c["metadata"]["event_payload"]["key"] for c in slack.calls_to("chat.postMessage")]
    assert sorted(set(posted)) == sorted(metadata_key(f"k{i}") for i in range(6))
    assert len(posted) == 6 + 4  # each 429 was one refused call, re-sent later
    assert {r.status for r in nudge_rows(db)} == {"sent"}
    assert {r.attempts for r in nudge_rows(db)} == {1}


def test_a_long_retry_after_ends_the_run_and_keeps_the_rest(db, slack, clients, always_wanted):
    many(db, 3)
    slack.rate_limit("chat.postMessage", times=1, retry_after=600)
    report = deliver(db, clients)
    assert report.sent == 0 and report.rate_limited == 1
    rows = nudge_rows(db)
    assert {r.status for r in rows} == {"pending"}
    assert sorted(r.due_at for r in rows)[-1] == NOW + timedelta(seconds=600)
    assert deliver(db, clients, NOW + timedelta(seconds=600)).sent == 3


def test_a_sliding_rate_limit_on_the_double(db, slack, clients, always_wanted):
    many(db, 5)
    slack.limit("chat.postMessage", calls=2, per_seconds=1)
    report = deliver_due(db, NOW, clients)  # real time: the double's window is real
    assert report.sent == 5 and report.rate_limited >= 1
    keys = [c["metadata"]["event_payload"]["key"] for c in slack.calls_to("chat.postMessage")]
    assert len(set(keys)) == 5


def test_two_runners_at_once_never_double_send(db, slack, clients, always_wanted):
    many(db, 40)
    reports = []
    barrier = threading.Barrier(2)

    def runner(name):
        barrier.wait()
        reports.append(deliver_due(db, NOW, clients, runner=name))

    threads = [threading.Thread(target=runner, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    keys = [c["metadata"]["event_payload"]["key"] for c in slack.calls_to("chat.postMessage")]
    assert len(keys) == 40 and len(set(keys)) == 40
    assert sum(r.sent for r in reports) == 40


def test_run_all_twice_sends_once(db, slack, clients):
    with db.session() as s:
        workspace(s, NOW)
        member(s, "UALICE", NOW)
        helped(s, "UBOB", "UALICE", NOW - days(3), times=3)
    first = run_all(db, NOW, clients, timer=FakeTimer())
    second = run_all(db, NOW, clients, timer=FakeTimer())
    assert first["one_sided_nudges"] == 1 and second["one_sided_nudges"] == 0
    assert len(slack.dms_to("UALICE")) == 1


def test_nothing_goes_to_an_uninstalled_workspace(db, slack, clients):
    one_nudge(db)
    with db.session() as s:
        s.get(Workspace, "T0001").uninstalled_at = NOW
    assert deliver(db, clients).cancelled == 1
    assert slack.calls_to("chat.postMessage") == []
    assert nudge_rows(db)[0].last_error == "workspace uninstalled"


@pytest.mark.parametrize(("fields", "reason"), [
    ({"deleted": True}, "recipient deactivated"),
    ({"nudges_enabled": False}, "recipient turned nudges off"),
    ({"snoozed_until": NOW + days(3)}, "recipient snoozed nudges"),
])
def test_personal_settings_are_checked_at_send_time(db, slack, clients, fields, reason):
    one_nudge(db)
    with db.session() as s:
        member(s, "UALICE", NOW, **fields)
    assert deliver(db, clients).cancelled == 1
    assert slack.calls_to("chat.postMessage") == []
    assert nudge_rows(db)[0].last_error == reason


def test_a_nudge_that_is_no_longer_true_is_cancelled(db, slack, clients):
    one_nudge(db)
    with db.session() as s:
        helped(s, "UALICE", "UBOB", NOW - timedelta(hours=1))
    assert deliver(db, clients).cancelled == 1
    assert nudge_rows(db)[0].last_error == "no longer one-sided"


def test_no_token_for_the_workspace(db, slack):
    one_nudge(db)
    assert deliver(db, lambda team: None).failed == 1
    assert nudge_rows(db)[0].last_error == "no Slack token for this workspace"


def crashed_in_flight(db, recipient="UALICE"):
    """A runner on this machine claimed the row, then died before recording the outcome."""
    one_nudge(db, recipient)
    with db.session() as s:
        outbox.claim_next(s, NOW, "gone-host:1:dead", timedelta(seconds=60))


def test_in_flight_when_the_runner_died_and_slack_cannot_tell(db, slack, clients):
    slack.fail("conversations.history", "missing_scope", times=5)  # no im:history
    crashed_in_flight(db)
    assert deliver(db, clients, NOW).sent == 0  # the claim has not lapsed yet
    report = deliver(db, clients, NOW + timedelta(seconds=60))
    assert report.recovered == 1 and report.failed == 1
    assert slack.calls_to("chat.postMessage") == []  # at most once
    assert nudge_rows(db)[0].last_error == INTERRUPTED


def test_in_flight_and_already_delivered_is_not_sent_again(db, slack):
    clients = single_workspace_clients(slack.api_url, "xoxb-test")
    one_nudge(db)
    # It reached Slack, then the runner died before marking it sent.
    deliver(db, clients)
    with db.session() as s:
        from bot.db.models import OutboxItem

        row = s.get(OutboxItem, nudge_rows(db)[0].id)
        row.status, row.claimed_by, row.claimed_until = "sending", "gone:1:x", NOW
    report = deliver(db, clients, NOW + timedelta(seconds=1))
    assert report.recovered == 1 and report.sent == 1
    assert len(slack.dms_to("UALICE")) == 1
    assert nudge_rows(db)[0].status == "sent"


def test_in_flight_and_never_delivered_is_sent_now(db, slack):
    clients = single_workspace_clients(slack.api_url, "xoxb-test")
    crashed_in_flight(db)
    report = deliver(db, clients, NOW + timedelta(seconds=60))
    assert report.recovered == 1 and report.sent == 1
    assert len(slack.dms_to("UALICE")) == 1
    assert slack.calls_to("conversations.history")[0]["channel"] == "DALI"


def test_a_dead_local_runner_is_recovered_without_waiting(db, slack):
    import subprocess
    import sys

    from bot.jobs.runner import runner_id

    clients = single_workspace_clients(slack.api_url, "xoxb-test")
    one_nudge(db)
    pid = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                         capture_output=True, text=True, check=True).stdout.strip()
    dead = f"{runner_id().split(':')[0]}:{pid}:dead"
    with db.session() as s:
        outbox.claim_next(s, NOW, dead, timedelta(minutes=10))
    report = deliver(db, clients, NOW)
    assert report.recovered == 1 and report.sent == 1


class FakeInstallations:
    """The part of an installation store the scheduler uses."""

    def __init__(self) -> None:
        self.tokens: dict[tuple[str | None, str | None], str] = {}

    def find_bot(self, *, enterprise_id, team_id, is_enterprise_install=False):
        from types import SimpleNamespace

        token = self.tokens.get((enterprise_id, None if is_enterprise_install else team_id))
        return SimpleNamespace(bot_token=token) if token else None


def test_oauth_mode_sends_with_each_workspaces_installed_token(db, slack):
    from bot.slack.sender import InstalledClients

    store = FakeInstallations()
    clients = InstalledClients(slack.api_url, store)
    assert clients("T0001") is None  # not installed yet
    store.tokens[(None, "T0001")] = "xoxb-installed-here"
    one_nudge(db)
    assert deliver(db, clients).sent == 1
    [call] = [c for c in slack.calls if c.method == "chat.postMessage"]
    assert call.headers["authorization"] == "Bearer xoxb-installed-here"
    # Reinstalled: the very next send uses the new token (nothing cached).
    store.tokens[(None, "T0001")] = "xoxb-reinstalled"
    assert clients("T0001").token == "xoxb-reinstalled"


def test_an_enterprise_grid_org_wide_install_is_delivered_to(db, slack):
    from bot.jobs.scheduler import scheduler_clients
    from tests.support.live import settings_for

    oauth = scheduler_clients(settings_for(slack, db.url, bot_token=None, client_id="1.2",
                                           client_secret="s"), db)
    store = FakeInstallations()
    oauth.store = store
    store.tokens[("E0001", None)] = "xoxb-org-wide"  # installed once, for the whole org
    one_nudge(db)
    with db.session() as s:
        s.get(Workspace, "T0001").enterprise_id = "E0001"
    assert deliver(db, oauth).sent == 1
    [call] = [c for c in slack.calls if c.method == "chat.postMessage"]
    assert call.headers["authorization"] == "Bearer xoxb-org-wide"


def test_scheduler_clients_follow_the_settings(db, slack):
    from bot.jobs.scheduler import scheduler_clients
    from bot.slack.sender import InstalledClients
    from tests.support.live import settings_for

    single = scheduler_clients(settings_for(slack, db.url), db)
    assert single is not None and single("T0001").token == "xoxb-test"
    oauth = scheduler_clients(settings_for(slack, db.url, bot_token=None, client_id="1.2",
                                           client_secret="s"), db)
    assert isinstance(oauth, InstalledClients)
    assert scheduler_clients(settings_for(slack, db.url, bot_token=None), db) is None


def test_when_slack_cannot_answer_the_check_yet_the_row_stays_in_flight(db, slack):
    clients = single_workspace_clients(slack.api_url, "xoxb-test")
    crashed_in_flight(db)
    slack.rate_limit("conversations.history", times=1, retry_after=30)
    later = NOW + timedelta(seconds=60)
    report = deliver(db, clients, later)
    assert report.recovered == 1 and report.sent == 0 and report.failed == 0
    [row] = nudge_rows(db)
    assert row.status == "sending" and row.claimed_until == later + timedelta(seconds=30)
    assert slack.dms_to("UALICE") == []  # never sent unchecked
    assert deliver(db, clients, later + timedelta(seconds=29)).recovered == 0
    report = deliver(db, clients, later + timedelta(seconds=30))
    assert report.recovered == 1 and report.sent == 1
    assert len(slack.dms_to("UALICE")) == 1
    assert nudge_rows(db)[0].attempts == 2  # the interrupted try, then this one


def test_a_connection_that_broke_after_sending_is_checked_not_resent(db, slack, monkeypatch):
    from bot.slack import sender

    clients = single_workspace_clients(slack.api_url, "xoxb-test")
    one_nudge(db)
    real_post = sender.post_message

    def post_then_break(client, channel, message, key):
        real_post(client, channel, message, key)  # Slack got it …
        return sender.Outcome(sender.UNKNOWN, "connection broke: RemoteDisconnected")  # … we didn't hear

    monkeypatch.setattr(sender, "post_message", post_then_break)
    from bot.delivery import kinds

    monkeypatch.setitem(kinds.KINDS, "one_sided", replace(
        kinds.KINDS["one_sided"],
        send=lambda client, row, msg: sender.post_message(client, row.recipient_id, msg, row.key)))
    report = deliver(db, clients)
    assert report.sent == 1 and len(slack.dms_to("UALICE")) == 1
    assert nudge_rows(db)[0].status == "sent"


def test_a_failing_job_is_reported_and_the_others_still_run(db, slack, clients, monkeypatch):
    from bot.jobs import scheduler

    def broken(db_, now_):
        raise RuntimeError("boom")

    monkeypatch.setitem(scheduler.JOBS, "claim_reminders", broken)
    with db.session() as s:
        workspace(s, NOW)
        member(s, "UALICE", NOW)
        helped(s, "UBOB", "UALICE", NOW - days(3), times=3)
    results = run_all(db, NOW, clients, timer=FakeTimer())
    assert results["claim_reminders"] == "failed: RuntimeError: boom"
    assert results["one_sided_nudges"] == 1 and len(slack.dms_to("UALICE")) == 1


def test_the_scheduler_runs_each_job_under_its_id_as_of_the_clock(db, slack, clients, clock):
    from bot.jobs.scheduler import JOBS, build_scheduler

    scheduler = build_scheduler(db, clock)
    jobs = scheduler.get_jobs()
    assert sorted(j.id for j in jobs) == sorted(JOBS)
    with db.session() as s:
        workspace(s, NOW)
        member(s, "UALICE", NOW)
        helped(s, "UBOB", "UALICE", NOW - days(3), times=3)
    clock.set(NOW + days(1))
    for job in jobs:  # what each tick does, without waiting for it
        job.func(*job.args)
    assert slack.dms_to("UALICE") == [], "planning never sends; the deliverer does"
    assert deliver(db, clients, NOW + days(1)).sent == 1
    [dm] = slack.dms_to("UALICE")
    assert nudge_rows(db)[0].sent_at >= NOW + days(1)


def test_a_kind_whose_sender_breaks_fails_that_row_only(db, slack, clients, monkeypatch):
    from bot.delivery import kinds

    def broken(client, row, msg):
        raise ValueError("bad upload")

    many(db, 2)
    kind = kinds.KINDS["claim_reminder"]
    monkeypatch.setitem(kinds.KINDS, "claim_reminder", replace(kind, send=broken, still_wanted=None))
    report = deliver(db, clients)
    assert report.failed == 2
    assert {r.last_error for r in nudge_rows(db)} == {"send failed: ValueError"}
