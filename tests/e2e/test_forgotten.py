"""After `/mutual forget`, Mutual leaves the person alone until they use it again."""

import json

from bot.db.models import ForgottenPerson
from tests.support import payloads as p
from tests.support.db_read import record_count, records


def forget(mutual, slack, user):
    reply = mutual.post(p.command("/mutual", "forget", user=user))
    assert reply.status == 200
    button = next(e for b in reply.json()["blocks"] if b["type"] == "actions"
                  for e in b["elements"] if e["action_id"] == "forget_confirm")
    assert mutual.post(p.block_action("forget_confirm", button.get("value", ""), user=user,
                                      response_url=slack.response_url("forget"))).status == 200
    mutual.settle()


def test_forgotten_people_cannot_be_thanked_claimed_introduced_or_reacted_to(mutual, slack, db):
    mutual.post(p.command("/thanks", "<@UBOB> for the review"))
    forget(mutual, slack, "UBOB")
    with db.session() as s:
        [marker] = s.query(ForgottenPerson).all()
        assert "UBOB" not in json.dumps([marker.team_id, marker.user_hash])
    slack.reset()

    for command, text in (("/thanks", "<@UBOB> for more"), ("/helped", "<@UBOB> did a thing"),
                          ("/intro", "<@UBOB> <@UCAROL> you both like Rust")):
        reply = mutual.post(p.command(command, text))
        assert reply.status == 200
        assert "asked Mutual to forget them" in reply.json()["text"], command
    mutual.post_event(p.event(p.reaction("reaction_added", "UALICE", "UBOB", ts="9.9")))
    mutual.settle()
    assert record_count(db) == 1, "only the old, anonymised record"
    assert slack.dms_to("UBOB") == []


def test_using_mutual_again_ends_it(mutual, slack, db):
    forget(mutual, slack, "UBOB")
    assert mutual.post(p.command("/thanks", "<@UALICE> for the welcome back", user="UBOB")).status == 200
    with db.session() as s:
        assert s.query(ForgottenPerson).count() == 0
    reply = mutual.post(p.command("/thanks", "<@UBOB> for coming back"))
    assert "Noted" in reply.json()["text"]
    assert [r.helper_id for r in records(db)] == ["UALICE", "UBOB"]
