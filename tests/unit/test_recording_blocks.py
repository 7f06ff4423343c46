import json

from bot.blocks import recording as b
from bot.services.people import Problem
from tests.support.blockkit import assert_valid_message, assert_valid_view


def test_receipt_has_share_button_and_fallback():
    msg = b.build_thanks_receipt(["UB", "UC"], "the review", [1, 2])
    assert_valid_message(msg)
    assert msg["response_type"] == "ephemeral"
    button = msg["blocks"][-1]["elements"][0]
    assert (button["action_id"], button["value"]) == ("thanks_share", "1,2")
    assert "<@UB> and <@UC>" in msg["text"]


def test_messages_are_valid_block_kit_with_long_notes():
    note = "n" * 500
    for msg in (
        b.build_thanked_dm("UA", note, "command"),
        b.build_thanked_dm("UA", "", "reaction"),
        b.build_shared_thanks("UA", ["UB"], note),
        b.build_receipt_shared(["UB"]),
        b.build_claim_receipt("UB", note, 14),
        b.build_claim_request("UA", note, 7),
        b.build_claim_answered("UA", note, "confirmed"),
        b.build_claim_answered("UA", note, "declined"),
        b.build_claim_answered("UA", note, "expired"),
        b.build_claim_confirmed_dm("UB", note),
        b.build_error("Nope", "hint"),
        b.build_note_too_long(5000, b.THANKS_USAGE),
    ):
        assert_valid_message(msg)


def test_modals_are_valid():
    for view in (b.build_record_help_modal("UB", "{}"), b.build_thank_someone_modal(["UB"]),
                 b.build_helped_modal("UB"), b.build_modal_done("Done <now>")):
        assert_valid_view(view)
    assert b.build_thank_someone_modal(["UB"])["blocks"][0]["element"]["initial_users"] == ["UB"]


def test_notes_cannot_ping_or_inject_links():
    msg = b.build_thanked_dm("UA", "<!channel> see <https://evil|here> & thanks <@UC>", "command")
    rendered = json.dumps(msg["blocks"])
    assert "<!channel>" not in rendered and "<https://evil" not in rendered
    assert "<@UC>" in rendered, "person mentions stay live"


def test_claim_decline_wording_is_private_and_kind():
    words = b.build_claim_answered("UA", "x", "declined")["text"]
    assert "won't be told" in words
    request = json.dumps(b.build_claim_request("UA", "x", 1))
    assert "they won't be told" in request


def test_every_problem_has_words():
    for problem in Problem:
        assert b.problem_text("UB", problem)
