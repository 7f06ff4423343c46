"""Workspace settings (`/mutual config`).

Validation returns every problem at once, keyed by field, so the modal can show each next to
its input; nothing is saved unless all of it is valid."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from bot.db.models import GUEST_MODES, Workspace
from bot.services.planning import look_at_everyone

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EMOJI_NAME = re.compile(r"^[a-z0-9_+\-']{1,100}$")
EMOJI_MAX = 20
THANK_EMOJI_MAX_CHARS = 500

# field: (lowest, highest, what it is, in words)
LIMITS: dict[str, tuple[int, int, str]] = {
    "window_days": (7, 365, "The window"),
    "one_sided_min": (1, 50, "The one-sided threshold"),
    "person_cooldown_days": (1, 365, "The per-person pause"),
    "pair_cooldown_days": (1, 365, "The per-pair pause"),
    "claim_expiry_days": (1, 90, "Claim expiry"),
    "claim_reminder_days": (1, 90, "The claim reminder"),
    "intro_reminder_days": (1, 60, "The intro reminder"),
    "intro_expiry_days": (1, 90, "Intro expiry"),
    "intro_silent_days": (1, 60, "The quiet-intro nudge"),
    "delivery_retry_hours": (1, 72, "Retrying a message Slack won't take"),
    "forward_min": (1, 50, "Passing it on"),
    "followup_days": (1, 90, "The “how did it go?” question"),
    "intro_followup_days": (1, 90, "The intro follow-up"),
    "offer_reminder_days": (1, 60, "The offer reminder"),
    "ask_suggest_days": (1, 60, "The suggestion for an ask nobody offered on"),
    "ask_expiry_days": (2, 365, "Ask expiry"),
    "over_giver_people": (2, 500, "“Helped many people”"),
    "over_giver_back_max": (0, 100, "“Heard back from few”"),
    "one_sided_spread_days": (1, 90, "The spread of help before a suggestion"),
    "one_sided_quiet_days": (0, 30, "The quiet days after help"),
    "ask_again_days": (1, 365, "The pause after a “not now”"),
    "question_gap_days": (1, 14, "The gap between questions"),
}


@dataclass(frozen=True)
class WorkspaceConfig:
    nudge_channel: str | None
    summary_weekday: int
    summary_hour: int
    timezone: str
    thank_emoji: str
    digest_enabled: bool
    window_days: int
    one_sided_min: int
    person_cooldown_days: int
    pair_cooldown_days: int
    claim_expiry_days: int
    claim_reminder_days: int
    intro_reminder_days: int
    intro_expiry_days: int
    intro_silent_days: int
    delivery_retry_hours: int
    forward_min: int
    followup_days: int
    intro_followup_days: int
    offer_reminder_days: int
    ask_suggest_days: int
    ask_expiry_days: int
    over_giver_people: int
    over_giver_back_max: int
    one_sided_spread_days: int
    one_sided_quiet_days: int
    ask_again_days: int
    question_gap_days: int
    # How guests take part (None: the form did not say; the setting is kept as it is).
    guests: str | None = None
    # Shown, never edited: the channel Mutual found private and was not invited to.
    channel_problem: str | None = None


def current_config(workspace: Workspace) -> WorkspaceConfig:
    return WorkspaceConfig(**{f.name: getattr(workspace, f.name) for f in fields(WorkspaceConfig)})


def validate_config(raw: dict[str, str | bool | None]) -> tuple[WorkspaceConfig | None, dict[str, str]]:
    """Raw form values (strings as typed) → a config, or {field: friendly error}."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}

    channel = raw.get("nudge_channel")
    values["nudge_channel"] = str(channel) if channel else None

    weekday = _int(raw.get("summary_weekday"))
    if weekday is None or not 0 <= weekday <= 6:
        errors["summary_weekday"] = "Pick the day of the week for the summary."
    values["summary_weekday"] = weekday

    hour = _int(raw.get("summary_hour"))
    if hour is None or not 0 <= hour <= 23:
        errors["summary_hour"] = "Pick an hour from 0 to 23."
    values["summary_hour"] = hour

    tz = str(raw.get("timezone") or "").strip()
    if not valid_timezone(tz):
        errors["timezone"] = ("Use a time zone name such as Europe/London, America/New_York "
                              "or UTC.")
    values["timezone"] = tz

    emoji, emoji_error = parse_emoji(str(raw.get("thank_emoji") or ""))
    if emoji_error:
        errors["thank_emoji"] = emoji_error
    values["thank_emoji"] = emoji

    values["digest_enabled"] = bool(raw.get("digest_enabled"))

    guests = raw.get("guests")
    if guests is not None and guests not in GUEST_MODES:
        errors["guests"] = "Pick how Mutual treats guests."
    values["guests"] = guests or None

    for name, (low, high, words) in LIMITS.items():
        number = _int(raw.get(name))
        if number is None:
            errors[name] = f"{words} needs a whole number from {low} to {high}."
        elif not low <= number <= high:
            errors[name] = f"{words} must be between {low} and {high}."
        values[name] = number

    _related(values, errors)
    if errors:
        return None, errors
    return WorkspaceConfig(**values), {}  # type: ignore[arg-type]


def _related(values: dict[str, object], errors: dict[str, str]) -> None:
    """Settings that only make sense together."""
    def both(a: str, b: str) -> tuple[int, int] | None:
        x, y = values.get(a), values.get(b)
        if a in errors or b in errors or not isinstance(x, int) or not isinstance(y, int):
            return None
        return x, y

    claim = both("claim_reminder_days", "claim_expiry_days")
    if claim and claim[0] >= claim[1]:
        errors["claim_reminder_days"] = "The reminder must come before the claim expires."
    intro = both("intro_reminder_days", "intro_expiry_days")
    if intro and intro[0] >= intro[1]:
        errors["intro_reminder_days"] = "The reminder must come before the intro expires."
    for early in ("offer_reminder_days", "ask_suggest_days"):
        ask = both(early, "ask_expiry_days")
        if ask and ask[0] >= ask[1]:
            errors[early] = "This must come before asks close."
    giver = both("over_giver_back_max", "over_giver_people")
    if giver and giver[0] >= giver[1]:
        errors["over_giver_back_max"] = "Keep this below the number of people helped."


def _int(value: object) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if re.fullmatch(r"[+-]?\d{1,6}", text) else None


def valid_timezone(name: str) -> bool:
    if not name or len(name) > 64 or ".." in name or name.startswith("/"):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def parse_emoji(text: str) -> tuple[str, str | None]:
    """"pray, :raised_hands:, heart_hands" → ("pray,raised_hands,heart_hands", None)."""
    names = [n.strip().strip(":").strip().lower() for n in re.split(r"[,\s]+", text)]
    names = list(dict.fromkeys(n for n in names if n))
    if not names:
        return "", "List at least one emoji name, e.g. pray, raised_hands."
    bad = [n for n in names if not EMOJI_NAME.match(n)]
    if bad:
        return "", f"“{bad[0][:40]}” isn't an emoji name. Use names like pray or raised_hands."
    if len(names) > EMOJI_MAX:
        return "", f"Up to {EMOJI_MAX} emoji, please."
    joined = ",".join(names)
    if len(joined) > THANK_EMOJI_MAX_CHARS:
        return "", "That list is too long; keep it to a few emoji."
    return joined, None


def apply_config(session: Session, workspace: Workspace, config: WorkspaceConfig,
                 admin_id: str | None = None) -> None:
    """Save the settings; `admin_id` is who saved them (told if the channel turns out to be one
    Mutual cannot post in). Choosing another channel clears a problem with the old one."""
    look_at_everyone(session, workspace.team_id)  # thresholds may have changed
    changes = asdict(config)
    changes.pop("channel_problem")
    if changes["guests"] is None:
        changes.pop("guests")
    if changes["nudge_channel"] != workspace.nudge_channel:
        workspace.channel_problem = None
        workspace.nudge_channel_by = admin_id if changes["nudge_channel"] else None
    elif admin_id and changes["nudge_channel"] and not workspace.nudge_channel_by:
        workspace.nudge_channel_by = admin_id
    for name, value in changes.items():
        setattr(workspace, name, value)

