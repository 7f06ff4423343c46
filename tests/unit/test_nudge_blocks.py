"""Nudge builders as dicts: the wording suggests and never accuses; valid Block Kit."""

import re
from datetime import UTC, datetime

import pytest

from bot import constants as ids
from bot.blocks import nudges as b
from bot.services.asks import AskView
from bot.services.ways_to_give import WaysToGive

ACCUSING = re.compile(r"\b(owe|owes|taker|takers|unfair|never (?:helped|gave)|you should|must)\b",
                      re.I)


def all_text(msg):
    parts = [msg["text"]]
    for block in msg["blocks"]:
        if "text" in block:
            parts.append(block["text"]["text"])
        for element in block.get("elements", []):
            parts.append(element.get("text", {}).get("text", "") if isinstance(element.get("text"), dict)
                         else element.get("text", ""))
    return "\n".join(parts)


def check_block_kit(msg):
    assert msg["text"] and len(msg["blocks"]) <= 50
    for block in msg["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        for element in block.get("elements", []):
            if element.get("type") == "button":
                assert len(element["text"]["text"]) <= 75
                assert len(element.get("value", "")) <= 2000


NOW = datetime(2026, 11, 16, 10, tzinfo=UTC)


def an_ask(ask_id, asker="UBOB", text="Can someone review my Terraform change?"):
    return AskView(ask_id, "T0001", asker, text, "CGENERAL", "open", "command", NOW)


def action_values(msg):
    found = []
    for blk in msg["blocks"]:
        elements = blk.get("elements", []) if blk["type"] == "actions" else [blk.get("accessory")]
        found += [(e["action_id"], e.get("value")) for e in elements if e and e.get("type") == "button"]
    return found


def test_with_nothing_concrete_the_nudge_says_so_and_keeps_only_the_controls():
    msg = b.build_one_sided_nudge("UBOB", 3, 90, ["the code review", "", "pairing"])
    assert msg["text"].startswith("<@UBOB> has helped you three times this quarter — is there "
                                  "something you could do for <@UBOB>, or pass on to someone else?")
    text = all_text(msg)
    assert "There's nothing open I can point you to right now" in text
    assert ">the code review" in text and ">pairing" in text
    assert "only you see this" in text.lower()
    assert not ACCUSING.search(text)
    assert action_values(msg) == [(ids.NUDGE_SNOOZE, "30"), (ids.NUDGE_MUTE_PAIR, "UBOB")]
    check_block_kit(msg)


def test_the_helpers_open_asks_and_asks_to_pass_on_each_have_i_can_help():
    ways = WaysToGive(helper_asks=[an_ask(9), an_ask(8), an_ask(7), an_ask(6)],
                      pass_on=[an_ask(5, "UCAROL", "Who knows the VPN setup?")])
    msg = b.build_one_sided_nudge("UBOB", 3, 90, [], ways)
    text = all_text(msg)
    assert "<@UBOB> is asking for help with:" in text and "Or pass it on" in text
    assert "<@UCAROL>: “Who knows the VPN setup?”" in text
    assert action_values(msg) == [
        (ids.ASK_OFFER, "9:nudge"), (ids.ASK_OFFER, "8:nudge"), (ids.ASK_OFFER, "7:nudge"),
        (ids.ASK_OFFER, "5:nudge"),
        (ids.NUDGE_HELPED, "UBOB"), (ids.NUDGE_SNOOZE, "30"), (ids.NUDGE_MUTE_PAIR, "UBOB")]
    labels = [e["text"]["text"] for blk in msg["blocks"] if blk.get("accessory")
              for e in [blk["accessory"]]]
    assert labels == ["I can help"] * 4
    assert "Review my Terraform".lower() in msg["text"].lower()  # the fallback names the ask
    assert "nobody is told" in text and not ACCUSING.search(text)
    check_block_kit(msg)


def test_a_thank_you_is_offered_only_for_help_not_already_thanked():
    thanked = b.build_one_sided_nudge("UBOB", 3, 90, [], WaysToGive([an_ask(9)], [], 0))
    assert ids.NUDGE_THANK not in dict(action_values(thanked))
    assert "thank" not in all_text(thanked).lower().replace("thanks", "")
    unthanked = b.build_one_sided_nudge("UBOB", 3, 90, [], WaysToGive([], [], 2))
    assert action_values(unthanked) == [(ids.NUDGE_THANK, "UBOB"), (ids.NUDGE_SNOOZE, "30"),
                                        (ids.NUDGE_MUTE_PAIR, "UBOB")]
    text = all_text(unthanked)
    assert "There's nothing open I can point you to right now" in text
    assert "`/helped`" in text and "Thanking doesn't give anything back" in text
    check_block_kit(unthanked)


def test_no_notes_no_recently_section():
    msg = b.build_one_sided_nudge("UBOB", 4, 90, [])
    assert "Recently" not in all_text(msg)
    assert "four times" in msg["text"]


def test_at_most_three_notes_escaped():
    notes = ["<!channel> & <https://evil|click>", "two", "three", "four"]
    text = all_text(b.build_one_sided_nudge("UBOB", 12, 90, notes))
    assert "&lt;!channel&gt; &amp; &lt;https://evil|click&gt;" in text
    assert "<!channel>" not in text and "four" not in text
    assert "12 times" in text


def test_long_notes_stay_within_limits():
    msg = b.build_one_sided_nudge("UBOB", 3, 90, ["x" * 500] * 3)
    check_block_kit(msg)


@pytest.mark.parametrize(("days", "words"), [(90, "this quarter"), (30, "this month"),
                                             (7, "this week"), (365, "this year"),
                                             (45, "in the last 45 days")])
def test_period_words(days, words):
    assert words in b.build_one_sided_nudge("UBOB", 3, days, [])["text"]


def test_claim_reminder_keeps_the_claim_buttons():
    expires = datetime(2026, 11, 30, 10, tzinfo=UTC)
    msg = b.build_claim_reminder("UBOB", "reviewed the plan", 42, expires)
    assert msg["text"].startswith("Reminder: <@UBOB> says they helped you")
    text = all_text(msg)
    assert "gentle reminder" in text and f"<!date^{int(expires.timestamp())}^" in text
    [actions] = [blk for blk in msg["blocks"] if blk["type"] == "actions"]
    assert [(e["action_id"], e["value"]) for e in actions["elements"]] == [
        (ids.CLAIM_CONFIRM, "42"), (ids.CLAIM_DECLINE, "42")]
    check_block_kit(msg)


def test_snoozed_and_muted_replies_have_no_buttons():
    until = datetime(2026, 12, 16, 10, tzinfo=UTC)
    snoozed = b.build_snoozed(until)
    assert snoozed["text"] == "Snoozed — no suggestions from Mutual until Wednesday 16 December 2026."
    assert "/mutual nudges on" in all_text(snoozed)
    muted = b.build_pair_muted("UBOB")
    assert "won't suggest anything about <@UBOB>" in muted["text"]
    for msg in (snoozed, muted):
        assert all(blk["type"] != "actions" for blk in msg["blocks"])


def test_controls_replies_are_ephemeral():
    for msg in (b.build_nudges_set(True), b.build_nudges_set(False),
                b.build_controls_error("Say on or off."),
                b.build_snooze_reply(datetime(2026, 12, 1, tzinfo=UTC))):
        assert msg["response_type"] == "ephemeral"
        check_block_kit(msg)
    assert "Nothing was changed" in b.build_controls_error("Say on or off.")["text"]
