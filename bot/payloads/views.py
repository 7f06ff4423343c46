"""Modals: the `view` Slack sends back on submission, its input values, and the
private_metadata shapes Mutual writes into it."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from bot.payloads.fields import (
    SMALL_ID_MAX,
    ChannelId,
    InputText,
    Lenient,
    Name,
    ShortText,
    TeamId,
    Ts,
    UserId,
    ValueText,
    Word,
)

# A home tab's callback_id is empty; a modal's is one of Mutual's ids.
CallbackId = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f-\x9f]{0,255}$")]


class Option(Lenient):
    """A chosen option of a select or checkbox group: its `value` is what Mutual wrote."""

    value: ValueText


class InputValue(Lenient):
    """One input's state: which attribute is set depends on the element's type."""

    type: Word | None = None
    value: InputText | None = None  # plain_text_input, number_input
    selected_user: UserId | None = None  # users_select
    selected_users: list[UserId] | None = Field(default=None, max_length=100)
    selected_option: Option | None = None  # static_select
    selected_options: list[Option] | None = Field(default=None, max_length=100)  # checkboxes
    selected_conversation: ChannelId | None = None  # conversations_select
    selected_channel: ChannelId | None = None  # channels_select

    @property
    def text(self) -> str:
        """The typed text, stripped ("" when empty)."""
        return (self.value or "").strip()


NOTHING = InputValue()


class ViewState(Lenient):
    """`view.state.values`: block_id → action_id → the input's value."""

    values: dict[Name, dict[Name, InputValue]] = Field(default_factory=dict, max_length=100)

    def value(self, block_id: str, action_id: str) -> InputValue:
        """The input's value; an empty one (every attribute None) when it was not sent."""
        return self.values.get(block_id, {}).get(action_id) or NOTHING

    def as_dict(self) -> dict[str, dict[str, dict[str, object]]]:
        """The checked values as plain dicts, for code that reads a whole form at once."""
        return {block: {action: value.model_dump(exclude_none=True)
                        for action, value in inputs.items()}
                for block, inputs in self.values.items()}


class SubmittedState(ViewState):
    values: dict[Name, dict[Name, InputValue]] = Field(max_length=100)  # always sent


class View(Lenient):
    """A modal (or the home tab) as Slack sends it back. `private_metadata` is kept as text
    here; a submission parses it as the one shape Mutual wrote for that modal."""

    id: Name | None = None
    type: Word | None = None
    callback_id: CallbackId = ""
    private_metadata: InputText = ""
    state: ViewState = Field(default_factory=ViewState)
    hash: ShortText | None = None
    team_id: TeamId | None = None
    app_installed_team_id: TeamId | None = None


class SubmittedView(View):
    """The modal of a `view_submission`: Slack always sends its `type` and `state` (Bolt and
    the modal listeners read both unguarded), so a submission without them is refused."""

    type: Word
    state: SubmittedState
    callback_id: CallbackId


class RecordHelpMeta(Lenient):
    """What the `record_help` modal carries: the message that helped, and its author."""

    channel: ChannelId
    ts: Ts
    author: UserId


class AskMeta(Lenient):
    """What the "who helped?" modal of `ask_solved` carries: the ask's id."""

    ask: int = Field(ge=1, le=SMALL_ID_MAX, strict=True)


class IntroMeta(Lenient):
    """What the intro modal carries when `intro_request_make` opened it: the request's id."""

    request_id: int = Field(ge=1, le=SMALL_ID_MAX, strict=True)
