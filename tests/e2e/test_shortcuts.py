"""`record_help` (message shortcut) and `thank_someone` (global shortcut) over HTTP."""

import json

from tests.support import payloads as p
from tests.support.db_read import record_count, records

MESSAGE = {"type": "message", "user": "UBOB", "ts": "1700000100.000200", "text": "Try this"}


def note_values(note):
    return {"note_block": {"note_input": {"type": "plain_text_input", "value": note}}}


def open_record_help(mutual, slack, message=MESSAGE, user="UALICE"):
    assert mutual.post(p.message_shortcut("record_help", message, user=user)).status == 200
    return slack.wait_for("views.open")[-1]["view"]


def test_record_help_opens_a_modal_then_records_once(mutual, slack, db):
    view = open_record_help(mutual, slack)
    assert view["callback_id"] == "record_help"
    assert "<@UBOB>" in json.dumps(view["blocks"])
    note_block = next(b for b in view["blocks"] if b.get("block_id") == "note_block")
    assert note_block["optional"] is True

    submit = p.view_submission("record_help", note_values("unblocked my deploy"),
                               private_metadata=view["private_metadata"])
    reply = mutual.post(submit)
    assert reply.status == 200
    assert reply.json()["response_action"] == "update"
    mutual.settle()

    [rec] = records(db)
    assert (rec.helper_id, rec.receiver_id, rec.source, rec.note) == (
        "UBOB", "UALICE", "shortcut", "unblocked my deploy")
    assert (rec.channel_id, rec.message_ts) == ("CGENERAL", "1700000100.000200")
    [dm] = slack.dms_to("UBOB")
    assert "<@UALICE> says a message of yours helped them" in dm["text"]

    # The same person, the same message again: one record, the latest note, no second DM.
    mutual.post(p.view_submission("record_help", note_values("and the rollback"),
                                  private_metadata=view["private_metadata"]))
    mutual.settle()
    assert [r.note for r in records(db)] == ["and the rollback"]
    assert len(slack.dms_to("UBOB")) == 1


def test_record_help_without_a_note(mutual, slack, db):
    view = open_record_help(mutual, slack)
    reply = mutual.post(p.view_submission("record_help", {"note_block": {"note_input": {
        "type": "plain_text_input", "value": None}}}, private_metadata=view["private_metadata"]))
    assert reply.status == 200
    assert records(db)[0].note == ""


def test_record_help_on_own_or_bot_message_explains_and_saves_nothing(mutual, slack, db):
    own = open_record_help(mutual, slack, message={**MESSAGE, "user": "UALICE"})
    assert "your own message" in json.dumps(own)
    bot = open_record_help(mutual, slack, message={"type": "message", "bot_id": "B1",
                                                   "subtype": "bot_message", "ts": "1.2"})
    assert "posted by an app" in json.dumps(bot)
    assert "submit" not in own and "submit" not in bot
    assert record_count(db) == 0


def test_record_help_for_a_deactivated_author_is_refused(mutual, slack, db):
    view = open_record_help(mutual, slack, message={**MESSAGE, "user": "UDAVE"})
    reply = mutual.post(p.view_submission("record_help", note_values("thanks"),
                                          private_metadata=view["private_metadata"]))
    assert "no longer active" in json.dumps(reply.json())
    assert record_count(db) == 0


def people_values(users, note=""):
    return {"people_block": {"people_input": {"type": "multi_users_select",
                                              "selected_users": users}},
            **note_values(note)}


def test_thank_someone_modal_records_like_thanks(mutual, slack, db):
    assert mutual.post(p.global_shortcut("thank_someone")).status == 200
    view = slack.wait_for("views.open")[0]["view"]
    assert view["callback_id"] == "thank_someone"
    picker = view["blocks"][0]["element"]
    assert picker["type"] == "multi_users_select"

    reply = mutual.post(p.view_submission("thank_someone",
                                          people_values(["UBOB", "UCAROL"], "the offsite")))
    assert reply.status == 200 and reply.json()["response_action"] == "update"
    mutual.settle()
    assert sorted((r.helper_id, r.source, r.note) for r in records(db)) == [
        ("UBOB", "command", "the offsite"), ("UCAROL", "command", "the offsite")]
    assert len(slack.dms_to("UBOB")) == 1 and len(slack.dms_to("UCAROL")) == 1


def test_thank_someone_shows_errors_in_the_modal(mutual, slack, db):
    for users, expected in ((["UALICE"], "yourself"), (["UBOB", "UROBOT"], "bot"),
                            ([], "Pick at least one person")):
        reply = mutual.post(p.view_submission("thank_someone", people_values(users)))
        assert reply.status == 200
        body = reply.json()
        assert body["response_action"] == "errors"
        assert expected in body["errors"]["people_block"]
    assert record_count(db) == 0
