"""Several messages to one DM go out about a second apart (Slack allows about one
chat.postMessage a second per conversation, after a short burst), shared by every sender
thread; other conversations are not held up, and a 429 still pauses only that method."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import select

from bot.db.models import ApiPause
from bot.slack.pace import BURST, GAP
from tests.e2e.test_faults import warm
from tests.support import payloads as p
from tests.support.live import LiveMutual
from tests.support.slack_double import SlackDouble

MESSAGES = BURST + 3


def posted_at(slack: SlackDouble, channel: str) -> list[float]:
    with slack.lock:
        return [c.at for c in slack.calls
                if c.method == "chat.postMessage" and c.params.get("channel") == channel]


def sent_as_time_passes(mutual: LiveMutual, slack: SlackDouble, count: int) -> None:
    """The app's clock follows real time (a row held for its turn falls due), until `count`
    messages have gone."""
    deadline = time.monotonic() + 30
    while len(slack.calls_to("chat.postMessage")) < count and time.monotonic() < deadline:
        time.sleep(0.25)
        mutual.clock.set(mutual.clock() + timedelta(seconds=0.25))
        mutual.deliverer.wake()
    mutual.settle()


def test_messages_to_one_dm_are_paced_and_others_are_not_held_up(mutual: LiveMutual,
                                                                  slack: SlackDouble) -> None:
    warm(mutual, "UBOB", "UCAROL")
    with mutual.delivery_paused():  # all written at once, then sent by four sender threads
        for n in range(MESSAGES):
            mutual.post(p.command("/thanks", f"<@UBOB> for review {n}"), settle=False)
        mutual.post(p.command("/thanks", "<@UCAROL> for the coffee"), settle=False)
    sent_as_time_passes(mutual, slack, MESSAGES + 1)

    to_bob, to_carol = posted_at(slack, "UBOB"), posted_at(slack, "UCAROL")
    assert (len(to_bob), len(to_carol)) == (MESSAGES, 1), "each message once"
    gap = GAP.total_seconds()
    # After the burst, never more than one a second: any BURST+1 in a row span a second.
    for first, last in zip(to_bob, to_bob[BURST:], strict=False):
        assert last - first >= gap * 0.95, to_bob
    assert to_bob[-1] - to_bob[0] >= (MESSAGES - BURST) * gap * 0.95
    assert to_carol[0] < to_bob[-1], "Carol's DM did not wait behind Bob's"
    texts = [c["text"] for c in slack.calls_to("chat.postMessage") if c.get("channel") == "UBOB"]
    assert sorted(texts) == sorted(set(texts))


def test_a_429_on_posts_leaves_home_tabs_going(mutual: LiveMutual, slack: SlackDouble) -> None:
    warm(mutual, "UBOB")
    slack.rate_limit("chat.postMessage", times=1, retry_after=60)
    mutual.post(p.command("/thanks", "<@UBOB> for the review"))
    published = len(slack.calls_to("views.publish"))
    mutual.open_home("UALICE")
    assert len(slack.calls_to("views.publish")) == published + 1
    with mutual.db.session() as s:
        assert [(x.team_id, x.method) for x in s.scalars(select(ApiPause))] == [
            ("T0001", "chat.postMessage")]
