"""Introductions with consent on both sides, followed through to "they connected".

An intro moves proposed → open (both accepted; a group DM is opened) → connected (both wrote
there, or either said so); or, when it lapses `intro_expiry_days` after it was proposed,
proposed → declined (someone said "not now") / expired (no answer in time, or a party left the
workspace before it could open). A "not now" is recorded as that party's answer and changes
nothing else: the intro stays proposed to everyone until it lapses, and then closes exactly as
an unanswered one does (PRODUCT.md §3, §4c; bot.services.tact). Requests ask a connector to
make one: pending → made | declined | expired (a "not now" likewise waits, in `declined_at`,
until the request would have lapsed).

One module per stage: views (what the rest of the app sees), proposing, answering,
connecting, requests, and queries (lists, and what the scheduler acts on). Everything is
re-exported here, so `from bot.services.intros import …` reads as before."""

from __future__ import annotations

from bot.services.intros.answering import (
    Answer,
    Answered,
    answer_intro,
    set_group,
)
from bot.services.intros.connecting import (
    Connect,
    Connected,
    is_intro_group,
    mark_connected,
    note_message,
)
from bot.services.intros.proposing import (
    Proposed,
    Refused,
    active_between,
    check_people_and_reason,
    get_intro,
    propose_intro,
)
from bot.services.intros.queries import (
    expire_intro,
    intro_rows,
    intros_needing_reminder,
    intros_to_expire,
    open_intros_for,
    silent_parties,
    waiting_intros,
)
from bot.services.intros.requests import (
    RequestAnswer,
    RequestAnswered,
    Requested,
    RequestRefused,
    check_request,
    close_requests,
    decline_request,
    get_request,
    request_intro,
    request_to_make,
)
from bot.services.intros.views import (
    ACTIVE,
    INTRO_GROUP,
    REASON_MAX,
    STATUSES,
    IntroDue,
    IntroView,
    RequestView,
    deactivated,
    still_asking,
)

__all__ = [
    "ACTIVE",
    "INTRO_GROUP",
    "IntroDue",
    "IntroView",
    "REASON_MAX",
    "RequestView",
    "STATUSES",
    "deactivated",
    "still_asking",
    "Proposed",
    "Refused",
    "active_between",
    "check_people_and_reason",
    "get_intro",
    "propose_intro",
    "Answer",
    "Answered",
    "answer_intro",
    "set_group",
    "Connect",
    "Connected",
    "is_intro_group",
    "mark_connected",
    "note_message",
    "RequestAnswer",
    "RequestAnswered",
    "RequestRefused",
    "Requested",
    "check_request",
    "close_requests",
    "decline_request",
    "get_request",
    "request_intro",
    "request_to_make",
    "expire_intro",
    "intro_rows",
    "intros_needing_reminder",
    "intros_to_expire",
    "open_intros_for",
    "silent_parties",
    "waiting_intros",
]
