"""`/ask`: the channel post with "I can help" and "Mark solved", offers that DM the asker once,
accepting into a group DM of the two, and solving into confirmed records with source `ask`."""

from __future__ import annotations

import json
from datetime import timedelta

from bot import constants as ids
from bot.db.models import Ask, AskOffer
from tests.support import payloads as p
from tests.support.blockkit import assert_valid_message, assert_valid_view
from tests.support.db_read import landed, records
from tests.support.nudging import buttons, text_of

GROUP = "GALIBOB"  # the double's group DM of UALICE and UBOB


def ask(mutual, text="How do I rotate the staging DB password?", user="UALICE", channel="CGENERAL"):
    reply = mutual.post(p.command("/ask", text, user=user, channel=channel))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()


def press(mutual, slack, action_id, value, user, channel="CGENERAL", ts="1700000001.000100", **kw):
    reply = mutual.post(p.block_action(action_id, value, user=user, channel=channel,
                                       message_ts=ts, response_url=slack.response_url(), **kw))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply


def the_ask(db):
    with db.session() as s:
        return s.query(Ask).one()


def offers(db):
    with db.session() as s:
        return s.query(AskOffer).order_by(AskOffer.id).all()


def posts_in(slack, channel):
    return [m for m in slack.calls_to("chat.postMessage") if m.get("channel") == channel]


def replies(slack):
    return [c for c in slack.calls_to("response_url")]


def submit_solved(mutual, ask_id, ticked=(), others=(), user="UALICE"):
    values = {ids.SOLVED_OTHERS_BLOCK: {ids.SOLVED_OTHERS_INPUT: {
        "type": "multi_users_select", "selected_users": list(others)}}}
    if ticked:
        values[ids.SOLVED_OFFERS_BLOCK] = {ids.SOLVED_OFFERS_INPUT: {
            "type": "checkboxes", "selected_options": [{"value": u} for u in ticked]}}
    reply = mutual.post(p.view_submission(ids.SOLVED_MODAL, values, user=user,
                                          private_metadata=json.dumps({"ask": ask_id})))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()


def test_ask_posts_in_the_channel_with_both_buttons(mutual, slack, db):
    receipt = ask(mutual)
    assert receipt["response_type"] == "ephemeral"
    assert "<#CGENERAL>" in receipt["text"]
    assert buttons(receipt) == {ids.ASK_WITHDRAW: str(the_ask(db).id)}
    [post] = posts_in(slack, "CGENERAL")
    assert_valid_message(post)
    assert "<@UALICE> is asking for help" in post["text"]
    assert "rotate the staging DB password" in text_of(post)
    ask_id = str(the_ask(db).id)
    assert buttons(post) == {ids.ASK_OFFER: ask_id, ids.ASK_SOLVED: ask_id}
    assert landed(db, f"ask:{ask_id}")[0] == "CGENERAL"


def test_what_a_person_typed_is_escaped_in_the_post(mutual, slack, db):
    ask(mutual, "&lt;!channel&gt; see &lt;https://evil.test|the docs&gt; &amp; help")
    [post] = posts_in(slack, "CGENERAL")
    shown = text_of(post)
    assert "<!channel>" not in shown and "<https://evil.test" not in shown
    assert "&lt;!channel&gt;" in post["text"] and "&lt;!channel&gt;" in shown
    assert the_ask(db).text == "<!channel> see <https://evil.test|the docs> & help"


def test_bad_asks_are_refused_and_nothing_posted(mutual, slack, db):
    assert "What do you need?" in ask(mutual, "   ")["text"]
    assert "a channel" in ask(mutual, "help please", channel="DALICE")["text"]
    assert "up to 500" in ask(mutual, "x" * 600)["text"]
    with db.session() as s:
        assert s.query(Ask).count() == 0
    assert slack.calls_to("chat.postMessage") == []


def test_an_offer_dms_the_asker_once_even_if_pressed_twice(mutual, slack, db):
    ask(mutual)
    ask_id = str(the_ask(db).id)
    press(mutual, slack, ids.ASK_OFFER, ask_id, "UBOB")
    press(mutual, slack, ids.ASK_OFFER, ask_id, "UBOB")
    [dm] = slack.dms_to("UALICE")
    assert_valid_message(dm)
    assert "<@UBOB> can help with your ask" in dm["text"]
    [offer] = offers(db)
    assert (offer.helper_id, offer.status, offer.via) == ("UBOB", "offered", "channel")
    assert buttons(dm) == {ids.ASK_ACCEPT: str(offer.id), ids.ASK_SOLVED: ask_id}
    first, second = replies(slack)
    assert "I've let <@UALICE> know" in first["text"] and "already offered" in second["text"]
    assert first["response_type"] == "ephemeral" and first["replace_original"] is False
    assert slack.dms_to("UBOB") == []


def test_the_asker_cannot_offer_on_their_own_ask(mutual, slack, db):
    ask(mutual)
    press(mutual, slack, ids.ASK_OFFER, str(the_ask(db).id), "UALICE")
    assert offers(db) == [] and slack.dms_to("UALICE") == []
    assert "your own ask" in replies(slack)[0]["text"]


def test_accept_opens_a_group_dm_of_the_two_and_shows_someone_is_on_it(mutual, slack, db, clock):
    ask(mutual)
    ask_id = the_ask(db).id
    press(mutual, slack, ids.ASK_OFFER, str(ask_id), "UBOB")
    offer_id = offers(db)[0].id
    slack.fail("conversations.open", "internal_error")  # Slack stumbles once
    press(mutual, slack, ids.ASK_ACCEPT, str(offer_id), "UALICE", channel="DALI")
    assert posts_in(slack, GROUP) == []
    clock.set(clock() + timedelta(seconds=10))  # past the first retry's pause
    mutual.settle()
    opened = slack.calls_to("conversations.open")
    assert [o["users"] for o in opened] == ["UALICE,UBOB", "UALICE,UBOB"]
    [intro] = posts_in(slack, GROUP)
    assert_valid_message(intro)
    assert "<@UALICE>, <@UBOB> offered to help" in intro["text"]
    assert buttons(intro) == {ids.ASK_SOLVED: str(ask_id)}
    assert offers(db)[0].status == "accepted"
    updates = slack.calls_to("chat.update")
    dm_update = [u for u in updates if u["channel"] == "UALICE"]  # where the DM landed
    assert dm_update and "started a group chat" in dm_update[-1]["text"]
    post_update = [u for u in updates if u["channel"] == "CGENERAL"][-1]
    assert "Someone is helping with this" in text_of(post_update)
    assert "UBOB" not in text_of(post_update), "the post never says who offered"
    # Pressing Accept again opens nothing more.
    press(mutual, slack, ids.ASK_ACCEPT, str(offer_id), "UALICE", channel="DALI")
    assert len(posts_in(slack, GROUP)) == 1


def test_only_the_asker_can_accept(mutual, slack, db):
    ask(mutual)
    press(mutual, slack, ids.ASK_OFFER, str(the_ask(db).id), "UBOB")
    press(mutual, slack, ids.ASK_ACCEPT, str(offers(db)[0].id), "UCAROL", channel="DCAR")
    assert offers(db)[0].status == "offered"
    assert slack.calls_to("conversations.open") == []


def test_solving_records_help_from_the_ask_and_updates_the_post(mutual, slack, db):
    ask(mutual)
    ask_id = the_ask(db).id
    press(mutual, slack, ids.ASK_OFFER, str(ask_id), "UBOB")
    press(mutual, slack, ids.ASK_OFFER, str(ask_id), "UERIN")
    press(mutual, slack, ids.ASK_ACCEPT, str(offers(db)[0].id), "UALICE", channel="DALI")
    press(mutual, slack, ids.ASK_SOLVED, str(ask_id), "UALICE")
    [opened] = slack.calls_to("views.open")
    view = opened["view"]
    assert_valid_view(view) and view["callback_id"] == ids.SOLVED_MODAL
    boxes = next(b for b in view["blocks"] if b.get("block_id") == ids.SOLVED_OFFERS_BLOCK)
    assert [o["value"] for o in boxes["element"]["options"]] == ["UBOB", "UERIN"]
    assert [o["value"] for o in boxes["element"]["initial_options"]] == ["UBOB"]

    done = submit_solved(mutual, ask_id, ticked=["UBOB"], others=["UCAROL"])
    assert done["response_action"] == "update" and "<@UBOB> and <@UCAROL>" in str(done["view"])
    made = records(db)
    assert [(r.helper_id, r.receiver_id, r.source, r.status, r.note) for r in made] == [
        ("UBOB", "UALICE", "ask", "confirmed", "How do I rotate the staging DB password?"),
        ("UCAROL", "UALICE", "ask", "confirmed", "How do I rotate the staging DB password?")]
    assert the_ask(db).status == "solved"
    assert [o.status for o in offers(db)] == ["helped", "offered"]
    post = [u for u in slack.calls_to("chat.update") if u["channel"] == "CGENERAL"][-1]
    assert_valid_message(post)
    assert "Solved" in post["text"] and buttons(post) == {}
    assert "<@UBOB>" in post["text"] and "<@UCAROL>" in post["text"]
    assert "UERIN" not in text_of(post), "nobody who did not help is named"
    assert "says you helped" in slack.dms_to("UBOB")[-1]["text"]
    assert "says you helped" in slack.dms_to("UCAROL")[-1]["text"]
    assert "thanks for offering" in slack.dms_to("UERIN")[-1]["text"]

    # Submitting again (a retried request) records nothing more.
    submit_solved(mutual, ask_id, ticked=["UBOB"], others=["UCAROL"])
    assert len(records(db)) == 2


def test_someone_else_pressing_mark_solved_changes_nothing(mutual, slack, db):
    ask(mutual)
    ask_id = the_ask(db).id
    slack.reset()
    press(mutual, slack, ids.ASK_SOLVED, str(ask_id), "UBOB")
    [answer] = replies(slack)
    assert answer["text"] == "Only <@UALICE> can mark this solved."
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    assert slack.calls_to("views.open") == [] and slack.calls_to("chat.update") == []
    assert the_ask(db).status == "open" and records(db) == []
    done = submit_solved(mutual, ask_id, others=["UCAROL"], user="UBOB")  # a forged submission
    assert "Only the person who asked" in str(done["view"])
    assert the_ask(db).status == "open" and records(db) == []


def test_solving_refuses_bots_and_yourself(mutual, db):
    ask(mutual)
    ask_id = the_ask(db).id
    for who, words in (("UROBOT", "is a bot"), ("UALICE", "yourself"), ("UDAVE", "no longer active")):
        reply = submit_solved(mutual, ask_id, others=[who])
        assert reply["response_action"] == "errors", who
        assert words in reply["errors"][ids.SOLVED_OTHERS_BLOCK]
    assert the_ask(db).status == "open" and records(db) == []


def test_withdrawing_closes_it_and_thanks_whoever_offered(mutual, slack, db):
    ask(mutual)
    ask_id = the_ask(db).id
    press(mutual, slack, ids.ASK_OFFER, str(ask_id), "UBOB")
    press(mutual, slack, ids.ASK_WITHDRAW, str(ask_id), "UCAROL")
    assert the_ask(db).status == "open"
    press(mutual, slack, ids.ASK_WITHDRAW, str(ask_id), "UALICE", channel="CGENERAL",
          container_type="ephemeral")
    assert the_ask(db).status == "withdrawn"
    post = [u for u in slack.calls_to("chat.update") if u["channel"] == "CGENERAL"][-1]
    assert "no longer needs help" in post["text"] and buttons(post) == {}
    assert "doesn't need help with this any more" in slack.dms_to("UBOB")[-1]["text"]
    assert replies(slack)[-1]["replace_original"] is True
    press(mutual, slack, ids.ASK_OFFER, str(ask_id), "UCAROL")
    assert "no longer needed" in replies(slack)[-1]["text"]
    assert [o.helper_id for o in offers(db)] == ["UBOB"]


def test_the_shortcut_asks_in_the_channel_picked(mutual, slack, db):
    reply = mutual.post(p.global_shortcut(ids.ASK_FOR_HELP))
    assert reply.status == 200
    mutual.settle()
    view = slack.calls_to("views.open")[0]["view"]
    assert_valid_view(view) and view["callback_id"] == ids.ASK_MODAL

    def submit(text, channel):
        values = {ids.ASK_TEXT_BLOCK: {ids.ASK_TEXT_INPUT: {"type": "plain_text_input", "value": text}},
                  ids.ASK_WHERE_BLOCK: {ids.ASK_WHERE_INPUT: {"type": "conversations_select",
                                                              "selected_conversation": channel}}}
        answer = mutual.post(p.view_submission(ids.ASK_MODAL, values))
        mutual.settle()
        return answer.json()

    assert submit("", "CRANDOM")["response_action"] == "errors"
    assert ids.ASK_WHERE_BLOCK in submit("Pairing on Terraform?", "DALICE")["errors"]
    done = submit("Pairing on Terraform?", "CRANDOM")
    assert done["response_action"] == "update" and "<#CRANDOM>" in str(done["view"])
    [post] = posts_in(slack, "CRANDOM")
    assert "Pairing on Terraform?" in text_of(post)
    assert the_ask(db).source == "shortcut"


def test_a_post_slack_refuses_closes_the_ask_and_tells_the_asker(mutual, slack, db):
    slack.fail("chat.postMessage", "channel_not_found")
    ask(mutual, channel="CSECRET")
    assert the_ask(db).status == "unposted"
    [told] = slack.dms_to("UALICE")
    assert "couldn't post your ask" in told["text"] and "nothing was posted" in told["text"]


def test_mutual_asks_lists_your_asks_and_offers(mutual, slack, db, clock):
    ask(mutual, "First: reviewing a launch plan")
    clock.set(clock() + timedelta(minutes=5))
    ask(mutual, "Second: a hand with the &lt;b&gt; CSS")
    with db.session() as s:
        mine = {str(a.id) for a in s.query(Ask).order_by(Ask.id)}
    ask(mutual, "Bob needs a reviewer", user="UBOB")
    with db.session() as s:
        bobs = s.query(Ask).filter(Ask.asker_id == "UBOB").one().id
    press(mutual, slack, ids.ASK_OFFER, str(bobs), "UALICE")
    press(mutual, slack, ids.ASK_ACCEPT, str(offers(db)[0].id), "UBOB", channel="DBOB")
    reply = mutual.post(p.command("/mutual", "asks")).json()
    assert_valid_message(reply)
    shown = text_of(reply)
    assert shown.index("Second") < shown.index("First"), "newest first"
    assert "&lt;b&gt;" in shown and "<b>" not in shown
    found = buttons(reply)
    assert found[ids.ASK_WITHDRAW] in mine
    assert found[ids.OFFER_DONE] == str(offers(db)[0].id)
    assert "Bob needs a reviewer" in shown
    empty = mutual.post(p.command("/mutual", "asks", user="UCAROL")).json()
    assert "no open asks" in empty["text"]


def test_an_offer_button_elsewhere_records_where_it_was(mutual, slack, db):
    ask(mutual)
    ask_id = the_ask(db).id
    press(mutual, slack, ids.ASK_OFFER, f"{ask_id}:nudge", "UBOB", channel="DBOB")
    press(mutual, slack, ids.ASK_OFFER, f"{ask_id}:nowhere", "UCAROL", channel="DCAR")
    assert [(o.helper_id, o.via) for o in offers(db)] == [("UBOB", "nudge")]
    assert len(slack.dms_to("UALICE")) == 1
