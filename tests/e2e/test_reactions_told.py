"""Reactions answered (issue 19 part 3): the author hears of thank-you reactions as of a
`/thanks`, those of one hour gathered into one DM at the hour's end; the reactor, the first time
one of theirs counts, gets a private note that it counted and how to take it back. An emoji
removed before the DM goes out is not in it; nothing left, no DM. Faults lose or double none."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.support import payloads as p
from tests.support.blockkit import assert_valid_message


def react(mutual, user="UALICE", author="UBOB", kind="reaction_added", ts="1700000000.000100",
          channel="CGENERAL"):
    body = p.event(p.reaction(kind, user, author, ts=ts, channel=channel))
    assert mutual.post_event(body).status == 200


def later(mutual, clock, minutes):
    clock.set(clock() + timedelta(minutes=minutes))
    mutual.deliverer.wake()
    mutual.settle()


def told(slack, user):
    return [m["text"] for m in slack.dms_to(user) if "reaction" in m["text"]]


def test_reactions_of_an_hour_reach_the_author_in_one_dm(mutual, slack, db, clock):
    react(mutual, user="UALICE")
    react(mutual, user="UCAROL", ts="1700000000.000200")
    mutual.settle()
    assert told(slack, "UBOB") == [], "gathered, not sent at once"
    later(mutual, clock, 30)
    react(mutual, user="UERIN", ts="1700000000.000300")
    later(mutual, clock, 31)
    [dm] = slack.dms_to("UBOB")
    assert_valid_message({"text": dm["text"], "blocks": json.loads(dm["blocks"])
                          if isinstance(dm["blocks"], str) else dm["blocks"]})
    said = json.dumps(dm["blocks"])
    assert all(f"<@{u}>" in said for u in ("UALICE", "UCAROL", "UERIN"))
    assert "<#CGENERAL>" in said
    # A reaction in the next hour: its own DM, one line, as a /thanks DM reads.
    react(mutual, user="UALICE", ts="1700000000.000400")
    later(mutual, clock, 60)
    assert told(slack, "UBOB")[-1] == ("<@UALICE> thanked you with a thank-you reaction on your "
                                       "message in <#CGENERAL>.")
    assert len(slack.dms_to("UBOB")) == 2


def test_the_reactor_is_told_once_that_it_counted(mutual, slack, db, clock):
    react(mutual, user="UALICE")
    react(mutual, user="UALICE", author="UCAROL", ts="1700000000.000200")
    mutual.settle()
    [note] = slack.calls_to("chat.postEphemeral")
    assert (note["channel"], note["user"]) == ("CGENERAL", "UALICE")
    assert "counted" in note["text"] and "Removing the emoji takes it back" in note["text"]
    assert "<@UBOB>" in note["text"]


def test_where_mutual_cannot_post_the_note_comes_as_a_dm(mutual, slack, db):
    slack.fail("chat.postEphemeral", "channel_not_found")
    react(mutual, user="UALICE", channel="CSECRET")
    mutual.settle()
    [dm] = slack.dms_to("UALICE")
    assert "Removing the emoji takes it back" in dm["text"]


def test_an_emoji_removed_before_the_dm_is_not_in_it(mutual, slack, db, clock):
    react(mutual, user="UALICE")
    react(mutual, user="UCAROL", ts="1700000000.000200")
    react(mutual, user="UCAROL", ts="1700000000.000200", kind="reaction_removed")
    later(mutual, clock, 61)
    [dm] = slack.dms_to("UBOB")
    assert "<@UALICE>" in dm["text"] and "UCAROL" not in json.dumps(dm)


def test_nothing_left_means_no_dm(mutual, slack, db, clock):
    react(mutual, user="UALICE")
    react(mutual, user="UALICE", kind="reaction_removed")
    later(mutual, clock, 61)
    assert slack.dms_to("UBOB") == []


@pytest.mark.parametrize("fault", ["ratelimited", "internal_error"])
def test_a_fault_on_the_gathered_dm_loses_and_doubles_nothing(mutual, slack, db, clock, fault):
    react(mutual, user="UALICE")
    react(mutual, user="UCAROL", ts="1700000000.000200")
    mutual.settle()
    if fault == "ratelimited":
        slack.rate_limit("chat.postMessage", times=1, retry_after=1)
    else:
        slack.fail("chat.postMessage", "internal_error", times=1)
    later(mutual, clock, 61)
    later(mutual, clock, 40)
    assert len(slack.dms_to("UBOB")) == 2, "tried, then sent once"
    assert len(slack.history[slack.dm_id("UBOB")]) == 1
