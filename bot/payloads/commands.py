"""Slash commands: `/thanks`, `/helped`, `/intro`, `/mutual`, `/ask`, `/offer` (a form body,
every value a string)."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from bot.payloads.fields import (
    CommandText,
    Lenient,
    OptionalChannelId,
    OptionalEnterpriseId,
    TeamId,
    TriggerId,
    Url,
    UserId,
)

COMMANDS = ("/thanks", "/helped", "/intro", "/mutual", "/ask", "/offer")


class SlashCommand(Lenient):
    """A slash command as Slack posts it.

    `text` is what the person typed after the command, with Slack's entities (`&lt;`, `&amp;`)
    still in place and control characters removed; `channel_id` is where they typed it (None
    when Slack leaves it empty). `trigger_id` opens a modal and identifies a replay."""

    command: Annotated[str, StringConstraints(pattern=r"^/[a-z0-9_\-]{1,31}$")]
    team_id: TeamId
    enterprise_id: OptionalEnterpriseId = None
    user_id: UserId
    channel_id: OptionalChannelId = None
    text: CommandText = ""
    trigger_id: TriggerId
    response_url: Url | None = None
    is_enterprise_install: bool = False

    @property
    def surface(self) -> str:
        return f"command {self.command}"

    @property
    def listened(self) -> bool:
        return self.command in COMMANDS
