"""What people type, read one way everywhere in the plugin: text (without the spaces around
it, with Unix line ends), its length limit and the message for it, and a GOV.UK date input's
three boxes.

The reviews' pages, the family conversations' pages and the reading of a family
conversation all use these, so that the same input gets the same answer wherever it is typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

#: The longest free text a page takes: a report, a discussion, an action, a letter.
LONG_TEXT_LIMIT = 20000


def clean(text: str | None) -> str | None:
    """Typed text without the spaces around it and with Unix line ends (anything that is not
    text, such as a field left out, as it is: this is also a WTForms filter)."""
    return text.replace("\r\n", "\n").strip() if isinstance(text, str) else text


def field_text(data: Mapping[str, str], name: str) -> str:
    """The text of the field *name* of a posted form (empty when it was not sent), cleaned."""
    return clean(data.get(name, ""))


def too_long(limit: int) -> str:
    """The message for text over *limit* characters."""
    return f"Use {limit} characters or fewer"


def text_problem(text: str, limit: int, missing: str = "") -> str | None:
    """What is wrong with *text*: empty (when *missing* is the message for that) or longer
    than *limit*; None when nothing is."""
    if missing and not text:
        return missing
    if len(text) > limit:
        return too_long(limit)
    return None


def read_date(parts: Sequence[str]) -> date | None:
    """The date typed in a GOV.UK date input's three boxes (day, month, year): None when all
    of them are empty.

    Raises ValueError for anything else that is not a date: a date that does not exist, a
    year without four digits, numbers too large, or not three boxes.
    """
    parts = [part.strip() for part in parts]
    if not any(parts):
        return None
    day, month, year = parts
    if len(year) != 4:
        raise ValueError(year)
    try:
        return date(int(year), int(month), int(day))
    except OverflowError:
        raise ValueError(parts) from None
