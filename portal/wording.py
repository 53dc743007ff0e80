"""Small pieces of plain English the portal and its plugins build sentences with."""

from __future__ import annotations

from collections.abc import Iterable


def in_words(items: Iterable[str]) -> str:
    """A list as a sentence says it: "A", "A and B", "A, B and C"."""
    words = list(items)
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def count(number: int, noun: str) -> str:
    """*number* *noun*, with an "s" when it is not one: "1 section", "3 sections"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def is_or_are(number: int) -> str:
    """The verb that agrees with *number*: "is" for one, "are" otherwise."""
    return "is" if number == 1 else "are"


def was_or_were(number: int) -> str:
    """The past of :func:`is_or_are`: "was" for one, "were" otherwise."""
    return "was" if number == 1 else "were"
