"""Asks and offers go the same paths as records: `/mutual forget` erases a person from every
ask, offer and "ask me about" list (their words too) and the channel posts stop showing them;
the export has `asks`, `offers` (with `via`) and `ask_me_about`, and records with source `ask`."""

from __future__ import annotations

import json

from sqlalchemy import MetaData, select

from bot import constants as ids
from bot.db.models import Ask, AskMeAbout, AskOffer
from bot.services.recording import SOURCES
from tests.support import payloads as p
from tests.support.db_read import exported
from tests.support.nudging import text_of

SECRET = "zephyr-launch-checklist"
BOBS = "bobs-zephyr-expertise"


def cmd(mutual, name, text, user="UALICE", channel="CGENERAL"):
    reply = mutual.post(p.command(name, text, user=user, channel=channel))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()


def press(mutual, slack, action_id, value, user, channel="CGENERAL", **kw):
    reply = mutual.post(p.block_action(action_id, value, user=user, channel=channel,
                                       response_url=slack.response_url(), **kw))
    assert reply.status == 200, reply.body
    mutual.settle()


def forget(mutual, slack, user):
    press(mutual, slack, ids.FORGET_CONFIRM, "forget", user, container_type="ephemeral")


def traces(db, needles):
    meta = MetaData()
    meta.reflect(bind=db.engine)
    found = []
    with db.engine.connect() as conn:
        for table in meta.sorted_tables:
            for row in conn.execute(select(table)).mappings():
                for column, value in row.items():
                    if value is not None and any(n in str(value) for n in needles):
                        found.append((table.name, column, str(value)[:80]))
    return found


def ask_solved_with_bob(mutual, slack, db):
    """Alice asks; Bob and Carol offer; Alice takes Bob up on it and marks it solved naming
    him; Bob has an "ask me about" list; Erin asks too, and Bob offers there."""
    cmd(mutual, "/offer", BOBS, user="UBOB")
    cmd(mutual, "/ask", f"Help with the {SECRET}?")
    with db.session() as s:
        ask_id = s.scalars(select(Ask.id)).one()
    press(mutual, slack, ids.ASK_OFFER, str(ask_id), "UBOB")
    press(mutual, slack, ids.ASK_OFFER, str(ask_id), "UCAROL")
    with db.session() as s:
        bobs = s.scalars(select(AskOffer.id).where(AskOffer.helper_id == "UBOB")).one()
    press(mutual, slack, ids.ASK_ACCEPT, str(bobs), "UALICE", channel="DALI")
    values = {ids.SOLVED_OFFERS_BLOCK: {ids.SOLVED_OFFERS_INPUT: {
        "type": "checkboxes", "selected_options": [{"value": "UBOB"}]}}}
    mutual.post(p.view_submission(ids.SOLVED_MODAL, values, private_metadata=json.dumps({"ask": ask_id})))
    mutual.settle()
    cmd(mutual, "/ask", "Anyone free to pair on Friday?", user="UERIN")
    with db.session() as s:
        erins = s.scalars(select(Ask.id).where(Ask.asker_id == "UERIN")).one()
    press(mutual, slack, ids.ASK_OFFER, str(erins), "UBOB")
    return ask_id, erins


def test_the_export_has_asks_offers_and_lists(mutual, slack, db):
    ask_id, erins = ask_solved_with_bob(mutual, slack, db)
    assert "ask" in SOURCES
    data = exported(db)
    assert {"records", "intros", "nudges", "asks", "offers", "ask_me_about"} <= set(data)
    assert [(r["helper"], r["receiver"], r["source"], r["status"]) for r in data["records"]] == [
        ("UBOB", "UALICE", "ask", "confirmed")]
    alices = next(a for a in data["asks"] if a["id"] == ask_id)
    assert (alices["asker"], alices["status"], alices["channel"], alices["source"]) == (
        "UALICE", "solved", "CGENERAL", "command")
    assert SECRET in alices["text"] and alices["closed_at"].endswith("Z")
    offers = {(o["ask"], o["helper"]): o for o in data["offers"]}
    assert offers[(ask_id, "UBOB")]["status"] == "helped"
    assert offers[(ask_id, "UCAROL")]["status"] == "offered"
    assert offers[(erins, "UBOB")]["status"] == "offered"
    assert {o["via"] for o in data["offers"]} == {"channel"}
    assert offers[(ask_id, "UBOB")]["accepted_at"] and offers[(ask_id, "UCAROL")]["accepted_at"] is None
    assert [(m["user"], m["text"]) for m in data["ask_me_about"]] == [("UBOB", BOBS)]


def test_forgetting_a_helper_takes_them_off_asks_offers_and_posts(mutual, slack, db):
    ask_id, erins = ask_solved_with_bob(mutual, slack, db)
    assert {t for t, _, _ in traces(db, ["UBOB"])} >= {"ask_offers", "ask_me_about"}
    slack.reset()
    forget(mutual, slack, "UBOB")
    assert traces(db, ["UBOB", BOBS]) == []
    with db.session() as s:
        assert s.query(AskMeAbout).count() == 0
        offers = {(o.ask_id, o.helper_id): o.status for o in s.scalars(select(AskOffer))}
    assert offers == {(ask_id, None): "helped", (ask_id, "UCAROL"): "offered", (erins, None): "withdrawn"}
    posts = [u for u in slack.calls_to("chat.update") if u["channel"] == "CGENERAL"]
    assert posts and all("UBOB" not in text_of(u) for u in posts)
    solved = next(u for u in posts if "Solved" in u["text"])
    assert "says thanks to" not in solved["text"], "the post no longer names who helped"


def test_forgetting_the_asker_erases_their_asks_and_their_words(mutual, slack, db):
    ask_id, _ = ask_solved_with_bob(mutual, slack, db)
    cmd(mutual, "/ask", "second-alice-ask-still-open")
    slack.reset()
    forget(mutual, slack, "UALICE")
    assert traces(db, ["UALICE", SECRET, "second-alice-ask-still-open"]) == []
    with db.session() as s:
        mine = s.scalars(select(Ask).where(Ask.asker_id.is_(None)).order_by(Ask.id)).all()
    assert [(a.status, a.text) for a in mine] == [("solved", ""), ("withdrawn", "")]
    posts = [u for u in slack.calls_to("chat.update") if u["channel"] == "CGENERAL"]
    assert len(posts) == 2 and all("no longer here" in u["text"] for u in posts)
    assert all(SECRET not in text_of(u) for u in posts)
    data = json.dumps(exported(db))
    assert "UALICE" not in data and SECRET not in data
