"""App Home over HTTP: `app_home_opened` publishes the personal view; its buttons work."""

import json
from datetime import timedelta

from bot.db.models import Member
from tests.support import payloads as p
from tests.support.blockkit import assert_valid_view


def open_home(mutual, user="UALICE", tab="home"):
    reply = mutual.post_event(p.event(p.home_opened(user, tab)))
    assert reply.status == 200, reply.body
    mutual.settle()


def press(mutual, action_id, value="", selected=None, user="UALICE"):
    reply = mutual.post(p.home_action(action_id, value, selected, user=user))
    assert reply.status == 200, reply.body
    mutual.settle()


def published(slack, user="UALICE"):
    calls = [c for c in slack.calls_to("views.publish") if c["user_id"] == user]
    assert calls, "views.publish was not called"
    return calls[-1]["view"]


def member(db, user="UALICE"):
    with db.session() as s:
        return s.get(Member, ("T0001", user))


def test_opening_home_publishes_the_personal_view(mutual, slack):
    mutual.post(p.command("/thanks", "<@UBOB> for the code review"))
    mutual.post(p.command("/thanks", "<@UALICE> for the lunch tip", user="UBOB"))
    open_home(mutual)
    view = published(slack)
    assert_valid_view(view)
    text = json.dumps(view, ensure_ascii=False)
    assert view["type"] == "home"
    assert "*Two-way (1)*" in text and "<@UBOB> — you helped once, they helped once" in text
    assert "Private suggestions are on" in text


def test_the_messages_tab_publishes_nothing(mutual, slack):
    open_home(mutual, tab="messages")
    assert slack.calls_to("views.publish") == []


def test_thank_and_introduce_buttons_open_their_modals(mutual, slack):
    press(mutual, "home_thank", "thank")
    press(mutual, "home_intro", "intro")
    thank, intro = (c["view"] for c in slack.calls_to("views.open"))
    assert thank["callback_id"] == "thank_someone"
    assert intro["callback_id"] == "intro_submit"


def test_nudge_settings_change_and_home_refreshes(mutual, slack, db, clock):
    press(mutual, "home_nudges_off", "off")
    assert member(db).nudges_enabled is False
    assert "Private suggestions are off" in json.dumps(published(slack))

    press(mutual, "home_nudges_on", "on")
    assert member(db).nudges_enabled is True

    press(mutual, "home_snooze", selected="30")
    assert member(db).snoozed_until == clock() + timedelta(days=30)
    view = json.dumps(published(slack))
    assert "paused" in view and "home_unsnooze" in view

    press(mutual, "home_unsnooze", "0")
    assert member(db).snoozed_until is None
    assert len(slack.calls_to("views.publish")) == 4


def test_a_strange_snooze_value_changes_nothing(mutual, slack, db):
    press(mutual, "home_snooze", selected="forever")
    assert member(db) is None or member(db).snoozed_until is None
    assert slack.calls_to("views.publish") == []


def test_answers_to_people_go_before_homes_refreshed_by_someone_else(mutual, slack):
    mutual.open_home("UALICE", "UBOB", "UCAROL")
    slack.reset()
    with mutual.delivery_paused(workers=1):  # a backlog, as under load; one sender shows the order
        mutual.post(p.command("/thanks", "<@UBOB> for the review"), settle=False)
        mutual.post(p.command("/thanks", "<@UBOB> for the lunch tip", user="UCAROL"), settle=False)
    mutual.settle()
    order = [c.method for c in slack.calls if c.method in ("chat.postMessage", "views.publish")]
    assert order == ["chat.postMessage"] * 2 + ["views.publish"] * 3  # Bob's Home once


def test_a_home_opened_while_refreshes_wait_is_an_answer(mutual, slack):
    mutual.open_home("UALICE", "UBOB")
    slack.reset()
    with mutual.delivery_paused(workers=1):
        mutual.post(p.command("/thanks", "<@UBOB> for the review"), settle=False)
        mutual.post_event(p.event(p.home_opened("UBOB")), settle=False)
    mutual.settle()
    order = [(c.method, c.params.get("user_id") or c.params.get("channel")) for c in slack.calls
             if c.method in ("chat.postMessage", "views.publish")]
    assert order[0] == ("views.publish", "UBOB") and order[-1] == ("views.publish", "UALICE")


def test_a_refresh_that_changes_nothing_is_not_published_again(mutual, slack, db, clock):
    from bot.services import outbox

    def refresh():
        with db.session() as s:
            outbox.refresh_home(s, "T0001", "UALICE", now=clock())
        mutual.settle()

    def publishes():
        return len([c for c in slack.calls_to("views.publish") if c["user_id"] == "UALICE"])

    open_home(mutual)
    refresh()
    assert publishes() == 1, "the same view is not sent twice"
    mutual.post(p.command("/thanks", "<@UALICE> for the lunch tip", user="UBOB"))
    assert publishes() == 2 and "lunch tip" not in json.dumps(published(slack))
    assert "UBOB" in json.dumps(published(slack))
    refresh()
    assert publishes() == 2
    open_home(mutual)  # opening the tab always publishes
    assert publishes() == 3
