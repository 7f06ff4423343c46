"""Events API deliveries (`event_callback`) and the events Mutual listens to.

Each event model names the fields its listener relies on; an event type Mutual does not
listen to is not modelled (the edge answers it with a quiet 200)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from bot.payloads.fields import (
    ChannelId,
    EventId,
    Lenient,
    OptionalEnterpriseId,
    ShortText,
    TeamId,
    Ts,
    UserId,
    Word,
)

TZ_OFFSET_MAX = 14 * 3600  # UTC-12 … UTC+14, with room on both sides
# A reaction's name as Slack sends it ("pray", "+1", "thumbsup::skin-tone-2", "ありがとう").
Emoji = Annotated[str, StringConstraints(pattern=r"^[^\s<>&:\x00-\x1f][^\s<>&\x00-\x1f]{0,99}$")]
TimeZone = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_+\-/]{1,64}$")]


class ReactionItem(Lenient):
    """What was reacted to; for a message (the only kind Mutual counts), where it is."""

    type: Word
    channel: ChannelId | None = None
    ts: Ts | None = None

    @model_validator(mode="after")
    def _message_has_a_place(self) -> ReactionItem:
        if self.type == "message" and (self.channel is None or self.ts is None):
            raise ValueError("a message reaction needs item.channel and item.ts")
        return self

    @property
    def message(self) -> tuple[str, str] | None:
        """(channel, ts) of the message, or None when the item is not a message."""
        if self.type != "message" or self.channel is None or self.ts is None:
            return None
        return self.channel, self.ts


class ReactionEvent(Lenient):
    """`reaction_added` / `reaction_removed`: `user` reacted with `reaction` to `item`, whose
    author is `item_user` (absent for files and some app messages)."""

    type: Literal["reaction_added", "reaction_removed"]
    user: UserId
    reaction: Emoji
    item_user: UserId | None = None
    item: ReactionItem
    event_ts: Ts | None = None


class MessageEvent(Lenient):
    """`message` (Mutual subscribes to group DMs it is in and its own DMs): `user` is absent
    for bots and most subtypes."""

    type: Literal["message"]
    channel: ChannelId | None = None
    channel_type: Word | None = None
    user: UserId | None = None
    subtype: Word | None = None
    bot_id: Word | None = None
    ts: Ts | None = None

    @property
    def is_person_in_group_dm(self) -> bool:
        """A person writing in a group DM (not an edit, a join, or a bot's post)."""
        return (self.channel_type == "mpim" and self.subtype is None and self.bot_id is None
                and self.user is not None and self.channel is not None)


class MentionEvent(Lenient):
    """`app_mention`: `user` @mentioned Mutual in `channel`."""

    type: Literal["app_mention"]
    channel: ChannelId
    user: UserId | None = None
    bot_id: Word | None = None
    subtype: Word | None = None
    ts: Ts | None = None


class HomeOpenedEvent(Lenient):
    """`app_home_opened`: `user` opened the app's `tab` ("home" or "messages")."""

    type: Literal["app_home_opened"]
    user: UserId
    tab: Word | None = None
    channel: ChannelId | None = None


class AppUninstalledEvent(Lenient):
    type: Literal["app_uninstalled"]


class RevokedTokens(Lenient):
    oauth: list[ShortText] = Field(default_factory=list, max_length=100)
    bot: list[ShortText] = Field(default_factory=list, max_length=100)


class TokensRevokedEvent(Lenient):
    """`tokens_revoked`: the bot's tokens (`tokens.bot`) or people's (`tokens.oauth`)."""

    type: Literal["tokens_revoked"]
    tokens: RevokedTokens = Field(default_factory=RevokedTokens)

    @property
    def bot_revoked(self) -> bool:
        return bool(self.tokens.bot)


class UserProfileFields(Lenient):
    display_name: ShortText | None = None
    real_name: ShortText | None = None


class SlackUser(Lenient):
    """A person as `user_change` (and `users.info`) describe them."""

    id: UserId
    team_id: TeamId | None = None
    name: ShortText | None = None
    real_name: ShortText | None = None
    profile: UserProfileFields | None = None
    tz: TimeZone | None = None
    tz_offset: int = Field(default=0, ge=-TZ_OFFSET_MAX, le=TZ_OFFSET_MAX)
    is_bot: bool = False
    is_app_user: bool = False
    deleted: bool = False
    is_admin: bool = False
    is_owner: bool = False
    is_restricted: bool = False
    is_ultra_restricted: bool = False


class UserChangeEvent(Lenient):
    """`user_change`: someone's profile changed (deactivated, moved time zone, renamed)."""

    type: Literal["user_change"]
    user: SlackUser


Event = (ReactionEvent | MessageEvent | MentionEvent | HomeOpenedEvent | AppUninstalledEvent
         | TokensRevokedEvent | UserChangeEvent)
EVENT_MODELS: dict[str, type[Event]] = {
    "reaction_added": ReactionEvent,
    "reaction_removed": ReactionEvent,
    "message": MessageEvent,
    "app_mention": MentionEvent,
    "app_home_opened": HomeOpenedEvent,
    "app_uninstalled": AppUninstalledEvent,
    "tokens_revoked": TokensRevokedEvent,
    "user_change": UserChangeEvent,
}


ORG_WIDE_EVENTS = ("app_uninstalled", "tokens_revoked")


class Authorization(Lenient):
    team_id: TeamId | None = None
    enterprise_id: OptionalEnterpriseId = None
    user_id: UserId | None = None
    is_bot: bool = False
    is_enterprise_install: bool = False


class EventCallback(Lenient):
    """An Events API delivery: the envelope and its `event`.

    `team_id` is the workspace the delivery is for, found the way Bolt finds it (the first
    authorization's team, then the envelope's), so listeners and Bolt never disagree."""

    type: Literal["event_callback"]
    event: Event = Field(discriminator="type")
    event_id: EventId
    event_time: int | None = Field(default=None, ge=0)
    team_id_: TeamId | None = Field(default=None, alias="team_id")
    enterprise_id_: OptionalEnterpriseId = Field(default=None, alias="enterprise_id")
    authorizations: list[Authorization] = Field(default_factory=list, max_length=10)
    is_ext_shared_channel: bool = False

    @model_validator(mode="after")
    def _has_a_team(self) -> EventCallback:
        # An org-wide install (Enterprise Grid) is uninstalled, or its token revoked, for the
        # whole organisation: those deliveries may name only the enterprise.
        org_wide = self.event.type in ORG_WIDE_EVENTS and bool(self.enterprise_id)
        if not self.team_id and not org_wide:
            raise ValueError("no team_id in the envelope or its authorizations")
        return self

    @property
    def team_id(self) -> str:
        first = self.authorizations[0] if self.authorizations else None
        return (first.team_id if first and first.team_id else self.team_id_) or ""

    @property
    def enterprise_id(self) -> str | None:
        first = self.authorizations[0] if self.authorizations else None
        return (first.enterprise_id if first and first.enterprise_id else self.enterprise_id_)

    @property
    def is_enterprise_install(self) -> bool:
        """An org-wide install: the first authorization says so, or the delivery names only
        the enterprise."""
        if not self.team_id and self.enterprise_id:
            return True
        return bool(self.authorizations and self.authorizations[0].is_enterprise_install)

    @property
    def surface(self) -> str:
        return f"event {self.event.type}"

    @property
    def listened(self) -> bool:
        return True  # only the event types Mutual listens to are modelled
