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


def test_export_dms_your_records_as_a_csv_people_can_read(mutual, slack):
    slack.users["UALICE"].update(tz="America/New_York", tz_offset=-5 * 3600)
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
    assert "your time zone (America/New_York)" in complete["initial_comment"]

    rows = uploaded_csv(slack)
    assert list(rows[0]) == ["date (America/New_York)", "helper", "receiver", "note", "channel",
                             "source", "status", "record_id", "helper_id", "receiver_id",
                             "channel_id", "message_ts", "created_at_utc"]
    assert [(r["helper"], r["receiver"], r["status"], r["note"], r["channel"]) for r in rows] == [
        ("Bob", "Alice", "confirmed", "the review, with a comma", "#general"),
        ("Alice", "Carol", "confirmed", "the “lunch” tip", "#general"),
        ("Alice", "Carol", "pending", "paired on the migration", "#general"),
    ]
    assert [(r["helper_id"], r["receiver_id"], r["channel_id"]) for r in rows] == [
        ("UBOB", "UALICE", "CGENERAL"), ("UALICE", "UCAROL", "CGENERAL"),
        ("UALICE", "UCAROL", "CGENERAL")]
    assert rows[0]["date (America/New_York)"] == "2026-11-16 05:00"  # 10:00 UTC
    assert rows[0]["created_at_utc"] == "2026-11-16T10:00:00Z"
    assert len(slack.calls_to("conversations.info")) == 1  # one look-up per channel


def test_names_that_cannot_be_looked_up_are_left_as_ids(mutual, slack):
    cmd(mutual, "/thanks", "<@UBOB> for the review")
    slack.fail("conversations.info", "ratelimited", status=429)
    cmd(mutual, "/mutual", "export")
    [row] = uploaded_csv(slack)
    assert (row["helper"], row["channel"], row["channel_id"]) == ("Bob", "CGENERAL", "CGENERAL")
    assert row["date (Europe/London)"] == "2026-11-16 10:00"


def test_export_with_nothing_yet_sends_the_header(mutual, slack):
    reply = cmd(mutual, "/mutual", "export", user="UERIN")
    assert "no records yet" in reply["text"]
    assert uploaded_csv(slack) == []
    assert slack.uploads[slack.calls_to("upload")[0]["file_id"]].startswith(b"date (Europe/London),helper")


def test_a_failed_upload_is_not_a_500(mutual, slack):
    slack.fail("files.getUploadURLExternal", "not_allowed_token_type")
    reply = mutual.post(p.command("/mutual", "export"))
    assert reply.status == 200
    mutual.settle()
    assert slack.calls_to("files.completeUploadExternal") == []
    [told] = slack.dms_to("UALICE")
    assert "couldn't send your records file" in told["text"] and "not_allowed_token_type" in told["text"]
