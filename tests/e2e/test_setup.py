"""Installing and setting Mutual up (issue 19, part 1): one welcome DM to whoever installed it
(OAuth) or the first admin to use it (bot token), with a button to the settings; the settings
in two steps with a time-zone search and real emoji names; the summary channel joined, or a
private one explained; an admin's Home showing what is left until it is done."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from typing import Any

from bot import constants as ids
from bot.db.models import Workspace
from bot.services.workspaces import ensure_workspace
from tests.conftest import START
from tests.e2e.test_oauth import install, oauth_mutual  # noqa: F401 - a fixture used below
from tests.support import payloads as p
from tests.support.blockkit import assert_valid_message, assert_valid_view
from tests.support.config_form import submitted
from tests.support.live import LiveMutual, settings_for
from tests.support.slack_double import TEAM, SlackDouble

WELCOME = "Thanks for adding Mutual"
CHECKLIST = "Finish setting up Mutual"


def welcomes(slack: SlackDouble) -> list[dict[str, Any]]:
    return [c for c in slack.calls_to("chat.postMessage") if WELCOME in c.get("text", "")]


def homes_of(slack: SlackDouble, user: str) -> list[str]:
    """Each Home published for `user`, as one string of its blocks."""
    return [json.dumps(c["view"]) for c in slack.calls_to("views.publish") if c["user_id"] == user]


def workspace(db) -> Workspace:
    with db.session() as s:
        ws = s.get(Workspace, TEAM)
        assert ws is not None
        return ws


def open_settings(mutual: LiveMutual, slack: SlackDouble, user: str = "UERIN") -> dict[str, Any]:
    reply = mutual.post(p.command("/mutual", "config", user=user))
    assert reply.status == 200 and not reply.json(), reply.body
    view = slack.calls_to("views.open")[-1]["view"]
    assert_valid_view(view)
    return view


def save(mutual: LiveMutual, view: dict[str, Any], user: str = "UERIN", **changes: Any) -> dict[str, Any]:
    """Submit the settings step `view` with these inputs changed (by block_id)."""
    body = p.view_submission(view["callback_id"], submitted(view, **changes), user=user)
    reply = mutual.post(body)
    assert reply.status == 200, reply.body
    return reply.json() or {}


def channel(channel_id: str) -> dict[str, Any]:
    return {ids.CFG_NUDGE_CHANNEL: {"type": "conversations_select",
                                    "selected_conversation": channel_id}}


def emoji(text: str) -> dict[str, Any]:
    return {ids.CFG_THANK_EMOJI: {"type": "plain_text_input", "value": text}}


# -- the welcome ---------------------------------------------------------------------------------

def test_with_a_bot_token_the_first_admin_to_open_the_home_is_welcomed_once(mutual, slack, db):
    mutual.open_home("UALICE")  # not an admin: no welcome, and no set-up list on her Home
    assert welcomes(slack) == []
    assert all(CHECKLIST not in home for home in homes_of(slack, "UALICE"))

    retried = p.event(p.home_opened("UERIN"), event_id="EvERINHOME")
    assert mutual.post_event(retried).status == 200
    assert mutual.post_event(retried, extra_headers={"X-Slack-Retry-Num": "1",
                                                     "X-Slack-Retry-Reason": "http_timeout"}).status == 200
    mutual.open_home("UERIN")
    slack.users["UCAROL"]["is_owner"] = True
    open_settings(mutual, slack, user="UCAROL")  # another admin, later: no second welcome

    [dm] = welcomes(slack)
    assert dm["channel"] == "UERIN"
    assert_valid_message(dm)
    shown = json.dumps(dm["blocks"])
    assert "nothing is posted in any channel until you pick one" in shown
    assert "Fridays at 16:00 (UTC)" in shown and ":pray:" in shown
    [button] = [e for b in dm["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert (button["action_id"], button["text"]["text"]) == ("setup_open", "Open settings")
    assert CHECKLIST in homes_of(slack, "UERIN")[-1]
    ws = workspace(db)
    assert (ws.welcomed_id, ws.welcomed_at) == ("UERIN", START)


def test_an_admin_command_welcomes_the_first_admin(mutual, slack):
    mutual.post(p.command("/thanks", "<@UBOB> for the review"))  # Alice: no welcome
    open_settings(mutual, slack)
    [dm] = welcomes(slack)
    assert dm["channel"] == "UERIN"


def test_two_replicas_seeing_two_admins_at_once_send_one_welcome(slack, db, clock):
    slack.users["UCAROL"]["is_owner"] = True
    with db.session() as s:
        ensure_workspace(s, TEAM, START)
    replicas = [LiveMutual(settings_for(slack, db.url), db, clock) for _ in range(2)]
    try:
        requests = [(replicas[0], "UERIN"), (replicas[1], "UCAROL")] * 2
        threads = [threading.Thread(target=lambda r=r, u=u: r.post_event(p.event(p.home_opened(u))))
                   for r, u in requests]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for replica in replicas:
            replica.settle()
        [dm] = welcomes(slack)
        assert dm["channel"] == workspace(db).welcomed_id
    finally:
        for replica in replicas:
            replica.close()


def test_an_oauth_install_welcomes_the_installer_once(oauth_mutual, slack, db):  # noqa: F811
    slack.installer = "UBOB"  # not an admin: they installed it, so they hear first
    install(oauth_mutual)
    oauth_mutual.settle()
    [dm] = welcomes(slack)
    assert dm["channel"] == "UBOB"
    [call] = [c for c in slack.calls if c.method == "chat.postMessage"]
    assert call.headers["authorization"] == "Bearer xoxb-installed"

    install(oauth_mutual)  # a reinstall (to add a scope, say) and an admin using it after
    oauth_mutual.open_home("UERIN")
    oauth_mutual.settle()
    assert len(welcomes(slack)) == 1


def test_the_welcome_waits_out_a_429_and_an_internal_error_and_arrives_once(mutual, slack):
    slack.rate_limit("chat.postMessage", times=1, retry_after=1)
    slack.fail("chat.postMessage", "internal_error")
    assert mutual.post_event(p.event(p.home_opened("UERIN"))).status == 200
    for _ in range(3):  # past the Retry-After, then past the pause before a retry
        mutual.clock.set(mutual.clock() + timedelta(minutes=1))
        time.sleep(1.0)  # the deliverer's own wait for the method, in real seconds
        mutual.deliverer.wake()
        mutual.settle()
    assert len(slack.calls_to("chat.postMessage")) == 3
    assert len(slack.history[slack.dm_id("UERIN")]) == 1  # what Slack kept: one welcome
    assert len(welcomes(slack)) == 3  # two tries Slack refused, one that went through


def test_open_settings_in_the_welcome_opens_them_for_an_admin_only(mutual, slack):
    mutual.open_home("UERIN")
    press = p.block_action("setup_open", "open", user="UERIN", channel="DERI",
                           response_url=slack.response_url("welcome"))
    assert mutual.post(press).status == 200
    [opened] = slack.calls_to("views.open")
    assert opened["view"]["callback_id"] == "config_submit"

    slack.users["UERIN"]["is_admin"] = False  # no longer an admin when she presses it again
    press = p.block_action("setup_open", "open", user="UERIN", channel="DERI",
                           response_url=slack.response_url("again"))
    assert mutual.post(press).status == 200
    assert len(slack.calls_to("views.open")) == 1
    [told] = slack.calls_to("response_url")
    assert "Only workspace admins and owners" in told["text"]


# -- the settings, in two steps ----------------------------------------------------------------

def test_the_settings_open_on_what_matters_and_advanced_is_a_second_step(mutual, slack, db):
    view = open_settings(mutual, slack)
    inputs = [b["element"]["type"] for b in view["blocks"] if b["type"] == "input"]
    assert inputs == ["conversations_select", "static_select", "static_select", "external_select",
                      "checkboxes", "plain_text_input"]
    for element in (b["element"] for b in view["blocks"] if b["type"] == "input"):
        assert len(element.get("options", [])) <= 100
        assert len(element.get("initial_value", "")) <= element.get("max_length", 3000)

    assert mutual.post(p.modal_action("config_advanced", "advanced", user="UERIN")).status == 200
    [pushed] = slack.calls_to("views.push")
    advanced = pushed["view"]
    assert_valid_view(advanced)
    assert advanced["callback_id"] == "config_advanced_submit" and advanced["close"]["text"] == "Back"
    assert {"cfg_window_days", "cfg_guests", "cfg_over_giver_people"} <= {
        b.get("block_id") for b in advanced["blocks"]}

    # Saving Advanced keeps it and goes back to the first step (an empty answer closes only it).
    answer = save(mutual, advanced, cfg_window_days={"type": "number_input", "value": "30"})
    assert answer == {}
    assert workspace(db).window_days == 30 and workspace(db).configured_at is None

    answer = save(mutual, view, **channel("CTEAM"), cfg_timezone={
        "type": "external_select", "selected_option": {"value": "Europe/Berlin"}})
    assert answer["response_action"] == "update"
    saved = json.dumps(answer["view"])
    assert "<#CTEAM>" in saved and "Fridays at 16:00 (Europe/Berlin)" in saved
    ws = workspace(db)
    assert (ws.nudge_channel, ws.timezone, ws.window_days) == ("CTEAM", "Europe/Berlin", 30)
    assert ws.configured_at == START


def test_the_time_zone_select_loads_real_zones_as_the_admin_types(mutual, slack, db):
    with db.session() as s:
        ensure_workspace(s, TEAM, START).timezone = "Asia/Tokyo"
    mutual.open_home("UCAROL")  # Mutual now knows Carol, in London
    typed = mutual.post(p.block_suggestion("cfg_timezone", "new york"))
    assert typed.status == 200
    options = typed.json()["options"]
    assert options[0] == {"text": {"type": "plain_text", "text": "America/New_York (UTC−05:00)",
                                   "emoji": True}, "value": "America/New_York"}

    first = mutual.post(p.block_suggestion("cfg_timezone", "")).json()["options"]
    assert [o["value"] for o in first][:2] == ["Asia/Tokyo", "Europe/London"]
    everywhere = mutual.post(p.block_suggestion("cfg_timezone", "a")).json()["options"]
    assert len(everywhere) == 100
    assert mutual.post(p.block_suggestion("cfg_timezone", "Atlantis")).json()["options"] == []


# -- emoji --------------------------------------------------------------------------------------

def test_an_unknown_emoji_is_refused_with_the_closest_real_one(mutual, slack, db):
    view = open_settings(mutual, slack)
    answer = save(mutual, view, **emoji("prey, +1"))
    assert answer == {"response_action": "errors", "errors": {
        "cfg_thank_emoji": "“prey” isn't an emoji in this workspace. Did you mean pray?"}}
    answer = save(mutual, view, **emoji("notanemoji, +1"))
    assert "“notanemoji” isn't an emoji" in answer["errors"]["cfg_thank_emoji"]
    assert workspace(db).configured_at is None  # nothing saved

    # Standard names, the workspace's own (emoji.list) and one saved before are all fine.
    asked = len(slack.calls_to("emoji.list"))
    assert save(mutual, view, **emoji("pray, +1, thumbsup"))["response_action"] == "update"
    assert len(slack.calls_to("emoji.list")) == asked  # nothing to look up
    assert save(mutual, view, **emoji("partyparrot, thankyou"))["response_action"] == "update"
    assert workspace(db).thank_emoji == "partyparrot,thankyou"


def test_custom_emoji_unreadable_or_slack_busy_are_explained(mutual, slack, db):
    view = open_settings(mutual, slack)
    slack.fail("emoji.list", "missing_scope")
    answer = save(mutual, view, **emoji("pray, partyparrot"))
    assert "emoji:read" in answer["errors"]["cfg_thank_emoji"]
    slack.fail("emoji.list", "internal_error")
    answer = save(mutual, view, **emoji("pray, partyparrot"))
    assert "try again in a minute" in answer["errors"]["cfg_thank_emoji"]
    # The defaults (with the custom :thankyou:) are kept as they are without asking Slack.
    asked = len(slack.calls_to("emoji.list"))
    assert save(mutual, view)["response_action"] == "update"
    assert len(slack.calls_to("emoji.list")) == asked
    assert workspace(db).thank_emoji == "pray,raised_hands,heart_hands,thankyou"


# -- the channel --------------------------------------------------------------------------------

def test_a_public_channel_is_joined_and_greeted(mutual, slack, db):
    answer = save(mutual, open_settings(mutual, slack), **channel("CTEAM"))
    assert "I'm joining the channel now" in json.dumps(answer["view"])
    [joined] = slack.calls_to("conversations.join")
    assert joined["channel"] == "CTEAM"
    [hello] = [c for c in slack.calls_to("chat.postMessage") if c["channel"] == "CTEAM"]
    assert_valid_message(hello)
    assert "weekly summary here on Fridays at 16:00 (UTC)" in hello["text"]
    assert "<@" not in json.dumps(hello["blocks"])  # a channel post names nobody

    save(mutual, open_settings(mutual, slack), **channel("CTEAM"))  # saved again: no second hello
    assert len(slack.calls_to("conversations.join")) == 1


def test_a_private_channel_mutual_is_not_in_is_explained_until_it_is_invited(mutual, slack, db):
    mutual.open_home("UERIN")
    slack.fail("conversations.join", "method_not_supported_for_channel_type")
    slack.fail("chat.postMessage", "channel_not_found")
    save(mutual, open_settings(mutual, slack), **channel("CTEAM"))
    [told] = [c for c in slack.dms_to("UERIN") if "/invite @Mutual" in c["text"]]
    assert "it's private and I haven't been invited" in told["text"]
    assert workspace(db).channel_problem == "CTEAM"
    assert "haven't been invited" in homes_of(slack, "UERIN")[-1]
    assert any(b.get("block_id") == ids.CFG_CHANNEL_PROBLEM for b in open_settings(mutual, slack)["blocks"])

    # Someone invites Mutual; Erin saves the same channel again: the hello goes out there.
    save(mutual, open_settings(mutual, slack), **channel("CTEAM"))
    assert [c["channel"] for c in slack.calls_to("chat.postMessage")].count("CTEAM") == 2
    assert workspace(db).channel_problem is None
    assert CHECKLIST not in homes_of(slack, "UERIN")[-1]


def test_a_join_that_fails_for_a_while_is_retried_and_one_refused_is_told(mutual, slack, db):
    slack.fail("conversations.join", "internal_error", times=2)
    save(mutual, open_settings(mutual, slack), **channel("CTEAM"))
    for _ in range(3):
        mutual.clock.set(mutual.clock() + timedelta(minutes=5))
        mutual.deliverer.wake()
        mutual.settle()
    assert len(slack.calls_to("conversations.join")) == 3
    assert [c["channel"] for c in slack.calls_to("chat.postMessage")].count("CTEAM") == 1

    slack.fail("conversations.join", "is_archived")
    save(mutual, open_settings(mutual, slack), **channel("CGENERAL"))
    [told] = [c for c in slack.dms_to("UERIN") if "couldn't join" in c["text"]]
    assert "<#CGENERAL>" in told["text"] and "is_archived" in told["text"]
    assert "CGENERAL" not in [c["channel"] for c in slack.calls_to("chat.postMessage")]


# -- the admin's Home ---------------------------------------------------------------------------

def test_the_admins_home_shows_what_is_left_until_it_is_done(mutual, slack, db):
    mutual.open_home("UERIN", "UALICE")
    home = homes_of(slack, "UERIN")[-1]
    assert CHECKLIST in home and "Pick a channel for the weekly summary" in home
    assert "Check the day, time and time zone" in home and "setup_open" in home
    assert_valid_view(json.loads(home))

    view = open_settings(mutual, slack)
    save(mutual, view)  # saved without a channel: the time is checked, the channel is not
    home = homes_of(slack, "UERIN")[-1]
    assert "The summary goes out on Fridays at 16:00 (UTC)" in home and "Pick a channel" in home

    published = len(homes_of(slack, "UALICE"))
    save(mutual, view, **channel("CTEAM"))
    assert CHECKLIST not in homes_of(slack, "UERIN")[-1]
    assert all(CHECKLIST not in h for h in homes_of(slack, "UALICE"))
    assert len(homes_of(slack, "UALICE")) == published  # not an admin: her Home is left alone


def test_twenty_long_emoji_names_saved_reopen_in_a_form_slack_accepts(mutual, slack, db):
    names = ["chart_with_upwards_trend", "eight_pointed_black_star", "face_with_diagonal_mouth",
             "face_with_raised_eyebrow", "family_adult_adult_child", "family_adult_child_child",
             "lower_left_ballpoint_pen", "male-construction-worker", "man_in_manual_wheelchair",
             "man_running_facing_right", "man_walking_facing_right", "person_in_lotus_position",
             "person_with_pouting_face", "person_with_probing_cane", "umbrella_with_rain_drops",
             "woman-playing-water-polo", "arrows_counterclockwise", "black_circle_for_record",
             "derelict_house_building", "face_holding_back_tears"]
    assert save(mutual, open_settings(mutual, slack), **emoji(",".join(names)))["response_action"] == "update"
    assert len(workspace(db).thank_emoji) == 495
    field = next(b for b in open_settings(mutual, slack)["blocks"]
                 if b.get("block_id") == ids.CFG_THANK_EMOJI)["element"]
    assert len(field["initial_value"]) == 514 <= field["max_length"]  # 500 used to be the limit


def test_custom_emoji_honour_a_rate_limit_every_process_sees(mutual, slack, db):
    view = open_settings(mutual, slack)
    slack.rate_limit("emoji.list", times=1, retry_after=60)
    for _ in range(3):  # one 429, then no call at all while the pause lasts
        answer = save(mutual, view, **emoji("pray, partyparrot"))
        assert "try again in a minute" in answer["errors"]["cfg_thank_emoji"]
    assert len(slack.calls_to("emoji.list")) == 1
    mutual.clock.set(mutual.clock() + timedelta(seconds=61))  # the pause is over: asked again
    assert save(mutual, view, **emoji("pray, partyparrot"))["response_action"] == "update"
    assert len(slack.calls_to("emoji.list")) == 2
    assert workspace(db).thank_emoji == "pray,partyparrot"
