"""Short receipts (issue 19 part 7): one line saying what was recorded and who was told, the
buttons beside it; the hint on sharing and undoing shown once per person, not every time."""

import json

from tests.support import payloads as p
from tests.support.blockkit import assert_valid_message, assert_valid_view
from tests.support.db_read import records


def command(mutual, name, text, user="UALICE"):
    reply = mutual.post(p.command(name, text, user=user))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()


def lines(msg):
    return [b for b in msg["blocks"] if b["type"] in ("section", "context")]


def test_thanks_receipt_is_one_line_with_buttons_and_the_hint_once(mutual, slack, db):
    first = command(mutual, "/thanks", "<@UBOB> for the code review")
    assert_valid_message(first)
    said = first["blocks"][0]["text"]["text"]
    assert "your thanks to <@UBOB>" in said and "the code review" in said
    assert "let them know privately" in said
    assert [e["action_id"] for e in first["blocks"][-1]["elements"]] == ["thanks_share",
                                                                        "thanks_undo"]
    assert "take it back for 15 minutes" in json.dumps(first)

    second = command(mutual, "/thanks", "<@UCAROL> for the lunch tip")
    assert [b["type"] for b in second["blocks"]] == ["section", "actions"]
    assert len(lines(second)) == 1 and "take it back" not in json.dumps(second)
    assert [e["action_id"] for e in second["blocks"][-1]["elements"]] == ["thanks_share",
                                                                         "thanks_undo"]
    # Someone else's first receipt still carries it.
    other = command(mutual, "/thanks", "<@UBOB> for the pairing", user="UCAROL")
    assert "take it back for 15 minutes" in json.dumps(other)
    assert len(records(db)) == 3


def test_the_modal_and_the_shortcut_show_the_hint_once_too(mutual, slack, db):
    people = {"people_block": {"people_input": {"type": "multi_users_select",
                                                "selected_users": ["UBOB"]}}}
    views = []
    for _ in range(2):
        reply = mutual.post(p.view_submission("thank_someone", people))
        views.append(reply.json()["view"])
    for view in views:
        assert_valid_view(view)
        assert any(b["type"] == "actions" for b in view["blocks"])
    assert "take it back for" in json.dumps(views[0])
    assert "take it back for" not in json.dumps(views[1])


def test_helped_receipt_is_one_line_and_explains_once(mutual, slack, db):
    first = command(mutual, "/helped", "<@UBOB> reviewed the launch plan")
    assert_valid_message(first)
    assert "I've asked <@UBOB> to confirm" in first["blocks"][0]["text"]["text"]
    assert "lapses quietly after 14 days" in json.dumps(first)
    second = command(mutual, "/helped", "<@UCAROL> set up the board")
    assert len(second["blocks"]) == 1 and "lapses" not in json.dumps(second)
