"""Checking the people named in a request, shared by every command and modal that names some."""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk import WebClient

from bot.blocks.recording import SLACK_BUSY, problem_text
from bot.listeners.deps import Deps
from bot.services.people import Problem, Profile, Refusal, problem_with
from bot.slack.budget import Budget, SlackBusy
from bot.slack.directory import People


@dataclass(frozen=True)
class Checked:
    """The first person who cannot take part, or that Slack could not tell us in time."""

    refusal: Refusal | None = None
    busy: bool = False
    profiles: dict[str, Profile] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.refusal is None and not self.busy


def check_people(deps: Deps, client: WebClient, team_id: str, invoker_id: str,
                 user_ids: list[str], enterprise_id: str | None = None,
                 budget: Budget | None = None, known: People | None = None) -> Checked:
    """`known`: the people already read (`Directory.cached`, the invoker among them)."""
    for user_id in user_ids:
        if user_id == invoker_id:
            return Checked(Refusal(user_id, Problem.SELF))
    budget = budget or Budget()  # one budget for every look-up this request makes
    try:
        people = known or deps.directory.lookup(client, team_id, user_ids, budget)
    except SlackBusy:
        return Checked(busy=True)
    if people.guests_off and invoker_id:
        guest = (_is_guest(deps, client, team_id, invoker_id, budget) if known is None
                 else _guest_in(known, invoker_id))
        if guest is None:
            return Checked(busy=True)
        if guest:
            return Checked(Refusal(invoker_id, Problem.GUEST_SELF))
    profiles: dict[str, Profile] = {}
    for user_id in user_ids:
        profile = people.profiles.get(user_id)
        problem = problem_with(profile, invoker_id, team_id, enterprise_id,
                               guests_off=people.guests_off)
        if problem is None and user_id in people.forgotten:
            problem = Problem.FORGOTTEN
        if problem is not None:
            return Checked(Refusal(user_id, problem), profiles=profiles)
        assert profile is not None
        profiles[user_id] = profile
    return Checked(profiles=profiles)


def _is_guest(deps: Deps, client: WebClient, team_id: str, user_id: str,
              budget: Budget) -> bool | None:
    """Whether the person asking is a guest (only asked where guests are left out); None
    when Slack could not say in time."""
    try:
        profile = deps.directory.lookup(client, team_id, [user_id], budget).profiles.get(user_id)
    except SlackBusy:
        return None
    return profile is not None and profile.is_guest


def _guest_in(known: People, user_id: str) -> bool:
    profile = known.profiles.get(user_id)
    return profile is not None and profile.is_guest


def refuse_people(
    deps: Deps, client: WebClient, team_id: str, invoker_id: str, user_ids: list[str],
    enterprise_id: str | None = None, budget: Budget | None = None, giving: bool = False,
    known: People | None = None,
) -> tuple[str | None, dict[str, Profile]]:
    """(why not, profiles), worded for someone recording help they got (or, `giving`, help
    they gave); nothing is saved when there is a reason; with Slack busy (SLACK_BUSY), they
    can simply try again."""
    checked = check_people(deps, client, team_id, invoker_id, user_ids, enterprise_id, budget,
                           known)
    if checked.busy:
        return SLACK_BUSY, {}
    if checked.refusal is not None:
        return (problem_text(checked.refusal.user_id, checked.refusal.problem, giving),
                checked.profiles)
    return None, checked.profiles
