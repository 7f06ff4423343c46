"""A 429's pause is known to every process: kept in the database, so another replica's
deliverer, `mutual jobs run` and the look-ups made while answering a request all wait it out;
and when it ends, one call goes first, alone, before the others follow."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import select

from bot.db.models import ApiPause, OutboxItem
from bot.slack.pauses import Pauses
from tests.e2e.test_faults import warm
from tests.support import payloads as p
from tests.support.live import LiveMutual
from tests.support.procs import run_cli
from tests.support.slack_double import SlackDouble

TEAM = "T0001"


def posts(slack: SlackDouble) -> list[float]:
    """When each chat.postMessage reached Slack (the double's clock)."""
    with slack.lock:
        return [c.at for c in slack.calls if c.method == "chat.postMessage"]


def test_a_429_met_by_one_process_holds_back_jobs_run(mutual: LiveMutual, slack: SlackDouble,
                                                       tmp_path) -> None:
    warm(mutual, "UBOB", "UCAROL")
    slack.rate_limit("chat.postMessage", times=1, retry_after=600)
    mutual.post(p.command("/thanks", "<@UBOB> for the review"))  # its DM to Bob meets the 429
    with mutual.db.session() as s:
        [pause] = s.scalars(select(ApiPause)).all()
    assert (pause.team_id, pause.method) == (TEAM, "chat.postMessage")
    tried = len(posts(slack))

    # Another process, a minute later: nine minutes of the pause are left (more than a run
    # waits), so it sends nothing and leaves the message for later.
    done = run_cli(["jobs", "run", "--now", (mutual.clock() + timedelta(minutes=1)).isoformat()],
                   {"DATABASE_URL": mutual.db.url, "SLACK_BOT_TOKEN": "xoxb-test",
                    "SLACK_API_URL": slack.api_url}, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(posts(slack)) == tried, "no chat.postMessage while Slack asked to wait"
    with mutual.db.session() as s:
        row = s.scalars(select(OutboxItem).where(OutboxItem.recipient_id == "UBOB")).one()
    assert (row.status, row.last_error) == ("pending", "rate limited")


def test_lookups_while_answering_honour_a_fresh_retry_after(mutual: LiveMutual,
                                                            slack: SlackDouble) -> None:
    slack.rate_limit("users.info", times=1, retry_after=60)
    for n in range(6):  # Carol is not known yet: each /thanks would look her up
        reply = mutual.post(p.command("/thanks", f"<@UCAROL> for tip {n}"), settle=False).json()
        assert "Slack is busy" in reply["text"], reply
    assert len(slack.calls_to("users.info")) == 1, "one 429, then no more calls until it ends"

    mutual.clock.set(mutual.clock() + timedelta(seconds=61))  # the pause is over
    reply = mutual.post(p.command("/thanks", "<@UCAROL> for tip 7")).json()
    assert "Slack is busy" not in reply["text"]
    assert len(slack.calls_to("users.info")) == 2
    with mutual.db.session() as s:
        assert s.scalars(select(ApiPause)).all() == [], "the first call after it ended the pause"


def test_after_a_pause_the_first_call_goes_alone(mutual: LiveMutual, slack: SlackDouble) -> None:
    people = ["UBOB", "UCAROL", "UERIN"]
    warm(mutual, *people)
    with mutual.delivery_paused():  # three DMs wait while another replica meets a 429
        mutual.post(p.command("/thanks", "<@UBOB> <@UCAROL> <@UERIN> for the launch"), settle=False)
        Pauses(mutual.db, mutual.clock).pause(TEAM, "chat.postMessage", 30)
        slack.hang("chat.postMessage", 0.5)  # the first call after the pause answers slowly
    mutual.settle()
    assert posts(slack) == [], "nothing is sent while the pause lasts"
    ended_at = time.monotonic()
    mutual.clock.set(mutual.clock() + timedelta(seconds=31))  # the pause is over
    mutual.deliverer.wake()
    slack.wait_for("chat.postMessage", 3, timeout=20)
    mutual.settle()
    at = posts(slack)
    assert len(at) == 3, "each DM once"
    assert at[0] >= ended_at, "nothing was sent before the pause ended"
    assert at[1] >= at[0] + 0.5, "the four sender threads waited for the first call's answer"
    assert {c["channel"] for c in slack.calls_to("chat.postMessage")} == set(people)
