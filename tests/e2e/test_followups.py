"""Closing the loop over HTTP and the jobs: "how did it go?" comes once, N days after help
recorded with a note, in working hours; the answer reaches the helper privately. Connected
intros ask each party whether it was worth it; the introducer hears each answer and sees
their own aggregate."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import constants as ids
from bot.db.models import FollowupAnswer, Intro, Question
from tests.conftest import START
from tests.support import payloads as p
from tests.support.blockkit import assert_valid_message
from tests.support.db_read import exported, landed, records
from tests.support.nudging import GATHER, buttons, jobs_runner, member, nudge_rows, text_of, workspace

DAY = timedelta(days=1)
GROUP = "GALIBOBCAR"
EVIL = "<!channel> see <https://evil.example|this>"


@pytest.fixture
def jobs(db, slack, mutual):
    return jobs_runner(db, slack, mutual)


def questions_at(jobs, at):
    """The jobs at `at`, which plan what is due, then when the questions DM gathering it goes
    (an hour on, for anything else falling due with it)."""
    jobs(at)
    return jobs(at + GATHER)


def cmd(mutual, name, text, user="UALICE"):
    reply = mutual.post(p.command(name, text, user=user))
    assert reply.status == 200, reply.body
    return reply.json()


def questions(slack, user="UALICE"):
    return [m for m in slack.dms_to(user) if ids.FOLLOWUP_WORKED in buttons(m)]


def answer(mutual, action_id, value, words=None, user="UALICE", ts="1700000050.000100",
           channel="DALICE", question=None):
    """Press a button of a question; `question` is its id in the questions DM (its buttons
    and box carry it), None for a message of its own."""
    suffix = f".{question}" if question is not None else ""
    typed = {ids.FOLLOWUP_WORDS_BLOCK + suffix: {ids.FOLLOWUP_WORDS_INPUT: words}}
    reply = mutual.post(p.typed_action(action_id, value, typed, user=user, channel=channel,
                                       message_ts=ts, block_id=ids.QUESTION_ACTIONS_BLOCK + suffix,
                                       response_url=mutual.settings.api_url.removesuffix("/api/") + "/respond/a"))
    assert reply.status == 200, reply.body
    mutual.settle()


def asked(db, key):
    """(question id, (channel, ts) of the questions DM that asked it)."""
    with db.session() as s:
        question = s.scalars(select(Question).where(Question.key == key)).one()
        number, asked_in = question.id, question.asked_in
    return number, landed(db, asked_in)


def answers(db):
    with db.session() as s:
        return list(s.scalars(select(FollowupAnswer).order_by(FollowupAnswer.id)))


def test_asked_once_after_fourteen_days_and_the_helper_hears_privately(mutual, slack, db, jobs):
    cmd(mutual, "/thanks", "<@UBOB> for the review of the billing PR")
    cmd(mutual, "/thanks", "<@UCAROL>")  # no note: nothing to ask about
    mutual.post_event(p.event(p.reaction("reaction_added", "UALICE", "UERIN")))
    [record] = records(db, note="the review of the billing PR")

    jobs(START + 14 * DAY - timedelta(minutes=1))
    assert questions(slack) == []
    questions_at(jobs, START + 14 * DAY)
    [question] = questions(slack)
    assert_valid_message(question)
    assert question["text"] == "How did it go with “the review of the billing PR”? Tell <@UBOB>."
    assert buttons(question) == {ids.FOLLOWUP_WORKED: str(record.id),
                                 ids.FOLLOWUP_ONGOING: str(record.id),
                                 ids.FOLLOWUP_NOT_NEEDED: str(record.id)}
    number, where = asked(db, f"followup:{record.id}")
    [words_box] = [b for b in question["blocks"] if b["type"] == "input"]
    assert words_box["optional"] is True
    assert words_box["block_id"] == f"{ids.FOLLOWUP_WORDS_BLOCK}.{number}"
    assert "Only <@UBOB> will see your answer" in text_of(question)
    assert slack.dms_to("UBOB")[1:] == [], "nobody else hears the question"
    for later in (START + 15 * DAY, START + 20 * DAY, START + 40 * DAY):
        jobs(later)
    assert len(questions(slack)) == 1, "asked once"

    answer(mutual, ids.FOLLOWUP_WORKED, str(record.id), f"Merged. {EVIL}", ts=where[1],
           channel=where[0], question=number)
    [told] = slack.dms_to("UBOB")[1:]
    assert_valid_message(told)
    assert told["text"] == "<@UALICE> says your help with “the review of the billing PR” worked."
    shown = json.dumps(told)
    assert "Merged." in shown and "&lt;!channel&gt;" in shown and "<!channel>" not in shown
    assert "<https://evil" not in shown
    [replaced] = [u for u in slack.calls_to("chat.update") if (u["channel"], u["ts"]) == where]
    assert_valid_message(replaced)
    assert "You told <@UBOB> it worked" in replaced["text"] and buttons(replaced) == {}
    assert not [b for b in replaced["blocks"] if b["type"] == "input"]
    [row] = answers(db)
    assert (row.kind, row.subject_id, row.asked_id, row.told_id, row.answer) == (
        "help", record.id, "UALICE", "UBOB", "worked")

    # Answering twice — again, or the other button — is harmless: the first answer stands.
    answer(mutual, ids.FOLLOWUP_NOT_NEEDED, str(record.id), "changed my mind", ts=where[1],
           channel=where[0], question=number)
    assert len(slack.dms_to("UBOB")) == 2 and len(answers(db)) == 1
    assert "it worked" in slack.calls_to("chat.update")[-1]["text"]
    # Someone else pressing it changes nothing.
    answer(mutual, ids.FOLLOWUP_ONGOING, str(record.id), user="UCAROL")
    assert "meant for someone else" in slack.calls_to("response_url")[-1]["text"]
    [answered] = exported(db)["followups"]
    assert {k: answered[k] for k in ("kind", "record", "intro", "asked", "told", "answer")} == {
        "kind": "help", "record": record.id, "intro": None, "asked": "UALICE", "told": "UBOB",
        "answer": "worked"}


def test_one_question_for_one_thanks_to_two_people(mutual, slack, db, jobs):
    cmd(mutual, "/thanks", "<@UBOB> <@UCAROL> for the offsite")
    questions_at(jobs, START + 14 * DAY)
    [question] = questions(slack)
    assert "Tell <@UBOB> and <@UCAROL>" in question["text"]
    ids_ = ",".join(str(r.id) for r in records(db))
    assert buttons(question)[ids.FOLLOWUP_ONGOING] == ids_
    answer(mutual, ids.FOLLOWUP_ONGOING, ids_)
    for helper in ("UBOB", "UCAROL"):
        told = slack.dms_to(helper)[-1]
        assert "<@UALICE> is still working on “the offsite”" in told["text"]


def test_a_confirmed_claim_asks_and_the_answer_needs_no_words(mutual, slack, db, jobs):
    cmd(mutual, "/helped", "<@UALICE> fixed your VPN profile", user="UBOB")
    [claim] = records(db)
    mutual.post(p.block_action(ids.CLAIM_CONFIRM, str(claim.id)))
    mutual.settle()
    questions_at(jobs, START + 14 * DAY)
    [question] = questions(slack)
    answer(mutual, ids.FOLLOWUP_NOT_NEEDED, str(claim.id), words=None)
    told = slack.dms_to("UBOB")[-1]
    assert "didn't need help with “fixed your VPN profile” after all" in told["text"]
    assert "In their words" not in json.dumps(told)


def test_the_question_waits_for_working_hours(mutual, slack, db, jobs):
    mutual.clock.set(START + 5 * DAY)  # Saturday morning
    cmd(mutual, "/thanks", "<@UBOB> for weekend cover")
    questions_at(jobs, START + 19 * DAY)  # Saturday again, fourteen days on
    assert questions(slack) == []
    [row] = nudge_rows(db, kind="questions")
    monday_morning = START + 21 * DAY - timedelta(hours=1)  # 09:00 in London
    assert (row.status, row.due_at) == ("pending", monday_morning)
    jobs(monday_morning)
    assert len(questions(slack)) == 1


def test_not_asked_about_someone_deactivated_forgotten_or_taken_back(mutual, slack, db, jobs):
    cmd(mutual, "/thanks", "<@UBOB> for the review")
    cmd(mutual, "/thanks", "<@UCAROL> for the pairing")
    cmd(mutual, "/thanks", "<@UERIN> for the lunch tip")
    erin_record = records(db, helper_id="UERIN")[0]
    with db.session() as s:
        member(s, "UBOB", START, deleted=True)
    cmd(mutual, "/mutual", "forget", user="UCAROL")
    mutual.post(p.block_action("forget_confirm", "forget", user="UCAROL", channel="CGENERAL",
                               container_type="ephemeral"))
    mutual.settle()
    mutual.post(p.block_action(ids.THANKS_UNDO, str(erin_record.id), channel="CGENERAL",
                               container_type="ephemeral"))
    mutual.settle()
    questions_at(jobs, START + 14 * DAY)
    assert questions(slack) == []


def test_a_question_planned_then_made_moot_is_not_sent(mutual, slack, db, jobs):
    mutual.clock.set(START + 4 * DAY + timedelta(hours=10))  # Friday 20:00
    cmd(mutual, "/thanks", "<@UBOB> for the review")
    jobs(START + 18 * DAY + timedelta(hours=10))  # planned, held until Monday morning
    [row] = nudge_rows(db, kind="questions")
    assert row.status == "pending"
    with db.session() as s:
        member(s, "UBOB", START, deleted=True)
    jobs(START + 21 * DAY)
    assert questions(slack) == []
    assert nudge_rows(db, kind="questions")[0].status == "cancelled"


def test_nudges_off_means_no_question(mutual, slack, db, jobs):
    cmd(mutual, "/thanks", "<@UBOB> for the review")
    cmd(mutual, "/mutual", "nudges off")
    questions_at(jobs, START + 14 * DAY)
    assert questions(slack) == []


def test_forget_removes_the_answers_and_their_words(mutual, slack, db, jobs):
    cmd(mutual, "/thanks", "<@UBOB> for the review")
    cmd(mutual, "/thanks", "<@UCAROL> for the pairing")
    questions_at(jobs, START + 14 * DAY)
    for record in records(db):
        answer(mutual, ids.FOLLOWUP_WORKED, str(record.id), "alice-secret-words")
    assert len(answers(db)) == 2
    mutual.post(p.block_action("forget_confirm", "forget", channel="CGENERAL",
                               container_type="ephemeral"))
    mutual.settle()
    assert answers(db) == []
    assert exported(db)["followups"] == []
    dump = json.dumps(exported(db))
    assert "alice-secret-words" not in dump and "UALICE" not in dump


# -- intros -------------------------------------------------------------------------------------

def connect(mutual, db, introducer="UALICE", a="UBOB", b="UCAROL", group=GROUP):
    cmd(mutual, "/intro", f"<@{a}> <@{b}> you both work on search", user=introducer)
    intro = rows_of(db)[-1]
    for party in (a, b):
        mutual.post(p.block_action(ids.INTRO_ACCEPT, str(intro.id), user=party, channel=party))
        mutual.settle()
    for party in (a, b):
        mutual.post_event(p.event(p.mpim_message(party, group)))
        mutual.settle()
    assert rows_of(db)[-1].status == "connected"
    return rows_of(db)[-1]


def rows_of(db):
    with db.session() as s:
        return list(s.scalars(select(Intro).order_by(Intro.id)))


def intro_questions(slack, user):
    return [m for m in slack.dms_to(user) if ids.INTRO_WORTH_IT in buttons(m)]


def test_each_party_is_asked_once_and_the_introducer_hears_each_answer(mutual, slack, db, jobs):
    intro = connect(mutual, db)
    jobs(START + 13 * DAY)
    assert intro_questions(slack, "UBOB") == []
    questions_at(jobs, START + 14 * DAY)
    jobs(START + 15 * DAY)
    [bob_q], [carol_q] = intro_questions(slack, "UBOB"), intro_questions(slack, "UCAROL")
    assert intro_questions(slack, "UALICE") == []
    for question, other in ((bob_q, "<@UCAROL>"), (carol_q, "<@UBOB>")):
        assert_valid_message(question)
        assert question["text"] == (f"Was meeting {other} worth it? Only <@UALICE>, who "
                                    "introduced you, will hear your answer.")
        assert buttons(question) == {ids.INTRO_WORTH_IT: str(intro.id),
                                     ids.INTRO_NOT_WORTH_IT: str(intro.id)}

    before = len(slack.dms_to("UALICE"))
    answer(mutual, ids.INTRO_WORTH_IT, str(intro.id), f"We ship together now {EVIL}", user="UBOB",
           channel="DBOB")
    answer(mutual, ids.INTRO_NOT_WORTH_IT, str(intro.id), None, user="UCAROL", channel="DCAROL")
    answer(mutual, ids.INTRO_WORTH_IT, str(intro.id), "again", user="UCAROL", channel="DCAROL")
    answer(mutual, ids.INTRO_WORTH_IT, str(intro.id), "me too", user="UERIN", channel="DERIN")
    told = slack.dms_to("UALICE")[before:]
    assert [m["text"] for m in told] == [
        "<@UBOB> says meeting <@UCAROL> was worth it — thanks to your introduction.",
        "<@UCAROL> says meeting <@UBOB> didn't lead anywhere this time. That happens — thanks "
        "for thinking of them."]
    for msg in told:
        assert_valid_message(msg)
    assert "&lt;!channel&gt;" in json.dumps(told[0]) and "<!channel>" not in json.dumps(told[0])
    assert "meant for someone else" in slack.calls_to("response_url")[-1]["text"]
    assert [(a.asked_id, a.told_id, a.answer) for a in answers(db)] == [
        ("UBOB", "UALICE", "worth_it"), ("UCAROL", "UALICE", "not_worth_it")]


def test_no_intro_question_when_someone_left(mutual, slack, db, jobs):
    connect(mutual, db)
    with db.session() as s:
        member(s, "UALICE", START, deleted=True)
    questions_at(jobs, START + 14 * DAY)
    assert intro_questions(slack, "UBOB") == [] and intro_questions(slack, "UCAROL") == []


def seed_answered_intros(db, people):
    """Alice introduced pairs of `people`, connected a month ago; each party answered."""
    with db.session() as s:
        workspace(s, START)
        for n, (a, b, verdicts) in enumerate(people):
            intro = Intro(team_id="T0001", introducer_id="UALICE", a_id=a, b_id=b, reason=f"r{n}",
                          status="connected", created_at=START - 40 * DAY,
                          updated_at=START - 30 * DAY, connected_at=START - 30 * DAY)
            s.add(intro)
            s.flush()
            for party, verdict in zip((a, b), verdicts, strict=False):
                if verdict:
                    s.add(FollowupAnswer(team_id="T0001", kind="intro", subject_id=intro.id,
                                         asked_id=party, told_id="UALICE", answer=verdict,
                                         words="", created_at=START - 16 * DAY))


def me_text(mutual, user="UALICE"):
    return json.dumps(cmd(mutual, "/mutual", "me", user=user))


def test_the_introducers_own_aggregate_from_the_privacy_floor_up(mutual, slack, db):
    yes, no = "worth_it", "not_worth_it"
    seed_answered_intros(db, [("UB1", "UC1", (yes, no)), ("UB2", "UC2", (no, None))])
    assert "your introductions" not in me_text(mutual).lower(), "3 people: under the floor"
    seed_answered_intros(db, [("UB3", "UC3", (yes, yes)), ("UB4", "UC4", (None, yes))])
    shown = me_text(mutual)
    assert "3 of your 4 intros this quarter were worth it, say the people you introduced" in shown
    mutual.post_event(p.event(p.home_opened("UALICE")))
    mutual.settle()
    home = [c for c in slack.calls_to("views.publish") if c["user_id"] == "UALICE"][-1]["view"]
    assert "3 of your 4 intros this quarter were worth it" in json.dumps(home)
    assert "worth it" not in me_text(mutual, user="UB1"), "only the introducer sees it"
