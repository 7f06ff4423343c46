"""Answers to "how did it go?" (`followup_worked`, `followup_ongoing`, `followup_not_needed`)
and "was it worth it?" (`intro_worth_it`, `intro_not_worth_it`): the question is replaced by
the answer given, and the helper or introducer hears it privately, once."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot import constants as ids
from bot.blocks.followups import (
    ANSWER_OF,
    build_answer_not_yours,
    build_followup_answered,
    build_followup_told,
    build_intro_followup_answered,
    build_intro_followup_told,
    build_nothing_to_answer,
)
from bot.blocks.questions import words_block
from bot.listeners.deps import Deps, actor, typed
from bot.listeners.interaction import record_ids_of, replace_untracked, reply, typed_in
from bot.payloads.interactive import BlockActions
from bot.services import closing, followups, outbox
from bot.services.followups import Outcome

HELP_ACTIONS = (ids.FOLLOWUP_WORKED, ids.FOLLOWUP_ONGOING, ids.FOLLOWUP_NOT_NEEDED)
INTRO_ACTIONS = (ids.INTRO_WORTH_IT, ids.INTRO_NOT_WORTH_IT)


def words_of(body: dict[str, Any], pressed: BlockActions) -> str:
    """What was typed in the box beside the pressed button (in a questions DM, each question
    has its own box: bot.blocks.questions)."""
    block = words_block(pressed.action.block_id, ids.FOLLOWUP_WORDS_BLOCK)
    return followups.clean_words(typed_in(body, block, ids.FOLLOWUP_WORDS_INPUT))


def register(app: App, deps: Deps) -> None:
    def about_help(body: dict[str, Any], context: BoltContext) -> None:
        pressed = typed(context, BlockActions)
        record_ids = record_ids_of(pressed)
        if not record_ids:
            return
        (user, team_id), now = actor(context), deps.clock()
        answer = ANSWER_OF[pressed.action.action_id]
        with deps.db.session() as session:
            result = followups.answer_help(session, team_id, record_ids, user, answer,
                                           words_of(body, pressed), now)
            if result.outcome is Outcome.NOT_YOURS:
                reply(session, team_id, pressed, build_answer_not_yours(), now, "not_yours")
                return
            # The question shows the answer given, in its own message or its questions DM.
            closing.ended(session, team_id, closing.HELP, record_ids[0], now)
            replace_untracked(session, team_id, pressed, build_nothing_to_answer()
                              if result.outcome is Outcome.GONE else build_followup_answered(
                                  result.told, result.about, result.answer, result.words), now)
            for key, helper in result.tell:
                outbox.message(session, team_id, key, helper, build_followup_told(
                    user, result.about, result.answer, result.words), now)

    def about_intro(body: dict[str, Any], context: BoltContext) -> None:
        pressed = typed(context, BlockActions)
        intro_id = pressed.action.value_int
        if intro_id is None:
            return
        (user, team_id), now = actor(context), deps.clock()
        answer = ANSWER_OF[pressed.action.action_id]
        with deps.db.session() as session:
            result = followups.answer_intro(session, team_id, intro_id, user, answer,
                                            words_of(body, pressed), now)
            if result.outcome is Outcome.NOT_YOURS:
                reply(session, team_id, pressed, build_answer_not_yours(), now, "not_yours")
                return
            closing.ended(session, team_id, closing.INTRO, intro_id, now, only=("intro_followup",))
            introducer = result.told[0] if result.told else ""
            replace_untracked(session, team_id, pressed, build_nothing_to_answer()
                              if result.outcome is Outcome.GONE else build_intro_followup_answered(
                                  introducer, result.about, result.answer, result.words), now)
            for key, told in result.tell:
                outbox.message(session, team_id, key, told, build_intro_followup_told(
                    user, result.about, result.answer, result.words), now)
                outbox.refresh_home(session, team_id, told, now=now)

    for action_id in HELP_ACTIONS:
        @app.action(action_id)
        def on_help(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
            ack()
            about_help(body, context)

    for action_id in INTRO_ACTIONS:
        @app.action(action_id)
        def on_intro(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
            ack()
            about_intro(body, context)
