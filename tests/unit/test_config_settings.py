"""Workspace settings: validation gives every problem at once, and reading the modal back."""

from bot.blocks.config import (
    ADVANCED_FIELDS,
    FIELD_BLOCKS,
    MAIN_FIELDS,
    build_config_advanced,
    build_config_modal,
    config_errors,
    config_values,
)
from bot.db.models import Workspace
from bot.services.settings import apply_config, current_config, parse_emoji, validate_config
from bot.services.workspaces import ensure_workspace
from tests.conftest import START
from tests.support.blockkit import assert_valid_view
from tests.support.config_form import submitted

GOOD = {
    "nudge_channel": "CTEAM", "summary_weekday": "4", "summary_hour": "16",
    "timezone": "Europe/Berlin", "thank_emoji": ":pray:, raised_hands  tada", "digest_enabled": True,
    "window_days": "60", "one_sided_min": "4", "person_cooldown_days": "7",
    "pair_cooldown_days": "30", "claim_expiry_days": "14", "claim_reminder_days": "3",
    "intro_reminder_days": "3", "intro_expiry_days": "7", "intro_silent_days": "5",
    "delivery_retry_hours": "24",
    "forward_min": "2", "followup_days": "14", "intro_followup_days": "21",
    "offer_reminder_days": "3", "ask_suggest_days": "3", "ask_expiry_days": "30",
    "over_giver_people": "8", "over_giver_back_max": "1",
    "one_sided_spread_days": "14", "one_sided_quiet_days": "3", "ask_again_days": "30",
    "question_gap_days": "1",
}


def test_valid_config_is_normalised():
    config, errors = validate_config(GOOD)
    assert errors == {}
    assert config.thank_emoji == "pray,raised_hands,tada"
    assert (config.window_days, config.summary_weekday, config.timezone) == (60, 4, "Europe/Berlin")


def test_every_problem_is_reported_by_field():
    bad = {**GOOD, "timezone": "Mars/Olympus", "window_days": "3", "one_sided_min": "three",
           "thank_emoji": "pray, not an emoji!", "summary_hour": "24",
           "claim_reminder_days": "20", "intro_reminder_days": "9"}
    config, errors = validate_config(bad)
    assert config is None
    assert set(errors) == {"timezone", "window_days", "one_sided_min", "thank_emoji",
                           "summary_hour", "claim_reminder_days", "intro_reminder_days"}
    assert "Europe/London" in errors["timezone"]
    assert "between 7 and 365" in errors["window_days"]


def test_time_zone_names_are_checked_safely():
    for name in ("../../etc/passwd", "/UTC", "", "x" * 100):
        assert "timezone" in validate_config({**GOOD, "timezone": name})[1]
    assert validate_config({**GOOD, "timezone": "UTC"})[1] == {}


def test_emoji_parsing():
    assert parse_emoji("pray") == ("pray", None)
    assert parse_emoji(":+1:, thumbsup::skin-tone-2")[1] is not None
    assert parse_emoji("")[1]
    assert parse_emoji(",".join(f"e{i}" for i in range(21)))[1]


def test_modal_round_trip(session):
    workspace = ensure_workspace(session, "T0001", START)
    workspace.nudge_channel = "CTEAM"
    main = build_config_modal(current_config(workspace), START)
    advanced = build_config_advanced(current_config(workspace))
    for view in (main, advanced):
        assert_valid_view(view)
    assert (main["callback_id"], advanced["callback_id"]) == ("config_submit", "config_advanced_submit")
    # What Slack sends back when the admin submits each step unchanged: together, everything.
    first, second = config_values(submitted(main)), config_values(submitted(advanced))
    assert set(first) == set(MAIN_FIELDS) and set(second) == set(ADVANCED_FIELDS)
    config, errors = validate_config({**first, **second})
    assert errors == {} and config == current_config(workspace)


def test_the_first_step_is_short_and_the_thresholds_wait_for_advanced(session):
    workspace = ensure_workspace(session, "T0001", START)
    main = build_config_modal(current_config(workspace), START)
    inputs = [b["block_id"] for b in main["blocks"] if b["type"] == "input"]
    assert inputs == ["cfg_nudge_channel", "cfg_summary_weekday", "cfg_summary_hour",
                      "cfg_timezone", "cfg_digest", "cfg_thank_emoji"]
    zone = next(b for b in main["blocks"] if b.get("block_id") == "cfg_timezone")["element"]
    assert zone["type"] == "external_select" and zone["initial_option"]["value"] == "UTC"
    [advanced] = [e for b in main["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert advanced["action_id"] == "config_advanced"


def test_twenty_saved_emoji_fit_the_field_they_are_shown_in(session):
    workspace = ensure_workspace(session, "T0001", START)
    longest = [f"{chr(97 + i)}{'x' * 23}" for i in range(20)]  # saved: 499 characters
    config, errors = validate_config({**GOOD, "thank_emoji": ", ".join(longest)})
    assert errors == {}
    apply_config(session, workspace, config)
    element = next(b for b in build_config_modal(current_config(workspace), START)["blocks"]
                   if b.get("block_id") == "cfg_thank_emoji")["element"]
    assert len(element["initial_value"]) > 500  # what used to be cut off by max_length 500
    assert len(element["initial_value"]) <= element["max_length"]


def test_unchecked_digest_turns_it_off_and_errors_map_to_blocks(session):
    values = config_values({FIELD_BLOCKS["digest_enabled"]: {FIELD_BLOCKS["digest_enabled"]: {
        "type": "checkboxes", "selected_options": []}}})
    assert values["digest_enabled"] is False
    assert config_errors({"timezone": "bad"}) == {"cfg_timezone": "bad"}
    # An error about a setting the submitted step does not show lands on its first input.
    assert config_errors({"window_days": "bad"}) == {"cfg_nudge_channel": "bad"}


def test_apply_config(session):
    workspace = ensure_workspace(session, "T0001", START)
    config, _ = validate_config(GOOD)
    apply_config(session, workspace, config)
    session.flush()
    saved = session.get(Workspace, "T0001")
    assert (saved.timezone, saved.window_days, saved.thank_emoji) == (
        "Europe/Berlin", 60, "pray,raised_hands,tada")
    assert (saved.forward_min, saved.followup_days, saved.intro_followup_days) == (2, 14, 21)


def test_the_closing_the_loop_settings_are_checked_and_shown():
    bad = {**GOOD, "forward_min": "0", "followup_days": "91", "intro_followup_days": "soon"}
    config, errors = validate_config(bad)
    assert config is None and set(errors) == {"forward_min", "followup_days", "intro_followup_days"}
    assert "between 1 and 50" in errors["forward_min"]
    assert "whole number from 1 to 90" in errors["intro_followup_days"]
    modal = build_config_advanced(validate_config(GOOD)[0])
    shown = {b["block_id"]: b for b in modal["blocks"] if b.get("block_id")}
    assert shown["cfg_forward_min"]["element"]["initial_value"] == "2"
    assert shown["cfg_followup_days"]["element"]["initial_value"] == "14"
    assert shown["cfg_intro_followup_days"]["element"]["initial_value"] == "21"
    assert_valid_view(modal)


def test_ask_settings_must_fit_together():
    bad = {**GOOD, "ask_suggest_days": "30", "offer_reminder_days": "31", "ask_expiry_days": "30",
           "over_giver_people": "3", "over_giver_back_max": "3"}
    config, errors = validate_config(bad)
    assert config is None
    assert set(errors) == {"ask_suggest_days", "offer_reminder_days", "over_giver_back_max"}
    config, _ = validate_config(GOOD)
    assert (config.offer_reminder_days, config.ask_suggest_days, config.ask_expiry_days,
            config.over_giver_people, config.over_giver_back_max) == (3, 3, 30, 8, 1)
