"""Every message and form about asks and offers is valid Block Kit, and whatever a person typed
— an @channel, a link, markup — is shown as text, in the blocks and in the fallback text."""

import json
from datetime import timedelta

import pytest

from bot import constants as ids
from bot.blocks import asks as b
from bot.blocks import asks_more as more
from bot.blocks import offers as o
from bot.blocks.me import build_with
from bot.services.ask_match import Suggestion
from bot.services.asks import AskView, OfferView, PostState
from bot.services.offers import AboutView, Added
from bot.services.views import History
from tests.conftest import START
from tests.support.blockkit import assert_valid_message, assert_valid_view

HOSTILE = "<!channel> see <https://evil.test|the docs> & <b>bold</b> *now*"


def ask(status="open", text=HOSTILE, asker="UALICE"):
    return AskView(7, "T0001", asker, text, "CGENERAL", status, "command", START)


def offer(status="offered"):
    return OfferView(3, "T0001", 7, "UBOB", status, "channel", START)


def safe(msg):
    """Nothing typed can ping, link or format: it is all escaped."""
    shown = json.dumps(msg)
    assert "<!channel>" not in shown and "<https://evil.test" not in shown and "<b>" not in shown
    return shown


MESSAGES = {
    "post open": lambda: b.build_ask_post(PostState(ask())),
    "post under way": lambda: b.build_ask_post(PostState(ask(), under_way=True)),
    "post solved": lambda: b.build_ask_post(PostState(ask("solved"), helpers=["UBOB", "UCAROL"])),
    "post solved alone": lambda: b.build_ask_post(PostState(ask("solved"))),
    "post withdrawn": lambda: b.build_ask_post(PostState(ask("withdrawn"))),
    "post expired": lambda: b.build_ask_post(PostState(ask("expired"))),
    "post forgotten": lambda: b.build_ask_post(PostState(ask("withdrawn", "", ""))),
    "receipt": lambda: b.build_ask_receipt(ask()),
    "offer dm": lambda: b.build_offer_dm("UBOB", ask(), 3),
    "offer accepted": lambda: b.build_offer_accepted("UBOB", ask()),
    "group post": lambda: b.build_group_post("UALICE", "UBOB", ask()),
    "group failed": lambda: b.build_group_failed("UBOB"),
    "done dm": lambda: b.build_offer_done_dm("UBOB", ask()),
    "open again": lambda: b.build_open_again(ask()),
    "post failed": lambda: b.build_ask_post_failed(ask(), "private_channel"),
    "post failed other": lambda: b.build_ask_post_failed(ask(), "<!here>"),
    "only asker": lambda: b.build_only_asker("UALICE"),
    "own ask": lambda: b.build_own_ask(),
    "closed": lambda: b.build_ask_closed(ask("solved")),
    "withdrawn": lambda: b.build_withdrawn(ask()),
    "offered": lambda: b.build_offered_reply("UALICE"),
    "offered again": lambda: b.build_offered_reply("UALICE", again=True),
    "renewed": lambda: b.build_offered_reply("UALICE", renewed=True),
    "offer gone": lambda: b.build_offer_gone(ask()),
    "reminder": lambda: b.build_offer_reminder("UALICE", ask(), 3),
    "done reply": lambda: b.build_offer_done_reply("UALICE"),
    "cannot reply": lambda: b.build_offer_cannot_reply(),
    "helped dm": lambda: b.build_helped_dm("UALICE", ask()),
    "closed dm": lambda: b.build_offer_closed_dm("UALICE", ask("withdrawn")),
    "suggestion": lambda: more.build_ask_suggestion(ask(), [
        Suggestion("UCAROL", 2, {"postgres", "<!channel>"}), Suggestion("UERIN", 2, set(), [HOSTILE])]),
    "expired": lambda: more.build_ask_expired(ask("expired"), 30),
    "asks list": lambda: more.build_asks_list([ask()] * 9, [(offer("accepted"), ask(asker="UBOB"))] * 9,
                                               {7: 2}),
    "asks list empty": lambda: more.build_asks_list([], [], {}),
    "offer list": lambda: o.build_offer_list([AboutView(1, "UBOB", HOSTILE, START)] * 5,
                                             o.ADDED_WORDS[Added.FULL]),
    "offer list empty": lambda: o.build_offer_list([]),
    "protect time": lambda: o.build_protect_time(90),
    "paused": lambda: o.build_asks_paused(START + timedelta(days=14)),
    "not yours": lambda: o.build_not_yours(),
    "with offers": lambda: build_with(History("UALICE", "UBOB", 90, 0, 0, 0, 0, [], [HOSTILE])),
}


@pytest.mark.parametrize("name", MESSAGES)
def test_every_message_is_valid_and_escaped(name):
    msg = MESSAGES[name]()
    assert_valid_message(msg)
    safe(msg)


def test_hostile_text_is_shown_escaped_not_dropped():
    msg = b.build_ask_post(PostState(ask()))
    assert "&lt;!channel&gt;" in msg["text"] and "&lt;!channel&gt;" in json.dumps(msg["blocks"])


def test_the_post_never_says_who_offered():
    shown = json.dumps(b.build_ask_post(PostState(ask(), under_way=True)))
    assert "UBOB" not in shown and "Someone is helping" in shown


def test_the_forms_are_valid_views():
    assert_valid_view(b.build_ask_modal())
    offers = [OfferView(i, "T0001", 7, f"UHELPER{i}", "accepted" if i % 2 else "offered",
                        "channel", START) for i in range(12)]
    solved = b.build_solved_modal(ask(), offers)
    assert_valid_view(solved)
    safe(solved)
    boxes = next(x for x in solved["blocks"] if x.get("block_id") == ids.SOLVED_OFFERS_BLOCK)
    assert len(boxes["element"]["options"]) == 10, "Slack allows ten checkboxes"
    assert all(opt["value"].startswith("UHELPER") for opt in boxes["element"]["initial_options"])
    assert b.ask_id_of(solved["private_metadata"]) == 7
    assert b.ask_id_of("not json") is None and b.ask_id_of('{"ask": "7"}') is None
    alone = b.build_solved_modal(ask(), [])
    assert_valid_view(alone)
    assert ids.SOLVED_OFFERS_BLOCK not in json.dumps(alone)
    for view in (b.build_solved_done(["UBOB"]), b.build_solved_done([]),
                 b.build_ask_posting_done("CGENERAL"), b.build_form_done("done")):
        assert_valid_view(view)
