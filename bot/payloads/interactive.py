"""Interactivity: button presses (`block_actions`), modal submissions and closings, and the
`record_help` / `thank_someone` shortcuts. Each model exposes the ids a listener needs as
properties (`user_id`, `team_id`, `action.value_int`, `where`), never as dict lookups."""

from __future__ import annotations

import re
from enum import Enum
from typing import ClassVar, Literal

from pydantic import (
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bot import constants as ids
from bot.payloads.fields import (
    Channel,
    Enterprise,
    Lenient,
    MessageChannelId,
    Name,
    Team,
    TriggerId,
    Ts,
    Url,
    User,
    UserId,
    ValueText,
    Word,
    small_id,
)
from bot.payloads.text import clean_text
from bot.payloads.views import AskMeta, IntroMeta, Option, RecordHelpMeta, SubmittedView, View

DAYS_MAX = 365
_USER = re.compile(r"[UW][A-Z0-9]{2,31}")


class Value(Enum):
    """What an action's value must be, by action_id (Mutual writes every one of them)."""

    ID = "a small positive id"
    OFFER = "an ask id, with where the button was"
    IDS = "comma-separated small positive ids"
    USER = "a user id"
    DAYS = f"a number of days, 1-{DAYS_MAX}"
    SELECTED_DAYS = f"a selected number of days, 1-{DAYS_MAX}"
    ANY = "anything short"


ACTIONS: dict[str, Value] = {
    # One follow-up question may be about the records of one /thanks naming several people.
    ids.THANKS_TAKE_BACK: Value.ID,
    **dict.fromkeys((ids.THANKS_SHARE, ids.THANKS_UNDO, ids.FOLLOWUP_WORKED,
                     ids.FOLLOWUP_ONGOING, ids.FOLLOWUP_NOT_NEEDED), Value.IDS),
    **dict.fromkeys((ids.INTRO_WORTH_IT, ids.INTRO_NOT_WORTH_IT, ids.INTRO_REQUEST_WITHDRAW,
                     ids.ASK_SOLVED, ids.ASK_ACCEPT, ids.ASK_WITHDRAW, ids.OFFER_DONE,
                     ids.OFFER_CANNOT, ids.OFFER_REMOVE), Value.ID),
    ids.ASK_OFFER: Value.OFFER,
    ids.ASKS_PAUSE: Value.DAYS,
    **dict.fromkeys((ids.CLAIM_CONFIRM, ids.CLAIM_DECLINE, ids.CLAIM_WITHDRAW, ids.INTRO_ACCEPT, ids.INTRO_DECLINE,
                     ids.INTRO_CONNECTED, ids.INTRO_REQUEST_MAKE, ids.INTRO_REQUEST_DECLINE),
                    Value.ID),
    **dict.fromkeys((ids.NUDGE_THANK, ids.NUDGE_HELPED, ids.NUDGE_MUTE_PAIR), Value.USER),
    ids.NUDGE_SNOOZE: Value.DAYS,
    ids.HOME_SNOOZE: Value.SELECTED_DAYS,
    **dict.fromkeys((ids.HOME_THANK, ids.HOME_INTRO, ids.HOME_NUDGES_ON, ids.HOME_NUDGES_OFF,
                     ids.HOME_UNSNOOZE, ids.FORGET_CONFIRM, ids.FORGET_CANCEL), Value.ANY),
    **dict.fromkeys((ids.SETUP_OPEN, ids.CONFIG_ADVANCED), Value.ANY),
}
VIEW_CALLBACKS = (ids.RECORD_HELP, ids.THANK_SOMEONE, ids.HELPED_MODAL, ids.CONFIG_SUBMIT,
                  ids.CONFIG_ADVANCED_SUBMIT, ids.INTRO_MODAL, ids.ASK_MODAL, ids.SOLVED_MODAL)
# Selects whose options Mutual loads as the person types (`block_suggestion`).
SUGGESTED = (ids.CFG_TIMEZONE,)
QUERY_MAX = 100  # what Slack sends of the typed query
MESSAGE_SHORTCUTS = (ids.RECORD_HELP,)
GLOBAL_SHORTCUTS = (ids.THANK_SOMEONE, ids.ASK_FOR_HELP)


def _days(value: str | None) -> int | None:
    number = small_id(value)
    return number if number is not None and number <= DAYS_MAX else None


def _fits(kind: Value, value: str | None) -> bool:
    if kind is Value.ID:
        return small_id(value) is not None
    if kind is Value.IDS:
        parts = (value or "").split(",")
        return len(parts) <= 100 and all(small_id(p) is not None for p in parts)
    if kind is Value.OFFER:
        ask, _, via = (value or "").partition(":")
        return small_id(ask) is not None and via in ("", "suggestion", "nudge")
    if kind is Value.USER:
        return value is not None and _USER.fullmatch(value) is not None
    if kind is Value.DAYS:
        return _days(value) is not None
    return True


class Action(Lenient):
    """The pressed button or chosen option. Its value is checked against what Mutual wrote
    for that action_id, so `value_int`, `value_ids`, `value_user` and `days` are set whenever
    the action_id calls for them."""

    action_id: Name
    block_id: Name | None = None
    type: Word | None = None
    value: ValueText | None = Field(default=None, validate_default=True)
    selected_option: Option | None = Field(default=None, validate_default=True)
    action_ts: Ts | None = None

    @field_validator("value")
    @classmethod
    def _value_fits(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = ACTIONS.get(info.data.get("action_id", ""))
        if kind is not None and kind is not Value.SELECTED_DAYS and not _fits(kind, value):
            raise PydanticCustomError("action_value", "not {kind}", {"kind": kind.value})
        return value

    @field_validator("selected_option")
    @classmethod
    def _option_fits(cls, option: Option | None, info: ValidationInfo) -> Option | None:
        if ACTIONS.get(info.data.get("action_id", "")) is Value.SELECTED_DAYS and (
                option is None or _days(option.value) is None):
            raise PydanticCustomError("action_value", "not {kind}",
                                      {"kind": Value.SELECTED_DAYS.value})
        return option

    @property
    def value_int(self) -> int | None:
        """The record, claim, intro or request id the button carries."""
        return small_id(self.value)

    @property
    def value_ids(self) -> list[int]:
        """The record ids a "Share in channel" button carries."""
        found = (small_id(v) for v in (self.value or "").split(","))
        return [v for v in found if v is not None]

    @property
    def value_user(self) -> str | None:
        """The person a nudge button is about."""
        return self.value if self.value and _USER.fullmatch(self.value) else None

    @property
    def days(self) -> int | None:
        """Days to snooze: the button's value, or the chosen option's."""
        return _days(self.selected_option.value if self.selected_option else self.value)


class MessageChannel(Lenient):
    id: MessageChannelId


class Container(Lenient):
    """Where the pressed element sits: a message (`channel_id`, `message_ts`) or a view."""

    type: Word
    message_ts: Ts | None = None
    channel_id: MessageChannelId | None = None
    is_ephemeral: bool = False
    view_id: Name | None = None


class AttachedMessage(Lenient):
    """The message a button sits on, or a message shortcut was used on."""

    ts: Ts
    user: UserId | None = None
    bot_id: Word | None = None
    subtype: Word | None = None

    @property
    def by_an_app(self) -> bool:
        return self.user is None or self.bot_id is not None or self.subtype == "bot_message"


class Interaction(Lenient):
    """What every interactive payload carries: who (`user_id`), in which workspace
    (`team_id`, found the way Bolt finds it), and the `trigger_id` of this one interaction."""

    # The ids Mutual listens to for this kind of interaction (its action or callback ids).
    LISTENED: ClassVar[tuple[str, ...]] = ()

    type: str
    team: Team | None = None
    user: User
    enterprise: Enterprise | None = None
    is_enterprise_install: bool = False

    @property
    def name(self) -> str:
        """The action_id or callback_id this interaction is for."""
        raise NotImplementedError

    @property
    def surface(self) -> str:
        """"block_actions claim_confirm", "shortcut thank_someone": for log lines."""
        return f"{self.type} {self.name}"

    @property
    def listened(self) -> bool:
        return self.name in self.LISTENED

    @model_validator(mode="after")
    def _has_a_team(self) -> Interaction:
        if not self.team_id:
            raise PydanticCustomError("missing", "no team in team.id, user.team_id or view")
        return self

    def _view(self) -> View | None:
        view = getattr(self, "view", None)
        return view if isinstance(view, View) else None

    @property
    def team_id(self) -> str:
        view = self._view()
        return ((view.app_installed_team_id if view else None) or (self.team.id if self.team else None)
                or self.user.team_id or (view.team_id if view else None) or "")

    @property
    def enterprise_id(self) -> str | None:
        if self.enterprise is not None:
            return self.enterprise.id
        return self.team.enterprise_id if self.team else None

    @property
    def user_id(self) -> str:
        return self.user.id


class BlockActions(Interaction):
    """`block_actions`: a button pressed or an option chosen, in a message or on the Home tab."""

    LISTENED = tuple(ACTIONS)
    type: Literal["block_actions"]
    trigger_id: TriggerId
    response_url: Url | None = None
    container: Container | None = None
    channel: MessageChannel | None = None
    message: AttachedMessage | None = None
    view: View | None = None
    actions: list[Action] = Field(min_length=1, max_length=25)

    @model_validator(mode="after")
    def _message_press_can_be_answered(self) -> BlockActions:
        # Slack gives every press on a message a response_url; listeners answer through it.
        if self.response_url is None and self.container is not None and (
                self.container.type == "message"):
            raise PydanticCustomError("missing", "a press on a message needs its response_url")
        return self

    @property
    def action(self) -> Action:
        """The one action Slack sends per press."""
        return self.actions[0]

    @property
    def where(self) -> tuple[str, str] | None:
        """(channel, ts) of the message the press came from, or None (Home tab, modal)."""
        container = self.container
        channel = (container.channel_id if container else None) or (
            self.channel.id if self.channel else None)
        ts = (container.message_ts if container else None) or (
            self.message.ts if self.message else None)
        return (channel, ts) if channel and ts else None

    @property
    def name(self) -> str:
        return self.action.action_id


class ViewSubmission(Interaction):
    """`view_submission`: a modal submitted. Read inputs with `view.state.value(block, action)`;
    `record_help_meta` / `intro_request_id` are its private_metadata, parsed as Mutual wrote it
    (any other modal must carry none)."""

    LISTENED = VIEW_CALLBACKS
    type: Literal["view_submission"]
    trigger_id: TriggerId
    view: SubmittedView
    _meta: RecordHelpMeta | IntroMeta | AskMeta | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _metadata_is_ours(self) -> ViewSubmission:
        raw, callback = self.view.private_metadata, self.view.callback_id
        try:
            if callback == ids.RECORD_HELP:
                self._meta = RecordHelpMeta.model_validate_json(raw)
            elif callback == ids.INTRO_MODAL and raw:
                self._meta = IntroMeta.model_validate_json(raw)
            elif callback == ids.SOLVED_MODAL:
                self._meta = AskMeta.model_validate_json(raw)
            elif raw:
                raise ValueError("unexpected")
        except ValueError:  # pydantic's ValidationError is one
            raise PydanticCustomError(
                "private_metadata", "view.private_metadata is not what Mutual wrote") from None
        return self

    @property
    def record_help_meta(self) -> RecordHelpMeta | None:
        return self._meta if isinstance(self._meta, RecordHelpMeta) else None

    @property
    def ask_id(self) -> int | None:
        """The ask a "who helped?" modal is about."""
        return self._meta.ask if isinstance(self._meta, AskMeta) else None

    @property
    def intro_request_id(self) -> int | None:
        return self._meta.request_id if isinstance(self._meta, IntroMeta) else None

    @property
    def name(self) -> str:
        return self.view.callback_id


class BlockSuggestion(Interaction):
    """`block_suggestion`: an external_select asking for options as the person types
    (`query`), inside a modal or message. It has no trigger_id: it opens nothing."""

    LISTENED = SUGGESTED
    type: Literal["block_suggestion"]
    action_id: Name
    block_id: Name | None = None
    value: str = ""
    container: Container | None = None
    view: View | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _query(cls, value: object) -> object:
        # What was typed so far: any text, cut to what a search needs.
        return clean_text(value)[:QUERY_MAX] if isinstance(value, str) else value

    @property
    def query(self) -> str:
        return self.value.strip()

    @property
    def name(self) -> str:
        return self.action_id


class ViewClosed(Interaction):
    """`view_closed` (Mutual asks for none; answered with a quiet 200)."""

    type: Literal["view_closed"]
    view: View
    is_cleared: bool = False

    @property
    def name(self) -> str:
        return self.view.callback_id


class Shortcut(Interaction):
    callback_id: Name
    trigger_id: TriggerId

    @property
    def name(self) -> str:
        return self.callback_id


class MessageShortcut(Shortcut):
    """`message_action`: "This helped me" (`record_help`) used on `message` in `channel`."""

    LISTENED = MESSAGE_SHORTCUTS
    type: Literal["message_action"]
    response_url: Url | None = None
    channel: Channel
    message: AttachedMessage


class GlobalShortcut(Shortcut):
    """`shortcut`: the global `thank_someone` shortcut."""

    LISTENED = GLOBAL_SHORTCUTS
    type: Literal["shortcut"]

    @property
    def response_url(self) -> None:
        """A global shortcut has none: it is answered by DM."""
        return None
