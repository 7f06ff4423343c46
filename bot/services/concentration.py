"""How concentrated helping is, for the team summary: the smallest group of the most
generous people who gave at least half of the help, as a share of everyone involved, and the
share of the help they gave ("a fifth of the people gave two thirds of the help"). Never who;
shown only where at least the privacy floor of people are involved."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Concentration:
    people: int  # everyone who gave or received help over the window
    top_people: int  # the smallest group of givers who gave at least half of it
    help: int
    top_help: int

    @property
    def people_share(self) -> float:
        return self.top_people / self.people if self.people else 0.0

    @property
    def help_share(self) -> float:
        return self.top_help / self.help if self.help else 0.0


def concentration(pair_counts: dict[tuple[str, str], int]) -> Concentration | None:
    """From confirmed help per (helper, receiver); None when there was none."""
    given: dict[str, int] = {}
    people: set[str] = set()
    for (helper, receiver), count in pair_counts.items():
        given[helper] = given.get(helper, 0) + count
        people.update((helper, receiver))
    total = sum(given.values())
    if not total:
        return None
    top = top_help = 0
    for count in sorted(given.values(), reverse=True):
        top += 1
        top_help += count
        if 2 * top_help >= total:
            break
    return Concentration(len(people), top, total, top_help)
