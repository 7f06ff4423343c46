"""Every message of issue 12's loop (undo, withdrawing a request, follow-ups, passing it on)
is valid Block Kit, and what a person typed can neither ping a channel nor fake a link — in
the blocks and in the fallback text."""

import json
from datetime import UTC, datetime

import pytest

from bot import constants as ids
from bot.blocks import followups as f
from bot.blocks import loop, requests, undo
from bot.blocks.intros import build_intro_list, build_request_answered, build_request_receipt
from bot.blocks.recording import build_modal_done, build_thanks_receipt
from bot.services.followups import IntroWorth
from bot.services.intros import IntroView, RequestView
from bot.services.views import PassingOn, PersonalView
from bot.services.withdraw import Withdraw
from tests.support.blockkit import assert_valid_message, assert_valid_view

EVIL = "<!channel> look <https://evil.example|here> & <!here>"
WHEN = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


def request(status="pending", reason=EVIL):
    return RequestView(7, "T0001", "UALICE", "UBOB", "UCAROL", reason, status, None, WHEN)


def intro(status="proposed"):
    return IntroView(9, "T0001", "UBOB", "UALICE", "UCAROL", EVIL, status, None, "accepted", WHEN)


def person_view(**fields):
    base = dict(user_id="UALICE", window_days=90, one_sided_min=3, given=3, received=4,
                two_way=[], received_only=[], given_only=[], open_intros=[], claims_awaiting=[])
    return PersonalView(**{**base, **fields})


MESSAGES = {
    "followup question": lambda: f.build_followup_question(["UBOB"], EVIL, WHEN, [1, 2]),
    "followup answered": lambda: f.build_followup_answered(["UBOB"], EVIL, "worked", EVIL),
    "followup told worked": lambda: f.build_followup_told("UALICE", EVIL, "worked", EVIL),
    "followup told ongoing": lambda: f.build_followup_told("UALICE", EVIL, "ongoing", EVIL),
    "followup told not needed": lambda: f.build_followup_told("UALICE", EVIL, "not_needed", ""),
    "intro question": lambda: f.build_intro_followup_question(9, "UBOB", "UCAROL", EVIL, WHEN),
    "intro answered": lambda: f.build_intro_followup_answered("UBOB", "UCAROL", "not_worth_it",
                                                              EVIL),
    "intro told yes": lambda: f.build_intro_followup_told("UALICE", "UCAROL", "worth_it", EVIL),
    "intro told no": lambda: f.build_intro_followup_told("UALICE", "UCAROL", "not_worth_it", ""),
    "not yours": f.build_answer_not_yours,
    "nothing to answer": f.build_nothing_to_answer,
    "receipt": lambda: build_thanks_receipt(["UBOB"], EVIL, [1]),
    "taken back": lambda: undo.build_taken_back(["UBOB", "UCAROL"]),
    "too late": undo.build_too_late,
    "shared": undo.build_already_shared,
    "not your thanks": undo.build_not_your_thanks,
    "request receipt": lambda: build_request_receipt("UBOB", "UCAROL", 7),
    "request withdrawn dm": lambda: requests.build_request_no_longer_needed(request()),
    "request answered withdrawn": lambda: build_request_answered(request("withdrawn")),
    "connector notice": lambda: requests.build_request_withdrawn_notice(request(), False),
    "connector notice made": lambda: requests.build_request_withdrawn_notice(request("made"), True),
    "consent withdrawn": lambda: requests.build_consent_withdrawn(intro(), "UCAROL", "UALICE"),
    "consent withdrawn requester": lambda: requests.build_consent_withdrawn(intro(), "UALICE",
                                                                            "UALICE"),
    "intro list with requests": lambda: build_intro_list([intro()], "UALICE",
                                                         [request(), request("made")]),
    **{f"withdraw reply {o.value}": (lambda o=o: requests.build_withdraw_reply(o, request()))
       for o in Withdraw},
}


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_every_new_message_is_valid_and_escapes_what_people_typed(name):
    msg = MESSAGES[name]()
    assert_valid_message(msg)
    shown = json.dumps(msg)
    for raw in ("<!channel>", "<!here>", "<https://evil"):
        assert raw not in shown, (name, raw)
    if "evil" in shown:
        assert "&lt;!channel&gt;" in shown and "&lt;https://evil.example|here&gt;" in shown


def test_the_followup_question_carries_its_words_box_and_three_answers():
    msg = f.build_followup_question(["UBOB"], "the review", WHEN, [4, 5])
    [box] = [b for b in msg["blocks"] if b["type"] == "input"]
    assert (box["block_id"], box["element"]["action_id"], box["optional"]) == (
        ids.FOLLOWUP_WORDS_BLOCK, ids.FOLLOWUP_WORDS_INPUT, True)
    assert box["element"]["max_length"] == 500
    [actions] = [b for b in msg["blocks"] if b["type"] == "actions"]
    assert [(e["action_id"], e["text"]["text"], e["value"]) for e in actions["elements"]] == [
        (ids.FOLLOWUP_WORKED, "It worked", "4,5"),
        (ids.FOLLOWUP_ONGOING, "Still working on it", "4,5"),
        (ids.FOLLOWUP_NOT_NEEDED, "Didn't need it after all", "4,5")]
    assert msg["text"] == "How did it go with “the review”? Tell <@UBOB>."


def test_a_long_note_is_cut_at_a_word_in_sentences():
    note = "a very long note " * 20
    assert len(f.short(note)) <= 80 and f.short(note).endswith("…")


def test_the_receipt_offers_undo_next_to_share():
    msg = build_thanks_receipt(["UBOB"], "x", [3, 4], hint=True)
    actions = msg["blocks"][-1]["elements"]
    assert [(e["action_id"], e["value"]) for e in actions] == [(ids.THANKS_SHARE, "3,4"),
                                                               (ids.THANKS_UNDO, "3,4")]
    assert "take it back for 15 minutes" in json.dumps(msg)
    # Later receipts: the one line and the buttons beside it, the hint not again.
    later = build_thanks_receipt(["UBOB"], "x", [5], hint=False)
    assert [b["type"] for b in later["blocks"]] == ["section", "actions"]
    assert "take it back" not in json.dumps(later)


def test_closing_views_with_and_without_undo():
    assert_valid_view(build_modal_done("Noted", undo_ids=[3]))
    assert "actions" not in json.dumps(build_modal_done("Noted"))
    for view in (undo.build_taken_back_view(["UBOB"]), undo.build_too_late_view()):
        assert_valid_view(view)


def test_passing_on_and_intro_worth_lines_in_words():
    view = person_view(passing_on=[PassingOn("UBOB", 4, 3, 5), PassingOn("UERIN", 3, 1, 2),
                                   PassingOn("UDAN", 3, 0, 2)],
                       intro_worth=IntroWorth(answered=4, worth=3, people=6))
    text = json.dumps(loop.passing_on_blocks(view) + loop.intro_worth_blocks(view))
    assert "<@UBOB> helped you 4 times; you've helped 3 others in that time" in text
    assert "<@UERIN> helped you 3 times; you've helped someone else twice in that time" in text
    assert "<@UDAN> helped you 3 times; you've helped others twice in that time" in text
    assert "3 of your 4 intros this quarter were worth it, say the people you introduced" in text
    assert loop.intro_worth_blocks(person_view()) == []
    assert loop.passing_on_blocks(person_view()) == []
