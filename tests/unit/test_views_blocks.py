"""`/mutual me`, `with` and App Home builders stay within Slack's limits at any size."""

import json
from datetime import timedelta

import pytest

from bot.blocks import home as h
from bot.blocks import me as b
from bot.services.intros import IntroView
from bot.services.recording import Recorded
from bot.services.views import History, HistoryItem, Pair, PersonalView
from tests.conftest import START
from tests.support.blockkit import assert_valid_message, assert_valid_view

SIZES = (0, 1, 49, 50, 500)


def uid(i: int) -> str:
    return f"U{i:08d}"


def view_with(n: int, **kw) -> PersonalView:
    """n relationships of every kind, plus n open intros and n claims."""
    long_note = "a note & <b>more</b> " * 30
    defaults = dict(
        user_id="UME", window_days=90, one_sided_min=3,
        given=3 * n, received=3 * n,
        two_way=[Pair(uid(i), i + 1, 2) for i in range(n)],
        received_only=[Pair(uid(1000 + i), 0, 4) for i in range(n)],
        given_only=[Pair(uid(2000 + i), 5, 0) for i in range(n)],
        open_intros=[IntroView(i, "T1", "UME" if i % 2 else uid(3000 + i), uid(4000 + i),
                               "UME" if not i % 2 else uid(5000 + i), "why", "proposed",
                               None, None, START) for i in range(n)],
        claims_awaiting=[Recorded(i, uid(6000 + i), "UME", long_note, "pending", "claim")
                         for i in range(n)],
    )
    defaults.update(kw)
    return PersonalView(**defaults)


@pytest.mark.parametrize("n", SIZES)
def test_me_fits_slack_limits_at_any_size(n):
    msg = b.build_me(view_with(n))
    assert_valid_message(msg, max_blocks=50)
    rendered = json.dumps(msg["blocks"])
    if n > b.LIST_LINES_MAX:
        assert f"and {n - b.LIST_LINES_MAX:,} more" in rendered
    else:
        assert "more_" not in rendered
    if n:
        assert f"*Two-way ({n:,})*" in rendered
        assert uid(0) in rendered and uid(1000) in rendered and uid(2000) in rendered


@pytest.mark.parametrize("n", SIZES)
def test_home_fits_slack_limits_at_any_size(n):
    view = h.build_home(view_with(n))
    assert_valid_view(view)
    assert view["type"] == "home"
    ids = [e["action_id"] for blk in view["blocks"] if blk["type"] == "actions"
           for e in blk["elements"]]
    assert {"home_thank", "home_intro", "home_nudges_off", "home_snooze"} <= set(ids)


def test_me_with_nothing_yet_explains_how_to_start():
    msg = b.build_me(view_with(0, given=0, received=0))
    assert "Nothing recorded yet" in msg["blocks"][0]["text"]["text"]
    assert "/thanks" in msg["blocks"][0]["text"]["text"]


def test_one_sided_is_worded_as_a_suggestion_never_an_accusation():
    rendered = json.dumps(b.build_me(view_with(2)))
    assert "might return the favour" in rendered
    assert "may not have had the chance" in rendered
    for harsh in ("owe", "taker", "never gave", "should", "must"):
        assert harsh not in rendered.lower()


def test_500_relationships_in_one_list_is_summarised_not_cut_mid_line():
    view = view_with(0, given=0, received=1500,
                     received_only=[Pair(uid(i), 0, 3) for i in range(500)])
    [section] = [blk for blk in b.build_me(view)["blocks"]
                 if blk["type"] == "section" and "They've helped you" in blk["text"]["text"]]
    lines = section["text"]["text"].splitlines()
    assert lines[-1] == "_…and 485 more_"
    assert all(line.startswith("• <@U") and line.endswith("3 times") for line in lines[1:-1])


def test_bulleted_never_passes_the_section_limit_even_with_long_lines():
    lines = ["x" * 400] * 40
    text = b.bulleted(lines)
    assert len(text) <= 3000 and text.endswith("more_")


def test_cap_blocks_keeps_the_last_block_as_a_count():
    blocks = [{"type": "divider"}] * 120
    capped = b.cap_blocks(blocks, 50)
    assert len(capped) == 50 and "and 71 more" in capped[-1]["elements"][0]["text"]


def test_home_shows_nudge_settings_state():
    off = json.dumps(h.build_home(view_with(1, nudges_enabled=False)))
    assert "home_nudges_on" in off and "home_snooze" not in off
    snoozed = json.dumps(h.build_home(view_with(1, snoozed_until=START + timedelta(days=7))))
    assert "paused" in snoozed and "home_unsnooze" in snoozed


@pytest.mark.parametrize("n", (0, 1, 10, 500))
def test_with_history_fits(n):
    items = [HistoryItem("UME" if i % 2 else "UBOB", "UBOB" if i % 2 else "UME", "n" * 500,
                         "command", START) for i in range(min(n, 10))]
    history = History("UME", "UBOB", 90, n // 2, n - n // 2, n // 2, n - n // 2, items)
    msg = b.build_with(history)
    assert_valid_message(msg)
    if n == 0:
        assert "No help recorded between you and <@UBOB> yet" in msg["text"]
    if n > 10:
        assert f"latest 10 of {n:,}" in json.dumps(msg)


def test_forget_and_export_messages_are_valid():
    for msg in (b.build_forget_confirm(), b.build_forget_done(), b.build_forget_cancelled(),
                b.build_export_started(0), b.build_export_started(3)):
        assert_valid_message(msg)
    confirm = b.build_forget_confirm()["blocks"][-1]["elements"][0]
    assert confirm["action_id"] == "forget_confirm" and confirm["confirm"]["style"] == "danger"
    assert_valid_view(h.build_forgotten_home())
