"""What the page shows the current person, gathered from the sandbox's state and drawn with
the templates: the top bar (clock, people, the simulated Slack), the sidebar, the open
conversation or Home tab, the modal, and the sandbox's notes on the last thing done.

Each part ("region") is drawn on its own, so the page replaces only the parts that changed and
keeps whatever a person is typing elsewhere. Opening a conversation reads it: its messages stop
counting as new for that person."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from bot.sandbox.manifest import COMMAND_HINTS, SHORTCUTS
from bot.sandbox.state import BOT_USER_ID, Conversation, Message, Person, View
from bot.sandbox.web.blocks import BlockKit, Choices
from bot.sandbox.web.face import CONVERSATION, HOME, WebFace, blocks_key
from bot.sandbox.web.mrkdwn import Mrkdwn, emoji_html

REGIONS = ("top", "sidebar", "main", "modal", "notes")
IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
COLORS = 8  # avatar colours: classes c0 … c7 in sandbox.css (no inline styles: see the CSP)
GROUPED = timedelta(minutes=5)  # Slack draws a person's messages this close together as one
REACTIONS = ("pray", "raised_hands", "heart_hands", "thankyou", "tada", "eyes", "+1", "white_check_mark")

ENV = Environment(loader=PackageLoader("bot.sandbox.web", "templates"),
                  autoescape=select_autoescape(default=True, default_for_string=True),
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@dataclass
class Shown:
    """One message as the page draws it."""

    number: int
    author: str
    real_name: str
    avatar: str
    color: str
    by_app: bool
    time: str
    when: str
    day: str
    body: Markup
    key: str
    ephemeral: bool
    edited: bool
    grouped: bool = False
    files: list[dict[str, Any]] = field(default_factory=list)
    reactions: list[dict[str, Any]] = field(default_factory=list)


class Pages:
    def __init__(self, face: WebFace) -> None:
        self.face = face
        self.state = face.state
        self.name = face.render.person  # names as the terminal says them: @bob, #general

    def kit(self, me: Person) -> BlockKit:
        people = [(p.id, p.name) for p in self.state.people.values() if not p.deleted]
        channels = [(c.id, f"#{c.name}") for c in self.state.conversations.values() if c.kind == "channel"]
        return BlockKit(Mrkdwn(self.name, self.face.render.channel, me.tz), Choices(people, channels),
                        lambda file_id: f"/files/{file_id}")

    # -- the whole page and its parts --------------------------------------------------------
    def regions(self) -> dict[str, str]:
        """Each region's HTML; the main region first, since opening a conversation reads it."""
        with self.face.ws.slack.lock:
            me = self.face.me
            context = self._context(me)
            drawn = {"main": ENV.get_template("_main.html").render(**context, **self._main(me))}
            context["sidebar"] = self._sidebar(me)
            for region in ("top", "sidebar", "modal", "notes"):
                drawn[region] = ENV.get_template(f"_{region}.html").render(**context)
        return drawn

    def page(self) -> str:
        drawn = self.regions()
        return ENV.get_template("page.html").render(regions=drawn, version=self.face.version_key(),
                                                    completion=self._completion(), **self.menus())

    def _context(self, me: Person) -> dict[str, Any]:
        now = self.face.ws.clock()
        local = now.astimezone(ZoneInfo(me.tz))
        people = [{"id": p.id, "name": p.name, "real_name": p.real_name, "me": p.id == me.id,
                   "deleted": p.deleted, "admin": p.is_admin, "avatar": _initial(p.real_name),
                   "color": _color(p.id), "city": _city(p.tz),
                   "local": now.astimezone(ZoneInfo(p.tz)).strftime("%a %H:%M")}
                  for p in self.state.people.values() if not p.is_bot]
        fake = self.face.ws.slack
        return {"me": me, "people": people, "avatar": _initial(me.real_name), "color": _color(me.id),
                "clock": local.strftime("%a %d %b %Y %H:%M"), "city": _city(me.tz),
                "clock_value": local.strftime("%Y-%m-%dT%H:%M"), "utc": now.strftime("%H:%M UTC"),
                "slack_up": fake.is_up, "methods": sorted(fake.methods.table),
                "modal": self._modal(me), "notes": self.face.latest_notes()}

    # -- the sidebar -------------------------------------------------------------------------
    def _sidebar(self, me: Person) -> dict[str, Any]:
        tab = self.face.tab.get(me.id, CONVERSATION)
        here = self.face.here(me).id
        app_dm = "D" + me.id[1:]
        channels: list[dict[str, Any]] = []
        dms: list[tuple[int, dict[str, Any]]] = []  # (latest message number, item): latest first
        for conv in self.state.conversations.values():
            if me.id not in conv.members:
                continue
            new = self._new_in(me, conv)
            item = {"id": conv.id, "new": new, "active": tab == CONVERSATION and conv.id == here}
            if conv.kind == "channel":
                channels.append({**item, "label": f"{conv.name}"})
            elif conv.id != app_dm:
                others = [self.name(p) for p in conv.people if p != me.id]
                dms.append((self._last(conv), {**item, "label": ", ".join(others) or me.name,
                                               "group": conv.kind == "mpim"}))
        app = self.state.conversations.get(app_dm)
        mutual = {"id": app_dm, "new": self._new_in(me, app) if app else 0,
                  "active": tab == CONVERSATION and here == app_dm}
        return {"channels": channels, "dms": [d for _, d in sorted(dms, key=lambda d: -d[0])],
                "mutual": mutual, "home": tab == HOME}

    def _new_in(self, me: Person, conv: Conversation) -> int:
        return sum(1 for m in self.state.messages if m.channel == conv.id and m.user != me.id
                   and m.visible_to(me.id) and self.state.is_new_to(me.id, m))

    def _last(self, conv: Conversation) -> int:
        return max((m.number for m in self.state.messages if m.channel == conv.id), default=0)

    # -- the open conversation or Home tab ---------------------------------------------------
    def _main(self, me: Person) -> dict[str, Any]:
        kit = self.kit(me)
        if self.face.tab.get(me.id) == HOME:
            home = self.state.homes.get(me.id)
            body = kit.blocks(home.view.get("blocks") or []) if home else None
            key = blocks_key(home.view.get("blocks") or []) if home else ""
            return {"tab": HOME, "home": body, "home_key": key, "title": "Mutual",
                    "placeholder": "Message Mutual", "messages": [], "conversation": None}
        conv = self.face.here(me)
        messages = [m for m in self.state.messages if m.channel == conv.id and m.visible_to(me.id)]
        if messages:  # opening it reads it
            self.state.read.setdefault(me.id, {})[conv.id] = max(m.number for m in messages)
        title, about = self._title(conv, me)
        return {"tab": CONVERSATION, "conversation": conv, "title": title, "about": about,
                "placeholder": f"Message {title}", "messages": self._shown(messages, me, kit),
                "home": None, "home_key": "", "app_dm": conv.id == "D" + me.id[1:]}

    def _title(self, conv: Conversation, me: Person) -> tuple[str, str]:
        if conv.kind == "channel":
            return f"#{conv.name}", f"{len(conv.people)} members"
        others = [self.name(p) for p in conv.people if p != me.id]
        if conv.kind == "im":
            return (others[0] if others else "Mutual"), "Direct message"
        return ", ".join(others), "Group direct message" + (" with Mutual" if BOT_USER_ID in conv.members else "")

    def _shown(self, messages: list[Message], me: Person, kit: BlockKit) -> list[Shown]:
        zone = ZoneInfo(me.tz)
        out: list[Shown] = []
        previous: tuple[str, datetime, bool] | None = None
        for msg in messages:
            at = datetime.fromtimestamp(float(msg.ts), zone)
            if msg.blocks:
                inputs = View(f"message-{msg.number}", me.id, {"blocks": msg.blocks},
                              values=self.face.drafts.get((me.id, msg.number), {}))
                body = kit.blocks(msg.blocks, inputs)
            else:
                body = Markup('<div class="bk-text">{}</div>').format(kit.md(msg.text))
            author = self.state.people.get(msg.user)
            shown = Shown(msg.number, self.name(msg.user), author.real_name if author else "Mutual",
                          "M" if msg.by_app else _initial(author.real_name if author else msg.user),
                          _color(msg.user), msg.by_app, at.strftime("%H:%M"),
                          at.strftime("%A %d %B %Y at %H:%M"), at.strftime("%A, %B %-d"), body,
                          blocks_key(msg.blocks), msg.ephemeral_to is not None, msg.edited)
            shown.grouped = (previous is not None and previous[0] == msg.user and previous[2] == shown.ephemeral
                             and at - previous[1] < GROUPED and at.date() == previous[1].date())
            previous = (msg.user, at, shown.ephemeral)
            shown.files = [{"url": f"/files/{f.get('id')}", "title": f.get("title") or f.get("name"),
                            "image": str(f.get("name", "")).lower().endswith(IMAGES)} for f in msg.files]
            shown.reactions = [{"name": e, "emoji": emoji_html(e), "count": len(who), "mine": me.id in who,
                                "who": ", ".join(self.name(p) for p in who)}
                               for e, who in msg.reactions.items() if who]
            out.append(shown)
        return out

    # -- the modal ---------------------------------------------------------------------------
    def _modal(self, me: Person) -> dict[str, Any] | None:
        view = self.state.modals.get(me.id)
        if view is None:
            return None
        body = view.view
        title = (body.get("title") or {}).get("text", "Mutual")
        drawn = self.kit(me).blocks(body.get("blocks") or [], view)
        key = hashlib.sha1(str(drawn).encode(), usedforsecurity=False).hexdigest()[:12]
        return {"title": title, "body": drawn, "key": key, "back": bool(view.stack),
                "blocks_key": blocks_key(body.get("blocks") or []),
                "submit": (body.get("submit") or {}).get("text"),
                "close": "Back" if view.stack else (body.get("close") or {}).get("text") or "Close"}

    # -- what the message box completes ------------------------------------------------------
    def _completion(self) -> dict[str, Any]:
        people = [{"handle": p.name, "name": p.real_name} for p in self.state.people.values()
                  if not p.deleted and not p.is_bot]
        commands = [{"command": c, "description": d, "usage": u} for c, (d, u) in COMMAND_HINTS.items()]
        commands += [{"command": "/as", "description": "Become someone else (sandbox)", "usage": "bob"},
                     {"command": "/time", "description": "Move the clock (sandbox)", "usage": "+3d"}]
        return {"people": people, "commands": commands}

    def menus(self) -> dict[str, Any]:
        """The reaction picker and the shortcuts, drawn once with the page."""
        return {"reactions": [{"name": r, "emoji": emoji_html(r)} for r in REACTIONS],
                "global_shortcuts": [n for n, (kind, _) in SHORTCUTS.items() if kind == "global"],
                "message_shortcuts": [n for n, (kind, _) in SHORTCUTS.items() if kind == "message"]}


def _initial(name: str) -> str:
    return (name.strip()[:1] or "?").upper()


def _color(user_id: str) -> str:
    digest = hashlib.sha1(user_id.encode(), usedforsecurity=False).digest()
    return f"c{digest[0] % COLORS}"


def _city(tz: str) -> str:
    return tz.rsplit("/", 1)[-1].replace("_", " ")
