"""First contact (issue 19 part 2): the first DM Mutual ever sends a person carries one line on
what Mutual is and how to turn its suggestions off — exactly once per person, however the send
goes (retried after a 429 or an error, recovered after a crash) — and nothing is added later."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.support import payloads as p
from tests.support.blockkit import assert_valid_message

LINE = "/mutual nudges off"


def thank(mutual, text, user="UALICE"):
    assert mutual.post(p.command("/thanks", text, user=user)).status == 200


def carried(slack, user):
    """For each chat.postMessage to this person (retries included): did it carry the line?"""
    return [LINE in json.dumps(m.get("blocks")) for m in slack.dms_to(user)]


def test_the_first_dm_carries_the_line_and_no_later_one(mutual, slack, db):
    thank(mutual, "<@UBOB> for the review")
    mutual.settle()
    thank(mutual, "<@UBOB> for the second review", user="UCAROL")
    assert mutual.post(p.command("/helped", "<@UBOB> set up the board")).status == 200
    mutual.settle()
    assert carried(slack, "UBOB") == [True, False, False]
    first = slack.dms_to("UBOB")[0]
    blocks = first["blocks"] if isinstance(first["blocks"], list) else json.loads(first["blocks"])
    assert_valid_message({"text": first["text"], "blocks": blocks})
    # Each person has their own first contact.
    thank(mutual, "<@UCAROL> for the coffee", user="UBOB")
    mutual.settle()
    assert carried(slack, "UCAROL") == [True]


def test_buttons_stay_the_messages_last_word(mutual, slack, db):
    assert mutual.post(p.command("/helped", "<@UBOB> set up the board")).status == 200
    mutual.settle()
    [dm] = slack.dms_to("UBOB")
    assert dm["blocks"][-1]["type"] == "actions" and LINE in json.dumps(dm["blocks"][-2])


@pytest.mark.parametrize("fault", ["ratelimited", "internal_error"])
def test_a_retried_first_dm_still_carries_it_and_only_it(mutual, slack, db, clock, fault):
    if fault == "ratelimited":
        slack.rate_limit("chat.postMessage", times=1, retry_after=1)
    else:
        slack.fail("chat.postMessage", "internal_error", times=1)
    thank(mutual, "<@UBOB> for the review")  # his first DM meets the fault
    mutual.settle()
    clock.set(clock() + timedelta(minutes=40))
    mutual.deliverer.wake()
    mutual.settle()
    thank(mutual, "<@UBOB> for the pairing", user="UCAROL")
    mutual.settle()
    assert carried(slack, "UBOB") == [True, True, False], "tried twice, then the next DM"
    assert len(slack.history[slack.dm_id("UBOB")]) == 2
