"""`intro_request_withdraw` over HTTP: the connector hears kindly, before or after they acted,
and a withdrawn request leaves no consent DM waiting for an answer."""

import json
from datetime import timedelta

from sqlalchemy import select

from bot import constants as ids
from bot.db.models import Intro, IntroRequest, OutboxItem
from tests.conftest import START
from tests.support import payloads as p
from tests.support.blockkit import assert_valid_message
from tests.support.db_read import landed
from tests.support.nudging import jobs_runner


def rows(db, model):
    with db.session() as s:
        return list(s.scalars(select(model).order_by(model.id)))


def outbox_row(db, key):
    with db.session() as s:
        return s.scalars(select(OutboxItem).where(OutboxItem.key == key)).one_or_none()


def buttons(msg):
    found = [e for b in msg.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]
    found += [b["accessory"] for b in msg.get("blocks", []) if "accessory" in b]
    return {e["action_id"]: e.get("value") for e in found if e.get("type") == "button"}


def ask(mutual, slack, settle=True):
    reply = mutual.post(p.command("/intro", "request <@UBOB> <@UCAROL> advice on <!channel> pricing",
                                  response_url=slack.response_url("ask")), settle=settle)
    assert reply.status == 200, reply.body
    return reply.json()


def withdraw(mutual, slack, value, user="UALICE", settle=True):
    reply = mutual.post(p.block_action(ids.INTRO_REQUEST_WITHDRAW, value, user=user,
                                       channel="CGENERAL", container_type="ephemeral",
                                       response_url=slack.response_url("withdraw")), settle=settle)
    assert reply.status == 200, reply.body


def press(mutual, slack, action_id, value, user, ts):
    reply = mutual.post(p.block_action(action_id, value, user=user, channel=user, message_ts=ts,
                                       response_url=slack.response_url("press")))
    assert reply.status == 200, reply.body
    mutual.settle()


def make_intro(mutual, slack, db):
    """Bob makes the intro Alice asked for: Alice and Carol are asked."""
    [req] = rows(db, IntroRequest)
    values = {
        ids.INTRO_A_BLOCK: {ids.INTRO_A_INPUT: {"type": "users_select", "selected_user": "UALICE"}},
        ids.INTRO_B_BLOCK: {ids.INTRO_B_INPUT: {"type": "users_select", "selected_user": "UCAROL"}},
        ids.INTRO_REASON_BLOCK: {ids.INTRO_REASON_INPUT: {"type": "plain_text_input",
                                                          "value": "pricing"}},
    }
    reply = mutual.post(p.view_submission(ids.INTRO_MODAL, values, user="UBOB",
                                          private_metadata=json.dumps({"request_id": req.id})))
    assert reply.json()["response_action"] == "update"


def mutual_intros(mutual, user="UALICE"):
    reply = mutual.post(p.command("/mutual", "intros", user=user))
    return reply.json()


def test_withdrawn_before_the_connector_acts(mutual, slack, db):
    receipt = ask(mutual, slack)
    assert_valid_message(receipt)
    [req] = rows(db, IntroRequest)
    assert buttons(receipt) == {ids.INTRO_REQUEST_WITHDRAW: str(req.id)}
    listed = mutual_intros(mutual)
    assert_valid_message(listed)
    assert buttons(listed) == {ids.INTRO_REQUEST_WITHDRAW: str(req.id)}
    assert "You asked <@UBOB> for an introduction to <@UCAROL>" in json.dumps(listed)
    assert "&lt;!channel&gt;" in json.dumps(listed) and "<!channel>" not in json.dumps(listed)
    request_dm = landed(db, f"intro_request:{req.id}")

    withdraw(mutual, slack, str(req.id))
    [told] = slack.calls_to("response_url")
    assert told["replace_original"] in (True, "true")
    assert "Withdrawn — I've let <@UBOB> know it's no longer needed" in told["text"]
    assert rows(db, IntroRequest)[0].status == "withdrawn"
    [update] = slack.calls_to("chat.update")
    assert (update["channel"], update["ts"]) == request_dm and buttons(update) == {}
    assert "no longer needs the introduction to <@UCAROL>" in update["text"]
    # One message says it: the request DM itself, not a second DM saying the same.
    assert len(slack.dms_to("UBOB")) == 1
    assert "declin" not in json.dumps(update).lower()
    assert slack.dms_to("UCAROL") == [], "the target never hears of it"
    assert "no introductions under way" in mutual_intros(mutual)["text"]

    # The connector's stale buttons: no modal, a kind word instead.
    press(mutual, slack, ids.INTRO_REQUEST_MAKE, str(req.id), "UBOB", request_dm[1])
    assert slack.calls_to("views.open") == []
    assert "no longer needs" in slack.calls_to("chat.update")[-1]["text"]
    # Withdrawing again is harmless.
    withdraw(mutual, slack, str(req.id))
    assert "already withdrawn" in slack.calls_to("response_url")[-1]["text"]
    assert len(slack.dms_to("UBOB")) == 1


def test_a_request_dm_not_sent_yet_never_goes(mutual, slack, db):
    with mutual.delivery_paused():
        ask(mutual, slack, settle=False)
        [req] = rows(db, IntroRequest)
        withdraw(mutual, slack, str(req.id), settle=False)
    mutual.settle()
    assert slack.dms_to("UBOB") == [] and slack.calls_to("chat.update") == []
    assert outbox_row(db, f"intro_request:{req.id}").status == "cancelled"


def test_withdrawn_after_the_intro_was_made_leaves_no_consent_dm_unanswered(mutual, slack, db):
    jobs = jobs_runner(db, slack, mutual)
    ask(mutual, slack)
    make_intro(mutual, slack, db)
    mutual.settle()
    [intro] = rows(db, Intro)
    consent = {u: landed(db, f"consent:{intro.id}:{u}") for u in ("UALICE", "UCAROL")}
    # Carol already said yes; Alice has not answered her own.
    press(mutual, slack, ids.INTRO_ACCEPT, str(intro.id), "UCAROL", consent["UCAROL"][1])
    [req] = rows(db, IntroRequest)
    listed = mutual_intros(mutual)
    assert buttons(listed).get(ids.INTRO_REQUEST_WITHDRAW) == str(req.id)
    assert "waiting for both of you to say yes" in json.dumps(listed)

    withdraw(mutual, slack, str(req.id))
    assert "called off the introduction to <@UCAROL>" in slack.calls_to("response_url")[-1]["text"]
    assert (rows(db, Intro)[0].status, rows(db, IntroRequest)[0].status) == ("expired", "withdrawn")
    latest = {}
    for update in slack.calls_to("chat.update"):
        latest[(update["channel"], update["ts"])] = update
    for user, where in consent.items():
        assert buttons(latest[where]) == {}, f"{user}'s consent DM still has buttons"
        assert "won't go ahead" in latest[where]["text"]
        assert_valid_message(latest[where])
    assert "You withdrew your request" in latest[consent["UALICE"]]["text"]
    assert "withdr" not in latest[consent["UCAROL"]]["text"], "nobody is blamed"
    told = slack.dms_to("UBOB")[-1]
    assert "called it off" in told["text"]

    # A late press on a consent DM answers kindly and changes nothing; no reminder follows.
    press(mutual, slack, ids.INTRO_ACCEPT, str(intro.id), "UALICE", consent["UALICE"][1])
    assert rows(db, Intro)[0].status == "expired"
    assert slack.calls_to("conversations.open") == []
    sent = len(slack.calls_to("chat.postMessage"))
    jobs(START + timedelta(days=4))
    assert [c for c in slack.calls_to("chat.postMessage")[sent:] if c["channel"] != "CTEAM"] == []
    assert "no introductions under way" in mutual_intros(mutual)["text"]


def test_consent_dms_not_sent_yet_are_cancelled(mutual, slack, db):
    ask(mutual, slack)
    with mutual.delivery_paused():
        make_intro(mutual, slack, db)
        [req] = rows(db, IntroRequest)
        withdraw(mutual, slack, str(req.id), settle=False)
    mutual.settle()
    [intro] = rows(db, Intro)
    for user in ("UALICE", "UCAROL"):
        assert outbox_row(db, f"consent:{intro.id}:{user}").status == "cancelled"
    assert slack.dms_to("UCAROL") == []
    assert not [m for m in slack.dms_to("UALICE") if ids.INTRO_ACCEPT in buttons(m)]


def test_too_late_once_both_said_yes_and_only_the_requester_can(mutual, slack, db):
    ask(mutual, slack)
    make_intro(mutual, slack, db)
    mutual.settle()
    [intro] = rows(db, Intro)
    [req] = rows(db, IntroRequest)
    withdraw(mutual, slack, str(req.id), user="UCAROL")
    assert "Only the person who asked" in slack.calls_to("response_url")[-1]["text"]
    for user in ("UALICE", "UCAROL"):
        press(mutual, slack, ids.INTRO_ACCEPT, str(intro.id), user,
              landed(db, f"consent:{intro.id}:{user}")[1])
    withdraw(mutual, slack, str(req.id))
    assert "the introduction is yours now" in slack.calls_to("response_url")[-1]["text"]
    assert (rows(db, Intro)[0].status, rows(db, IntroRequest)[0].status) == ("open", "made")
