"""`/intro @a @b <why>` end to end over HTTP: consent DMs, the group DM, "they connected"."""

import json
from datetime import timedelta

from sqlalchemy import select

from bot.db.models import Intro, ProcessedEvent
from bot.services.export import iter_intros
from tests.conftest import START
from tests.support import payloads as p
from tests.support.db_read import landed

GROUP = "GALIBOBCAR"  # what the double answers for conversations.open(users="UALICE,UBOB,UCAROL")


def intros(db):
    with db.session() as s:
        return list(s.scalars(select(Intro).order_by(Intro.id)))


def propose(mutual, text="<@UBOB> <@UCAROL> you both work on search ranking", user="UALICE"):
    reply = mutual.post(p.command("/intro", text, user=user))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()


def consent_dm(slack, user):
    [dm] = [m for m in slack.dms_to(user) if any(b["type"] == "actions" for b in m["blocks"])]
    return dm


def buttons(msg):
    return [e for b in msg.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]


def press(mutual, slack, action_id, value, user, channel=None, ts="1600000000.000100"):
    reply = mutual.post(p.block_action(action_id, value, user=user, channel=channel or user,
                                       message_ts=ts, response_url=slack.response_url()))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply


def say(mutual, user, channel=GROUP, event_id=None, **extra):
    reply = mutual.post_event(p.event(p.mpim_message(user, channel, **extra), event_id=event_id))
    assert reply.status == 200, reply.body
    mutual.settle()


def test_the_whole_flow_to_connected(mutual, slack, db):
    receipt = propose(mutual)
    assert receipt["response_type"] == "ephemeral"
    assert "<@UBOB> and <@UCAROL>" in receipt["text"] and "privately" in receipt["text"]

    bob, carol = consent_dm(slack, "UBOB"), consent_dm(slack, "UCAROL")
    for dm, other in ((bob, "<@UCAROL>"), (carol, "<@UBOB>")):
        assert "<@UALICE> would like to introduce you to " + other in dm["text"]
        assert "you both work on search ranking" in dm["text"]
        assert [b["action_id"] for b in buttons(dm)] == ["intro_accept", "intro_decline"]
    [intro] = intros(db)
    assert (intro.status, intro.introducer_id, intro.a_id, intro.b_id) == ("proposed", "UALICE", "UBOB", "UCAROL")
    bob_dm, carol_dm = landed(db, f"consent:{intro.id}:UBOB"), landed(db, f"consent:{intro.id}:UCAROL")
    assert bob_dm[0] == "UBOB" and bob_dm[1] and carol_dm[1]
    value = buttons(bob)[0]["value"]
    assert value == str(intro.id)

    # Bob says yes: his message changes in place; nobody else hears anything yet.
    press(mutual, slack, "intro_accept", value, "UBOB", ts=bob_dm[1])
    [update] = slack.calls_to("chat.update")
    assert (update["channel"], update["ts"]) == bob_dm
    assert "You said yes" in update["text"] and buttons(update) == []
    assert slack.calls_to("conversations.open") == [] and slack.dms_to("UALICE") == []

    # Carol says yes: one group DM of the three, the intro posted there, the introducer told.
    press(mutual, slack, "intro_accept", value, "UCAROL", ts=carol_dm[1])
    [opened] = slack.calls_to("conversations.open")
    assert sorted(opened["users"].split(",")) == ["UALICE", "UBOB", "UCAROL"]
    [group_post] = [m for m in slack.calls_to("chat.postMessage") if m["channel"] == GROUP]
    assert "<@UALICE> is introducing <@UBOB> and <@UCAROL>" in group_post["text"]
    assert [b["action_id"] for b in buttons(group_post)] == ["intro_connected"]
    [went_ahead] = slack.dms_to("UALICE")
    assert "both said yes" in went_ahead["text"]
    bob_now = [u for u in slack.calls_to("chat.update") if u["channel"] == "UBOB"][-1]
    assert "You both said yes" in bob_now["text"]
    [intro] = intros(db)
    assert (intro.status, intro.group_channel_id, intro.opened_at) == ("open", GROUP, START)

    # Things said in the group that are not Bob or Carol saying hello count for nothing.
    say(mutual, "UMUTUAL", text="the bot's own intro")
    say(mutual, "UCAROL", subtype="channel_join")
    say(mutual, "UCAROL", bot_id="B123")
    say(mutual, "UALICE", text="Over to you two!")
    say(mutual, "UCAROL", channel="GELSEWHERE")
    say(mutual, "UCAROL", channel_type="im", channel=GROUP)
    [intro] = intros(db)
    assert (intro.a_spoke_at, intro.b_spoke_at) == (None, None)

    mutual.clock.set(START + timedelta(hours=2))
    say(mutual, "UBOB", event_id="EvBob1")
    say(mutual, "UBOB", event_id="EvBob1")  # Slack delivering the same event again
    assert len(slack.dms_to("UALICE")) == 1
    mutual.clock.set(START + timedelta(hours=3))
    say(mutual, "UCAROL", event_id="EvCarol1")
    connected = slack.dms_to("UALICE")[-1]
    assert connected["text"] == "<@UBOB> and <@UCAROL> connected"
    [intro] = intros(db)
    assert intro.status == "connected" and intro.connected_at == START + timedelta(hours=3)
    assert intro.a_spoke_at == START + timedelta(hours=2)
    with db.session() as s:
        assert {e.event_id for e in s.scalars(select(ProcessedEvent))} >= {"EvBob1", "EvCarol1"}

    # Only once: more messages, or the button, tell the introducer nothing new.
    say(mutual, "UCAROL")
    press(mutual, slack, "intro_connected", value, "UBOB", channel=GROUP, ts="1700000099.000100")
    assert len(slack.dms_to("UALICE")) == 2
    with db.session() as s:
        [row] = list(iter_intros(s, "T0001"))
    assert row == {"id": intro.id, "introducer": "UALICE", "a": "UBOB", "b": "UCAROL",
                   "reason": "you both work on search ranking", "status": "connected",
                   "created_at": "2026-11-16T10:00:00Z", "connected_at": "2026-11-16T13:00:00Z",
                   "introducer_name": None, "a_name": None, "b_name": None}  # none asked for


def open_intro(mutual, slack, db):
    propose(mutual)
    value = buttons(consent_dm(slack, "UBOB"))[0]["value"]
    press(mutual, slack, "intro_accept", value, "UBOB")
    press(mutual, slack, "intro_accept", value, "UCAROL")
    return value


def test_the_connected_button(mutual, slack, db):
    value = open_intro(mutual, slack, db)
    # The introducer can't mark it: only the two people being introduced can.
    press(mutual, slack, "intro_connected", value, "UALICE", channel=GROUP)
    [told] = slack.calls_to("response_url")
    assert "Only <@UBOB> or <@UCAROL>" in told["text"] and told["response_type"] == "ephemeral"
    assert intros(db)[0].status == "open"

    [intro] = intros(db)
    post = landed(db, f"intro_post:{intro.id}")
    press(mutual, slack, "intro_connected", value, "UCAROL", channel=GROUP, ts=post[1])
    update = slack.calls_to("chat.update")[-1]
    assert (update["channel"], update["ts"]) == post  # the introduction, button gone
    assert "connected" in update["text"] and buttons(update) == []
    assert slack.dms_to("UALICE")[-1]["text"] == "<@UBOB> and <@UCAROL> connected"
    press(mutual, slack, "intro_connected", value, "UBOB", channel=GROUP, ts="1700000050.000100")
    assert [m["text"] for m in slack.dms_to("UALICE")].count("<@UBOB> and <@UCAROL> connected") == 1
    assert intros(db)[0].status == "connected"


def test_a_not_now_is_told_to_nobody_at_the_time(mutual, slack, db):
    propose(mutual)
    value = buttons(consent_dm(slack, "UBOB"))[0]["value"]
    [intro] = intros(db)
    bob_dm, carol_dm = landed(db, f"consent:{intro.id}:UBOB"), landed(db, f"consent:{intro.id}:UCAROL")
    press(mutual, slack, "intro_decline", value, "UBOB", ts=bob_dm[1])
    # Nothing changes for anyone else: the intro is still waiting, as it would be in silence.
    assert intros(db)[0].status == "proposed"
    assert slack.dms_to("UALICE") == [] and slack.dms_to("UCAROL") == [consent_dm(slack, "UCAROL")]
    assert [u["channel"] for u in slack.calls_to("chat.update")] == ["UBOB"]
    bob_update = slack.calls_to("chat.update")[-1]
    assert bob_update["ts"] == bob_dm[1] and buttons(bob_update) == []
    assert "will only hear it won't go ahead for now" in bob_update["text"]
    # Carol can still say yes; it waits for Bob, as if he had not answered.
    press(mutual, slack, "intro_accept", value, "UCAROL", ts=carol_dm[1])
    assert slack.calls_to("conversations.open") == []
    assert "once they've answered too" in slack.calls_to("chat.update")[-1]["text"]
    assert intros(db)[0].status == "proposed" and len(slack.dms_to("UALICE")) == 0


def test_pressing_twice_or_the_other_button_is_harmless(mutual, slack, db):
    propose(mutual)
    value = buttons(consent_dm(slack, "UBOB"))[0]["value"]
    press(mutual, slack, "intro_accept", value, "UBOB")
    press(mutual, slack, "intro_accept", value, "UBOB")
    press(mutual, slack, "intro_decline", value, "UBOB")
    [intro] = intros(db)
    assert (intro.status, intro.a_answer) == ("proposed", "accepted")
    assert slack.dms_to("UALICE") == [] and slack.dms_to("UCAROL") == [consent_dm(slack, "UCAROL")]
    assert all("You said yes" in u["text"] for u in slack.calls_to("chat.update"))


def test_answering_from_another_message_clears_the_first_dm_too(mutual, slack, db):
    propose(mutual)
    [intro] = intros(db)
    press(mutual, slack, "intro_accept", str(intro.id), "UBOB", ts="1600000042.000100")
    updated = {(u["channel"], u["ts"]) for u in slack.calls_to("chat.update")}
    assert updated == {("UBOB", "1600000042.000100"), landed(db, f"consent:{intro.id}:UBOB")}
    assert all(buttons(u) == [] for u in slack.calls_to("chat.update"))


def test_someone_else_pressing_is_refused(mutual, slack, db):
    propose(mutual)
    value = buttons(consent_dm(slack, "UBOB"))[0]["value"]
    for who in ("UERIN", "UALICE"):
        press(mutual, slack, "intro_accept", value, who)
    told = slack.calls_to("response_url")
    assert len(told) == 2 and all("nothing changed" in t["text"] for t in told)
    assert all(t.get("replace_original") in (False, "false") for t in told)
    [intro] = intros(db)
    assert (intro.status, intro.a_answer, intro.b_answer) == ("proposed", None, None)
    assert slack.calls_to("chat.update") == []


def test_accept_after_expiry_is_refused(mutual, slack, db):
    propose(mutual)
    value = buttons(consent_dm(slack, "UBOB"))[0]["value"]
    mutual.clock.set(START + timedelta(days=7, minutes=1))
    press(mutual, slack, "intro_accept", value, "UBOB", ts=landed(db, f"consent:{intros(db)[0].id}:UBOB")[1])
    [update] = [u for u in slack.calls_to("chat.update") if u["channel"] == "UBOB"]
    assert "closed without going ahead" in update["text"] and buttons(update) == []
    [intro] = intros(db)
    assert (intro.status, intro.a_answer) == ("proposed", None)  # the scheduler expires it


def test_a_party_deactivated_before_the_last_yes(mutual, slack, db):
    propose(mutual)
    value = buttons(consent_dm(slack, "UBOB"))[0]["value"]
    press(mutual, slack, "intro_accept", value, "UBOB")
    gone = dict(slack.users["UBOB"], deleted=True)
    slack.users["UBOB"] = gone
    assert mutual.post_event(p.event({"type": "user_change", "user": gone})).status == 200
    press(mutual, slack, "intro_accept", value, "UCAROL")
    assert slack.calls_to("conversations.open") == []
    update = [u for u in slack.calls_to("chat.update") if u["channel"] == "UCAROL"][-1]
    assert "can't go ahead" in update["text"]
    assert intros(db)[0].status == "expired"


def test_the_same_pair_twice_reveals_nothing_to_someone_else(mutual, slack, db):
    propose(mutual)
    again = propose(mutual, "<@UCAROL> <@UBOB> another reason", user="UERIN")
    assert again["response_type"] == "ephemeral"
    assert "can't put this introduction to them just now" in again["text"]
    shown = json.dumps(again)
    assert "<@UALICE>" not in shown and "already" not in shown and "!date" not in shown
    # The one who suggested it hears only what they know.
    mine = propose(mutual, "<@UCAROL> <@UBOB> once more")
    assert "You've already suggested introducing <@UBOB> and <@UCAROL>" in mine["text"]
    assert len(intros(db)) == 1
    assert slack.dms_to("UERIN") == [] and len(slack.dms_to("UBOB")) == 1


def test_mutual_intros_lists_yours_and_their_state(mutual, slack, db):
    propose(mutual)
    propose(mutual, "<@UERIN> <@UALICE> pairing on the API", user="UCAROL")
    reply = mutual.post(p.command("/mutual", "intros", user="UALICE"))
    body = reply.json()
    assert body["response_type"] == "ephemeral"
    listing = json.dumps(body["blocks"])
    assert "You introduced <@UBOB> and <@UCAROL>" in listing and "waiting for their answers" in listing
    assert "<@UCAROL> introduced you to <@UERIN>" in listing and "waiting for your answer" in listing
    bob = mutual.post(p.command("/mutual", "intros", user="UBOB")).json()
    assert "pairing on the API" not in json.dumps(bob), "only your own intros"
    erin = mutual.post(p.command("/mutual", "intros", user="UERIN")).json()
    assert "waiting for your answer" in json.dumps(erin)
