"""Checking the people named in a request, shared by every command and modal that names some."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.blocks.recording import problem_text
from bot.listeners.deps import Deps
from bot.services.people import Problem, Profile, problem_with


def refuse_people(
    deps: Deps, client: WebClient, team_id: str, invoker_id: str, user_ids: list[str],
    enterprise_id: str | None = None,
) -> tuple[str | None, dict[str, Profile]]:
    """(why not, profiles): the first person who cannot take part, worded for the invoker."""
    profiles: dict[str, Profile] = {}
    for user_id in user_ids:
        if user_id == invoker_id:
            return problem_text(user_id, Problem.SELF), profiles
        profile = deps.directory.get(client, team_id, user_id)
        problem = problem_with(profile, invoker_id, team_id, enterprise_id)
        if problem is None and deps.directory.is_forgotten(team_id, user_id):
            problem = Problem.FORGOTTEN
        if problem is not None:
            return problem_text(user_id, problem), profiles
        assert profile is not None
        profiles[user_id] = profile
    return None, profiles
