"""Team figures for the weekly summary and the channel digest.

Counts only, under a privacy floor: a count is shown only when at least `PRIVACY_FLOOR`
people are involved in it, and a share ("a fifth of the people gave…") only where each side
of it has that many. Nobody is named in the channel and nobody is ranked (PRODUCT.md §4c):
introducers whose intros connected are thanked privately, and the digest says how many
introductions wait for a reply, never whose. Guests are left out of every figure unless the
workspace treats them like everyone (`workspaces.guests`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.db.models import HelpRecord, Intro, Workspace
from bot.services.concentration import Concentration, concentration
from bot.services.counts import window_params, window_rows
from bot.services.intros import deactivated, waiting_intros
from bot.services.outbox import NOW, PLANNED, enqueue
from bot.services.people import guests_left_out

PRIVACY_FLOOR = 5
# Outbox kinds: the summary and digest posts, and the summary's chart (it follows its post).
TEAM_SUMMARY = "team_summary"
CHANNEL_DIGEST = "channel_digest"
SUMMARY_CHART = "summary_chart"
CONNECTOR_THANKS = "connector_thanks"  # to an introducer, privately: their intros connected
PairCounts = dict[tuple[str, str], int]


@dataclass(frozen=True)
class Figure:
    """A count and how many distinct people it involves; shown only at or above the floor."""

    value: int
    people: int

    @property
    def shown(self) -> bool:
        return self.people >= PRIVACY_FLOOR


@dataclass(frozen=True)
class Period:
    """The seven local days ending today, in the workspace's time zone.

    `key` names the ISO week of today (e.g. "2026-W47"): one summary and one digest a week."""

    key: str
    start: datetime  # aware UTC: local midnight six days ago
    end: datetime  # aware UTC: now
    days: tuple[date, ...]
    tz: str


@dataclass(frozen=True)
class Day:
    day: date
    help: Figure


@dataclass(frozen=True)
class TeamSummary:
    team_id: str
    period: Period
    window_days: int
    help: Figure  # help exchanged this week
    givers: Figure
    receivers: Figure
    two_way: Figure  # relationships over the window, both directions
    one_way: Figure  # relationships over the window, one direction only
    new_two_way: Figure  # became two-way this week
    intros_made: Figure
    intros_connected: Figure
    # Introducers whose intros connected this week: thanked privately, never in the channel.
    credited: list[str]
    daily: list[Day]
    # How concentrated helping was over the window (shown above the privacy floor only).
    concentration: Concentration | None = None
    # How many of each credited introducer's intros connected (for their private thanks).
    credit_counts: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def quiet(self) -> bool:
        """Nothing at all happened this week: no post is worth making."""
        return not (self.help.value or self.intros_made.value or self.intros_connected.value)

    @property
    def anything_shown(self) -> bool:
        return any(f.shown for f in (self.help, self.givers, self.receivers, self.two_way,
                                     self.one_way, self.new_two_way, self.intros_made,
                                     self.intros_connected))


@dataclass(frozen=True)
class ChannelDigest:
    team_id: str
    period: Period
    waiting: Figure  # intros waiting for a reply: proposed (an answer) or open (a hello); never whose
    one_sided: Figure  # how many relationships are one-sided (never who)
    new_two_way: Figure

    @property
    def empty(self) -> bool:
        return not (self.waiting.shown or self.one_sided.shown or self.new_two_way.shown)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def period_ending(now: datetime, tz_name: str) -> Period:
    tz = zone(tz_name)
    today = now.astimezone(tz).date()
    first = today - timedelta(days=6)
    start = datetime.combine(first, time(0), tzinfo=tz).astimezone(UTC)
    year, week, _ = today.isocalendar()
    return Period(key=f"{year}-W{week:02d}", start=start, end=now,
                  days=tuple(first + timedelta(days=i) for i in range(7)), tz=tz_name)


_PERIOD = window_rows("period", end_open=True)  # from the kept counts; [since, until)


def pair_counts(session: Session, team_id: str, since: datetime, until: datetime,
                left_out: Iterable[str] = ()) -> PairCounts:
    """Confirmed help per (helper, receiver) in [since, until); forgotten people, and the
    `left_out` (guests), left out."""
    skip = set(left_out)
    w = _PERIOD
    rows = session.execute(
        select(w.c.helper_id, w.c.receiver_id, func.sum(w.c.n))
        .where(w.c.helper_id.is_not(None), w.c.receiver_id.is_not(None))
        .group_by(w.c.helper_id, w.c.receiver_id), window_params(team_id, since, until)
    ).all()
    return {(str(h), str(r)): int(n) for h, r, n in rows
            if h and r and h != r and h not in skip and r not in skip}


def _people(pairs: Iterable[tuple[str, str]]) -> int:
    return len({p for pair in pairs for p in pair})


def _relationships(counts: PairCounts) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(two-way, one-way) unordered pairs."""
    two_way, one_way = set(), set()
    for h, r in counts:
        pair = (min(h, r), max(h, r))
        if (r, h) in counts:
            two_way.add(pair)
        else:
            one_way.add(pair)
    return two_way, one_way


def _new_two_way(session: Session, workspace: Workspace, period: Period,
                 left_out: set[str]) -> Figure:
    window = timedelta(days=workspace.window_days)
    now_pairs, _ = _relationships(pair_counts(session, workspace.team_id, period.end - window,
                                              period.end + timedelta(microseconds=1), left_out))
    before, _ = _relationships(pair_counts(session, workspace.team_id, period.start - window,
                                           period.start, left_out))
    new = now_pairs - before
    return Figure(len(new), _people(new))


def team_summary(session: Session, workspace: Workspace, now: datetime) -> TeamSummary:
    team_id = workspace.team_id
    period = period_ending(now, workspace.timezone)
    until = now + timedelta(microseconds=1)  # include what happened at this very instant
    left_out = guests_left_out(session, team_id)
    week = pair_counts(session, team_id, period.start, until, left_out)
    givers = {h for h, _ in week}
    receivers = {r for _, r in week}
    window = pair_counts(session, team_id, now - timedelta(days=workspace.window_days), until,
                         left_out)
    two_way, one_way = _relationships(window)
    made = _intros(session, team_id, Intro.created_at, period.start, until, left_out)
    connected = _intros(session, team_id, Intro.connected_at, period.start, until, left_out)
    per_introducer = Counter(i.introducer_id for i in connected if i.introducer_id)
    introducers = sorted(per_introducer)
    gone = deactivated(session, team_id, introducers)
    return TeamSummary(
        team_id=team_id,
        period=period,
        window_days=workspace.window_days,
        help=Figure(sum(week.values()), len(givers | receivers)),
        givers=Figure(len(givers), len(givers)),
        receivers=Figure(len(receivers), len(receivers)),
        two_way=Figure(len(two_way), _people(two_way)),
        one_way=Figure(len(one_way), _people(one_way)),
        new_two_way=_new_two_way(session, workspace, period, left_out),
        intros_made=Figure(len(made), _intro_people(made)),
        intros_connected=Figure(len(connected), _intro_people(connected)),
        credited=[u for u in introducers if u not in gone],
        daily=_daily(session, team_id, period, until, left_out),
        concentration=concentration(window),
        credit_counts={u: n for u, n in per_introducer.items() if u and u not in gone},
    )


def _intros(session: Session, team_id: str, column: InstrumentedAttribute[Any], since: datetime,
            until: datetime, left_out: set[str]) -> list[Intro]:
    intros = session.scalars(
        select(Intro).where(Intro.team_id == team_id, column >= since, column < until))
    return [i for i in intros if not _names_any(i, left_out)]


def _names_any(intro: Any, people: set[str]) -> bool:
    return bool(people) and bool({intro.introducer_id, intro.a_id, intro.b_id} & people)


def _intro_people(intros: Iterable[Any]) -> int:
    return len({p for i in intros for p in (i.introducer_id, i.a_id, i.b_id) if p})


def _daily(session: Session, team_id: str, period: Period, until: datetime,
           left_out: set[str]) -> list[Day]:
    tz = zone(period.tz)
    rows = session.execute(
        select(HelpRecord.helper_id, HelpRecord.receiver_id, HelpRecord.created_at)
        .where(HelpRecord.team_id == team_id, HelpRecord.status == "confirmed",
               HelpRecord.created_at >= period.start, HelpRecord.created_at < until)
    ).all()
    per_day: dict[date, tuple[int, set[str]]] = {d: (0, set()) for d in period.days}
    for helper, receiver, at in rows:
        day = at.astimezone(tz).date()
        if day not in per_day or helper in left_out or receiver in left_out:
            continue
        count, people = per_day[day]
        people.update(p for p in (helper, receiver) if p)
        per_day[day] = (count + 1, people)
    return [Day(d, Figure(n, len(people))) for d, (n, people) in sorted(per_day.items())]


def channel_digest(session: Session, workspace: Workspace, now: datetime) -> ChannelDigest:
    team_id = workspace.team_id
    period = period_ending(now, workspace.timezone)
    left_out = guests_left_out(session, team_id)
    window = pair_counts(session, team_id, now - timedelta(days=workspace.window_days),
                         now + timedelta(microseconds=1), left_out)
    # One-sided as the nudges define it: at least `one_sided_min` one way, nothing back.
    one_sided = {(min(h, r), max(h, r)) for (h, r), n in window.items()
                 if n >= workspace.one_sided_min and (r, h) not in window}
    waiting = [i for i in waiting_intros(session, team_id, now)
               if i.introducer_id and i.a_id and i.b_id and not _names_any(i, left_out)]
    return ChannelDigest(
        team_id=team_id,
        period=period,
        waiting=Figure(len(waiting), _intro_people(waiting)),
        one_sided=Figure(len(one_sided), _people(one_sided)),
        new_two_way=_new_two_way(session, workspace, period, left_out),
    )


# -- as JSON, for the outbox row that carries a post until it is sent -------------------------

def _figure(data: dict[str, int]) -> Figure:
    return Figure(int(data["value"]), int(data["people"]))


def period_payload(period: Period) -> dict[str, Any]:
    return {"key": period.key, "start": period.start.isoformat(), "end": period.end.isoformat(),
            "days": [d.isoformat() for d in period.days], "tz": period.tz}


def period_from(data: dict[str, Any]) -> Period:
    return Period(key=data["key"], start=datetime.fromisoformat(data["start"]),
                  end=datetime.fromisoformat(data["end"]),
                  days=tuple(date.fromisoformat(d) for d in data["days"]), tz=data["tz"])


FIGURES = ("help", "givers", "receivers", "two_way", "one_way", "new_two_way", "intros_made",
           "intros_connected")


def summary_payload(summary: TeamSummary) -> dict[str, Any]:
    data: dict[str, Any] = {name: asdict(getattr(summary, name)) for name in FIGURES}
    data.update(team_id=summary.team_id, period=period_payload(summary.period),
                window_days=summary.window_days, credited=list(summary.credited),
                daily=[{"day": d.day.isoformat(), **asdict(d.help)} for d in summary.daily])
    data["concentration"] = asdict(summary.concentration) if summary.concentration else None
    return data


def summary_from(data: dict[str, Any]) -> TeamSummary:
    figures: dict[str, Any] = {name: _figure(data[name]) for name in FIGURES}
    return TeamSummary(
        team_id=data["team_id"], period=period_from(data["period"]),
        window_days=int(data["window_days"]), credited=list(data["credited"]),
        daily=[Day(date.fromisoformat(d["day"]), _figure(d)) for d in data["daily"]],
        **figures,
        # Payloads written before the figure existed have none.
        concentration=Concentration(**data["concentration"]) if data.get("concentration") else None,
    )


def digest_payload(digest: ChannelDigest) -> dict[str, Any]:
    return {"team_id": digest.team_id, "period": period_payload(digest.period),
            "waiting": asdict(digest.waiting),
            "one_sided": asdict(digest.one_sided), "new_two_way": asdict(digest.new_two_way)}


def digest_from(data: dict[str, Any]) -> ChannelDigest:
    waiting = data["waiting"]
    if isinstance(waiting, list):  # written before digests stopped naming anyone
        waiting = {"value": len(waiting), "people": len(
            {w[k] for w in waiting for k in ("introducer_id", "a_id", "b_id")})}
    return ChannelDigest(team_id=data["team_id"], period=period_from(data["period"]),
                         waiting=_figure(waiting),
                         one_sided=_figure(data["one_sided"]),
                         new_two_way=_figure(data["new_two_way"]))


def queue_summary(session: Session, figures: TeamSummary, channel: str, key: str, now: datetime,
                  admin: str | None = None) -> bool:
    """The summary post and, when the week's figure may be shown, its chart after it. An
    admin's `/mutual summary post` goes out at once, and its failure is told to them."""
    payload = summary_payload(figures)
    priority = NOW if admin else PLANNED
    new = enqueue(session, figures.team_id, key, TEAM_SUMMARY, channel,
                  {**payload, "admin": admin} if admin else payload, now, now, priority=priority)
    if new and figures.help.shown:
        enqueue(session, figures.team_id, f"{key}:chart", SUMMARY_CHART, channel, payload, now,
                now, priority=priority, after=key)
    thank_connectors(session, figures, now)
    return new


def thank_connectors(session: Session, figures: TeamSummary, now: datetime) -> None:
    """Each introducer whose intros connected this week is thanked in a DM of their own, once a
    week — never by name in the channel (PRODUCT.md §4c)."""
    for introducer in figures.credited:
        enqueue(session, figures.team_id, f"{CONNECTOR_THANKS}:{figures.period.key}:{introducer}",
                CONNECTOR_THANKS, introducer,
                {"period": period_payload(figures.period),
                 "connected": figures.credit_counts.get(introducer, 1)}, now, now)
