"""Text is data: every builder that shows a person's words, rendered with hostile words in
every text argument, lets no `<!channel>`, `<!here>`, `<!subteam^…>`, disguised link or
pre-escaped entity through — in blocks and in the fallback `text` alike."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

import bot.blocks
from bot.blocks import (
    asks,
    asks_more,
    channel,
    config,
    edge,
    followups,
    help,
    home,
    intros,
    me,
    nudges,
    offers,
    questions,
    reacted,
    recording,
    requests,
    setup,
    summary,
    undo,
)
from bot.blocks.kit import escape
from bot.services.ask_match import Suggestion
from bot.services.asking_again import ClaimRefused
from bot.services.asks import AskView, OfferView, PostState
from bot.services.intros import IntroView, Refused, RequestRefused, RequestView
from bot.services.offers import AboutView, Added
from bot.services.people import Problem
from bot.services.reacted import ReactionThanks
from bot.services.recording import Recorded
from bot.services.settings import WorkspaceConfig
from bot.services.setup import Saved, SetupLeft
from bot.services.summary import ChannelDigest, Day, Figure, Period, TeamSummary
from bot.services.views import History, HistoryItem, Pair, PersonalView
from bot.services.ways_to_give import WaysToGive
from bot.services.withdraw import Withdraw
from bot.services.zones import Zone

HOSTILE = ("<!channel> <!here> <!subteam^S0123|@team> <https://evil.example/x|click here> "
           "<mailto:boss@evil.example|HR> <#C0666|general> &lt;!everyone&gt; "
           "<@UMALLORY|<!channel>> `<!here>` *bold* \x00end")
NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
PERMALINK = "https://acme.slack.com/archives/CGENERAL/p1700000000000100"
# Mutual's own markup: live mentions, its dates, channels it names, a message link it fetched.
ALLOWED = re.compile(r"<@[UW][A-Z0-9]+>|<!date\^[0-9]+\^\{date_(?:short|long)(?:_pretty)?\}\|[^<>]*>"
                     r"|<#[CDG][A-Z0-9]+>|<" + re.escape(PERMALINK) + r"\|See the message>")


def intro(status: str = "proposed", **kw: Any) -> IntroView:
    base: dict[str, Any] = {"id": 7, "team_id": "T0001", "introducer_id": "UALICE", "a_id": "UBOB",
                            "b_id": "UCAROL", "reason": HOSTILE, "status": status,
                            "a_answer": None, "b_answer": None, "created_at": NOW,
                            "opened_at": NOW, "group_channel_id": "GGROUP"}
    return IntroView(**{**base, **kw})


def request(status: str = "pending") -> RequestView:
    return RequestView(id=3, team_id="T0001", requester_id="UALICE", connector_id="UBOB",
                       target_id="UCAROL", reason=HOSTILE, status=status, intro_id=None,
                       created_at=NOW)


def ask(status: str = "open", asker: str = "UALICE") -> AskView:
    return AskView(7, "T0001", asker, HOSTILE, "CGENERAL", status, "command", NOW)


def offer(status: str = "offered") -> OfferView:
    return OfferView(3, "T0001", 7, "UBOB", status, "channel", NOW)


def personal() -> PersonalView:
    claim = Recorded(id=1, helper_id="UBOB", receiver_id="UALICE", note=HOSTILE, status="pending",
                     source="claim")
    return PersonalView(user_id="UALICE", window_days=90, one_sided_min=3, given=2, received=3,
                        two_way=[Pair("UBOB", 1, 1)], received_only=[Pair("UCAROL", 0, 2)],
                        given_only=[Pair("UERIN", 1, 0)],
                        open_intros=[intro(), intro("open", introducer_id="UBOB", a_id="UALICE")],
                        claims_awaiting=[claim], snoozed_until=NOW)


def period() -> Period:
    return Period(key="2026-W47", start=NOW, end=NOW, days=(date(2026, 11, 10), date(2026, 11, 16)),
                  tz="UTC")


def team_summary() -> TeamSummary:
    figure = Figure(value=6, people=6)
    return TeamSummary(team_id="T0001", period=period(), window_days=90, help=figure, givers=figure,
                       receivers=figure, two_way=figure, one_way=figure, new_two_way=figure,
                       intros_made=figure, intros_connected=figure, credited=["UALICE"],
                       daily=[Day(date(2026, 11, 16), figure)])


def settings() -> WorkspaceConfig:
    return WorkspaceConfig(nudge_channel="CNUDGE", summary_weekday=4, summary_hour=16, timezone=HOSTILE,
                           thank_emoji=HOSTILE, digest_enabled=True, window_days=90, one_sided_min=3,
                           person_cooldown_days=7, pair_cooldown_days=30, claim_expiry_days=14,
                           claim_reminder_days=3, intro_reminder_days=3, intro_expiry_days=7,
                           intro_silent_days=5, delivery_retry_hours=24, forward_min=2,
                           followup_days=14, intro_followup_days=14, offer_reminder_days=3,
                           ask_suggest_days=2, ask_expiry_days=30, over_giver_people=8,
                           over_giver_back_max=1, one_sided_spread_days=14,
                           one_sided_quiet_days=3, ask_again_days=30, question_gap_days=1)


H = HOSTILE
RENDERS: dict[str, Callable[[], Any]] = {
    "build_config_modal": lambda: config.build_config_modal(settings(), NOW),
    "build_config_advanced": lambda: config.build_config_advanced(settings()),
    "build_config_saved": lambda: config.build_config_saved(Saved(settings(), joining=True)),
    "build_zone_options": lambda: {"options": config.build_zone_options(
        [Zone("Europe/London", "Europe/London (UTC+00:00)")])},
    "build_welcome": lambda: setup.build_welcome(settings()),
    "build_setup_checklist": lambda: setup.build_setup_checklist(SetupLeft(settings(), configured=False)),
    "build_channel_hello": lambda: setup.build_channel_hello(settings()),
    "build_channel_join_failed": lambda: setup.build_channel_join_failed(H, H),
    "build_config_refused": config.build_config_refused,
    "build_command_refusal": lambda: edge.build_command_refusal(edge.UNREADABLE),
    "build_modal_refusal": edge.build_modal_refusal,
    "build_input_refusal": lambda: edge.build_input_refusal("note_block"),
    "build_help": lambda: help.build_help(f"I don't know `/mutual {H}`"),
    "build_home": lambda: home.build_home(personal()),
    "build_forgotten_home": home.build_forgotten_home,
    "build_intro_error": lambda: intros.build_intro_error(H, H),
    "build_intro_refused": lambda: [intros.build_intro_refused(r, 600, intro(), "UALICE")
                                    for r in Refused],
    "build_request_refused": lambda: [intros.build_request_refused(r, 600, intro(), request())
                                      for r in RequestRefused],
    "build_intro_receipt": lambda: intros.build_intro_receipt("UBOB", "UCAROL", H),
    "build_consent_request": lambda: intros.build_consent_request("UALICE", "UCAROL", H, 7, True),
    "build_consent_answered": lambda: [intros.build_consent_answered(intro(s), "UBOB")
                                       for s in ("proposed", "open", "declined", "expired")],
    "build_cant_go_ahead": intros.build_cant_go_ahead,
    "build_not_a_party": intros.build_not_a_party,
    "build_not_for_introducer": lambda: intros.build_not_for_introducer("UBOB", "UCAROL"),
    "build_intro_closed_notice": lambda: intros.build_intro_closed_notice("UALICE", "UCAROL"),
    "build_intro_silent_closed": lambda: [intros.build_intro_silent_closed(intro(s), "UBOB")
                                          for s in ("open", "connected")],
    "build_group_intro": lambda: intros.build_group_intro("UALICE", "UBOB", "UCAROL", H, 7),
    "build_group_connected": lambda: intros.build_group_connected("UALICE", "UBOB", "UCAROL", H),
    "build_intro_opened_notice": lambda: intros.build_intro_opened_notice("UBOB", "UCAROL"),
    "build_connected_notice": lambda: intros.build_connected_notice("UBOB", "UCAROL"),
    "build_request_receipt": lambda: intros.build_request_receipt("UBOB", "UCAROL"),
    "build_request_dm": lambda: intros.build_request_dm("UALICE", "UCAROL", H, 3),
    "build_request_answered": lambda: [intros.build_request_answered(request(s))
                                       for s in ("pending", "made", "declined", "withdrawn",
                                                 "expired")],
    "build_request_closed_notice": lambda: intros.build_request_closed_notice("UBOB", "UCAROL"),
    "build_request_made_notice": lambda: [intros.build_request_made_notice("UBOB", "UCAROL", b)
                                          for b in (True, False)],
    "build_intro_modal": lambda: intros.build_intro_modal("UBOB", "UCAROL", H, 3),
    "build_intro_modal_done": lambda: intros.build_intro_modal_done("UBOB", "UCAROL"),
    "build_intro_list": lambda: intros.build_intro_list(
        [intro(), intro("open"), intro(introducer_id="UBOB", a_id="UALICE")], "UALICE"),
    "build_intro_reminder": lambda: intros.build_intro_reminder(7, "UALICE", "UCAROL", H),
    "build_intro_expired_notice": lambda: intros.build_intro_expired_notice("UBOB", "UCAROL", H),
    "build_intro_silent_nudge": lambda: intros.build_intro_silent_nudge(7, "UALICE", "UCAROL", "GGROUP"),
    "build_me": lambda: me.build_me(personal()),
    "build_with": lambda: me.build_with(History(
        user_id="UALICE", other_id="UBOB", window_days=90, given_window=1, received_window=1,
        given_all=3, received_all=3,
        recent=[HistoryItem("UBOB", "UALICE", H, "command", NOW),
                HistoryItem("UALICE", "UBOB", H, "<!channel>", NOW)])),
    "build_export_started": lambda: me.build_export_started(3),
    "build_export_dm_comment": lambda: {"text": me.build_export_dm_comment(3)},
    "build_forget_confirm": me.build_forget_confirm,
    "build_forget_done": me.build_forget_done,
    "build_forget_cancelled": me.build_forget_cancelled,
    "build_export_failed": lambda: me.build_export_failed(H),
    "build_one_sided_nudge": lambda: [nudges.build_one_sided_nudge("UBOB", 3, 90, [H, H], w) for w in (
        None, WaysToGive([ask(asker="UBOB")] * 3, [ask(asker="UCAROL")] * 3, 2))],
    "build_claim_reminder": lambda: nudges.build_claim_reminder("UBOB", H, 1, NOW),
    "build_snoozed": lambda: nudges.build_snoozed(NOW),
    "build_pair_muted": lambda: nudges.build_pair_muted("UBOB"),
    "build_nudges_set": lambda: [nudges.build_nudges_set(b) for b in (True, False)],
    "build_snooze_reply": lambda: nudges.build_snooze_reply(NOW),
    "build_controls_error": lambda: nudges.build_controls_error(H),
    "build_not_for_you": nudges.build_not_for_you,
    "build_thanks_receipt": lambda: [recording.build_thanks_receipt(["UBOB", "UCAROL"], H, [1, 2], h)
                                     for h in (True, False)],
    "build_reactions_dm": lambda: [reacted.build_reactions_dm(
        [ReactionThanks("UALICE", "CGENERAL"), ReactionThanks("UCAROL", None)][:n]) for n in (1, 2)],
    "build_reaction_counted": lambda: reacted.build_reaction_counted("UBOB"),
    "build_shared_thanks": lambda: recording.build_shared_thanks("UALICE", ["UBOB"], H),
    "build_receipt_shared": lambda: recording.build_receipt_shared(["UBOB"]),
    "build_thanked_dm": lambda: [recording.build_thanked_dm("UALICE", H, s, link)
                                 for s in ("command", "reaction", H)
                                 for link in (PERMALINK, "https://x|<!channel>")],
    "build_claim_receipt": lambda: [recording.build_claim_receipt("UBOB", H, 14, h)
                                    for h in (True, False)],
    "build_claim_request": lambda: recording.build_claim_request("UBOB", H, 1),
    "build_claim_answered": lambda: [recording.build_claim_answered("UBOB", H, s)
                                     for s in ("confirmed", "declined", "expired", H)],
    "build_claim_confirmed_dm": lambda: recording.build_claim_confirmed_dm("UALICE", H),
    "build_claim_withdrawn": lambda: [recording.build_claim_withdrawn("UBOB", o)
                                      for o in recording.ClaimAnswer],
    "build_claim_refused": lambda: [recording.build_claim_refused(r, "UBOB") for r in ClaimRefused],
    "build_refused": lambda: [recording.build_refused(H), recording.build_refused(recording.SLACK_BUSY)],
    "build_error": lambda: [recording.build_error(H, H)]
                           + [recording.build_error(recording.problem_text("UBOB", p)) for p in Problem],
    "build_note_too_long": lambda: recording.build_note_too_long(600, H),
    "build_record_help_modal": lambda: recording.build_record_help_modal("UBOB", "{}"),
    "build_thank_someone_modal": lambda: recording.build_thank_someone_modal(["UBOB"]),
    "build_helped_modal": lambda: recording.build_helped_modal("UBOB"),
    "build_modal_done": lambda: recording.build_modal_done(H),
    "build_team_summary": lambda: [summary.build_team_summary(team_summary(), e) for e in (True, False)],
    "build_digest": lambda: [summary.build_digest(ChannelDigest(
        team_id="T0001", period=period(), waiting=Figure(n, n * 3), one_sided=Figure(6, 6),
        new_two_way=Figure(6, 6))) for n in (0, 1, 2)],
    "build_connector_thanks": lambda: [summary.build_connector_thanks(period(), n) for n in (1, 2, 12)],
    "build_questions": lambda: [questions.build_questions([(1, followups.build_followup_question(
        ["UBOB"], H, NOW, [1]))]), questions.build_questions([
            (1, followups.build_followup_question(["UBOB"], H, NOW, [1])),
            (2, intros.build_intro_reminder(7, "UALICE", "UCAROL", H))])],
    "build_summary_posting": lambda: [summary.build_summary_posting("CNUDGE", c) for c in (True, False)],
    "build_busy": lambda: [recording.build_busy(), recording.build_busy(H)],
    "build_hello": lambda: [help.build_hello(m) for m in (True, False)],
    "build_group_failed_notice": lambda: intros.build_group_failed_notice("UBOB", "UCAROL"),
    "build_post_failed": lambda: summary.build_post_failed("CNUDGE", H),
    "build_channel_private_dm": lambda: channel.build_channel_private_dm(H),
    "build_followup_question": lambda: followups.build_followup_question(["UBOB", "UCAROL"], H, NOW, [1, 2]),
    "build_followup_answered": lambda: [followups.build_followup_answered(["UBOB"], H, a, H)
                                        for a in ("worked", "ongoing", "not_needed")],
    "build_followup_told": lambda: [followups.build_followup_told("UALICE", H, a, H)
                                    for a in ("worked", "ongoing", "not_needed")],
    "build_intro_followup_question": lambda: followups.build_intro_followup_question(
        7, "UALICE", "UCAROL", H, NOW),
    "build_intro_followup_answered": lambda: [followups.build_intro_followup_answered(
        "UALICE", "UCAROL", a, H) for a in ("worth_it", "not_worth_it")],
    "build_intro_followup_told": lambda: [followups.build_intro_followup_told(
        "UBOB", "UCAROL", a, H) for a in ("worth_it", "not_worth_it")],
    "build_answer_not_yours": followups.build_answer_not_yours,
    "build_nothing_to_answer": followups.build_nothing_to_answer,
    "build_withdraw_reply": lambda: [requests.build_withdraw_reply(o, request()) for o in Withdraw],
    "build_request_no_longer_needed": lambda: requests.build_request_no_longer_needed(request()),
    "build_request_withdrawn_notice": lambda: [requests.build_request_withdrawn_notice(request(), m)
                                               for m in (True, False)],
    "build_consent_withdrawn": lambda: requests.build_consent_withdrawn(intro(), "UBOB", "UALICE"),
    "build_taken_back": lambda: undo.build_taken_back(["UBOB", "UCAROL"]),
    "build_too_late": undo.build_too_late,
    "build_taken_back_later": lambda: undo.build_taken_back_later(["UBOB"]),
    "build_already_shared": undo.build_already_shared,
    "build_not_your_thanks": undo.build_not_your_thanks,
    "build_taken_back_view": lambda: undo.build_taken_back_view(["UBOB"]),
    "build_too_late_view": undo.build_too_late_view,
    "build_ask_post": lambda: [asks.build_ask_post(PostState(ask(s), under_way=u, helpers=h))
                               for s in ("open", "solved", "withdrawn", "expired")
                               for u in (True, False) for h in ([], ["UBOB", "UCAROL"])],
    "build_ask_receipt": lambda: asks.build_ask_receipt(ask()),
    "build_offer_dm": lambda: asks.build_offer_dm("UBOB", ask(), 3),
    "build_offer_accepted": lambda: asks.build_offer_accepted("UBOB", ask()),
    "build_group_post": lambda: asks.build_group_post("UALICE", "UBOB", ask()),
    "build_group_failed": lambda: asks.build_group_failed("UBOB"),
    "build_offer_done_dm": lambda: asks.build_offer_done_dm("UBOB", ask()),
    "build_open_again": lambda: asks.build_open_again(ask()),
    "build_ask_post_failed": lambda: [asks.build_ask_post_failed(ask(), e)
                                      for e in ("private_channel", "channel_not_found", H)],
    "build_only_asker": lambda: asks.build_only_asker("UALICE"),
    "build_own_ask": asks.build_own_ask,
    "build_ask_closed": lambda: [asks.build_ask_closed(a) for a in (ask("solved"), ask("withdrawn"), None)],
    "build_withdrawn": lambda: asks.build_withdrawn(ask()),
    "build_offered_reply": lambda: [asks.build_offered_reply("UALICE", a, r)
                                    for a in (True, False) for r in (True, False)],
    "build_offer_gone": lambda: asks.build_offer_gone(ask()),
    "build_offer_reminder": lambda: asks.build_offer_reminder("UALICE", ask(), 3),
    "build_offer_done_reply": lambda: asks.build_offer_done_reply("UALICE"),
    "build_offer_cannot_reply": asks.build_offer_cannot_reply,
    "build_helped_dm": lambda: asks.build_helped_dm("UALICE", ask()),
    "build_offer_closed_dm": lambda: asks.build_offer_closed_dm("UALICE", ask("withdrawn")),
    "build_ask_modal": asks.build_ask_modal,
    "build_solved_modal": lambda: [asks.build_solved_modal(ask(), o) for o in ([], [offer(), offer()])],
    "build_form_done": lambda: asks.build_form_done(asks.build_ask_closed(ask("solved"))["text"]),
    "build_solved_done": lambda: [asks.build_solved_done(h) for h in ([], ["UBOB"])],
    "build_ask_posting_done": lambda: asks.build_ask_posting_done("CGENERAL"),
    "build_ask_suggestion": lambda: asks_more.build_ask_suggestion(ask(), [
        Suggestion("UCAROL", 2, {"postgres", H}), Suggestion("UERIN", 2, set(), [H])]),
    "build_ask_expired": lambda: asks_more.build_ask_expired(ask("expired"), 30),
    "build_ask_over": lambda: [asks_more.build_ask_over(a) for a in (ask("solved"), ask("withdrawn"),
                                                                     ask("expired"), None)],
    "build_asks_list": lambda: [asks_more.build_asks_list([ask()] * 3,
                                                          [(offer("accepted"), ask(asker="UBOB"))] * 3, {7: 2}),
                                asks_more.build_asks_list([], [], {})],
    "build_offer_list": lambda: [offers.build_offer_list([AboutView(1, "UBOB", H, NOW)] * 3,
                                                         offers.ADDED_WORDS[a]) for a in Added]
                                + [offers.build_offer_list([])],
    "build_protect_time": lambda: offers.build_protect_time(90),
    "build_asks_paused": lambda: offers.build_asks_paused(NOW),
    "build_not_yours": offers.build_not_yours,
}


def texts(value: Any) -> Iterator[str]:
    """Every string under a "text" key (or a modal's "errors"), anywhere in what is rendered."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "text" and isinstance(inner, str):
                yield inner
            elif key == "errors" and isinstance(inner, dict):
                yield from (v for v in inner.values() if isinstance(v, str))
            else:
                yield from texts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from texts(inner)


def test_every_builder_is_rendered_here() -> None:
    builders = {name for module in pkgutil.iter_modules(bot.blocks.__path__)
                for name, f in vars(importlib.import_module(f"bot.blocks.{module.name}")).items()
                if name.startswith("build_") and inspect.isfunction(f)}
    assert builders == set(RENDERS), "render a new builder with hostile text below"


@pytest.mark.parametrize("name", sorted(RENDERS))
def test_hostile_text_never_becomes_slack_markup(name: str) -> None:
    rendered = RENDERS[name]()
    found = list(texts(rendered))
    assert found, "every builder shows some text"
    for text in found:
        leftover = ALLOWED.sub("", text)
        assert "<" not in leftover, (name, text)
        assert "&lt;!everyone&gt;" not in text, (name, "a pre-escaped entity passed through")


def test_a_note_shows_as_typed() -> None:
    """Escaping is for Slack: the person reading sees exactly what was written."""
    shown = recording.build_shared_thanks("UALICE", ["UBOB"], "a <b> & <!here> c")
    assert shown["text"].endswith(escape("a <b> & <!here> c"))
    assert "a &lt;b&gt; &amp; &lt;!here&gt; c" in shown["blocks"][0]["text"]["text"]
