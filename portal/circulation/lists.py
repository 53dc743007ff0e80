"""The distribution lists the QA lead keeps: a name and the email addresses a report is
sent to. Bad input raises :class:`ListError` and changes nothing; the caller commits."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from portal.activity import record
from portal.extensions import db
from portal.models import DistributionList, ReportCirculation, User

#: The longest name of a list.
NAME_LIMIT = 120
#: The most addresses one list may hold.
ADDRESS_LIMIT = 200
SEPARATORS = re.compile(r"[\s,;]+")


class ListError(ValueError):
    """A list that cannot be saved: *errors* maps each field (``name``, ``addresses``) to
    the message for it, in the order the form shows them."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def parse_addresses(text: str) -> tuple[list[str], list[str]]:
    """The addresses in *text* (one a line, or separated by commas or semicolons): the
    valid ones, normalised, lower case and each once, and the invalid ones as typed."""
    good: list[str] = []
    bad: list[str] = []
    for word in SEPARATORS.split(text):
        if not word:
            continue
        try:
            address = validate_email(word, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            bad.append(word)
        else:
            if address not in good:
                good.append(address)
    return good, bad


def _name_error(name: str, current: DistributionList | None) -> str | None:
    if not name:
        return "Enter the name of the list"
    if len(name) > NAME_LIMIT:
        return f"The name must be {NAME_LIMIT} characters or fewer"
    query = select(DistributionList.id).where(func.lower(DistributionList.name) == name.lower())
    if current is not None and current.id is not None:
        query = query.where(DistributionList.id != current.id)
    if db.session.scalar(query) is not None:
        return f"There is already a list called {name}"
    return None


def _addresses_error(good: list[str], bad: list[str]) -> str | None:
    if bad:
        shown = ", ".join(bad[:3]) + (" and others" if len(bad) > 3 else "")
        return f"Enter email addresses in the correct format, like name@example.org: {shown}"
    if not good:
        return "Enter at least one email address"
    if len(good) > ADDRESS_LIMIT:
        return f"A list may hold up to {ADDRESS_LIMIT} addresses"
    return None


def save_list(
    current: DistributionList | None, name: str, addresses_text: str, by: User
) -> DistributionList:
    """Create a list (*current* None) or change *current*: its name and its addresses."""
    name = " ".join(name.split())
    good, bad = parse_addresses(addresses_text)
    errors = {
        field: message
        for field, message in (
            ("name", _name_error(name, current)),
            ("addresses", _addresses_error(good, bad)),
        )
        if message
    }
    if errors:
        raise ListError(errors)
    created = current is None
    if created:
        current = DistributionList(name=name, addresses=good, updated_by_id=by.id)
        db.session.add(current)
        db.session.flush()
    else:
        current.name, current.addresses, current.updated_by_id = name, good, by.id
    record(
        "created" if created else "changed",
        "distribution_list",
        current.id,
        actor_id=by.id,
        summary=f"{name}: {len(good)} addresses",
    )
    return current


def remove_list(current: DistributionList, by: User) -> None:
    """Remove *current*; the circulations to it keep its name in the history."""
    db.session.execute(
        ReportCirculation.__table__.update()
        .where(ReportCirculation.list_id == current.id)
        .values(list_id=None)
    )
    record("removed", "distribution_list", current.id, actor_id=by.id, summary=current.name)
    db.session.delete(current)
