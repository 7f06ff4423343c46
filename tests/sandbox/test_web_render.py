"""Block Kit and mrkdwn drawn as HTML for `mutual sandbox --web`: what each piece becomes, and
that nothing a person typed can become markup, a script or a link Slack would not open."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.sandbox.forms import fields
from bot.sandbox.seed import seeded_state
from bot.sandbox.state import View
from bot.sandbox.web import fields as web_fields
from bot.sandbox.web.blocks import BlockKit, Choices
from bot.sandbox.web.mrkdwn import Mrkdwn, plain_html

NAMES = {"UBOB": "bob", "UCAROL": "carol"}
md = Mrkdwn(lambda u: NAMES.get(u, u), lambda c: {"CGENERAL": "general"}.get(c, c), "Europe/London")
kit = BlockKit(md, Choices([("UBOB", "bob"), ("UCAROL", "carol")], [("CGENERAL", "#general")]),
               lambda f: f"/files/{f}")


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def test_mrkdwn_styles_as_slack_draws_them() -> None:
    html = str(md("*bold* _italic_ ~gone~ `co*de*` :pray: :thankyou: at 10:30:00\n"
                  ">a quote\n>two\nafter"))
    assert "<b>bold</b> <i>italic</i> <s>gone</s> <code>co*de*</code>" in html
    assert '<span class="emoji" title=":pray:">🙏</span>' in html
    assert '<span class="emoji-custom" title=":thankyou:">:thankyou:</span>' in html
    assert "10:30:00" in html  # not an emoji
    assert html.endswith("<blockquote>a quote<br>two</blockquote>after")
    assert str(md("```\n*not bold* <@UBOB>\n```")) == \
        '<pre class="code-block">*not bold* <span class="mention">@bob</span>\n</pre>'


def test_mentions_channels_dates_and_links() -> None:
    html = str(md("<@UBOB> <@UCAROL|carol> in <#CGENERAL|general> <!here> "
                  "<!date^1763287200^{date_long} at {time}|Monday> <https://x.test/?a=1&amp;b=2|the doc> "
                  "<mailto:a@x.test>"))
    assert html.count('<span class="mention">@') == 2 and ">@bob<" in html and ">@carol<" in html
    assert '<span class="mention channel">#general</span>' in html
    assert '<span class="mention special">@here</span>' in html
    assert "Sunday, November 16, 2025 at 10:00" in html  # in the viewer's time zone
    assert ('<a href="https://x.test/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">'
            "the doc</a>") in html
    assert '<a href="mailto:a@x.test"' in html


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
    "<javascript:alert(1)|click me>", "<data:text/html;base64,PHNjcmlwdD4=|x>", "<JavaScript:alert(1)>",
    "<vbscript:msgbox(1)|x>", "&lt;b&gt;not bold&lt;/b&gt;", "\ue000" + "0" + "\ue001",
])
def test_nothing_typed_becomes_markup(hostile: str) -> None:
    for html in (str(md(hostile)), str(md(f"*{hostile}*")), str(md(f">{hostile}")),
                 str(plain_html(hostile))):
        assert "<script" not in html and "<img" not in html and "<svg" not in html, html
        assert not re.search(r"<a [^>]*href=\"(?!https?:|mailto:)", html), html
    trick = str(md("<javascript:alert(1)|click me>"))
    assert "click me" in trick and "<a" not in trick
    # Slack's own escapes show as the characters they stand for, escaped again for HTML.
    assert str(md("&lt;b&gt;not bold&lt;/b&gt;")) == "&lt;b&gt;not bold&lt;/b&gt;"
    assert str(md("&amp;lt;")) == "&amp;lt;"  # a person who typed "&lt;" sees "&lt;"


def test_sections_fields_context_divider_header_image() -> None:
    html = str(kit.blocks([
        {"type": "header", "text": plain("The week :tada:")},
        {"type": "section", "text": mrkdwn("*Hello*"), "fields": [mrkdwn("*A*"), plain("B <b>")]},
        {"type": "divider"},
        {"type": "context", "elements": [mrkdwn("_small_"),
                                         {"type": "image", "image_url": "javascript:x", "alt_text": "a"}]},
        {"type": "image", "slack_file": {"id": "F1"}, "alt_text": "the chart", "title": plain("Chart")},
        {"type": "video"},
    ]))
    assert '<div class="bk-header">The week <span class="emoji"' in html
    assert ('<div class="bk-fields"><div class="bk-field"><b>A</b></div>'
            '<div class="bk-field">B &lt;b&gt;</div></div>') in html
    assert '<hr class="bk-divider">' in html and '<div class="bk-context"><span><i>small</i></span>' in html
    assert '<img class="bk-context-image" src="" alt="a">' in html  # a javascript: source is dropped
    assert '<img class="" src="/files/F1" alt="the chart">' in html


def test_buttons_menus_and_pickers_name_their_place_not_their_value() -> None:
    html = str(kit.blocks([
        {"type": "section", "text": mrkdwn("x"), "accessory": {
            "type": "overflow", "action_id": "more", "options": [{"text": plain("Edit"), "value": "e"}]}},
        {"type": "actions", "elements": [
            {"type": "button", "text": plain("Yes"), "action_id": "y", "value": "secret-1", "style": "primary"},
            {"type": "button", "text": plain("Erase"), "action_id": "d", "style": "danger",
             "confirm": {"title": plain("Sure?"), "text": mrkdwn("It <goes>"), "confirm": plain("Erase"),
                         "deny": plain("Keep"), "style": "danger"}},
            {"type": "static_select", "action_id": "s", "placeholder": plain("Pause for…"),
             "option_groups": [{"label": plain("g"), "options": [{"text": plain("A week"), "value": "7"}]}]},
            {"type": "users_select", "action_id": "u"},
            {"type": "conversations_select", "action_id": "c"},
            {"type": "datepicker", "action_id": "when", "initial_date": "2026-11-20"},
            {"type": "radio_buttons", "action_id": "r", "options": [{"text": plain("One"), "value": "1"}]},
        ]},
    ]))
    assert '<button type="button" class="menu-item" data-at="0.a" data-option="e">Edit</button>' in html
    assert '<button type="button" class="bk-button primary" data-at="1.0">Yes</button>' in html
    assert "secret-1" not in html  # the server reads a button's value from the blocks it holds
    assert ('class="bk-button danger" data-at="1.1" data-confirm-title="Sure?" '
            'data-confirm-text="It &lt;goes&gt;"') in html
    assert ('<select class="bk-select" data-at="1.2"><option value="" selected>Pause for…</option>'
            '<option value="7">A week</option>') in html
    assert '<option value="UBOB">bob</option><option value="UCAROL">carol</option>' in html
    assert '<option value="CGENERAL">#general</option>' in html
    assert '<input class="bk-picker" type="date" value="2026-11-20" data-at="1.5">' in html
    assert 'type="radio" name="at-1.6" value="1" data-at="1.6"' in html


MODAL = {"type": "modal", "title": plain("Thank someone"), "submit": plain("Send"), "blocks": [
    {"type": "input", "block_id": "people", "label": plain("Who helped?"),
     "element": {"type": "multi_users_select", "action_id": "who", "initial_users": ["UBOB"]}},
    {"type": "input", "block_id": "note", "label": plain("What for"), "optional": True,
     "element": {"type": "plain_text_input", "action_id": "text", "multiline": True, "max_length": 20}},
    {"type": "input", "block_id": "when", "label": plain("Hour"),
     "element": {"type": "static_select", "action_id": "h", "options": [
         {"text": plain("09:00"), "value": "9"}, {"text": plain("10:00"), "value": "10"}]}},
    {"type": "input", "block_id": "where", "label": plain("Channel"), "optional": True,
     "element": {"type": "conversations_select", "action_id": "c"}},
    {"type": "input", "block_id": "days", "label": plain("Days"),
     "element": {"type": "number_input", "action_id": "n", "is_decimal_allowed": False, "min_value": "1",
                 "max_value": "30", "initial_value": "7"}},
    {"type": "input", "block_id": "digest", "label": plain("Digest"), "optional": True,
     "element": {"type": "checkboxes", "action_id": "on", "options": [{"text": plain("Post it"), "value": "on"}]}},
    {"type": "input", "block_id": "at", "label": plain("At"), "optional": True,
     "element": {"type": "timepicker", "action_id": "t"}},
]}


def test_a_modal_draws_its_inputs_with_values_and_errors() -> None:
    view = View("V1", "UALICE", MODAL, values={"note": {"text": {"type": "plain_text_input",
                                                                "value": "\"><script>x</script>"}}},
                errors={"people": "You can't thank *yourself*."})
    html = str(kit.blocks(MODAL["blocks"], view))
    assert '<select id="f1" name="f1" class="bk-select" multiple required>' in html
    assert '<option value="UBOB" selected>bob</option>' in html
    assert '<div class="bk-error" role="alert">You can&#39;t thank <b>yourself</b>.</div>' in html
    assert 'class="bk-input has-error" data-field="1"' in html
    assert ('<textarea id="f2" name="f2" rows="4" maxlength="20" placeholder="">'
            "&#34;&gt;&lt;script&gt;x&lt;/script&gt;</textarea>") in html
    assert '<option value="" selected>Select an item</option>' in html  # nothing picked yet: required
    assert ('<input id="f5" name="f5" type="number" step="1" min="1" max="30" value="7" placeholder="" '
            "required>") in html
    assert '<input type="checkbox" name="f6" value="on">' in html
    assert '<input id="f7" name="f7" type="time" value="">' in html


def test_what_the_page_sends_becomes_slacks_state_values() -> None:
    state = seeded_state()
    view = View("V1", "UALICE", MODAL)
    values = web_fields.state_values(view, {"f1": ["UBOB", "UCAROL", "UBOB"], "f2": ["  the review "],
                                            "f3": ["10"], "f4": ["CGENERAL"], "f5": ["14"], "f6": ["on"],
                                            "f7": ["09:30"]}, state)
    assert values == {
        "people": {"who": {"type": "multi_users_select", "selected_users": ["UBOB", "UCAROL"]}},
        "note": {"text": {"type": "plain_text_input", "value": "the review"}},
        "when": {"h": {"type": "static_select", "selected_option": {"text": plain("10:00"), "value": "10"}}},
        "where": {"c": {"type": "conversations_select", "selected_conversation": "CGENERAL"}},
        "days": {"n": {"type": "number_input", "value": "14"}},
        "digest": {"on": {"type": "checkboxes", "selected_options": [{"text": plain("Post it"), "value": "on"}]}},
        "at": {"t": {"type": "timepicker", "selected_time": "09:30"}},
    }
    assert len(fields(view)) == 7
    for bad in ({"f3": ["11"]}, {"f1": ["UFRANK"]}, {"f4": ["CNOWHERE"]}, {"f5": ["31"]}, {"f2": ["x" * 21]},
                {"f7": ["9.30"]}):
        with pytest.raises(web_fields.Refused):
            web_fields.state_values(view, {"f1": ["UBOB"], "f3": ["9"], "f5": ["7"], **bad}, state)


def test_an_action_is_read_from_the_element_the_server_holds() -> None:
    state = seeded_state()
    blocks = [{"type": "actions", "block_id": "acts", "elements": [
        {"type": "button", "text": plain("Yes"), "action_id": "yes", "value": "42", "style": "primary"},
        {"type": "overflow", "action_id": "more", "options": [{"text": plain("Snooze"), "value": "s"}]}]}]
    element, block_id = web_fields.element_at(blocks, "0.0")
    pressed = web_fields.action(element, block_id, ["ignored"], state)
    assert {k: v for k, v in pressed.items() if k != "action_ts"} == {
        "type": "button", "action_id": "yes", "block_id": "acts", "text": plain("Yes"), "value": "42",
        "style": "primary"}
    element, block_id = web_fields.element_at(blocks, "0.1")
    assert web_fields.action(element, block_id, ["s"], state)["selected_option"]["value"] == "s"
    with pytest.raises(web_fields.Refused):
        web_fields.action(element, block_id, ["not-offered"], state)
    for nowhere in ("3.0", "0.9", "x", "0.a", ""):
        with pytest.raises(web_fields.Refused):
            web_fields.element_at(blocks, nowhere)
