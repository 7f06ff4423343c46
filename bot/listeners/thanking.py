"""Saying thanks, shared by `/thanks` and the `thank_someone` modal: record, then DM."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.blocks.recording import build_thanked_dm
from bot.listeners.deps import Deps
from bot.listeners.events.home import refresh_homes
from bot.services.recording import Recorded, record_thanks
from bot.services.workspaces import ensure_workspace


def give_thanks(
    deps: Deps, client: WebClient, team_id: str, receiver_id: str, helper_ids: list[str],
    note: str, channel_id: str | None = None,
) -> list[Recorded]:
    deps.directory.welcome_back(team_id, receiver_id)
    now = deps.clock()
    with deps.db.session() as session:
        ensure_workspace(session, team_id, now)
        records = record_thanks(session, team_id, receiver_id, helper_ids, note, now,
                                channel_id=channel_id)
    refresh_homes(deps, client, team_id, receiver_id, *helper_ids)
    for record in records:
        deps.notifier.submit(send_dm, client, record.helper_id,
                             build_thanked_dm(receiver_id, note, "command"))
    return records


def send_dm(client: WebClient, user_id: str, msg: dict[str, object]) -> None:
    # Posting to a user id lands in the app's DM with them; no conversations.open needed.
    client.chat_postMessage(channel=user_id, **msg)  # type: ignore[arg-type]
