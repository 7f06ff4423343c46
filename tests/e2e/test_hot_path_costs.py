"""What one request costs the database, counted (not timed) so a regression shows in CI:
the SQL statements and transactions of one `/thanks`, one thank-you reaction, a reaction
with another emoji, and one App Home render (issue 17). The common case: everyone's profile
known, every Home open, the deliverer paused so only the request itself is counted."""

from __future__ import annotations

from bot.delivery.kinds import KINDS, Rendering
from bot.services.delivery import Outgoing
from bot.services.outbox import HOME
from bot.services.workspaces import ensure_workspace
from tests.support import payloads as p
from tests.support.db_read import record_count
from tests.support.nudging import helped
from tests.support.sql_count import SqlCount, counting


def warm(mutual):
    mutual.post(p.command("/thanks", "<@UBOB> <@UCAROL> for the first review"))
    mutual.post(p.command("/thanks", "<@UALICE> for the lunch tip", user="UBOB"))
    mutual.open_home("UALICE", "UBOB", "UCAROL")


def notify(db) -> int:
    """On PostgreSQL a transaction that wrote to the outbox also NOTIFYs every replica's
    deliverer: one statement more. (Refreshed Homes are locked in key order inside their one
    UPDATE, so two requests naming the same people never deadlock, at no extra statement.)"""
    return 0 if db.is_sqlite else 1


def shown(sql: SqlCount) -> str:
    return "\n".join([f"{sql.count} statements, {sql.transactions} transactions:", *sql.statements])


def test_one_thanks_is_one_transaction_of_nine_statements(mutual, db):
    warm(mutual)
    with mutual.delivery_paused(), counting(db.engine) as sql:
        reply = mutual.post(p.command("/thanks", "<@UBOB> for the deploy"))
    assert reply.status == 200 and "deploy" in reply.body
    # The replay claim, the workspace, the profiles, who is forgotten; the record, its kept
    # count, the helper's DM, both Homes; whether the receipt's hint was shown before.
    assert (sql.count, sql.transactions) == (9 + notify(db), 1), shown(sql)
    assert record_count(db) == 4


def test_one_thank_you_reaction_is_one_transaction(mutual, db):
    warm(mutual)
    with mutual.delivery_paused(), counting(db.engine) as sql:
        mutual.post_event(p.event(p.reaction("reaction_added", "UALICE", "UBOB", ts="1.5")))
    # The workspace, the profiles, who is forgotten; the event claim, the mark, the record,
    # its kept count, both Homes; the author's gathered DM of this hour, whether the reactor
    # was told before that a reaction counts, and (this first time) that note.
    assert (sql.count, sql.transactions) == (11 + notify(db), 1), shown(sql)
    assert record_count(db) == 4


def test_another_emoji_costs_at_most_one_read(mutual, db):
    warm(mutual)
    with mutual.delivery_paused(), counting(db.engine) as sql:
        mutual.post_event(p.event(p.reaction("reaction_added", "UALICE", "UBOB", "tada", ts="1.6")))
        mutual.post_event(p.event(p.reaction("reaction_removed", "UALICE", "UBOB", "tada", ts="1.6")))
    assert (sql.count, sql.transactions) == (2, 2), shown(sql)  # the workspace's emoji, each
    assert all(s.startswith("SELECT workspaces.thank_emoji") for s in sql.statements), shown(sql)


def test_a_home_render_costs_the_same_whatever_the_history(mutual, db, clock):
    warm(mutual)

    def render() -> SqlCount:
        # Paused: a Home the deliverer refreshes meanwhile would be counted too (any thread).
        with mutual.delivery_paused(), db.session() as s, counting(db.engine) as sql:
            ws = ensure_workspace(s, "T0001", clock())
            row = Outgoing(1, "T0001", f"{HOME}:UALICE", HOME, "UALICE", None, {}, clock(), 0,
                           clock())
            KINDS[HOME].render(Rendering(s, ws, row, clock()))
        return sql

    little = render()
    with db.session() as s:  # months of help both ways with many people
        for n in range(40):
            helped(s, f"UP{n:02d}", "UALICE", clock(), times=5, spread=clock() - clock().replace(month=1))
            helped(s, "UALICE", f"UP{n:02d}", clock(), times=3)
    more = render()
    # The workspace, who is forgotten, the kept counts of both sides, the member, open intros,
    # claims awaiting, the intro follow-ups, the setup checklist; the latest few thank-yous
    # given (to take back); your open things: claims waiting, asks, offers, "ask me about".
    assert (little.count, little.transactions) == (13, 1), shown(little)
    assert (more.count, more.transactions) == (little.count, 1), shown(more)


def test_a_button_press_is_one_transaction(mutual, slack, db):
    from bot import constants as ids
    from tests.e2e.test_undo import undo_value

    warm(mutual)
    receipt = mutual.post(p.command("/thanks", "<@UBOB> for the deploy",
                                    response_url=slack.response_url("cmd"))).json()
    press = p.block_action(ids.THANKS_UNDO, undo_value(receipt), channel="CGENERAL",
                           container_type="ephemeral", response_url=slack.response_url("undo"))
    with mutual.delivery_paused(), counting(db.engine) as sql:
        assert mutual.post(press).status == 200
    # The replay claim, the records (locked), shared?, the retraction and its kept count, the
    # DMs called off, both Homes, the answer: one transaction, however many statements.
    assert sql.transactions == 1, shown(sql)
    with mutual.delivery_paused(), counting(db.engine) as again:
        assert mutual.post(press).status == 200  # Slack's retry of the same press
    assert (again.count, again.transactions) == (1, 1), shown(again)  # the claim, refused
