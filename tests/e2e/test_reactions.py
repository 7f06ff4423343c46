"""Thank-you reactions over HTTP: counted once, retracted with the last emoji, never lost."""

from tests.support import payloads as p
from tests.support.db_read import record_count, records
from tests.support.outage import database_down


def react(mutual, kind="reaction_added", user="UALICE", author="UBOB", emoji="pray",
          event_id=None, headers=None, **kw):
    body = p.event(p.reaction(kind, user, author, emoji, **kw), event_id=event_id)
    return mutual.post_event(body, extra_headers=headers)


def test_thank_you_reaction_records_author_helped_reactor(mutual, db):
    assert react(mutual).status == 200
    [rec] = records(db)
    assert (rec.helper_id, rec.receiver_id, rec.source, rec.status) == (
        "UBOB", "UALICE", "reaction", "confirmed")
    assert (rec.channel_id, rec.message_ts) == ("CGENERAL", "1700000000.000100")


def test_other_emoji_and_skin_tones(mutual, db):
    react(mutual, emoji="tada")
    assert record_count(db) == 0
    react(mutual, emoji="raised_hands::skin-tone-4")
    assert [r.source for r in records(db)] == ["reaction"]


def test_several_thank_you_emoji_by_one_person_count_once(mutual, db):
    for emoji in ("pray", "raised_hands", "heart_hands", "thankyou"):
        assert react(mutual, emoji=emoji).status == 200
    assert record_count(db) == 1


def test_two_people_reacting_to_one_message_are_two_records(mutual, db):
    react(mutual, user="UALICE")
    react(mutual, user="UCAROL")
    assert sorted(r.receiver_id for r in records(db)) == ["UALICE", "UCAROL"]


def test_retried_and_duplicated_deliveries_count_once(mutual, db):
    assert react(mutual, event_id="EvSAME").status == 200
    assert react(mutual, event_id="EvSAME", headers={"X-Slack-Retry-Num": "1",
                                                     "X-Slack-Retry-Reason": "http_timeout"}).status == 200
    assert react(mutual, event_id="EvSAME").status == 200  # a duplicate without retry headers
    assert react(mutual, event_id="EvOTHER").status == 200  # same reaction, new event id
    assert record_count(db) == 1


def test_removing_the_last_thank_you_emoji_retracts(mutual, db):
    react(mutual, emoji="pray")
    react(mutual, emoji="heart_hands")
    react(mutual, kind="reaction_removed", emoji="pray")
    assert records(db)[0].status == "confirmed", "one thank-you emoji is still there"
    react(mutual, kind="reaction_removed", emoji="heart_hands")
    assert records(db)[0].status == "retracted"
    react(mutual, emoji="thankyou")
    [rec] = records(db)
    assert rec.status == "confirmed", "thanking again brings the same record back"


def test_reactions_that_thank_nobody_are_ignored(mutual, db):
    react(mutual, user="UALICE", author="UALICE")  # own message
    react(mutual, author="UROBOT")  # a bot's message
    react(mutual, author="UDAVE")  # deactivated author
    react(mutual, author="UFOREIGN")  # someone from another workspace
    react(mutual, author=None)  # a file or a message without an author
    assert record_count(db) == 0


def test_custom_emoji_per_workspace(mutual, db):
    from bot.db.models import Workspace

    react(mutual, emoji="pray")
    with db.session() as s:
        s.get(Workspace, "T0001").thank_emoji = "merci"
    react(mutual, user="UCAROL", emoji="pray")
    react(mutual, user="UERIN", emoji="merci")
    assert sorted(r.receiver_id for r in records(db)) == ["UALICE", "UERIN"]


def test_database_down_gives_5xx_and_the_retry_records_once(mutual, db):
    react(mutual, user="UCAROL", event_id="EvWARM")  # Bob's profile is now cached
    with database_down(db):
        reply = react(mutual, event_id="EvLOST")
        assert reply.status >= 500, "Slack must be told to retry"
        healthz = mutual.request("GET", "/healthz")
        assert healthz.status == 503 and healthz.json() == {"ok": False}
    retry = react(mutual, event_id="EvLOST", headers={"X-Slack-Retry-Num": "1",
                                                      "X-Slack-Retry-Reason": "http_error"})
    assert retry.status == 200
    again = react(mutual, event_id="EvLOST", headers={"X-Slack-Retry-Num": "2",
                                                      "X-Slack-Retry-Reason": "http_error"})
    assert again.status == 200
    assert sorted(r.receiver_id for r in records(db)) == ["UALICE", "UCAROL"]


def test_command_while_database_down_says_nothing_was_saved(mutual, db):
    with database_down(db):
        reply = mutual.post(p.command("/thanks", "<@UBOB> for the review"))
        assert reply.status == 200
        assert "nothing was saved" in reply.json()["text"]
    assert record_count(db) == 0


def test_thank_you_reactions_refresh_both_home_tabs(mutual, slack, db):
    mutual.open_home("UALICE", "UBOB")
    slack.reset()
    react(mutual)
    mutual.settle()
    assert {c["user_id"] for c in slack.calls_to("views.publish")} == {"UALICE", "UBOB"}


def test_nudge_settings_refresh_the_home_tab(mutual, slack):
    mutual.open_home("UALICE")
    slack.reset()
    assert mutual.post(p.command("/mutual", "nudges off")).status == 200
    mutual.settle()
    assert [c["user_id"] for c in slack.calls_to("views.publish")] == ["UALICE"]
