"""The sandbox's pure pieces: what Slack knows of the app, mrkdwn as text, forms, times."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bot.config import ConfigError, load_settings
from bot.sandbox import forms
from bot.sandbox.manifest import COMMANDS, EVENTS, SHORTCUTS
from bot.sandbox.methods import SCOPES
from bot.sandbox.mrkdwn import plain_text
from bot.sandbox.render import Renderer, pressables
from bot.sandbox.seed import START, seeded_state
from bot.sandbox.state import View
from bot.sandbox.when import WhenError, parse_when

MANIFEST = yaml.safe_load((Path(__file__).resolve().parents[2] / "manifest.yml").read_text())


def test_the_simulated_slack_knows_the_app_as_its_manifest_says() -> None:
    features, settings = MANIFEST["features"], MANIFEST["settings"]
    assert set(COMMANDS) == {c["command"] for c in features["slash_commands"]}
    assert {s["name"]: (s["type"], s["callback_id"]) for s in features["shortcuts"]} == SHORTCUTS
    assert set(EVENTS) == set(settings["event_subscriptions"]["bot_events"])
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == SCOPES


def test_without_a_token_mutual_points_to_the_sandbox() -> None:
    with pytest.raises(ConfigError) as e:
        load_settings({})
    assert "SLACK_BOT_TOKEN is not set" in str(e.value) and "mutual sandbox" in str(e.value)
    assert "\n" not in str(e.value)


def test_mrkdwn_reads_as_typed() -> None:
    names = {"UBOB": "bob"}
    text = plain_text("<@UBOB> and <@UBOB|bob> on <!date^1763287200^{date_long}|Monday 16 November> "
                      "see <https://x.test/a|the doc> in <#CGENERAL|general>: a &lt;b&gt; &amp; c",
                      lambda u: names.get(u, u), lambda c: c)
    assert text == ("@bob and @bob on Monday 16 November see the doc (https://x.test/a) in #general: "
                    "a <b> & c")


def test_buttons_and_menu_choices_are_numbered_in_reading_order() -> None:
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": "x"},
         "accessory": {"type": "button", "action_id": "a0", "text": {"type": "plain_text", "text": "First"}}},
        {"type": "actions", "block_id": "acts", "elements": [
            {"type": "button", "action_id": "a1", "value": "v", "text": {"type": "plain_text", "text": "Yes"}},
            {"type": "static_select", "action_id": "a2", "options": [
                {"text": {"type": "plain_text", "text": "A week"}, "value": "7"},
                {"text": {"type": "plain_text", "text": "A month"}, "value": "30"}]}]},
    ]
    found = pressables(blocks)
    assert [(p.number, p.label) for p in found] == [(1, "First"), (2, "Yes"), (3, "A week"), (4, "A month")]
    assert found[1].action == {"type": "button", "action_id": "a1", "block_id": "acts",
                               "text": {"type": "plain_text", "text": "Yes"}, "value": "v"}
    assert found[3].action["selected_option"]["value"] == "30"
    text, _ = Renderer(seeded_state()).blocks(blocks)
    assert "[2] Yes" in text.plain and "[4] A month" in text.plain


def _input(block_id: str, label: str, element: dict[str, object], optional: bool = False) -> dict[str, object]:
    return {"type": "input", "block_id": block_id, "label": {"type": "plain_text", "text": label},
            "optional": optional, "element": {"action_id": block_id, **element}}


def test_forms_take_values_the_way_slack_reports_them() -> None:
    state = seeded_state()
    view = View("V1", "UALICE", {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": [
        _input("who", "Who helped you?", {"type": "multi_users_select"}),
        _input("one", "Whom", {"type": "users_select", "initial_user": "UBOB"}),
        _input("where", "Channel", {"type": "conversations_select"}, optional=True),
        _input("day", "Day", {"type": "static_select", "options": [
            {"text": {"type": "plain_text", "text": "Monday"}, "value": "0"},
            {"text": {"type": "plain_text", "text": "Friday"}, "value": "4"}]}),
        _input("on", "Digest", {"type": "checkboxes", "options": [
            {"text": {"type": "plain_text", "text": "Post it"}, "value": "on"}]}, optional=True),
        _input("n", "Days", {"type": "number_input", "min_value": "1", "max_value": "30",
                             "is_decimal_allowed": False}),
    ]})
    assert [f.label for f in forms.missing(view)] == ["Who helped you?", "Day", "Days"]
    values = {
        "who": forms.parse(forms.find(view, "who helped"), "@bob @carol", state),
        "where": forms.parse(forms.find(view, "Channel"), "#general", state),
        "day": forms.parse(forms.find(view, "4"), "fri", state),
        "on": forms.parse(forms.find(view, "digest"), "yes", state),
        "n": forms.parse(forms.find(view, "days"), "14", state),
    }
    assert values["who"] == {"type": "multi_users_select", "selected_users": ["UBOB", "UCAROL"]}
    assert values["where"]["selected_conversation"] == "CGENERAL"
    assert values["day"]["selected_option"]["value"] == "4"
    assert values["on"]["selected_options"][0]["value"] == "on"
    for block_id, value in values.items():
        view.values[block_id] = {block_id: value}
    assert forms.missing(view) == []
    assert forms.values(view)["one"] == {"one": {"type": "users_select", "selected_user": "UBOB"}}
    for field, typed in (("days", "31"), ("days", "2.5"), ("day", "Sunday"), ("where", "#nope"), ("whom", "@zed")):
        with pytest.raises(forms.FormError):
            forms.parse(forms.find(view, field), typed, state)
    with pytest.raises(forms.FormError, match="No field"):
        forms.find(view, "colour")


def test_times_people_type() -> None:
    assert parse_when("+3d", START, "Europe/London") == datetime(2026, 11, 19, 10, tzinfo=UTC)
    assert parse_when("+1d 4h", START, "Europe/London") == datetime(2026, 11, 17, 14, tzinfo=UTC)
    assert parse_when("2026-11-20 09:30", START, "Asia/Tokyo") == datetime(2026, 11, 20, 0, 30, tzinfo=UTC)
    for bad in ("", "tomorrow", "+3x", "+99999d"):
        with pytest.raises(WhenError):
            parse_when(bad, START, "UTC")
