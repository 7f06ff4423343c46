"""Guests (Slack's `is_restricted` / `is_ultra_restricted`) as the workspace setting says: by
default (`quiet`) they thank and are thanked but are never nudged and never in summaries;
`full` treats them like everyone; `off` leaves them out with a friendly refusal."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot import constants as ids
from bot.db.models import HelpRecord, Member, Workspace
from bot.services.recording import record_thanks
from bot.services.workspaces import ensure_workspace
from tests.conftest import START
from tests.support import payloads as p
from tests.support.blockkit import assert_valid_message
from tests.support.config_form import submitted
from tests.support.nudging import GATHER, buttons, jobs_runner, nudge_rows
from tests.support.slack_double import TEAM, person

DAY = timedelta(days=1)
WEEK = 7 * DAY
LATER = START + 17 * DAY  # help a week apart from START, then three quiet days
FRIDAY_4PM = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)  # the summary's default moment


@pytest.fixture
def jobs(db, slack, mutual):
    return jobs_runner(db, slack, mutual)


@pytest.fixture(autouse=True)
def guests(slack):
    slack.users["UGUEST"] = person("UGUEST", "Gita", is_restricted=True)
    slack.users["USINGLE"] = person("USINGLE", "Sam", is_ultra_restricted=True)


def guests_setting(db, value):
    with db.session() as s:
        ensure_workspace(s, TEAM, START).guests = value


def thank(mutual, receiver, helper, note="the help"):
    reply = mutual.post(p.command("/thanks", f"<@{helper}> for {note}", user=receiver))
    assert reply.status == 200, reply.body
    assert_valid_message(reply.json())
    return reply.json()["text"]


def records(db):
    with db.session() as s:
        return [(r.helper_id, r.receiver_id, r.source) for r in
                s.scalars(select(HelpRecord).order_by(HelpRecord.id))]


def suggestions(slack, user):
    return [m for m in slack.dms_to(user) if ids.NUDGE_MUTE_PAIR in buttons(m)]


def test_by_default_a_guest_thanks_and_is_thanked_but_is_never_nudged(mutual, slack, db, jobs):
    for week, note in enumerate(("the review", "the pairing", "the on-call cover")):
        mutual.clock.set(START + week * WEEK)  # help spread over two weeks
        assert "Noted" in thank(mutual, "UGUEST", "UBOB", note)  # Bob keeps helping the guest
        assert "Noted" in thank(mutual, "USINGLE", "UBOB", note)
        thank(mutual, "UCAROL", "UBOB", note)  # a member in the same spot, for contrast
    assert "Noted" in thank(mutual, "UALICE", "UGUEST")  # a guest can be thanked
    jobs(LATER)
    assert suggestions(slack, "UGUEST") == [] and suggestions(slack, "USINGLE") == []
    assert len(suggestions(slack, "UCAROL")) == 1
    # The guest Mutual knew was never planned; the one it learnt of only when about to send
    # (Slack said so when asked for their time zone) was called off.
    assert {(r.recipient_id, r.status, r.last_error) for r in nudge_rows(db, kind="one_sided")} == {
        ("UCAROL", "sent", None), ("USINGLE", "cancelled", "recipient is a guest")}
    with db.session() as s:
        assert s.get(Member, (TEAM, "UGUEST")).is_guest and s.get(Member, (TEAM, "USINGLE")).is_guest
        assert not s.get(Member, (TEAM, "UBOB")).is_guest


def test_treated_like_everyone_a_guest_is_nudged(mutual, slack, db, jobs):
    # The admin picks "Treated like everyone" in the settings modal's second step, Advanced.
    with db.session() as s:
        ensure_workspace(s, TEAM, START)
    reply = mutual.post(p.command("/mutual", "config", user="UERIN"))
    assert reply.status == 200
    assert mutual.post(p.modal_action("config_advanced", "advanced", user="UERIN")).status == 200
    [pushed] = slack.calls_to("views.push")
    values = submitted(pushed["view"], cfg_guests={"type": "static_select",
                                                   "selected_option": {"value": "full"}})
    saved = mutual.post(p.view_submission("config_advanced_submit", values, user="UERIN"))
    assert saved.status == 200 and not saved.json(), saved.body  # back to the first step
    with db.session() as s:
        assert s.get(Workspace, TEAM).guests == "full"

    for week, note in enumerate(("the review", "the pairing", "the on-call cover")):
        mutual.clock.set(START + week * WEEK)
        thank(mutual, "UGUEST", "UBOB", note)
    jobs(LATER)
    [nudge] = suggestions(slack, "UGUEST")
    assert_valid_message(nudge)
    assert "<@UBOB>" in json.dumps(nudge)


def test_with_guests_off_nothing_is_recorded_by_or_about_a_guest(mutual, slack, db):
    guests_setting(db, "off")
    about = thank(mutual, "UALICE", "UGUEST")
    assert "<@UGUEST> is a guest here" in about and "nothing was saved" in about
    by = thank(mutual, "UGUEST", "UBOB")
    assert "leave guests out" in by and "nothing was saved" in by
    helped = mutual.post(p.command("/helped", "<@UALICE> with the rota", user="USINGLE")).json()
    assert "leave guests out" in helped["text"]
    # Reactions: the guest thanking Bob, and Alice thanking the guest, count for nothing.
    mutual.post_event(p.event(p.reaction("reaction_added", "UGUEST", "UBOB", ts="1700000000.000001")))
    mutual.post_event(p.event(p.reaction("reaction_added", "UALICE", "UGUEST", ts="1700000000.000002")))
    assert records(db) == []
    # Everyone else is as before.
    assert "Noted" in thank(mutual, "UALICE", "UBOB")
    mutual.post_event(p.event(p.reaction("reaction_added", "UCAROL", "UBOB", ts="1700000000.000003")))
    assert records(db) == [("UBOB", "UALICE", "command"), ("UBOB", "UCAROL", "reaction")]

    # Bob becomes a guest (Slack says so in user_change): from the next request, he is left out.
    mutual.post_event(p.event({"type": "user_change", "user": {**slack.users["UBOB"],
                                                               "is_restricted": True}}))
    assert "<@UBOB> is a guest here" in thank(mutual, "UCAROL", "UBOB")
    assert len(records(db)) == 2


@pytest.mark.parametrize(("setting", "times"), [("quiet", 5), ("full", 7)])
def test_the_summary_leaves_guests_out_unless_treated_like_everyone(mutual, slack, db, jobs,
                                                                     setting, times):
    with db.session() as s:
        ws = ensure_workspace(s, TEAM, START)
        ws.nudge_channel, ws.digest_enabled, ws.guests = "CTEAM", False, setting
        ring = [f"UP{i}" for i in range(5)]
        for i, giver in enumerate(ring):
            record_thanks(s, TEAM, ring[(i + 1) % 5], [giver], "", START)
    thank(mutual, "UGUEST", "UALICE")
    thank(mutual, "UALICE", "UGUEST")
    jobs(FRIDAY_4PM)
    [post] = [c for c in slack.calls_to("chat.postMessage")
              if c["channel"] == "CTEAM" and "The week in Mutual" in c["text"]]
    assert f"*{times}* times people helped a colleague" in json.dumps(post)


def test_a_guest_is_not_asked_how_it_went(mutual, slack, db, jobs):
    # "How did it go?" is a private nudge too: by default guests get none.
    thank(mutual, "UGUEST", "UBOB", "the review of the billing PR")
    thank(mutual, "UCAROL", "UBOB", "the review of the billing PR")
    jobs(START + 14 * DAY)  # planned; the questions DM goes an hour later
    jobs(START + 14 * DAY + GATHER)
    assert {(r.recipient_id, r.status, r.last_error) for r in nudge_rows(db, kind="questions")} == {
        ("UCAROL", "sent", None), ("UGUEST", "cancelled", "recipient is a guest")}
    assert not [m for m in slack.dms_to("UGUEST") if "How did it go" in m["text"]]
