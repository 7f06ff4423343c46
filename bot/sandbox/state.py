"""What the simulated Slack remembers: people, conversations, messages, views and files.

Plain dataclasses, saved as one JSON file next to the sandbox database so a session resumes
where it left off. Every message gets a number when it is created; people refer to messages by
that number (`react :pray: 3`), so it never changes."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

TEAM_ID = "T0SANDBOX"
TEAM_NAME = "Sandbox Co"
BOT_USER_ID = "UMUTUAL"
BOT_ID = "BMUTUAL"
APP_ID = "A0SANDBOX"
STATE_VERSION = 1


@dataclass
class Person:
    id: str
    name: str  # the handle people type: @bob
    real_name: str
    tz: str
    is_admin: bool = False
    is_owner: bool = False
    deleted: bool = False
    is_bot: bool = False

    def tz_offset(self, at: datetime) -> int:
        """Seconds east of UTC at `at`, as Slack reports it (daylight saving included)."""
        offset = at.astimezone(ZoneInfo(self.tz)).utcoffset()
        return int(offset.total_seconds()) if offset is not None else 0

    def as_user(self, at: datetime) -> dict[str, Any]:
        """The `user` object of users.info / users.list."""
        return {
            "id": self.id, "team_id": TEAM_ID, "name": self.name, "real_name": self.real_name,
            "deleted": self.deleted, "is_bot": self.is_bot, "is_app_user": False,
            "is_admin": self.is_admin, "is_owner": self.is_owner, "is_restricted": False,
            "is_ultra_restricted": False, "tz": self.tz, "tz_label": self.tz,
            "tz_offset": self.tz_offset(at),
            "profile": {"display_name": self.real_name.split()[0], "real_name": self.real_name,
                        "team": TEAM_ID},
        }


@dataclass
class Conversation:
    id: str
    kind: str  # "channel", "im" (a person and the app, or two people) or "mpim"
    members: list[str]
    name: str = ""  # channels only

    @property
    def people(self) -> list[str]:
        return [m for m in self.members if m != BOT_USER_ID]


@dataclass
class Message:
    number: int
    channel: str
    ts: str
    user: str  # the author; BOT_USER_ID for Mutual's own posts
    text: str = ""
    blocks: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] | None = None
    thread_ts: str | None = None
    ephemeral_to: str | None = None  # only this person sees it (never in history)
    files: list[dict[str, Any]] = field(default_factory=list)
    reactions: dict[str, list[str]] = field(default_factory=dict)  # emoji -> people
    deleted: bool = False
    edited: bool = False

    @property
    def by_app(self) -> bool:
        return self.user == BOT_USER_ID

    def visible_to(self, user_id: str) -> bool:
        return not self.deleted and (self.ephemeral_to is None or self.ephemeral_to == user_id)

    def as_slack(self) -> dict[str, Any]:
        """As conversations.history returns it."""
        msg: dict[str, Any] = {"type": "message", "ts": self.ts, "user": self.user,
                               "text": self.text, "team": TEAM_ID}
        if self.by_app:
            msg["bot_id"] = BOT_ID
        if self.blocks:
            msg["blocks"] = self.blocks
        if self.thread_ts:
            msg["thread_ts"] = self.thread_ts
        if self.metadata:
            msg["metadata"] = self.metadata
        if self.files:
            msg["files"] = [{"id": f["id"], "title": f.get("title"), "name": f.get("name")}
                            for f in self.files]
        return msg


@dataclass
class View:
    id: str
    user: str
    view: dict[str, Any]
    kind: str = "modal"  # or "home"
    stack: list[dict[str, Any]] = field(default_factory=list)  # views pushed underneath
    stacked_values: list[dict[str, dict[str, dict[str, Any]]]] = field(default_factory=list)  # theirs
    values: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # what was typed
    errors: dict[str, str] = field(default_factory=dict)
    hash: str = "1"


@dataclass
class SavedFile:
    id: str
    name: str
    title: str
    path: str = ""  # where its bytes were saved, once uploaded
    size: int = 0


@dataclass
class State:
    people: dict[str, Person] = field(default_factory=dict)
    conversations: dict[str, Conversation] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)
    modals: dict[str, View] = field(default_factory=dict)  # person -> the modal open for them
    homes: dict[str, View] = field(default_factory=dict)  # person -> their published Home tab
    files: dict[str, SavedFile] = field(default_factory=dict)
    next_number: int = 1
    next_id: int = 1
    clock: str = ""  # the simulated time, ISO 8601
    me: str = ""  # who is typing
    where: dict[str, str] = field(default_factory=dict)  # person -> the conversation they are in
    seen: dict[str, int] = field(default_factory=dict)  # person -> highest message number seen
    # person -> conversation -> highest message number read there in the browser (`--web`),
    # which reads one conversation at a time; a message is new to someone past both marks.
    read: dict[str, dict[str, int]] = field(default_factory=dict)

    # -- ids ---------------------------------------------------------------------------------
    def new_id(self, prefix: str) -> str:
        self.next_id += 1
        return f"{prefix}{self.next_id:05d}"

    def new_number(self) -> int:
        number = self.next_number
        self.next_number += 1
        return number

    # -- lookups -----------------------------------------------------------------------------
    def person_named(self, handle: str) -> Person | None:
        handle = handle.lstrip("@").lower()
        for person in self.people.values():
            if handle in (person.name, person.id.lower()):
                return person
        return None

    def channel_named(self, name: str) -> Conversation | None:
        name = name.lstrip("#").lower()
        for conv in self.conversations.values():
            if conv.kind == "channel" and (conv.name == name or conv.id.lower() == name):
                return conv
        return None

    def message(self, number: int) -> Message | None:
        for msg in self.messages:
            if msg.number == number:
                return msg
        return None

    def message_at(self, channel: str, ts: str) -> Message | None:
        for msg in reversed(self.messages):
            if msg.channel == channel and msg.ts == ts and not msg.deleted:
                return msg
        return None

    def app_dm_of(self, user_id: str) -> Conversation:
        """The app's DM with a person, opened on first use: the same id every time."""
        conv_id = "D" + user_id[1:]
        conv = self.conversations.get(conv_id)
        if conv is None:
            conv = Conversation(conv_id, "im", [user_id, BOT_USER_ID])
            self.conversations[conv_id] = conv
        return conv

    def conversation_of(self, members: list[str]) -> Conversation:
        """The DM or group DM with exactly these members, opened on first use."""
        wanted = sorted(set(members))
        for conv in self.conversations.values():
            if conv.kind != "channel" and sorted(conv.members) == wanted:
                return conv
        kind = "im" if len(wanted) == 2 else "mpim"
        conv = Conversation(self.new_id("D" if kind == "im" else "G"), kind, wanted)
        self.conversations[conv.id] = conv
        return conv

    def is_new_to(self, person_id: str, msg: Message) -> bool:
        """Not yet seen by this person in either face (the terminal or the browser)."""
        return msg.number > max(self.seen.get(person_id, 0),
                                self.read.get(person_id, {}).get(msg.channel, 0))

    def history(self, channel: str) -> list[Message]:
        """Messages anyone can see in `channel`, oldest first (ephemeral ones left out)."""
        return [m for m in self.messages
                if m.channel == channel and not m.deleted and m.ephemeral_to is None]


# -- saving ------------------------------------------------------------------------------------

def save(state: State, path: Path) -> None:
    """Write atomically: a Ctrl-C halfway must not leave half a file."""
    data = asdict(state)
    data["version"] = STATE_VERSION
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    os.replace(tmp, path)


def load(path: Path) -> State | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.pop("version", None) != STATE_VERSION:
        return None
    state = State(**{k: v for k, v in data.items()
                     if k not in ("people", "conversations", "messages", "modals", "homes", "files")})
    state.people = {k: Person(**v) for k, v in data["people"].items()}
    state.conversations = {k: Conversation(**v) for k, v in data["conversations"].items()}
    state.messages = [Message(**m) for m in data["messages"]]
    state.modals = {k: View(**v) for k, v in data["modals"].items()}
    state.homes = {k: View(**v) for k, v in data["homes"].items()}
    state.files = {k: SavedFile(**v) for k, v in data["files"].items()}
    return state
