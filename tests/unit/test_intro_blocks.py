"""Intro builders: the words people read, the buttons, and Block Kit's limits."""

import json
from dataclasses import replace
from datetime import timedelta

from bot import constants as ids
from bot.blocks import intros as b
from bot.services.intros import IntroView, Refused, RequestRefused, RequestView
from bot.services.people import Problem
from tests.conftest import START


def view(**kw):
    base = IntroView(id=7, team_id="T0001", introducer_id="UALICE", a_id="UBOB", b_id="UCAROL",
                     reason="you both <work> on search & ranking", status="proposed", a_answer=None,
                     b_answer=None, created_at=START)
    return replace(base, **kw)


def all_text(msg):
    return json.dumps(msg)


def buttons(msg):
    return [(e["action_id"], e.get("value")) for blk in msg["blocks"] if blk["type"] == "actions"
            for e in blk["elements"]]


def test_consent_request_names_introducer_other_and_why_with_two_buttons():
    msg = b.build_consent_request("UALICE", "UCAROL", "you both <work> on search", 7)
    assert "<@UALICE>" in msg["text"] and "<@UCAROL>" in msg["text"]
    assert buttons(msg) == [(ids.INTRO_ACCEPT, "7"), (ids.INTRO_DECLINE, "7")]
    # User-typed text is escaped in blocks, so it cannot fake a link or ping a channel.
    assert "&lt;work&gt;" in msg["blocks"][0]["text"]["text"]
    assert "as you asked" in all_text(b.build_consent_request("UALICE", "UCAROL", "r", 7, True))


def test_answered_messages_have_no_buttons_and_never_say_who_declined():
    declined = view(status="declined", b_answer="declined")
    for msg in (b.build_consent_answered(declined, "UBOB"), b.build_consent_answered(declined, "UCAROL"),
                b.build_consent_answered(view(a_answer="accepted"), "UBOB"),
                b.build_consent_answered(view(status="open"), "UBOB"),
                b.build_consent_answered(view(), "UBOB", expired=True)):
        assert buttons(msg) == []
    # Closed without a yes from both, as each of them sees it: never what the other answered.
    to_bob = all_text(b.build_consent_answered(declined, "UBOB"))
    assert "closed without going ahead" in to_bob and "declin" not in to_bob
    said_yes = b.build_consent_answered(view(status="declined", a_answer="accepted",
                                             b_answer="declined"), "UBOB")
    assert said_yes["text"] == ":white_check_mark: You said yes to meeting <@UCAROL>."
    assert "You said not now" in b.build_consent_answered(declined, "UCAROL")["text"]
    assert "closed without going ahead" in b.build_consent_answered(view(), "UBOB", expired=True)["text"]
    assert "group chat" in b.build_consent_answered(view(status="open"), "UCAROL")["text"]


def test_the_introducer_hears_only_that_it_wont_go_ahead():
    msg = b.build_intro_expired_notice("UBOB", "UCAROL")
    assert msg["text"] == "Your introduction of <@UBOB> and <@UCAROL> won't go ahead for now."
    assert "declin" not in all_text(msg) and "answer" not in all_text(msg)
    other = b.build_intro_closed_notice("UALICE", "UCAROL")
    assert "won't go ahead for now" in other["text"] and "declin" not in all_text(other)


def test_group_intro_and_connected():
    msg = b.build_group_intro("UALICE", "UBOB", "UCAROL", "search", 7)
    assert buttons(msg) == [(ids.INTRO_CONNECTED, "7")]
    assert all(f"<@{u}>" in msg["text"] for u in ("UALICE", "UBOB", "UCAROL"))
    assert buttons(b.build_group_connected("UALICE", "UBOB", "UCAROL", "search")) == []
    assert b.build_connected_notice("UBOB", "UCAROL")["text"] == "<@UBOB> and <@UCAROL> connected"


def test_refusals_are_ephemeral_and_specific():
    for refused in (Refused.TOO_FEW, Refused.SAME_PERSON, Refused.SELF, Refused.EMPTY_REASON):
        reply = b.build_intro_refused(refused)
        assert reply["response_type"] == "ephemeral" and "Nothing was sent" in reply["text"]
    assert "501 characters" in b.build_intro_refused(Refused.REASON_TOO_LONG, 501)["text"]
    # Someone else's intro of the two: nothing about it, the same words as after a "no".
    dup = b.build_intro_refused(Refused.DUPLICATE, existing=view(status="open", introducer_id="UERIN"),
                                viewer_id="UALICE")
    assert dup["text"] == b.build_intro_refused(Refused.NOT_NOW)["text"] == b.NOT_NOW_INTRO
    assert "<@UERIN>" not in all_text(dup) and "already" not in all_text(dup)
    mine = b.build_intro_refused(Refused.DUPLICATE, existing=view(introducer_id="UALICE"),
                                 viewer_id="UALICE")
    assert "You've already suggested introducing" in mine["text"]
    req = RequestView(id=3, team_id="T0001", requester_id="UALICE", connector_id="UBOB",
                      target_id="UCAROL", reason="r", status="pending", intro_id=None,
                      created_at=START)
    assert "already asked <@UBOB>" in b.build_request_refused(RequestRefused.DUPLICATE, request=req)["text"]
    assert b.build_request_refused(RequestRefused.NOT_NOW)["text"] == b.NOT_NOW_REQUEST
    assert "That's you" in b.build_request_refused(RequestRefused.SELF_TARGET)["text"]


def test_problem_words_fit_introductions():
    assert "no one to introduce" in b.intro_problem_text("UROBOT", Problem.BOT)
    assert b.intro_problem_text("UDAVE", Problem.DEACTIVATED, who="this person").startswith("This person")
    assert "<@UFOREIGN>" in b.intro_problem_text("UFOREIGN", Problem.OTHER_WORKSPACE)


def test_request_dm_buttons_and_answers():
    msg = b.build_request_dm("UALICE", "UCAROL", "pricing", 3)
    assert buttons(msg) == [(ids.INTRO_REQUEST_MAKE, "3"), (ids.INTRO_REQUEST_DECLINE, "3")]
    req = RequestView(id=3, team_id="T0001", requester_id="UALICE", connector_id="UBOB",
                      target_id="UCAROL", reason="pricing", status="declined",
                      intro_id=None, created_at=START)
    assert buttons(b.build_request_answered(req)) == []
    assert buttons(b.build_request_answered(replace(req, status="made"))) == []
    gentle = b.build_request_closed_notice("UBOB", "UCAROL")["text"]
    assert "didn't happen this time" in gentle and "declin" not in gentle


def test_intro_modal_prefilled_and_round_trips_the_request():
    modal = b.build_intro_modal("UALICE", "UCAROL", "pricing", 3)
    assert modal["callback_id"] == ids.INTRO_MODAL
    by_block = {blk.get("block_id"): blk for blk in modal["blocks"]}
    assert by_block[ids.INTRO_A_BLOCK]["element"]["initial_user"] == "UALICE"
    assert by_block[ids.INTRO_B_BLOCK]["element"]["initial_user"] == "UCAROL"
    assert by_block[ids.INTRO_REASON_BLOCK]["element"]["initial_value"] == "pricing"
    assert b.request_id_of(modal["private_metadata"]) == 3
    blank = b.build_intro_modal()
    assert blank["private_metadata"] == "" and b.request_id_of(blank["private_metadata"]) is None
    assert "initial_user" not in blank["blocks"][0]["element"]
    assert b.request_id_of("not json") is None


def test_intro_list_states_per_viewer():
    mine = b.intro_line(view(), "UALICE")
    assert "You introduced <@UBOB> and <@UCAROL>" in mine and "waiting for their answers" in mine
    assert "waiting for your answer" in b.intro_line(view(), "UBOB")
    accepted = b.intro_line(view(a_answer="accepted"), "UBOB")
    assert "you said yes; waiting for <@UCAROL>" in accepted
    # The introducer never learns who has answered.
    assert "waiting for their answers" in b.intro_line(view(a_answer="accepted"), "UALICE")
    assert "group chat open" in b.intro_line(view(status="open", opened_at=START), "UCAROL")


def test_intro_list_stays_within_block_kit_limits():
    many = [view(id=i, reason="x&" * 250, created_at=START - timedelta(hours=i)) for i in range(120)]
    reply = b.build_intro_list(many, "UALICE")
    assert reply["response_type"] == "ephemeral"
    assert len(reply["blocks"]) <= 50
    assert all(len(blk["text"]["text"]) <= 3000 for blk in reply["blocks"] if blk["type"] == "section")
    shown = len(reply["blocks"]) - 2  # the heading and the "…and N more" line
    assert 0 < shown <= 45  # as many as fit Slack's ~12k characters a message (issue 18)
    assert f"and {120 - shown} more" in all_text(reply["blocks"][-1])
    assert "no introductions under way" in b.build_intro_list([], "UALICE")["text"]


def test_scheduler_messages_are_gentle():
    reminder = b.build_intro_reminder(7, "UALICE", "UCAROL", "search")
    assert buttons(reminder) == [(ids.INTRO_ACCEPT, "7"), (ids.INTRO_DECLINE, "7")]
    assert "gentle reminder" in reminder["text"]
    expired = b.build_intro_expired_notice("UBOB", "UCAROL", "search")
    assert "<@UBOB> and <@UCAROL>" in expired["text"] and buttons(expired) == []
    nudge = b.build_intro_silent_nudge(7, "UALICE", "UCAROL", "GALIBOCAR")
    assert "<#GALIBOCAR>" in nudge["text"] and buttons(nudge) == [(ids.INTRO_CONNECTED, "7")]
    for msg in (reminder, expired, nudge):
        words = all_text(msg).lower()
        assert "ignored" not in words and "failed" not in words


def test_people_who_were_forgotten_are_not_shown_as_empty_mentions():
    msg = b.build_consent_answered(view(status="expired", introducer_id="", b_id=""), "UBOB")
    assert "<@>" not in all_text(msg) and "someone" in msg["text"]
