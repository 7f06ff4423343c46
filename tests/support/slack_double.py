"""A local double of Slack's Web API: answers like Slack, records every call, and can be told
to answer 429s and errors, hang, or refuse connections (bot/sandbox/localapi.py). Runs on an
ephemeral port in a thread."""

from __future__ import annotations

import itertools
import json
from typing import Any

from bot.blocks.checks import refusal
from bot.sandbox.localapi import LocalApi, Scripted

TEAM = "T0001"
OTHER_TEAM = "T0999"


def person(user_id: str, name: str, team: str = TEAM, **extra: Any) -> dict[str, Any]:
    user = {"id": user_id, "team_id": team, "name": name.lower(), "real_name": name,
            "profile": {"display_name": name, "real_name": name}, "tz": "Europe/London",
            "tz_offset": 0, "is_bot": False, "deleted": False, "is_admin": False,
            "is_owner": False}
    user.update(extra)
    return user


def default_people() -> dict[str, dict[str, Any]]:
    users = [
        person("UALICE", "Alice"),
        person("UBOB", "Bob"),
        person("UCAROL", "Carol"),
        person("UERIN", "Erin", is_admin=True),
        person("UDAVE", "Dave", deleted=True),
        person("UROBOT", "Robot", is_bot=True),
        person("UFOREIGN", "Faye", team=OTHER_TEAM),
    ]
    return {u["id"]: u for u in users}


class SlackDouble(LocalApi):
    """Answers like Slack (auth, users, messages, conversations, views, files v2, OAuth), keeps
    each conversation's messages (with their metadata) for conversations.history, and — from
    LocalApi — records every call and misbehaves on request."""

    def __init__(self) -> None:
        self.users = default_people()
        self.uploads: dict[str, bytes] = {}
        self.bot_user_id = "UMUTUAL"
        self.team_id = TEAM
        self.socket_url: str | None = None
        self.history: dict[str, list[dict[str, Any]]] = {}  # channel -> messages, oldest first
        self.install_token = "xoxb-installed"  # what the next OAuth install is given
        self.installer = "UALICE"  # who the next OAuth install says installed the app
        # The workspace's own emoji (emoji.list) and its channels' names (conversations.info).
        self.custom_emoji = {"thankyou": "https://emoji.example/thankyou.png",
                             "partyparrot": "https://emoji.example/partyparrot.gif",
                             "parrot": "alias:partyparrot"}
        self.channels = {"CGENERAL": "general", "CRANDOM": "random", "CTEAM": "team"}
        self._ts = itertools.count(1)
        # Calls refused for breaking a Block Kit limit (bot/blocks/checks.py): a test fails
        # at teardown if any is left here, unless it empties the list itself.
        self.refused: list[tuple[str, dict[str, Any]]] = []
        super().__init__()

    def upload(self, file_id: str, data: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        status, body = super().upload(file_id, data, headers)
        if status == 200:
            self.uploads[file_id] = data
        return status, body

    def response_url(self, name: str = "r1") -> str:
        return f"{self.base}/respond/{name}"

    def dms_to(self, user_id: str) -> list[dict[str, Any]]:
        return [p for p in self.calls_to("chat.postMessage") if p.get("channel") == user_id]

    @staticmethod
    def dm_id(user_id: str) -> str:
        """The DM conversations.open gives for one person (and for a group of them)."""
        users = sorted(user_id.split(","))
        return ("G" if len(users) > 1 else "D") + "".join(u[1:4] for u in users)

    def ok(self, method: str, params: dict[str, Any]) -> Scripted:
        refused = refusal(method, params)
        if refused is not None:  # what Slack refuses, refused here too
            self.refused.append((method, refused))
            return Scripted(400 if method == "response_url" else 200, refused, {})
        return Scripted(200, self._ok(method, params), {})

    def _ok(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "user_id": self.bot_user_id, "bot_id": "BMUTUAL",
                    "team_id": self.team_id, "team": "Acme", "url": "https://acme.slack.com/"}
        if method == "users.info":
            user = self.users.get(str(p.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "users.list":
            return {"ok": True, "members": list(self.users.values()),
                    "response_metadata": {"next_cursor": ""}}
        if method in ("chat.postMessage", "chat.update"):
            ts = p.get("ts") or f"{1700000000 + next(self._ts)}.000100"
            channel = str(p.get("channel"))
            if method == "chat.postMessage":
                kept = self.dm_id(channel) if channel[:1] in "UW" else channel
                self.history.setdefault(kept, []).append(
                    {"ts": ts, "text": p.get("text"), "metadata": p.get("metadata")})
            return {"ok": True, "channel": channel, "ts": ts,
                    "message": {"text": p.get("text"), "ts": ts}}
        if method == "conversations.history":
            messages = list(reversed(self.history.get(str(p.get("channel")), [])))
            return {"ok": True, "messages": messages, "has_more": False}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{1700000000 + next(self._ts)}.000200"}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": self.dm_id(str(p.get("users", "")))}}
        if method in ("views.open", "views.update", "views.push", "views.publish"):
            return {"ok": True, "view": {"id": f"V{next(self._ts)}"}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts)}"
            return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = p.get("files")
            files = json.loads(files) if isinstance(files, str) else files or []
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        if method == "emoji.list":
            return {"ok": True, "emoji": dict(self.custom_emoji)}
        if method in ("conversations.info", "conversations.join"):
            channel = str(p.get("channel"))
            if channel not in self.channels:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "channel": {"id": channel, "name": self.channels[channel],
                                            "is_channel": True, "is_private": False}}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url or "ws://127.0.0.1:9/"}
        if method == "oauth.v2.access":
            return {"ok": True, "access_token": self.install_token, "token_type": "bot",
                    "scope": "commands,chat:write", "bot_user_id": self.bot_user_id,
                    "app_id": "A0001", "team": {"id": self.team_id, "name": "Acme"},
                    "enterprise": None, "is_enterprise_install": False,
                    "authed_user": {"id": self.installer}}
        return {"ok": True}
