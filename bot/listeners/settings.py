"""Changing a person's own nudge settings — from `/mutual nudges|snooze`, App Home or a
nudge's snooze button — in one transaction with the App Home refresh it causes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.recording import build_busy
from bot.db.models import Member
from bot.listeners.deps import Deps
from bot.listeners.interaction import Answerable, reply
from bot.services import outbox
from bot.services.nudges import Controls, set_nudges, snooze
from bot.services.people import save_profile
from bot.services.workspaces import ensure_workspace
from bot.slack.budget import Budget, SlackBusy

Then = Callable[[Session, Controls, datetime], None]


def change_nudges(deps: Deps, client: WebClient, team_id: str, user_id: str,
                  source: Answerable | None = None, *, enabled: bool | None = None,
                  days: int | None = None, then: Then | None = None,
                  on_home: bool = False) -> Controls | None:
    """Turn suggestions on/off and/or snooze them. None when Slack could not tell us who the
    person is in time (then, for a button press, they are told to try again)."""
    now = deps.clock()
    with deps.db.session() as session:
        known = session.get(Member, (team_id, user_id)) is not None
    profile = None
    if not known:
        try:
            profile = deps.directory.lookup(client, team_id, [user_id], Budget()).profiles.get(user_id)
        except SlackBusy:
            profile = None
        if profile is None:
            if source is not None:
                with deps.db.session() as session:
                    reply(session, team_id, source, build_busy(), now, "busy")
            return None
    with deps.db.session() as session:
        ensure_workspace(session, team_id, now)
        member = session.get(Member, (team_id, user_id))
        if member is None:
            assert profile is not None
            member = save_profile(session, team_id, profile, now)
        controls = Controls(member.nudges_enabled, member.snoozed_until)
        if enabled is not None:
            controls = set_nudges(session, member, enabled)
        if days is not None:
            controls = snooze(session, member, now, days)
        if on_home:  # pressed on their Home tab: it is open, show it changed
            outbox.show_home(session, team_id, user_id, now)
        else:
            outbox.refresh_home(session, team_id, user_id, now=now)
        if then is not None:
            then(session, controls, now)
    return controls
