"""`/mutual forget`: after `forget_confirm`, no table holds the person's id or their notes;
the other party's counts stay; nothing is sent to or about them afterwards."""

import json

from sqlalchemy import MetaData, select

from bot.db.models import HelpRecord, Intro, IntroRequest, MutedPair, OutboxItem
from bot.jobs.scheduler import run_all
from bot.services.outbox import enqueue
from bot.services.views import personal_view
from bot.services.workspaces import ensure_workspace
from bot.slack.sender import single_workspace_clients
from tests.conftest import START
from tests.support import payloads as p

NOTES = ["alice-note-review", "alice-note-lunch", "alice-claim-note",
         "alice-intro-reason", "alice-request-reason"]


def cmd(mutual, name, text, user="UALICE"):
    reply = mutual.post(p.command(name, text, user=user))
    assert reply.status == 200, reply.body
    mutual.settle()
    return reply.json()


def seed_everything(mutual, slack, db):
    """Alice appears in every table that can hold a person: records, reaction marks, intros,
    intro requests, the outbox, muted pairs, members."""
    cmd(mutual, "/thanks", "<@UBOB> for alice-note-review")
    cmd(mutual, "/thanks", "<@UALICE> for alice-note-lunch", user="UBOB")
    cmd(mutual, "/thanks", "<@UCAROL> for carol and bob only", user="UBOB")
    reaction = p.reaction("reaction_added", "UALICE", "UBOB", ts="1700000000.000777")
    assert mutual.post_event(p.event(reaction)).status == 200
    cmd(mutual, "/helped", "<@UCAROL> alice-claim-note")
    cmd(mutual, "/intro", "<@UALICE> <@UBOB> alice-intro-reason", user="UCAROL")
    cmd(mutual, "/intro", "request <@UCAROL> <@UERIN> alice-request-reason")
    with db.session() as s:
        ensure_workspace(s, "T0001", START).nudge_channel = "CTEAM"
        enqueue(s, "T0001", "one_sided:UALICE:UBOB", "one_sided", "UALICE",
                {"helper": "UBOB", "notes": ["alice-note-lunch"]}, START, START, subject="UBOB")
        enqueue(s, "T0001", "one_sided:UBOB:UALICE", "one_sided", "UBOB",
                {"helper": "UALICE"}, START, START, subject="UALICE")
        enqueue(s, "T0001", "claim_reminder:99", "claim_reminder", "UCAROL",
                {"note": "alice-claim-note", "record_id": 99}, START, START, subject="99")
        s.add(MutedPair(team_id="T0001", user_id="UBOB", other_id="UALICE", created_at=START))
        s.add(MutedPair(team_id="T0001", user_id="UALICE", other_id="UCAROL", created_at=START))


def every_value(db):
    """(table, column, value) for every text cell of every table in the database."""
    meta = MetaData()
    meta.reflect(bind=db.engine)
    with db.engine.connect() as conn:
        for table in meta.sorted_tables:
            for row in conn.execute(select(table)).mappings():
                for column, value in row.items():
                    if value is not None:
                        yield table.name, column, str(value)


def traces(db, needles):
    return [(t, c, v) for t, c, v in every_value(db) if any(n in v for n in needles)]


def press_forget(mutual, slack, action="forget_confirm"):
    reply = mutual.post(p.block_action(action, "forget", channel="CGENERAL",
                                       container_type="ephemeral",
                                       response_url=slack.response_url("forget")))
    assert reply.status == 200, reply.body
    mutual.settle()


def bob_counts(db):
    with db.session() as s:
        view = personal_view(s, ensure_workspace(s, "T0001", START), "UBOB", START)
        return view.given, view.received


def test_forget_asks_first(mutual, slack, db):
    seed_everything(mutual, slack, db)
    body = cmd(mutual, "/mutual", "forget")
    assert body["response_type"] == "ephemeral"
    button = body["blocks"][-1]["elements"][0]
    assert button["action_id"] == "forget_confirm" and "confirm" in button
    assert traces(db, ["UALICE"]), "nothing is erased before the button is pressed"

    press_forget(mutual, slack, "forget_cancel")
    [reply] = slack.calls_to("response_url")
    assert "nothing was erased" in reply["text"]
    assert traces(db, ["UALICE"])


def test_forget_leaves_no_trace_and_keeps_the_other_partys_counts(mutual, slack, db):
    mutual.open_home("UALICE")
    seed_everything(mutual, slack, db)
    assert {t for t, _, _ in traces(db, ["UALICE"])} >= {
        "help_records", "reaction_marks", "intros", "intro_requests", "outbox", "muted_pairs",
        "members"}
    assert traces(db, NOTES)
    before = bob_counts(db)

    press_forget(mutual, slack)

    assert traces(db, ["UALICE"] + NOTES) == []
    assert bob_counts(db) == before, "Bob's counts stay"
    [reply] = slack.calls_to("response_url")
    assert "Mutual has forgotten you" in reply["text"] and reply["replace_original"] in (True, "true")
    home = [c for c in slack.calls_to("views.publish") if c["user_id"] == "UALICE"]
    assert "forgotten" in json.dumps(home[-1]["view"])

    with db.session() as s:
        untouched = s.scalars(select(HelpRecord).where(HelpRecord.note == "carol and bob only")).all()
        assert [(r.helper_id, r.receiver_id, r.channel_id) for r in untouched] == [
            ("UCAROL", "UBOB", "CGENERAL")]
        theirs = s.scalars(select(HelpRecord).where(
            (HelpRecord.helper_id.is_(None)) | (HelpRecord.receiver_id.is_(None)))).all()
        assert len(theirs) == 4 and all(r.channel_id is r.message_ts is None for r in theirs), \
            "where it happened could point back to them"
        assert {i.status for i in s.scalars(select(Intro))} == {"expired"}
        assert {r.status for r in s.scalars(select(IntroRequest))} == {"declined"}
        # Nothing still waits to go to or about them; what went before names them no more.
        assert {n.status for n in s.scalars(select(OutboxItem))} <= {"cancelled", "sent"}


def test_nothing_is_sent_to_or_about_them_afterwards(mutual, slack, db, clock):
    seed_everything(mutual, slack, db)
    cmd(mutual, "/intro", "<@UBOB> <@UERIN> you both run on-call", user="UCAROL")
    press_forget(mutual, slack)
    slack.reset()

    run_all(db, clock(), single_workspace_clients(slack.api_url, "xoxb-test"))

    sent = json.dumps(slack.calls_to("chat.postMessage"))
    assert "UALICE" not in sent
    assert not any(note in sent for note in NOTES)


def test_their_own_view_starts_afresh(mutual, slack, db):
    seed_everything(mutual, slack, db)
    press_forget(mutual, slack)
    assert "nothing recorded yet" in cmd(mutual, "/mutual", "me")["text"]
    assert "No help recorded between you and <@UALICE> yet" in cmd(
        mutual, "/mutual", "with <@UALICE>", user="UBOB")["text"]
