"""A summary channel that turns out private, with Mutual not invited: the admin who chose it
is told once, by DM and in the settings modal, what to do; a later post there, or another
channel, clears it."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot import constants as ids
from bot.db.models import Workspace
from bot.services.recording import record_thanks
from bot.services.workspaces import ensure_workspace
from tests.conftest import START
from tests.support import payloads as p
from tests.support.blockkit import assert_valid_message, assert_valid_view
from tests.support.config_form import submitted
from tests.support.nudging import jobs_runner
from tests.support.slack_double import TEAM, person

FRIDAY_4PM = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)  # the summary's default moment
WEEK = timedelta(days=7)
WARNING = "I can't post in <#CTEAM>: it's private and I haven't been invited."


@pytest.fixture
def jobs(db, slack, mutual):
    return jobs_runner(db, slack, mutual)


def a_week_of_help(db, at):
    with db.session() as s:
        ring = [f"UP{i}" for i in range(5)]
        for i, giver in enumerate(ring):
            record_thanks(s, TEAM, ring[(i + 1) % 5], [giver], "", at)


def open_config(mutual, slack):
    reply = mutual.post(p.command("/mutual", "config", user="UERIN"))
    assert reply.status == 200, reply.body
    view = slack.calls_to("views.open")[-1]["view"]
    assert_valid_view(view)
    return view


def choose_channel(mutual, slack, channel):
    view = open_config(mutual, slack)
    values = submitted(view, **{ids.CFG_NUDGE_CHANNEL: {"type": "conversations_select",
                                                        "selected_conversation": channel},
                                ids.CFG_DIGEST: {"type": "checkboxes", "selected_options": []}})
    saved = mutual.post(p.view_submission("config_submit", values, user="UERIN")).json()
    assert saved["response_action"] == "update", saved


def private_once(slack):
    slack.fail("chat.postMessage", "not_in_channel")
    slack.fail("conversations.join", "method_not_supported_for_channel_type")


def problem(db):
    with db.session() as s:
        return s.get(Workspace, TEAM).channel_problem


def warnings_to(slack, user):
    return [m for m in slack.dms_to(user) if WARNING in m.get("text", "")]


def test_the_admin_is_told_once_and_the_modal_warns_until_a_post_goes_out(mutual, slack, db, jobs):
    with db.session() as s:
        ensure_workspace(s, TEAM, START)
    choose_channel(mutual, slack, "CTEAM")
    assert not any(b.get("block_id") == ids.CFG_CHANNEL_PROBLEM for b in open_config(mutual, slack)["blocks"])

    a_week_of_help(db, START)
    private_once(slack)
    jobs(FRIDAY_4PM)
    [dm] = warnings_to(slack, "UERIN")
    assert_valid_message(dm)
    assert "/invite @Mutual" in dm["text"] and "pick another channel" in dm["text"]
    assert problem(db) == "CTEAM"
    [warning] = [b for b in open_config(mutual, slack)["blocks"]
                 if b.get("block_id") == ids.CFG_CHANNEL_PROBLEM]
    assert WARNING in json.dumps(warning)

    # Still private next week: the admin is not told again.
    a_week_of_help(db, START + WEEK)
    private_once(slack)
    jobs(FRIDAY_4PM + WEEK)
    assert len(warnings_to(slack, "UERIN")) == 1 and problem(db) == "CTEAM"

    # Someone invites Mutual: the next post goes out, and the warning is gone.
    a_week_of_help(db, START + 2 * WEEK)
    jobs(FRIDAY_4PM + 2 * WEEK)
    assert any(c["channel"] == "CTEAM" and "The week in Mutual" in c["text"]
               for c in slack.calls_to("chat.postMessage"))
    assert problem(db) is None
    assert not any(b.get("block_id") == ids.CFG_CHANNEL_PROBLEM for b in open_config(mutual, slack)["blocks"])


def test_another_channel_clears_it_and_without_a_known_chooser_the_admins_are_told(mutual, slack, db, jobs):
    with db.session() as s:
        ws = ensure_workspace(s, TEAM, START)
        ws.nudge_channel, ws.digest_enabled = "CTEAM", False  # set before anyone was recorded
    mutual.post(p.command("/mutual", "config", user="UERIN"))  # Mutual learns Erin is an admin
    a_week_of_help(db, START)
    private_once(slack)
    jobs(FRIDAY_4PM)
    assert len(warnings_to(slack, "UERIN")) == 1 and problem(db) == "CTEAM"

    choose_channel(mutual, slack, "CNEW")
    assert problem(db) is None
    with db.session() as s:
        assert s.get(Workspace, TEAM).nudge_channel_by == "UERIN"


def test_an_admin_who_chose_it_and_is_no_longer_one_is_not_the_one_told(mutual, slack, db, jobs):
    with db.session() as s:
        ensure_workspace(s, TEAM, START)
    choose_channel(mutual, slack, "CTEAM")
    # Erin steps down; Carol is made an owner. Slack tells Mutual of both.
    for user in (person("UERIN", "Erin"), person("UCAROL", "Carol", is_owner=True)):
        slack.users[user["id"]] = user
        assert mutual.post_event(p.event({"type": "user_change", "user": user})).status == 200
    a_week_of_help(db, START)
    private_once(slack)
    jobs(FRIDAY_4PM)
    assert warnings_to(slack, "UERIN") == []
    assert len(warnings_to(slack, "UCAROL")) == 1 and problem(db) == "CTEAM"
