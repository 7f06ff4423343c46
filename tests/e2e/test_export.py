"""`/mutual export`: your own records as a CSV file in a DM, through the files v2 flow."""

import csv
import io

from tests.support import payloads as p


def cmd(mutual, name, text, user="UALICE"):
    reply = mutual.post(p.command(name, text, user=user))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()


def uploaded_csv(slack):
    [upload] = slack.calls_to("upload")
    return list(csv.DictReader(io.StringIO(slack.uploads[upload["file_id"]].decode("utf-8"))))


def test_export_dms_your_records_as_csv(mutual, slack):
    cmd(mutual, "/thanks", "<@UBOB> for the review, with a comma")
    cmd(mutual, "/thanks", "<@UALICE> for the “lunch” tip", user="UCAROL")
    cmd(mutual, "/thanks", "<@UCAROL> for Bob's own thing", user="UBOB")
    cmd(mutual, "/helped", "<@UCAROL> paired on the migration")

    reply = cmd(mutual, "/mutual", "export")
    assert reply["response_type"] == "ephemeral" and "3 records" in reply["text"]

    [opened] = slack.calls_to("conversations.open")
    assert opened["users"] == "UALICE"
    dm = "DALI"  # the double's DM channel id for Alice
    [url] = slack.calls_to("files.getUploadURLExternal")
    assert url["filename"].startswith("mutual-records-") and url["filename"].endswith(".csv")
    [complete] = slack.calls_to("files.completeUploadExternal")
    assert complete["channel_id"] == dm
    assert "Only you got this file" in complete["initial_comment"]

    rows = uploaded_csv(slack)
    assert [(r["helper"], r["receiver"], r["status"], r["note"]) for r in rows] == [
        ("UBOB", "UALICE", "confirmed", "the review, with a comma"),
        ("UALICE", "UCAROL", "confirmed", "the “lunch” tip"),
        ("UALICE", "UCAROL", "pending", "paired on the migration"),
    ]
    assert list(rows[0]) == ["id", "helper", "receiver", "source", "status", "note", "channel",
                             "message_ts", "created_at"]
    assert rows[0]["created_at"] == "2026-11-16T10:00:00Z"


def test_export_with_nothing_yet_sends_the_header(mutual, slack):
    reply = cmd(mutual, "/mutual", "export", user="UERIN")
    assert "no records yet" in reply["text"]
    assert uploaded_csv(slack) == []
    assert slack.uploads[slack.calls_to("upload")[0]["file_id"]].startswith(b"id,helper,receiver")


def test_a_failed_upload_is_not_a_500(mutual, slack):
    slack.fail("files.getUploadURLExternal", "not_allowed_token_type")
    reply = mutual.post(p.command("/mutual", "export"))
    assert reply.status == 200
    mutual.settle()
    assert slack.calls_to("files.completeUploadExternal") == []
    [told] = slack.dms_to("UALICE")
    assert "couldn't send your records file" in told["text"] and "not_allowed_token_type" in told["text"]
