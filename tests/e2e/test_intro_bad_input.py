"""Bad `/intro` and `/intro request` input: a clear ephemeral message, nothing stored or sent."""

import pytest
from sqlalchemy import func, select

from bot.db.models import Intro, IntroRequest
from tests.support import payloads as p


def count(db, model):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(("text", "words"), [
    ("", "Mention two people"),
    ("help", "both are asked privately"),
    ("<@UBOB> you should meet someone", "Mention two people"),
    ("<@UBOB> <@UBOB> you two", "same person twice"),
    ("<@UBOB> <@UBOB|bob> you two", "same person twice"),
    ("<@UALICE> <@UBOB> we should talk", "can't introduce yourself"),
    ("<@UBOB> <@UALICE> we should talk", "can't introduce yourself"),
    ("<@UBOB> <@UROBOT> automation", "bot or an app"),
    ("<@UBOB> <@UDAVE> old friends", "no longer active"),
    ("<@UBOB> <@UFOREIGN> partners", "another workspace"),
    ("<@UBOB> <@UNOBODY> who?", "couldn't find"),
    ("<@UBOB> <@UCAROL>", "why they should meet"),
    ("<@UBOB> <@UCAROL> for", "why they should meet"),
    ("<@UBOB> <@UCAROL> " + "x" * 501, "501 characters"),
    ("<@UBOB> <@UCAROL> <@UERIN> a crowd", "Two people at a time"),
    ("@bob @carol you two", "couldn't tell who @bob is"),
])
def test_bad_intro_is_refused_and_nothing_is_stored(mutual, slack, db, text, words):
    reply = mutual.post(p.command("/intro", text))
    assert reply.status == 200
    body = reply.json()
    assert body["response_type"] == "ephemeral"
    assert words in body["text"], body["text"]
    mutual.settle()
    assert count(db, Intro) == 0
    assert slack.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(("text", "words"), [
    ("", "Mention two people"),
    ("<@UBOB> pricing", "Mention two people"),
    ("<@UBOB> <@UBOB> pricing", "same person twice"),
    ("<@UALICE> <@UCAROL> pricing", "can't ask yourself"),
    ("<@UBOB> <@UALICE> pricing", "That's you"),
    ("<@UBOB> <@UROBOT> pricing", "bot or an app"),
    ("<@UDAVE> <@UCAROL> pricing", "no longer active"),
    ("<@UBOB> <@UFOREIGN> pricing", "another workspace"),
    ("<@UBOB> <@UCAROL>", "why you'd like to meet"),
    ("<@UBOB> <@UCAROL> " + "y" * 600, "600 characters"),
])
def test_bad_request_is_refused_and_nothing_is_stored(mutual, slack, db, text, words):
    reply = mutual.post(p.command("/intro", "request " + text))
    assert reply.status == 200
    body = reply.json()
    assert body["response_type"] == "ephemeral"
    assert words in body["text"], body["text"]
    mutual.settle()
    assert count(db, IntroRequest) == 0
    assert slack.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("text", [
    "<@UBOB|bob> <@UCAROL|carol> you both work on search",
    "<@UBOB>, <@UCAROL> for the payload pipeline",  # "payload" in a command's text
    "<@UBOB> and <@UCAROL> data &amp; search",
])
def test_good_intro_in_every_form(mutual, slack, db, text):
    reply = mutual.post(p.command("/intro", text))
    assert "privately" in reply.json()["text"], reply.body
    mutual.settle()
    with db.session() as s:
        [intro] = s.scalars(select(Intro)).all()
    assert (intro.a_id, intro.b_id) == ("UBOB", "UCAROL") and intro.reason
    assert not intro.reason.lower().startswith("for ")
    assert len(slack.dms_to("UBOB")) == 1 and len(slack.dms_to("UCAROL")) == 1


def test_reason_is_kept_as_typed_and_escaped_in_the_dm(mutual, slack, db):
    mutual.post(p.command("/intro", "<@UBOB> <@UCAROL> data &amp; search &lt;!channel&gt;"))
    mutual.settle()
    with db.session() as s:
        assert s.scalars(select(Intro.reason)).one() == "data & search <!channel>"
    dm = slack.dms_to("UBOB")[0]
    assert "<!channel>" not in str(dm["blocks"])
