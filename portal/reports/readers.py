"""Need to know in the learning report: what one reader may see of its examples.

A report is built and stored whole, with every example's case reference and the
auditor's summary. When it is served, :func:`for_reader` keeps the reference, the link
and the text of an example only if the reader may open that audit (the rule of
:func:`portal.audits.listing.visible_audits`, the SQL twin of ``can_view``). For the
others, an example shows its audit tool, its service and its grade, and the auditor's
summary only when the QA lead cleared it for sharing (anonymised) at moderation.

The plugins' sections hold counts only (no case reference, no free text), so they are
served as they are.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.audits.listing import visible_audits
from portal.extensions import db
from portal.models import CASE_OVERSIGHT_ROLES, Audit, User


def sees_every_case(user: User | None) -> bool:
    """True for the case-oversight roles, who may open every case (None: the command line,
    run by whoever runs the server)."""
    return user is None or not user.roles.isdisjoint(CASE_OVERSIGHT_ROLES)


def example_ids(report: dict[str, Any]) -> set[int]:
    """The audits the report's examples of outstanding practice are of."""
    return {e["audit_id"] for e in report["outstanding_examples"] if e["audit_id"] is not None}


def openable(user: User | None, audit_ids: set[int]) -> set[int]:
    """Those of *audit_ids* that *user* may open: one statement, whatever their number."""
    if not audit_ids or sees_every_case(user):
        return set(audit_ids)
    query = visible_audits(user).where(Audit.id.in_(audit_ids)).order_by(None)
    return set(db.session.scalars(select(query.subquery().c.id)))


def _anonymised_example(example: dict[str, Any]) -> dict[str, Any]:
    cleared = bool(example.get("cleared_for_sharing"))
    return {
        **example,
        "audit_id": None,
        "case_reference": None,
        "submitted_on": None,
        "summary": example["summary"] if cleared else None,
    }


def with_examples_for(report: dict[str, Any], shown: set[int]) -> dict[str, Any]:
    """A copy of *report* whose examples are whole for the audits in *shown* and
    anonymised for the others."""
    return {
        **report,
        "outstanding_examples": [
            example if example["audit_id"] in shown else _anonymised_example(example)
            for example in report["outstanding_examples"]
        ],
    }


def for_reader(report: dict[str, Any], user: User | None) -> dict[str, Any]:
    """The report as *user* may read it (see the module's description)."""
    return with_examples_for(report, openable(user, example_ids(report)))


def anonymised(report: dict[str, Any]) -> dict[str, Any]:
    """The report for a reader who may open none of its cases."""
    return with_examples_for(report, set())


def is_whole(report: dict[str, Any]) -> bool:
    """True when no example of *report* (as :func:`for_reader` served it) was anonymised:
    its reader may have the full PDF, which names no more than they may open."""
    return all(e["case_reference"] is not None for e in report["outstanding_examples"])
