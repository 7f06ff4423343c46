"""The words a person reads, from issue 16's trial: what exists rather than a ledger of zeros,
one date format, lengths told, "nothing was saved" said once, no suggestion Mutual would then
refuse, and no empty DM left behind."""

from __future__ import annotations

import json
import re

from bot import constants as ids
from bot.blocks import recording
from tests.support import payloads as p


def cmd(mutual, name, text, user="UALICE"):
    reply = mutual.post(p.command(name, text, user=user))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()


def test_me_says_what_exists_not_zeros(mutual):
    for helper in ("UBOB", "UCAROL"):
        cmd(mutual, "/thanks", f"<@{helper}> for the review")
    shown = json.dumps(cmd(mutual, "/mutual", "me"))
    assert "You were helped *2 times*, by 2 people." in shown
    assert "0 times" not in shown and "helped others" not in shown
    history = cmd(mutual, "/mutual", "with <@UBOB>")
    assert history["text"] == "You and <@UBOB>, last 90 days: they helped you once."


def test_with_someone_deactivated_suggests_nothing_mutual_would_refuse(mutual):
    shown = json.dumps(cmd(mutual, "/mutual", "with <@UDAVE>"))
    assert "No help recorded between you and <@UDAVE> yet." in shown
    assert "/thanks" not in shown and "/helped" not in shown
    assert "/thanks <@UBOB>" in json.dumps(cmd(mutual, "/mutual", "with <@UBOB>"))


def test_helped_to_a_bot_speaks_of_confirming(mutual):
    said = cmd(mutual, "/helped", "<@UROBOT> fixed the build")["text"]
    assert "there's no one to confirm it" in said and "thank" not in said
    assert said.count("Nothing was saved") == 1


def test_a_refusal_says_nothing_was_saved_once_without_a_usage_example(mutual):
    for text in ("<@UDAVE> for the handover", "<@UROBOT> for the build"):
        said = cmd(mutual, "/thanks", text)
        assert said["text"].lower().count("nothing was saved") == 1
        assert "Try `/thanks" not in json.dumps(said)
    busy = recording.build_refused(recording.SLACK_BUSY)
    assert busy["text"].lower().count("nothing was saved") == 1 and "Try `" not in json.dumps(busy)


def test_a_message_that_helped_is_thanked_in_one_sentence(mutual, slack):
    meta = json.dumps({"channel": "CGENERAL", "ts": "1700000000.000100", "author": "UBOB"})
    done = mutual.post(p.view_submission(ids.RECORD_HELP, {"note_block": {"note_input": {
        "type": "plain_text_input", "value": "unblocked my deploy"}}}, private_metadata=meta))
    assert "Noted — <@UBOB> helped you with this." in json.dumps(done.json(), ensure_ascii=False)
    mutual.settle()
    [dm] = slack.dms_to("UBOB")
    assert dm["text"] == "<@UALICE> says a message of yours helped them, and added: unblocked my deploy"
    assert "for a message of yours for" not in json.dumps(dm)


def test_modals_do_not_say_optional_twice():
    for modal in (recording.build_record_help_modal("UBOB", "{}"),
                  recording.build_thank_someone_modal()):
        labels = [b["label"]["text"] for b in modal["blocks"] if b["type"] == "input"]
        assert labels and not any("optional" in label.lower() for label in labels)


def test_every_date_reads_one_way(mutual, slack):
    cmd(mutual, "/thanks", "<@UBOB> for the review")
    cmd(mutual, "/intro", "request <@UBOB> <@UCAROL> pricing")
    shown = json.dumps([cmd(mutual, "/mutual", "with <@UBOB>"), cmd(mutual, "/mutual", "intros"),
                        cmd(mutual, "/intro", "request <@UBOB> <@UCAROL> pricing")])
    dates = re.findall(r"<!date\^\d+\^([^|]+)\|([^>]+)>", shown)
    assert dates and {token for token, _ in dates} == {"{date_long}"}
    assert all(re.fullmatch(r"[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4}", plain) for _, plain in dates)
