"""`claim_confirm` / `claim_decline` on the DM a `/helped` claim sends."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext

from bot import constants as ids
from bot.blocks.recording import build_claim_answered, build_claim_confirmed_dm, build_claim_withdrawn
from bot.listeners.deps import Deps, team, typed
from bot.listeners.interaction import press_of, replace_untracked, reply
from bot.observe.requests import mark
from bot.payloads.interactive import BlockActions
from bot.services import closing, outbox
from bot.services.recording import ClaimAnswer, answer_claim, withdraw_claim
from bot.services.workspaces import claim_trigger


def register(app: App, deps: Deps) -> None:
    def answer(confirm: bool, context: BoltContext) -> None:
        pressed = typed(context, BlockActions)
        press = press_of(pressed, team(context))
        if press is None:
            return
        team_id, now = press.team_id, deps.clock()
        with deps.db.session() as session:  # one transaction, the replay claim in it (bot.edge)
            if not claim_trigger(session, team_id, pressed.trigger_id, now):
                mark(context, "refused")
                return
            outcome, claim = answer_claim(session, team_id, press.item_id, press.user_id, confirm, now)
            if claim is None or outcome is ClaimAnswer.NOT_YOURS:
                return
            # The claim DM, a reminder, a questions DM: each shows the answer given, without
            # buttons (pressing again, or the other button, shows it too). A "not really" is
            # told to nobody: the claim lapses quietly, as an unanswered one does.
            closing.ended(session, team_id, closing.CLAIM, claim.id, now)
            replace_untracked(session, team_id, pressed,
                              build_claim_answered(claim.helper_id, claim.note, claim.status), now)
            outbox.refresh_home(session, team_id, claim.receiver_id, claim.helper_id, now=now)
            if outcome is ClaimAnswer.CONFIRMED:
                outbox.message(session, team_id, f"claim_confirmed:{claim.id}", claim.helper_id,
                               build_claim_confirmed_dm(claim.receiver_id, claim.note), now)

    @app.action(ids.CLAIM_CONFIRM)
    def confirm(ack: Ack, context: BoltContext) -> None:
        ack()
        answer(True, context)

    @app.action(ids.CLAIM_DECLINE)
    def decline(ack: Ack, context: BoltContext) -> None:
        ack()
        answer(False, context)

    @app.action(ids.CLAIM_WITHDRAW)
    def withdraw(ack: Ack, context: BoltContext) -> None:
        """From your open things (the Home, `/mutual me`): a claim you made, still waiting."""
        ack()
        pressed = typed(context, BlockActions)
        press = press_of(pressed, team(context))
        if press is None:
            return
        team_id, now = press.team_id, deps.clock()
        with deps.db.session() as session:
            outcome, claim = withdraw_claim(session, team_id, press.item_id, press.user_id, now)
            if claim is None or outcome is ClaimAnswer.NOT_YOURS:
                return
            if outcome is ClaimAnswer.WITHDRAWN:
                if claim.new:  # still pending: their DM (and any reminder) says so, without buttons
                    closing.ended(session, team_id, closing.CLAIM, claim.id, now)
                outbox.refresh_home(session, team_id, claim.receiver_id, claim.helper_id, now=now)
            reply(session, team_id, pressed, build_claim_withdrawn(claim.receiver_id, outcome),
                  now, "claim_withdrawn")
