"""Slack's Web API methods, answered from the sandbox's State the way Slack answers them.

Each method takes the request's parameters and returns Slack's JSON answer. Errors use Slack's
own error strings (`channel_not_found`, `missing_scope` …), and the app's scopes are those of
`manifest.yml`, so a call that would fail in a real workspace fails here too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.app import BOT_SCOPES
from bot.blocks.checks import decoded, view_problems
from bot.sandbox.seed import CUSTOM_EMOJI
from bot.sandbox.state import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    TEAM_ID,
    TEAM_NAME,
    Conversation,
    Message,
    SavedFile,
    State,
    View,
)

# The bot scopes Mutual asks for (manifest.yml; a test keeps the two in step).
SCOPES = frozenset(BOT_SCOPES)
HISTORY_SCOPE = {"channel": "channels:history", "im": "im:history", "mpim": "mpim:history"}
MPIM_MAX = 8
PAGE = 100
Params = dict[str, Any]
Answer = dict[str, Any]
Notify = Callable[[str, Any], None]


def error(code: str, **extra: Any) -> Answer:
    return {"ok": False, "error": code, **extra}


class Methods:
    """The Web API over one State. The caller holds the lock; `notify(kind, what)` tells the
    terminal what changed (new or updated messages, modals, Home tabs, files)."""

    def __init__(self, state: State, clock: Callable[[], datetime], files_dir: Path,
                 notify: Notify) -> None:
        self.state = state
        self.clock = clock
        self.files_dir = files_dir
        self.notify = notify
        self.triggers: dict[str, str] = {}  # trigger_id -> the person it was issued to
        self.base_url = ""  # set by the server once it has a port
        self.table: dict[str, Callable[[Params], Answer]] = {
            "auth.test": self.auth_test, "users.info": self.users_info,
            "users.list": self.users_list, "chat.postMessage": self.post_message,
            "chat.postEphemeral": self.post_ephemeral, "chat.update": self.update,
            "chat.delete": self.delete, "conversations.open": self.open,
            "conversations.history": self.history, "conversations.join": self.join,
            "conversations.info": self.info, "views.open": self.views_open,
            "views.push": self.views_push, "views.update": self.views_update,
            "views.publish": self.views_publish,
            "files.getUploadURLExternal": self.upload_url,
            "files.completeUploadExternal": self.complete_upload,
            "emoji.list": self.emoji_list,
        }

    # -- people and the app ------------------------------------------------------------------
    def auth_test(self, p: Params) -> Answer:
        return {"ok": True, "url": "https://sandbox.slack.invalid/", "team": TEAM_NAME,
                "user": "mutual", "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID,
                "app_id": APP_ID, "is_enterprise_install": False}

    def users_info(self, p: Params) -> Answer:
        person = self.state.people.get(str(p.get("user", "")))
        if person is None:
            return error("user_not_found")
        return {"ok": True, "user": person.as_user(self.clock())}

    def users_list(self, p: Params) -> Answer:
        people = sorted(self.state.people.values(), key=lambda x: x.id)
        start = int(str(p.get("cursor") or "0").removeprefix("next:") or 0)
        size = int(p.get("limit") or PAGE) or PAGE
        page = people[start:start + size]
        more = start + size < len(people)
        return {"ok": True, "members": [x.as_user(self.clock()) for x in page],
                "response_metadata": {"next_cursor": f"next:{start + size}" if more else ""}}

    def emoji_list(self, p: Params) -> Answer:
        if "emoji:read" not in SCOPES:
            return error("missing_scope", needed="emoji:read")
        return {"ok": True, "emoji": dict(CUSTOM_EMOJI)}

    # -- messages ----------------------------------------------------------------------------
    def conversation(self, channel: str) -> Conversation | None:
        """A channel by id or #name; a user id means the app's DM with that person."""
        if channel.startswith("#"):
            return self.state.channel_named(channel)
        if channel[:1] in ("U", "W"):
            person = self.state.people.get(channel)
            return self.state.app_dm_of(channel) if person is not None else None
        return self.state.conversations.get(channel)

    def new_ts(self) -> str:
        """Slack's message id: the time, and a sequence that keeps it unique and increasing."""
        seconds = int(self.clock().timestamp())
        last = max((float(m.ts) for m in self.state.messages), default=0.0)
        return f"{max(float(seconds), last + 0.000001):.6f}"

    def add(self, conv: Conversation, user: str, p: Params, ephemeral_to: str | None = None,
            files: list[dict[str, Any]] | None = None) -> Message:
        metadata = decoded(p.get("metadata"))
        msg = Message(number=self.state.new_number(), channel=conv.id, ts=self.new_ts(), user=user,
                      text=str(p.get("text") or ""), blocks=decoded(p.get("blocks")) or [],
                      metadata=metadata if isinstance(metadata, dict) else None,
                      thread_ts=p.get("thread_ts") or None, ephemeral_to=ephemeral_to,
                      files=files or [])
        self.state.messages.append(msg)
        self.notify("new", msg.number)
        return msg

    def post_message(self, p: Params) -> Answer:
        conv = self.conversation(str(p.get("channel", "")))
        if conv is None:
            return error("channel_not_found")
        if conv.kind != "channel" and BOT_USER_ID not in conv.members:
            return error("channel_not_found")
        person = self.state.people.get(conv.people[0]) if conv.kind == "im" else None
        if person is not None and person.is_bot:
            return error("cannot_dm_bot")
        if not p.get("text") and not p.get("blocks"):
            return error("no_text")
        msg = self.add(conv, BOT_USER_ID, p)
        return {"ok": True, "channel": conv.id, "ts": msg.ts, "message": msg.as_slack()}

    def post_ephemeral(self, p: Params) -> Answer:
        conv = self.conversation(str(p.get("channel", "")))
        user = str(p.get("user", ""))
        if conv is None:
            return error("channel_not_found")
        if user not in conv.members:
            return error("user_not_in_channel")
        msg = self.add(conv, BOT_USER_ID, p, ephemeral_to=user)
        return {"ok": True, "message_ts": msg.ts}

    def _own(self, p: Params) -> Message | Answer:
        conv = self.conversation(str(p.get("channel", "")))
        if conv is None:
            return error("channel_not_found")
        msg = self.state.message_at(conv.id, str(p.get("ts", "")))
        if msg is None or msg.ephemeral_to is not None:
            return error("message_not_found")
        if not msg.by_app:
            return error("cant_update_message")
        return msg

    def update(self, p: Params) -> Answer:
        msg = self._own(p)
        if not isinstance(msg, Message):
            return msg
        if "text" in p:
            msg.text = str(p.get("text") or "")
        if "blocks" in p:
            msg.blocks = decoded(p.get("blocks")) or []
        msg.edited = True
        self.notify("updated", msg.number)
        return {"ok": True, "channel": msg.channel, "ts": msg.ts, "text": msg.text,
                "message": msg.as_slack()}

    def delete(self, p: Params) -> Answer:
        msg = self._own(p)
        if not isinstance(msg, Message):
            return msg
        msg.deleted = True
        self.notify("deleted", msg.number)
        return {"ok": True, "channel": msg.channel, "ts": msg.ts}

    # -- conversations -----------------------------------------------------------------------
    def open(self, p: Params) -> Answer:
        if p.get("channel"):
            conv = self.conversation(str(p["channel"]))
            return {"ok": True, "channel": {"id": conv.id}} if conv else error("channel_not_found")
        users = [u for u in str(p.get("users", "")).split(",") if u]
        if not users:
            return error("users_list_not_supplied")
        if len(users) > MPIM_MAX:
            return error("too_many_users")
        for user in users:
            if user not in self.state.people:
                return error("user_not_found")
        if len(set(users)) == 1:
            conv = self.state.app_dm_of(users[0])
        else:
            conv = self.state.conversation_of([*users, BOT_USER_ID])
        return {"ok": True, "channel": {"id": conv.id}}

    def history(self, p: Params) -> Answer:
        conv = self.conversation(str(p.get("channel", "")))
        if conv is None or (conv.kind != "channel" and BOT_USER_ID not in conv.members):
            return error("channel_not_found")
        needed = HISTORY_SCOPE[conv.kind]
        if needed not in SCOPES:
            return error("missing_scope", needed=needed, provided=",".join(sorted(SCOPES)))
        with_meta = str(p.get("include_all_metadata", "")).lower() in ("1", "true")
        newest = list(reversed(self.state.history(conv.id)))
        start = int(str(p.get("cursor") or "0").removeprefix("next:") or 0)
        size = int(p.get("limit") or PAGE) or PAGE
        page = newest[start:start + size]
        messages = []
        for msg in page:
            shown = msg.as_slack()
            if not with_meta:
                shown.pop("metadata", None)
            messages.append(shown)
        more = start + size < len(newest)
        return {"ok": True, "messages": messages, "has_more": more,
                "response_metadata": {"next_cursor": f"next:{start + size}" if more else ""}}

    def join(self, p: Params) -> Answer:
        if "channels:join" not in SCOPES:
            return error("missing_scope", needed="channels:join")
        conv = self.conversation(str(p.get("channel", "")))
        if conv is None or conv.kind != "channel":
            return error("channel_not_found")
        if BOT_USER_ID not in conv.members:
            conv.members.append(BOT_USER_ID)
        return {"ok": True, "channel": self._channel_info(conv)}

    def info(self, p: Params) -> Answer:
        conv = self.conversation(str(p.get("channel", "")))
        if conv is None:
            return error("channel_not_found")
        return {"ok": True, "channel": self._channel_info(conv)}

    @staticmethod
    def _channel_info(conv: Conversation) -> dict[str, Any]:
        return {"id": conv.id, "name": conv.name or conv.id, "is_channel": conv.kind == "channel",
                "is_im": conv.kind == "im", "is_mpim": conv.kind == "mpim", "is_private": False,
                "is_member": BOT_USER_ID in conv.members, "num_members": len(conv.members)}

    # -- views -------------------------------------------------------------------------------
    def _view_answer(self, view: View) -> Answer:
        shown = {**view.view, "id": view.id, "team_id": TEAM_ID, "hash": view.hash,
                 "state": {"values": {}}, "app_id": APP_ID}
        return {"ok": True, "view": shown}

    @staticmethod
    def _refused_view(body: Any, kind: str) -> Answer | None:
        """views.update names a view of either kind: its new body must be the same kind."""
        problems = view_problems(body, kind)
        return error("invalid_arguments", response_metadata={"messages": problems}) if problems else None

    def _modal_request(self, p: Params) -> tuple[str | None, Any] | Answer:
        """(the person the trigger was issued to, the view), or Slack's refusal. A trigger
        works once."""
        user = self.triggers.pop(str(p.get("trigger_id", "")), None)
        body = decoded(p.get("view"))
        return self._refused_view(body, "modal") or (user, body)

    def views_open(self, p: Params) -> Answer:
        asked = self._modal_request(p)
        if isinstance(asked, dict):
            return asked
        user, body = asked
        if user is None:
            return error("invalid_trigger_id")
        view = View(self.state.new_id("V"), user, body)
        self.state.modals[user] = view
        self.notify("modal", user)
        return self._view_answer(view)

    def views_push(self, p: Params) -> Answer:
        asked = self._modal_request(p)
        if isinstance(asked, dict):
            return asked
        user, body = asked
        current = self.state.modals.get(user or "")
        if user is None or current is None:
            return error("invalid_trigger_id")
        current.stack.append(current.view)
        current.stacked_values.append(current.values)  # Slack keeps what was typed underneath
        current.view, current.values, current.errors = body, {}, {}
        self.notify("modal", user)
        return self._view_answer(current)

    def views_update(self, p: Params) -> Answer:
        wanted = str(p.get("view_id") or p.get("external_id") or "")
        body = decoded(p.get("view"))
        for kind, views in (("modal", self.state.modals), ("home", self.state.homes)):
            for user, view in views.items():
                if wanted in (view.id, view.view.get("external_id")):
                    refused = self._refused_view(body, kind)
                    if refused:
                        return refused
                    if p.get("hash") and p["hash"] != view.hash:
                        return error("hash_conflict")
                    view.view, view.hash = body, str(int(view.hash) + 1)
                    self.notify(kind, user)
                    return self._view_answer(view)
        return error("not_found")

    def views_publish(self, p: Params) -> Answer:
        user = str(p.get("user_id", ""))
        body = decoded(p.get("view"))
        if user not in self.state.people:
            return error("user_not_found")
        refused = self._refused_view(body, "home")
        if refused:
            return refused
        home = self.state.homes.get(user)
        if home is None:
            home = View(self.state.new_id("V"), user, body, kind="home")
            self.state.homes[user] = home
        home.view, home.hash = body, str(int(home.hash) + 1)
        self.notify("home", user)
        return self._view_answer(home)

    # -- files (the v2 upload flow) ----------------------------------------------------------
    def upload_url(self, p: Params) -> Answer:
        name = str(p.get("filename") or "file")
        if not p.get("length"):
            return error("invalid_arguments")
        file_id = self.state.new_id("F")
        self.state.files[file_id] = SavedFile(file_id, name, name)
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.base_url}/upload/{file_id}"}

    def receive_upload(self, file_id: str, data: bytes) -> bool:
        saved = self.state.files.get(file_id)
        if saved is None:
            return False
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / saved.name
        if path.exists():
            path = self.files_dir / f"{file_id}-{saved.name}"
        path.write_bytes(data)
        saved.path, saved.size = str(path), len(data)
        return True

    def complete_upload(self, p: Params) -> Answer:
        wanted = decoded(p.get("files")) or []
        if not isinstance(wanted, list) or not wanted:
            return error("invalid_arguments")
        shared = []
        for item in wanted:
            saved = self.state.files.get(str(item.get("id")))
            if saved is None or not saved.path:
                return error("file_not_found")
            saved.title = str(item.get("title") or saved.name)
            shared.append({"id": saved.id, "title": saved.title, "name": saved.name,
                           "path": saved.path, "size": saved.size})
        channel = p.get("channel_id") or p.get("channels")
        if channel:
            conv = self.conversation(str(channel))
            if conv is None:
                return error("channel_not_found")
            if BOT_USER_ID not in conv.members:
                return error("not_in_channel")
            self.add(conv, BOT_USER_ID, {"text": p.get("initial_comment") or ""}, files=shared)
        return {"ok": True, "files": [{"id": f["id"], "title": f["title"]} for f in shared]}
