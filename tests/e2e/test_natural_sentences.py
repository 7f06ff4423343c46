"""Commands typed as people write them (PRODUCT.md §2): mentions anywhere in the sentence, the
note what remains, tidied; a bare @name nobody can resolve gets a hint, never a guess."""

import pytest
from sqlalchemy import select

from bot.db.models import Intro
from tests.support import payloads as p
from tests.support.db_read import record_count, records


def command(mutual, name, text, user="UALICE"):
    reply = mutual.post(p.command(name, text, user=user))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()


@pytest.mark.parametrize(("text", "helpers", "note"), [
    ("to <@UBOB> for the review", ["UBOB"], "the review"),
    ("so much <@UBOB>!", ["UBOB"], ""),
    ("for the review <@UBOB>", ["UBOB"], "the review"),
    ("again <@UBOB|bob> and <@UCAROL>, for untangling the deploy", ["UBOB", "UCAROL"],
     "untangling the deploy"),
    ("<@UBOB> for pairing with <@UCAROL>", ["UBOB"], "pairing with <@UCAROL>"),
])
def test_thanks_finds_the_people_anywhere(mutual, slack, db, text, helpers, note):
    body = command(mutual, "/thanks", text)
    assert "Noted" in body["text"], body["text"]
    assert [(r.helper_id, r.note) for r in records(db)] == [(h, note) for h in helpers]
    for helper in helpers:
        assert len(slack.dms_to(helper)) == 1


def test_intro_please_meet(mutual, slack, db):
    command(mutual, "/intro", "please meet <@UBOB> and <@UCAROL>: billing")
    with db.session() as s:
        intro = s.scalars(select(Intro)).one()
        assert (intro.a_id, intro.b_id, intro.reason) == ("UBOB", "UCAROL", "billing")
    assert len(slack.dms_to("UBOB")) == 1 and len(slack.dms_to("UCAROL")) == 1


def test_intro_request_in_a_sentence(mutual, slack, db):
    body = command(mutual, "/intro", "request <@UERIN>, could you introduce me to <@UCAROL>? on-call")
    assert "<@UERIN>" in body["text"] and "<@UCAROL>" in body["text"]
    assert len(slack.dms_to("UERIN")) == 1


def test_helped_keeps_a_mention_that_is_part_of_the_note(mutual, slack, db):
    command(mutual, "/helped", "I reviewed <@UBOB>'s PR")
    [claim] = records(db)
    assert (claim.helper_id, claim.receiver_id, claim.status) == ("UALICE", "UBOB", "pending")
    assert claim.note == "I reviewed <@UBOB>'s PR"
    assert len(slack.dms_to("UBOB")) == 1


@pytest.mark.parametrize(("name", "text"), [
    ("/thanks", "<@UBOB> and @carol for the review"),
    ("/thanks", "so much @carol!"),
    ("/helped", "I reviewed @carol's PR"),
    ("/intro", "please meet <@UBOB> and @carol: billing"),
])
def test_a_bare_name_gets_a_hint_and_nothing_is_saved(mutual, slack, db, name, text):
    body = command(mutual, name, text)
    assert "couldn't tell who @carol is" in body["text"]
    assert "as you type @" in body["text"]
    assert record_count(db) == 0 and slack.calls_to("chat.postMessage") == []
