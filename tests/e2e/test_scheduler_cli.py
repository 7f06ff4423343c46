"""`mutual jobs run [--now]` and the scheduler in `mutual run`, as separate processes."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from bot.jobs.lease import job_lock
from bot.jobs.runner import runner_id
from tests.conftest import START
from tests.support import payloads as p
from tests.support.nudging import buttons, days, helped, member, nudge_rows, workspace
from tests.support.procs import MutualProcess, free_port, run_cli
from tests.support.slack_double import SlackDouble

NOW = START + timedelta(days=1)  # Tuesday 10:00 UTC


def env(slack: SlackDouble, database_url: str, **extra: str) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": database_url, **extra}


def one_sided(db) -> None:
    with db.session() as s:
        workspace(s, START)
        member(s, "UALICE", START)
        # Help spread over two weeks; only the latest has a note (no "how did it go?" yet).
        helped(s, "UBOB", "UALICE", START - days(17), times=2, spread=days(0))
        helped(s, "UBOB", "UALICE", START - days(3), note="the launch review")


def test_jobs_run_now_plans_and_delivers_once(tmp_path: Path, slack: SlackDouble, db) -> None:
    one_sided(db)
    done = run_cli(["jobs", "run", "--now", "2026-11-17T10:00:00Z"], env(slack, db.url), tmp_path)
    assert done.returncode == 0, done.stderr
    assert "one_sided_nudges: 1" in done.stdout
    assert "deliver_nudges: sent 1," in done.stdout
    [dm] = slack.dms_to("UALICE")
    assert "<@UBOB> has helped you three times" in dm["text"]
    assert "nudge_snooze" in buttons(dm)
    [row] = nudge_rows(db)
    # Time runs on from --now while the run takes time.
    assert row.status == "sent" and NOW <= row.sent_at < NOW + timedelta(minutes=1)

    again = run_cli(["jobs", "run", "--now", "2026-11-17T10:05:00Z"], env(slack, db.url), tmp_path)
    assert again.returncode == 0, again.stderr
    assert "one_sided_nudges: 0" in again.stdout and "deliver_nudges: sent 0," in again.stdout
    assert len(slack.dms_to("UALICE")) == 1

    exported = run_cli(["export", "--team", "T0001"], {"DATABASE_URL": db.url}, tmp_path)
    [nudge] = json.loads(exported.stdout)["nudges"]
    assert nudge == {"id": row.id, "kind": "one_sided", "recipient": "UALICE", "subject": "UBOB",
                     "status": "sent", "due_at": "2026-11-17T10:00:00Z",
                     "sent_at": row.sent_at.strftime("%Y-%m-%dT%H:%M:%SZ")}


def test_jobs_run_outside_working_hours_holds_until_morning(tmp_path: Path, slack: SlackDouble,
                                                           db) -> None:
    one_sided(db)
    late = run_cli(["jobs", "run", "--now", "2026-11-17T18:30:00+00:00"], env(slack, db.url),
                   tmp_path)
    assert late.returncode == 0, late.stderr
    assert "held 1" in late.stdout and slack.dms_to("UALICE") == []
    assert nudge_rows(db)[0].due_at == START + timedelta(days=2, hours=-1)  # Wednesday 09:00
    morning = run_cli(["jobs", "run", "--now", "2026-11-18T09:00:00Z"], env(slack, db.url), tmp_path)
    assert "sent 1" in morning.stdout and len(slack.dms_to("UALICE")) == 1


def test_jobs_run_without_a_token_plans_but_sends_nothing(tmp_path: Path, slack: SlackDouble,
                                                          db) -> None:
    one_sided(db)
    done = run_cli(["jobs", "run", "--now", "2026-11-17T10:00:00Z"], {"DATABASE_URL": db.url},
                   tmp_path)
    assert done.returncode == 0, done.stderr
    assert "deliver_nudges: skipped: no Slack token" in done.stdout
    assert [r.status for r in nudge_rows(db)] == ["pending"]


def test_jobs_run_with_a_bad_now_says_so(tmp_path: Path, slack: SlackDouble, db) -> None:
    done = run_cli(["jobs", "run", "--now", "next tuesday"], env(slack, db.url), tmp_path)
    assert done.returncode == 2
    assert "--now must be an ISO 8601 instant" in done.stderr


def test_only_one_runner_at_a_time(tmp_path: Path, slack: SlackDouble, db) -> None:
    """While another replica holds a job's database lock, a second runner skips that job."""
    one_sided(db)
    with job_lock(db, "deliver_nudges", runner_id(), NOW) as held:
        assert held
        done = run_cli(["jobs", "run", "--now", "2026-11-17T10:00:00Z"], env(slack, db.url),
                       tmp_path)
    assert done.returncode == 0, done.stderr
    assert "one_sided_nudges: 1" in done.stdout
    assert "deliver_nudges: skipped: another runner holds the lock" in done.stdout
    assert slack.dms_to("UALICE") == []
    after = run_cli(["jobs", "run", "--now", "2026-11-17T10:01:00Z"], env(slack, db.url), tmp_path)
    assert "sent 1" in after.stdout


def test_mutual_run_starts_the_scheduler_unless_told_not_to(tmp_path: Path,
                                                            slack: SlackDouble) -> None:
    url = f"sqlite:///{tmp_path / 'run.db'}"
    for args, expected in ((["run"], "scheduler started: "),
                           (["run", "--no-scheduler"], "scheduler not started")):
        port = free_port()
        with MutualProcess(args, env(slack, url, SLACK_SIGNING_SECRET=p.SECRET, PORT=str(port)),
                           cwd=tmp_path) as proc:
            proc.wait_healthy(port)
            assert proc.terminate() == 0, proc.log()
        log = proc.log()
        assert expected in log, log
        if args == ["run"]:
            started = log.split("scheduler started: ", 1)[1].splitlines()[0]
            assert set(started.split(", ")) >= {"expire_claims", "claim_reminders",
                                                 "one_sided_nudges", "intro_reminders",
                                                 "expire_intros", "silent_intros"}
        else:
            assert "scheduler started" not in log


def test_two_runners_started_together_send_each_nudge_once(tmp_path: Path, slack: SlackDouble,
                                                           db) -> None:
    import subprocess

    from tests.support.procs import clean_env, mutual_command

    with db.session() as s:
        workspace(s, START)
        for i in range(30):
            member(s, f"UR{i:03d}", START)
            helped(s, f"UH{i:03d}", f"UR{i:03d}", START - days(3), times=3)
    command = [*mutual_command(), "jobs", "run", "--now", "2026-11-17T10:00:00Z"]
    procs = [subprocess.Popen(command, env=clean_env(env(slack, db.url)), cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    keys = [c["metadata"]["event_payload"]["key"] for c in slack.calls_to("chat.postMessage")]
    assert len(keys) == 30 and len(set(keys)) == 30
    assert sorted(r.recipient_id for r in nudge_rows(db)) == sorted(f"UR{i:03d}" for i in range(30))
    assert {r.status for r in nudge_rows(db)} == {"sent"}
