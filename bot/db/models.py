"""Tables. Every row belongs to a workspace (`team_id`); no query crosses workspaces."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.db.types import UTCDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

DEFAULT_THANK_EMOJI = "pray,raised_hands,heart_hands,thankyou"
# How guests (Slack's restricted and ultra-restricted users) take part: `quiet` — they thank
# and are thanked, but are never nudged and never in summaries; `full` — like everyone;
# `off` — Mutual leaves them out (nothing recorded by or about them).
GUESTS_QUIET, GUESTS_FULL, GUESTS_OFF = "quiet", "full", "off"
GUEST_MODES = (GUESTS_QUIET, GUESTS_FULL, GUESTS_OFF)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}


class Workspace(Base):
    """An installed Slack workspace and its settings (every threshold is per workspace)."""

    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    uninstalled_at: Mapped[datetime | None]
    thank_emoji: Mapped[str] = mapped_column(String(500), default=DEFAULT_THANK_EMOJI)
    nudge_channel: Mapped[str | None] = mapped_column(String(32))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    summary_weekday: Mapped[int] = mapped_column(Integer, default=4)  # Monday = 0
    summary_hour: Mapped[int] = mapped_column(Integer, default=16)
    digest_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    window_days: Mapped[int] = mapped_column(Integer, default=90)
    one_sided_min: Mapped[int] = mapped_column(Integer, default=3)
    person_cooldown_days: Mapped[int] = mapped_column(Integer, default=7)
    pair_cooldown_days: Mapped[int] = mapped_column(Integer, default=30)
    claim_expiry_days: Mapped[int] = mapped_column(Integer, default=14)
    claim_reminder_days: Mapped[int] = mapped_column(Integer, default=3)
    intro_reminder_days: Mapped[int] = mapped_column(Integer, default=3)
    intro_expiry_days: Mapped[int] = mapped_column(Integer, default=7)
    intro_silent_days: Mapped[int] = mapped_column(Integer, default=5)
    # A message Slack keeps refusing for a passing reason is retried this long, then failed.
    delivery_retry_hours: Mapped[int] = mapped_column(Integer, default=24)
    # A receiver who helped others this often over the window is passing it on: no
    # one-sided suggestion for them.
    forward_min: Mapped[int] = mapped_column(Integer, default=2)
    # "How did it go?" this many days after help with a note, and after an intro connected.
    followup_days: Mapped[int] = mapped_column(Integer, default=14)
    intro_followup_days: Mapped[int] = mapped_column(Integer, default=14)
    # Asks (PRODUCT.md §4b): an accepted offer not followed up, an ask nobody offered on, and
    # how long an ask stays open.
    offer_reminder_days: Mapped[int] = mapped_column(Integer, default=3)
    ask_suggest_days: Mapped[int] = mapped_column(Integer, default=3)
    ask_expiry_days: Mapped[int] = mapped_column(Integer, default=30)
    # Someone who helped at least this many people over the window and heard back from at
    # most `over_giver_back_max` of them gets a private note that it's fine to protect their time.
    over_giver_people: Mapped[int] = mapped_column(Integer, default=8)
    over_giver_back_max: Mapped[int] = mapped_column(Integer, default=1)
    guests: Mapped[str] = mapped_column(String(16), default=GUESTS_QUIET)
    # The admin who last chose `nudge_channel` (told when Mutual cannot post there), and that
    # channel while it turned out private with Mutual not invited (cleared by a later post).
    nudge_channel_by: Mapped[str | None] = mapped_column(String(32))
    channel_problem: Mapped[str | None] = mapped_column(String(32))
    # A suggestion to give back needs help spread over at least `one_sided_spread_days`, the
    # latest — and any help between the two — at least `one_sided_quiet_days` ago.
    one_sided_spread_days: Mapped[int] = mapped_column(Integer, default=14)
    one_sided_quiet_days: Mapped[int] = mapped_column(Integer, default=3)
    # After a "not now" or no answer, the same intro, request or claim waits this long.
    ask_again_days: Mapped[int] = mapped_column(Integer, default=30)
    # Later questions reach a person at most this often, gathered into one DM.
    question_gap_days: Mapped[int] = mapped_column(Integer, default=1)
    # The one welcome DM (outbox key `welcome`): to whom and when; and when an admin first
    # saved the settings (until then an admin's Home shows what is left to set up).
    welcomed_id: Mapped[str | None] = mapped_column(String(32))
    welcomed_at: Mapped[datetime | None]
    configured_at: Mapped[datetime | None]

    @property
    def thank_emoji_set(self) -> frozenset[str]:
        return emoji_set(self.thank_emoji)


def emoji_set(setting: str) -> frozenset[str]:
    """The thank-you emoji a workspace's `thank_emoji` setting names."""
    return frozenset(e.strip() for e in setting.split(",") if e.strip())


class Member(Base):
    """A person's cached Slack profile plus their personal Mutual settings."""

    __tablename__ = "members"
    __table_args__ = (
        ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
    )

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    home_team_id: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), default="")
    tz: Mapped[str | None] = mapped_column(String(64))
    tz_offset: Mapped[int] = mapped_column(Integer, default=0)
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_owner: Mapped[bool] = mapped_column(Boolean, default=False)
    is_guest: Mapped[bool] = mapped_column(Boolean, default=False)  # restricted/ultra-restricted
    fetched_at: Mapped[datetime]
    nudges_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    snoozed_until: Mapped[datetime | None]
    # "Pause incoming asks": not suggested to people asking for help until then.
    asks_paused_until: Mapped[datetime | None]


class HelpRecord(Base):
    """"helper helped receiver". Only `confirmed` records count anywhere."""

    __tablename__ = "help_records"
    __table_args__ = (
        ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
        UniqueConstraint("team_id", "dedupe_key"),
        Index("ix_help_records_team_status_created", "team_id", "status", "created_at"),
        Index("ix_help_records_team_helper_created", "team_id", "helper_id", "status", "created_at"),
        Index("ix_help_records_team_receiver_created", "team_id", "receiver_id", "status",
              "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    helper_id: Mapped[str | None] = mapped_column(String(32))
    receiver_id: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    # Natural key for sources that must count once (a reaction, a shortcut on one message).
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]


class HelpCount(Base):
    """Kept counts: the confirmed records of one (helper, receiver, UTC day, source), written
    in the same transaction as every change to a record (bot.services.recording is their only
    writer; `mutual db recount` rebuilds them). A forgotten person's side is "" here where the
    record holds NULL. `first_at`/`last_at` are the earliest and latest record in the bucket, so
    a window's edges and the one-sided timing rule stay exact."""

    __tablename__ = "help_counts"
    __table_args__ = (
        ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
        Index("ix_help_counts_team_helper_day", "team_id", "helper_id", "day"),
        Index("ix_help_counts_team_receiver_day", "team_id", "receiver_id", "day"),
        Index("ix_help_counts_team_day", "team_id", "day"),
        Index("ix_help_counts_team_changed", "team_id", "changed_at"),
    )

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    helper_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    receiver_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)
    first_at: Mapped[datetime]
    last_at: Mapped[datetime]
    # When this bucket last changed: the one-sided planning looks only at pairs changed since
    # its last run (plus those whose window edge passed).
    changed_at: Mapped[datetime]


class PlanningMark(Base):
    """When a workspace's daily planning of one kind last looked at its pairs."""

    __tablename__ = "planning_marks"
    __table_args__ = (
        ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
    )

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    ran_at: Mapped[datetime]


class ReactionMark(Base):
    """A thank-you emoji one person has on one message; the record goes when the last one does."""

    __tablename__ = "reaction_marks"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    message_ts: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    emoji: Mapped[str] = mapped_column(String(100), primary_key=True)


class ProcessedEvent(Base):
    """Event ids already handled, so a retried or duplicated delivery counts once."""

    __tablename__ = "processed_events"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime]


class Intro(Base):
    """`/intro @a @b why`: proposed → open (both accepted) → connected; or declined/expired."""

    __tablename__ = "intros"
    __table_args__ = (
        ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
        Index("ix_intros_team_status", "team_id", "status"),
        Index("ix_intros_team_group", "team_id", "group_channel_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    introducer_id: Mapped[str | None] = mapped_column(String(32))
    a_id: Mapped[str | None] = mapped_column(String(32))
    b_id: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    a_answer: Mapped[str | None] = mapped_column(String(16))  # accepted | declined
    b_answer: Mapped[str | None] = mapped_column(String(16))
    a_answered_at: Mapped[datetime | None]
    b_answered_at: Mapped[datetime | None]
    group_channel_id: Mapped[str | None] = mapped_column(String(32))
    opened_at: Mapped[datetime | None]
    a_spoke_at: Mapped[datetime | None]
    b_spoke_at: Mapped[datetime | None]
    connected_at: Mapped[datetime | None]
    request_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class IntroRequest(Base):
    """`/intro request @connector @target why`: pending → made | declined."""

    __tablename__ = "intro_requests"
    __table_args__ = (
        ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
        Index("ix_intro_requests_team_status", "team_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    requester_id: Mapped[str | None] = mapped_column(String(32))
    connector_id: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    intro_id: Mapped[int | None] = mapped_column(Integer)
    # The connector said "not now": the request stays pending to everyone else until it
    # would have lapsed unanswered, then closes in the same words.
    declined_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class OutboxItem(Base):
    """Everything Mutual sends to Slack: written in the same transaction as the change that
    causes it, with a unique key, then claimed, sent and marked by a deliverer (bot/delivery).

    status: pending → sending (claimed by a runner until `claimed_until`) → sent | failed;
    or cancelled (no longer wanted, e.g. the intro was answered)."""

    __tablename__ = "outbox"
    __table_args__ = (
        ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
        UniqueConstraint("team_id", "key"),
        Index("ix_outbox_status_due", "status", "due_at"),
        Index("ix_outbox_team_recipient", "team_id", "recipient_id"),
        # Every message about a thing, to close them when it ends (bot/services/closing.py).
        Index("ix_outbox_team_subject", "team_id", "subject"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    recipient_id: Mapped[str | None] = mapped_column(String(32))  # a user, or a channel for posts
    subject: Mapped[str | None] = mapped_column(String(64))  # a user id, intro id, record id …
    payload: Mapped[str] = mapped_column(Text, default="{}")  # JSON: the message, or what renders it
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # 0: the answer to something a person just did; 1: planned (nudges, summaries).
    priority: Mapped[int] = mapped_column(Integer, default=1)
    due_at: Mapped[datetime]
    not_after: Mapped[datetime | None]  # no use after this (a response_url lives 30 minutes)
    after_key: Mapped[str | None] = mapped_column(String(200))  # sent only once that row is done
    sent_at: Mapped[datetime | None]
    sent_channel: Mapped[str | None] = mapped_column(String(32))  # where it landed, to update it
    sent_ts: Mapped[str | None] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    # A coalescing row asked for again while in flight: back to pending once this send is done.
    requeue: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]


class Question(Base):
    """A question Mutual asks later ("how did it go?", "was it worth it?", a reminder): it waits
    here until the person's next questions DM, which gathers every one due (`asked_in`: that
    DM's outbox key). `key` names what it asks about, so each is asked once."""

    __tablename__ = "questions"
    __table_args__ = (
        ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
        UniqueConstraint("team_id", "key"),
        Index("ix_questions_team_user_status", "team_id", "user_id", "status"),
        Index("ix_questions_team_asked_in", "team_id", "asked_in"),
        Index("ix_questions_team_subject", "team_id", "subject"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))  # the question's family (bot.services.questions)
    subject: Mapped[str] = mapped_column(String(64))  # the record, intro, claim … it is about
    status: Mapped[str] = mapped_column(String(16))  # waiting | asked | dropped
    asked_in: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]


class MutedPair(Base):
    """`nudge_mute_pair`: `user_id` is never nudged about `other_id` again."""

    __tablename__ = "muted_pairs"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    other_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime]


class SchedulerLease(Base):
    """One row per lock name: the runner holding it until `expires_at` runs the jobs."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]


class ForgottenPerson(Base):
    """Someone who used `/mutual forget`: only a one-way hash of who they were, so Mutual can
    leave them alone (no new records, intros or nudges) until they use it again."""

    __tablename__ = "forgotten_people"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    forgotten_at: Mapped[datetime]


class PersonNote(Base):
    """A note Mutual shows a person once ever: the first-contact line on their first DM, the
    hint under their first receipt, the word that a reaction counted. Keyed by the same one-way
    hash as a forgotten person, so it names nobody and outlives `/mutual forget`. `outbox_id`:
    the message that carries it (a retried send carries it again; no other message does)."""

    __tablename__ = "person_notes"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    note: Mapped[str] = mapped_column(String(32), primary_key=True)
    outbox_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]


class FollowupAnswer(Base):
    """An answer to "how did it go?": the receiver about help (`kind` help, `subject_id` the
    record), or a party about an intro (`kind` intro, `subject_id` the intro). `told_id` is
    the helper or introducer who hears it. One answer per question; the first one stands."""

    __tablename__ = "followup_answers"
    __table_args__ = (
        ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
        UniqueConstraint("team_id", "kind", "subject_id", "asked_id"),
        Index("ix_followup_answers_team_told", "team_id", "told_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # help | intro
    subject_id: Mapped[int] = mapped_column(Integer)
    asked_id: Mapped[str] = mapped_column(String(32))
    told_id: Mapped[str | None] = mapped_column(String(32))
    answer: Mapped[str] = mapped_column(String(16))  # worked | ongoing | not_needed | worth_it | not_worth_it
    words: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]


class Ask(Base):
    """`/ask <what you need>`, posted in a channel: open → solved | withdrawn | expired; or
    unposted (Slack would not let Mutual post it)."""

    __tablename__ = "asks"
    __table_args__ = (
        ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
        Index("ix_asks_team_status", "team_id", "status"),
        Index("ix_asks_team_asker", "team_id", "asker_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    asker_id: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    channel_id: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16), default="command")  # command | shortcut
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class AskOffer(Base):
    """Someone offered to help with an ask: offered → accepted (the asker took it up) →
    done (they say they helped) | withdrawn (they can't after all); helped once the asker
    marks the ask solved naming them. `via` says where the offer was made."""

    __tablename__ = "ask_offers"
    __table_args__ = (
        ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["ask_id"], ["asks.id"], ondelete="CASCADE"),
        UniqueConstraint("team_id", "ask_id", "helper_id"),
        Index("ix_ask_offers_team_helper", "team_id", "helper_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    ask_id: Mapped[int] = mapped_column(Integer)
    helper_id: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="offered")
    via: Mapped[str] = mapped_column(String(16), default="channel")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]


class AskMeAbout(Base):
    """`/offer <what you can help with>`: one entry of a person's "ask me about" list."""

    __tablename__ = "ask_me_about"
    __table_args__ = (
        ForeignKeyConstraint(["team_id"], ["workspaces.team_id"], ondelete="CASCADE"),
        Index("ix_ask_me_about_team_user", "team_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]


class ApiPause(Base):
    """A 429's Retry-After: this workspace must not call this Web API method before `until`.
    Kept here, not in memory, so every process (each replica's deliverer, `mutual jobs run`,
    look-ups made while answering a request) honours it. Once `until` has passed, one caller
    takes the probe (`probing`, `until` moved a little on) and calls alone; its success
    removes the row and the others follow, another 429 sets a new `until`."""

    __tablename__ = "api_pauses"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    method: Mapped[str] = mapped_column(String(64), primary_key=True)
    until: Mapped[datetime]
    probing: Mapped[bool] = mapped_column(Boolean, default=False)


class PostPace(Base):
    """When the next chat.postMessage to one conversation may go (Slack allows about one a
    second per channel); every sender thread of every replica takes its turn from this row."""

    __tablename__ = "post_pace"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_at: Mapped[datetime]
