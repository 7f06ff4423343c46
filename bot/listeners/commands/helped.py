"""`/helped @a <note>`: the invoker helped @a; pending until @a confirms."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks.recording import (
    HELPED_USAGE,
    build_claim_receipt,
    build_claim_refused,
    build_claim_request,
    build_error,
    build_note_too_long,
    build_refused,
    unknown_handle,
)
from bot.listeners.deps import Deps, team, typed
from bot.listeners.people import refuse_people
from bot.payloads.commands import SlashCommand
from bot.services import outbox
from bot.services.asking_again import ClaimRefused, claim_refusal
from bot.services.forget import welcome_back
from bot.services.once import CLAIM_HINT, first_time
from bot.services.parsing import NOTE_MAX, split_mentions
from bot.services.recording import Recorded, record_claim
from bot.services.workspaces import ensure_workspace


def register(app: App, deps: Deps) -> None:
    @app.command("/helped")
    def helped(ack: Ack, client: WebClient, context: BoltContext) -> None:
        command = typed(context, SlashCommand)
        ack(**handle_helped(deps, client, team(context), command))


def handle_helped(deps: Deps, client: WebClient, team_id: str, command: SlashCommand) -> dict[str, Any]:
    invoker = command.user_id
    parsed = split_mentions(command.text)
    if parsed.bare_handles:
        return build_error(unknown_handle(parsed.bare_handles[0]), HELPED_USAGE)
    if len(parsed.user_ids) != 1:
        text = ("Whom did you help? Mention them with @." if not parsed.user_ids
                else "One person at a time, please — each of them confirms on their own.")
        return build_error(text, HELPED_USAGE)
    if not parsed.rest:
        return build_error("Add a few words on what you did, so they know what to confirm.",
                           HELPED_USAGE)
    if len(parsed.rest) > NOTE_MAX:
        return build_note_too_long(len(parsed.rest), HELPED_USAGE)
    why_not, _ = refuse_people(deps, client, team_id, invoker, parsed.user_ids,
                               command.enterprise_id, giving=True)
    if why_not:
        return build_refused(why_not)
    claim, expiry_days, refused, hint = start_claim(deps, team_id, invoker, parsed.user_ids[0],
                                              parsed.rest, command.channel_id)
    if claim is None:
        return build_claim_refused(refused, parsed.user_ids[0])
    return build_claim_receipt(claim.receiver_id, claim.note, expiry_days, hint)


def start_claim(deps: Deps, team_id: str, helper_id: str, receiver_id: str, note: str,
                channel_id: str | None = None) -> tuple[Recorded | None, int, ClaimRefused | None, bool]:
    """Record a pending claim and ask the receiver to confirm it (also used by the modal) —
    unless one to them is still open, or lapsed lately (PRODUCT.md §4c): then nothing is sent."""
    now = deps.clock()
    with deps.db.session() as session:
        workspace = ensure_workspace(session, team_id, now)
        refused = claim_refusal(session, workspace, helper_id, receiver_id, now)
        if refused is not None:
            return None, workspace.claim_expiry_days, refused, False
        welcome_back(session, team_id, helper_id)
        claim = record_claim(session, workspace, helper_id, receiver_id, note, now, channel_id)
        outbox.message(session, team_id, f"claim:{claim.id}", receiver_id,
                       build_claim_request(helper_id, note, claim.id), now, subject=str(claim.id))
        outbox.refresh_home(session, team_id, receiver_id, now=now)
        hint = first_time(session, team_id, helper_id, CLAIM_HINT, now)
        return claim, workspace.claim_expiry_days, None, hint
