"""Finding the one thing a person means by a number or some words of its label: a button to
press, a form field to fill."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def pick(items: Sequence[T], wanted: str, number: Callable[[T], int], label: Callable[[T], str]) -> list[T]:
    """What `wanted` could mean: the item with that number, else those whose label is exactly
    it, else those whose label contains it (ignoring case). One item means a clear choice."""
    wanted = wanted.strip()
    if wanted.isdigit():
        return [item for item in items if number(item) == int(wanted)]
    lowered = wanted.lower()
    exact = [item for item in items if label(item).lower() == lowered]
    return exact or [item for item in items if lowered in label(item).lower()]
