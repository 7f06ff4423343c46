"""A post in a channel names a person only where that person chose it there (PRODUCT.md §4c):
the summary thanks connectors privately, shares are said only where each side has five people,
and the deliverer refuses any channel post that would name someone else."""

import json
from datetime import timedelta

from bot.db.models import Intro, OutboxItem
from bot.delivery.run import NAMES_UNCHOSEN
from bot.services import intros, outbox
from tests.e2e.test_summary_jobs import FRIDAY_4PM, T, run, setup, summaries
from tests.support import payloads as p


def test_connectors_are_thanked_privately_not_in_the_channel(db, slack):
    setup(db, digest_enabled=False)
    with db.session() as s:
        for a, b in (("UP0", "UP2"), ("UP1", "UP3")):
            made = intros.propose_intro(s, T, "UCAROL", a, b, "why", FRIDAY_4PM - timedelta(days=2))
            intro = s.get(Intro, made.intro.id)
            intro.status, intro.connected_at = "connected", FRIDAY_4PM - timedelta(days=1)
    run(db, slack, FRIDAY_4PM)
    [summary] = summaries(slack)
    assert "<@" not in json.dumps(summary) and "connectors" not in json.dumps(summary)
    [thanks] = [m for m in slack.dms_to("UCAROL") if "introductions you made" in m["text"]]
    assert thanks["text"].startswith("Two introductions you made turned into conversations")
    run(db, slack, FRIDAY_4PM + timedelta(hours=1))
    assert len([m for m in slack.dms_to("UCAROL") if "you made" in m["text"]]) == 1


def test_a_channel_post_that_would_name_someone_is_never_sent(db, slack):
    setup(db, digest_enabled=False)
    with db.session() as s:
        outbox.enqueue(s, T, "summary:by-mistake", "team_summary", "CTEAM",
                       {"bad": True}, FRIDAY_4PM - timedelta(hours=2), FRIDAY_4PM)
    # A summary payload whose render names someone (a builder gone wrong) is refused.
    from bot.delivery import kinds

    original = kinds.KINDS["team_summary"]
    kinds.KINDS["team_summary"] = kinds.Kind(
        "team_summary", lambda r: {"text": "Thanks <@UP1>!", "blocks": []}, send=original.send,
        channel_post=original.channel_post)
    try:
        run(db, slack, FRIDAY_4PM - timedelta(hours=1))
    finally:
        kinds.KINDS["team_summary"] = original
    assert summaries(slack) == [] and not [c for c in slack.calls_to("chat.postMessage")
                                           if "<@UP1>" in c.get("text", "")]
    with db.session() as s:
        row = s.query(OutboxItem).filter_by(key="summary:by-mistake").one()
        assert (row.status, row.last_error) == ("failed", NAMES_UNCHOSEN)


def test_a_shared_thank_you_names_only_the_people_it_is_about(mutual, slack, db):
    reply = mutual.post(p.command("/thanks", "<@UBOB> for pairing with <@UCAROL>",
                                  response_url=slack.response_url("cmd")))
    value = reply.json()["blocks"][-1]["elements"][0]["value"]
    mutual.post(p.block_action("thanks_share", value, user="UALICE",
                               response_url=slack.response_url("share"),
                               container_type="ephemeral"))
    mutual.settle()
    public = [c for c in slack.calls_to("response_url") if c.get("response_type") == "in_channel"]
    assert len(public) == 1 and "<@UALICE> thanked <@UBOB>" in public[0]["text"]
