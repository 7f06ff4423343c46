"""`/mutual config`: admins only, a modal, errors shown in the modal, nothing saved on error."""

from bot.db.models import Workspace
from bot.services.workspaces import ensure_workspace
from tests.conftest import START
from tests.support import payloads as p
from tests.support.db_read import records

MAIN = {
    "cfg_nudge_channel": {"type": "conversations_select", "selected_conversation": "CTEAM"},
    "cfg_summary_weekday": {"type": "static_select", "selected_option": {"value": "2"}},
    "cfg_summary_hour": {"type": "static_select", "selected_option": {"value": "9"}},
    "cfg_timezone": {"type": "external_select", "selected_option": {"value": "Asia/Kolkata"}},
    "cfg_digest": {"type": "checkboxes", "selected_options": []},
    "cfg_thank_emoji": {"type": "plain_text_input", "value": "pray, :tada:"},
}
ADVANCED = {
    "cfg_window_days": {"type": "number_input", "value": "30"},
    "cfg_one_sided_min": {"type": "number_input", "value": "2"},
    "cfg_person_cooldown_days": {"type": "number_input", "value": "14"},
    "cfg_pair_cooldown_days": {"type": "number_input", "value": "60"},
    "cfg_claim_expiry_days": {"type": "number_input", "value": "10"},
    "cfg_claim_reminder_days": {"type": "number_input", "value": "2"},
    "cfg_intro_reminder_days": {"type": "number_input", "value": "2"},
    "cfg_intro_expiry_days": {"type": "number_input", "value": "6"},
    "cfg_intro_silent_days": {"type": "number_input", "value": "4"},
    "cfg_delivery_retry_hours": {"type": "number_input", "value": "12"},
    "cfg_forward_min": {"type": "number_input", "value": "3"},
    "cfg_followup_days": {"type": "number_input", "value": "10"},
    "cfg_intro_followup_days": {"type": "number_input", "value": "21"},
    "cfg_offer_reminder_days": {"type": "number_input", "value": "3"},
    "cfg_ask_suggest_days": {"type": "number_input", "value": "3"},
    "cfg_ask_expiry_days": {"type": "number_input", "value": "30"},
    "cfg_over_giver_people": {"type": "number_input", "value": "8"},
    "cfg_over_giver_back_max": {"type": "number_input", "value": "1"},
    "cfg_one_sided_spread": {"type": "number_input", "value": "10"},
    "cfg_one_sided_quiet": {"type": "number_input", "value": "2"},
    "cfg_ask_again": {"type": "number_input", "value": "20"},
    "cfg_question_gap": {"type": "number_input", "value": "2"},
}


def values(step, **changes):
    merged = {**step, **{k: v for k, v in changes.items() if k in step}}
    return {block: {block: value} for block, value in merged.items()}


def submit(mutual, user="UERIN", **changes):
    """Both steps, as an admin saves them: Advanced first (pushed over the settings, saved on
    its own), then the settings themselves; the answer to the settings' Save."""
    reply = mutual.post(p.view_submission("config_advanced_submit", values(ADVANCED, **changes),
                                          user=user))
    assert reply.status == 200, reply.body
    if reply.json():
        return reply.json()
    reply = mutual.post(p.view_submission("config_submit", values(MAIN, **changes), user=user))
    assert reply.status == 200, reply.body
    return reply.json()


def workspace(db):
    with db.session() as s:
        return s.get(Workspace, "T0001")


def test_admin_opens_the_settings_modal(mutual, slack, db):
    with db.session() as s:
        ensure_workspace(s, "T0001", START).nudge_channel = "CTEAM"
    reply = mutual.post(p.command("/mutual", "config", user="UERIN"))
    assert reply.status == 200 and not reply.body.strip("{}")
    [call] = slack.calls_to("views.open")
    view = call["view"]
    assert view["callback_id"] == "config_submit"
    channel = next(b for b in view["blocks"] if b.get("block_id") == "cfg_nudge_channel")
    assert channel["element"]["initial_conversation"] == "CTEAM"


def test_others_get_a_polite_refusal(mutual, slack):
    reply = mutual.post(p.command("/mutual", "config", user="UBOB"))
    assert "Only workspace admins and owners" in reply.json()["text"]
    assert slack.calls_to("views.open") == []


def test_admin_rights_are_checked_fresh_from_slack(mutual, slack):
    mutual.post(p.command("/mutual", "config", user="UERIN"))
    assert len(slack.calls_to("views.open")) == 1
    slack.users["UERIN"]["is_admin"] = False  # no longer an admin, a minute later
    reply = mutual.post(p.command("/mutual", "config", user="UERIN"))
    assert "Only workspace admins" in reply.json()["text"]
    assert len(slack.calls_to("views.open")) == 1


def test_owner_counts_as_admin(mutual, slack):
    slack.users["UCAROL"]["is_owner"] = True
    mutual.post(p.command("/mutual", "config", user="UCAROL"))
    assert len(slack.calls_to("views.open")) == 1


def test_valid_settings_are_saved(mutual, db):
    answer = submit(mutual)
    assert answer["response_action"] == "update"
    ws = workspace(db)
    assert (ws.nudge_channel, ws.summary_weekday, ws.summary_hour, ws.timezone) == (
        "CTEAM", 2, 9, "Asia/Kolkata")
    assert ws.digest_enabled is False and ws.thank_emoji == "pray,tada"
    assert (ws.window_days, ws.one_sided_min, ws.intro_expiry_days) == (30, 2, 6)
    assert (ws.forward_min, ws.followup_days, ws.intro_followup_days) == (3, 10, 21)
    assert (ws.one_sided_spread_days, ws.one_sided_quiet_days, ws.ask_again_days,
            ws.question_gap_days) == (10, 2, 20, 2)


def test_errors_are_shown_in_the_modal_and_nothing_is_saved(mutual, db):
    submit(mutual)
    answer = mutual.post(p.view_submission("config_advanced_submit", values(
        ADVANCED, cfg_window_days={"type": "number_input", "value": "1000"}), user="UERIN")).json()
    assert answer == {"response_action": "errors",
                      "errors": {"cfg_window_days": "The window must be between 7 and 365."}}
    answer = mutual.post(p.view_submission("config_submit", values(
        MAIN, cfg_timezone={"type": "external_select", "selected_option": {"value": "Moon/Base"}},
        cfg_thank_emoji={"type": "plain_text_input", "value": "<!channel>"}), user="UERIN")).json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"cfg_timezone", "cfg_thank_emoji"}
    assert "Europe/London" in answer["errors"]["cfg_timezone"]
    ws = workspace(db)
    assert (ws.timezone, ws.window_days, ws.thank_emoji) == ("Asia/Kolkata", 30, "pray,tada")


def test_a_non_admin_submission_is_refused(mutual, db):
    answer = submit(mutual, user="UBOB")
    assert answer["response_action"] == "errors"
    assert "Only workspace admins" in answer["errors"]["cfg_guests"]  # Advanced's first input
    answer = mutual.post(p.view_submission("config_submit", values(MAIN), user="UBOB")).json()
    assert "Only workspace admins" in answer["errors"]["cfg_nudge_channel"]
    ws = workspace(db)
    assert ws is None or ws.timezone == "UTC"


def test_new_thank_you_emoji_take_effect(mutual, db):
    submit(mutual)
    reaction = p.reaction("reaction_added", "UALICE", "UBOB", emoji="tada")
    assert mutual.post_event(p.event(reaction)).status == 200
    assert [(r.helper_id, r.receiver_id, r.source) for r in records(db)] == [
        ("UBOB", "UALICE", "reaction")]
