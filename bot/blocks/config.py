"""`/mutual config`: the workspace settings modal (`config_submit`) — the few settings an admin
decides first — and its second step, Advanced (`config_advanced_submit`, pushed over it):
thresholds and guests. Reading either back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import constants as ids
from bot.blocks.channel import channel_problem_text
from bot.blocks.kit import Block, actions, button, context, plain, section
from bot.blocks.setup import summary_when
from bot.db.models import GUESTS_FULL, GUESTS_OFF, GUESTS_QUIET
from bot.services.settings import EMOJI_MAX, LIMITS, THANK_EMOJI_MAX_CHARS, WEEKDAYS, WorkspaceConfig
from bot.services.setup import Saved
from bot.services.zones import OPTIONS_MAX, Zone, zone_label

# Each setting's input: its block_id is also its element's action_id.
FIELD_BLOCKS: dict[str, str] = {
    "nudge_channel": ids.CFG_NUDGE_CHANNEL,
    "summary_weekday": ids.CFG_SUMMARY_WEEKDAY,
    "summary_hour": ids.CFG_SUMMARY_HOUR,
    "timezone": ids.CFG_TIMEZONE,
    "thank_emoji": ids.CFG_THANK_EMOJI,
    "digest_enabled": ids.CFG_DIGEST,
    "window_days": ids.CFG_WINDOW_DAYS,
    "one_sided_min": ids.CFG_ONE_SIDED_MIN,
    "person_cooldown_days": ids.CFG_PERSON_COOLDOWN,
    "pair_cooldown_days": ids.CFG_PAIR_COOLDOWN,
    "claim_expiry_days": ids.CFG_CLAIM_EXPIRY,
    "claim_reminder_days": ids.CFG_CLAIM_REMINDER,
    "intro_reminder_days": ids.CFG_INTRO_REMINDER,
    "intro_expiry_days": ids.CFG_INTRO_EXPIRY,
    "intro_silent_days": ids.CFG_INTRO_SILENT,
    "delivery_retry_hours": ids.CFG_DELIVERY_RETRY,
    "forward_min": ids.CFG_FORWARD_MIN,
    "followup_days": ids.CFG_FOLLOWUP_DAYS,
    "intro_followup_days": ids.CFG_INTRO_FOLLOWUP_DAYS,
    "offer_reminder_days": ids.CFG_OFFER_REMINDER,
    "ask_suggest_days": ids.CFG_ASK_SUGGEST,
    "ask_expiry_days": ids.CFG_ASK_EXPIRY,
    "over_giver_people": ids.CFG_OVER_GIVER_PEOPLE,
    "over_giver_back_max": ids.CFG_OVER_GIVER_BACK,
    "guests": ids.CFG_GUESTS,
    "one_sided_spread_days": ids.CFG_ONE_SIDED_SPREAD,
    "one_sided_quiet_days": ids.CFG_ONE_SIDED_QUIET,
    "ask_again_days": ids.CFG_ASK_AGAIN,
    "question_gap_days": ids.CFG_QUESTION_GAP,
}
NUMBER_LABELS = {
    "window_days": ("Look back over (days)", "Counts in `/mutual me`, nudges and summaries."),
    "one_sided_min": ("One-sided after (times)", "Help received this often, none given back."),
    "person_cooldown_days": ("Suggest to a person at most every (days)", None),
    "pair_cooldown_days": ("Same pair again after (days)", None),
    "claim_expiry_days": ("`/helped` claims lapse after (days)", None),
    "claim_reminder_days": ("Remind about a claim after (days)", None),
    "intro_reminder_days": ("Remind about an intro after (days)", None),
    "intro_expiry_days": ("Unanswered intros lapse after (days)", None),
    "intro_silent_days": ("Nudge a quiet intro after (days)", None),
    "delivery_retry_hours": ("Keep trying a message Slack won't take for (hours)",
                             "Then it is set aside; `mutual outbox` shows it to operators."),
    "forward_min": ("Passing it on after helping others (times)",
                    "No one-sided suggestion for someone who helped others this often."),
    "followup_days": ("Ask “how did it go?” after (days)",
                      "Once, to whoever received help recorded with a note."),
    "intro_followup_days": ("Ask whether an intro was worth it after (days)",
                            "Once to each of the two, counted from when they connected."),
    "offer_reminder_days": ("Remind a helper about an accepted offer after (days)", None),
    "ask_suggest_days": ("Suggest people for an ask with no offer after (days)",
                         "Privately, to the asker; never a public bump."),
    "ask_expiry_days": ("Open asks close after (days)", None),
    "over_giver_people": ("“You've helped a lot”: helped at least (people)",
                          "Over the window; they get a private note, at most once a quarter."),
    "over_giver_back_max": ("… and heard back from at most (people)", None),
    "one_sided_spread_days": ("Suggest giving back only for help spread over (days)",
                              "Never for help given on a single day."),
    "one_sided_quiet_days": ("… and not within (days) of help between the two", None),
    "ask_again_days": ("After “not now” or no answer, don't ask again for (days)",
                       "The same intro, request or claim; whoever asks gets a neutral “not now”."),
    "question_gap_days": ("Ask one person questions at most every (days)",
                          "“How did it go?”, “was it worth it?” and reminders, gathered in one DM."),
}
DIGEST_ON = "on"
GUEST_OPTIONS = {
    GUESTS_QUIET: "Thank and be thanked; never nudged, never in summaries",
    GUESTS_FULL: "Treated like everyone",
    GUESTS_OFF: "Left out: nothing recorded by or about them",
}


MAIN_FIELDS = ("nudge_channel", "summary_weekday", "summary_hour", "timezone", "digest_enabled",
               "thank_emoji")
ADVANCED_FIELDS = ("guests", *LIMITS)
# Room for every saved name shown as "a, b, c" (with colons if an admin types them): the
# form's initial value always fits its max_length, however many emoji were saved.
THANK_EMOJI_FIELD_MAX = THANK_EMOJI_MAX_CHARS + 4 * EMOJI_MAX


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text), "value": value}


def _input(name: str, label: str, element: dict[str, Any], optional: bool = False,
           hint: str | None = None) -> Block:
    element = {**element, "action_id": FIELD_BLOCKS[name]}
    block: Block = {"type": "input", "block_id": FIELD_BLOCKS[name], "label": plain(label),
                    "element": element, "optional": optional}
    if hint:
        block["hint"] = plain(hint)
    return block


def _number(name: str, value: int) -> Block:
    low, high, _ = LIMITS[name]
    label, hint = NUMBER_LABELS[name]
    element = {"type": "number_input", "is_decimal_allowed": False, "initial_value": str(value),
               "min_value": str(low), "max_value": str(high)}
    return _input(name, label.replace("`", ""), element, hint=hint)


def timezone_option(name: str, at: datetime) -> dict[str, Any]:
    return _option(zone_label(name, at), name)


def build_zone_options(zones: list[Zone]) -> list[dict[str, Any]]:
    """The time-zone select's options for what was typed (Slack shows at most 100)."""
    return [_option(zone.label, zone.name) for zone in zones[:OPTIONS_MAX]]


def _emoji_field(config: WorkspaceConfig) -> Block:
    shown = ", ".join(config.thank_emoji.split(","))
    if len(shown) > THANK_EMOJI_FIELD_MAX:  # only a list saved before the limits were checked
        shown = config.thank_emoji[:THANK_EMOJI_FIELD_MAX]
    return _input("thank_emoji", "Thank-you emoji",
                  {"type": "plain_text_input", "max_length": THANK_EMOJI_FIELD_MAX,
                   "initial_value": shown, "placeholder": plain("pray, raised_hands")},
                  hint="Emoji names, separated by commas. A reaction with one of them records thanks.")


def build_config_modal(config: WorkspaceConfig, now: datetime) -> dict[str, Any]:
    """The settings an admin decides first; the thresholds are a second step (Advanced)."""
    channel: dict[str, Any] = {"type": "conversations_select", "placeholder": plain("Pick a channel"),
                               "filter": {"include": ["public", "private"],
                                          "exclude_bot_users": True}}
    if config.nudge_channel:
        channel["initial_conversation"] = config.nudge_channel
    weekdays = [_option(day, str(i)) for i, day in enumerate(WEEKDAYS)]
    hours = [_option(f"{h:02d}:00", str(h)) for h in range(24)]
    digest: dict[str, Any] = {"type": "checkboxes", "options": [
        _option("Post a short digest on Mondays at 09:00", DIGEST_ON)]}
    if config.digest_enabled:
        digest["initial_options"] = digest["options"]
    zone: dict[str, Any] = {"type": "external_select", "min_query_length": 0,
                            "placeholder": plain("Type a city, e.g. London"),
                            "initial_option": timezone_option(config.timezone, now)}
    warning: list[Block] = []
    if config.channel_problem:
        warning = [section(f":warning: {channel_problem_text(config.channel_problem)}",
                           block_id=ids.CFG_CHANNEL_PROBLEM)]
    blocks: list[Block] = [
        *warning,
        section("Where and when Mutual posts the team's weekly summary — counts only, never "
                "who — and which emoji count as a thank-you."),
        _input("nudge_channel", "Channel for the summary and digest", channel, optional=True,
               hint="Mutual joins a public channel itself; invite it to a private one with "
                    "/invite @Mutual. Leave empty to post nothing."),
        _input("summary_weekday", "Team summary day",
               {"type": "static_select", "options": weekdays,
                "initial_option": weekdays[config.summary_weekday]}),
        _input("summary_hour", "Team summary time",
               {"type": "static_select", "options": hours,
                "initial_option": hours[config.summary_hour]}),
        _input("timezone", "Time zone", zone, hint="The summary's day and time are in this zone."),
        _input("digest_enabled", "Channel digest", digest, optional=True),
        _emoji_field(config),
        actions(button("Advanced settings…", ids.CONFIG_ADVANCED, "advanced"),
                block_id=ids.CFG_ADVANCED_BLOCK),
        context("Advanced: when suggestions, reminders and follow-ups go out, and how guests "
                "take part. Private suggestions only ever go out on weekdays, 09:00–17:00 in "
                "each person's own time."),
    ]
    return {"type": "modal", "callback_id": ids.CONFIG_SUBMIT, "title": plain("Mutual settings"),
            "submit": plain("Save"), "close": plain("Cancel"), "blocks": blocks}


def build_config_advanced(config: WorkspaceConfig) -> dict[str, Any]:
    """The second step, pushed over the first: thresholds and guests. Saving it keeps these
    and goes back to the first step."""
    guests = [_option(words, value) for value, words in GUEST_OPTIONS.items()]
    chosen_guests = next((o for o in guests if o["value"] == config.guests), guests[0])
    blocks: list[Block] = [
        section("How often Mutual suggests, reminds and asks. *Save* keeps these and takes you "
                "back to the other settings."),
        _input("guests", "Guests (multi- and single-channel)",
               {"type": "static_select", "options": guests, "initial_option": chosen_guests}),
        *(_number(name, getattr(config, name)) for name in LIMITS),
        context("Changes apply from the next scheduler run."),
    ]
    return {"type": "modal", "callback_id": ids.CONFIG_ADVANCED_SUBMIT,
            "title": plain("Advanced settings"), "submit": plain("Save"), "close": plain("Back"),
            "blocks": blocks}


def config_values(state: dict[str, Any]) -> dict[str, str | bool | None]:
    """The submitted step's values, by setting name, as typed (only the inputs it has)."""
    values: dict[str, str | bool | None] = {}
    for name, block_id in FIELD_BLOCKS.items():
        if block_id not in state:
            continue
        field = (state.get(block_id) or {}).get(block_id) or {}
        if "selected_conversation" in field or field.get("type") == "conversations_select":
            values[name] = field.get("selected_conversation")
        elif "selected_option" in field or field.get("type") in ("static_select", "external_select"):
            values[name] = (field.get("selected_option") or {}).get("value")
        elif "selected_options" in field or field.get("type") == "checkboxes":
            values[name] = any(o.get("value") == DIGEST_ON for o in field.get("selected_options") or [])
        else:
            values[name] = field.get("value")
    return values


def config_errors(errors: dict[str, str], shown: tuple[str, ...] = MAIN_FIELDS) -> dict[str, str]:
    """Errors by setting → by block_id, as `response_action: errors` wants them, for the step
    that was submitted (`shown`); one about a setting of the other step is put on its first
    input, so it is never lost."""
    out: dict[str, str] = {}
    for name, text in errors.items():
        block = FIELD_BLOCKS[name if name in shown else shown[0]]
        out.setdefault(block, text)
    return out


def build_config_saved(saved: Saved) -> dict[str, Any]:
    config = saved.config
    if config.nudge_channel:
        where = f"The team summary goes to <#{config.nudge_channel}> {summary_when(config)}"
        where += (", and a short digest on Mondays at 09:00." if config.digest_enabled else ".")
        if saved.joining:
            where += (" I'm joining the channel now and will say hello there; if it's private, "
                      "I'll DM you how to invite me.")
    else:
        where = ("No channel is chosen, so Mutual posts no summary or digest. Pick one here "
                 "any time with `/mutual config`.")
    return {"type": "modal", "title": plain("Mutual settings"), "close": plain("Done"),
            "blocks": [section(":white_check_mark: Saved. Mutual uses these settings from now on."),
                       section(where)]}


def build_config_refused() -> dict[str, Any]:
    text = ("Only workspace admins and owners can change Mutual's settings. If something "
            "should change, your workspace admin can help.")
    return {"response_type": "ephemeral", "text": text,
            "blocks": [section(f":information_source: {text}")]}
