"""Fixtures the core's tests share beyond the portal's own (``portal.testing.fixtures``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from portal.activity import record
from portal.extensions import db
from portal.models import (
    Action,
    Audit,
    AuditAuditor,
    MonthlySelection,
    SafeguardingConcern,
)
from portal.reports.monthly import add_months
from portal.timeutil import today_london, utcnow


@dataclass(frozen=True)
class LeadersData:
    """What :func:`leaders_world` made: today, and the audits and actions by short name."""

    today: date
    audits: dict[str, int]
    actions: dict[str, int]


def _audit(world, name, reference, key, status, allocated_on, due_on, auditor, **fields) -> Audit:
    agency = {"police": "POLICE", "eh_m": "EH"}.get(auditor, "CSC")
    audit = Audit(
        case_id=world.cases[reference],
        process_key=key,
        process_version="1",
        status=status,
        allocated_on=allocated_on,
        due_on=due_on,
        **fields,
    )
    db.session.add(audit)
    db.session.flush()
    db.session.add(
        AuditAuditor(audit_id=audit.id, user_id=world.users[auditor], agency_code=agency)
    )
    return audit


@pytest.fixture
def leaders_world(app, world) -> LeadersData:
    """The test council with what its leaders' home pages show (issue 12, point 1):

    - CSC audits of CS-1001 (Assessment Team) submitted this month (Good) and two months
      ago (Outstanding), and of CS-1002 (Child Protection Team) this month (Inadequate),
      all three waiting for moderation; an Early Help audit of EH-2001 two months ago
      (Requires improvement), not to be moderated.
    - Overdue audits: a CSC audit of CS-1002 by tm_a (allocated, due 3 days ago) and a MASH
      audit of CS-1002 by the police auditor, allocated this month, due yesterday.
    - Actions on CS-1001: high open overdue, medium completed after its due date (awaiting
      sign-off: not overdue), low signed off; on EH-2001: medium open overdue.
    - Concerns: about CS-1002 raised 10 days ago (overdue), about EH-2001 raised now.
    - This month's selection confirmed (2 audits); next month's drawn, one quota short.
    - A case import recorded.
    """
    today = today_london()
    first = today.replace(day=1)
    this_month = datetime(first.year, first.month, 1, 12)
    earlier = add_months(first, -2)
    two_months_ago = datetime(earlier.year, earlier.month, 10, 12)
    with app.app_context():
        audits = {
            "good": _audit(
                world, "good", "CS-1001", "csc_audit", "actions_open", first, first, "tm_b",
                submitted_at=this_month, record_grade="good", moderation_required=True,
            ),
            "inadequate": _audit(
                world, "inadequate", "CS-1002", "csc_audit", "submitted", first, first, "tm_a",
                submitted_at=this_month, record_grade="inadequate", moderation_required=True,
            ),
            "outstanding": _audit(
                world, "outstanding", "CS-1001", "csc_audit", "submitted", earlier, earlier,
                "tm_b", submitted_at=two_months_ago, record_grade="outstanding",
                moderation_required=True,
            ),
            "early_help": _audit(
                world, "early_help", "EH-2001", "early_help", "actions_open", earlier, earlier,
                "eh_m", submitted_at=two_months_ago, record_grade="requires_improvement",
            ),
            "late_csc": _audit(
                world, "late_csc", "CS-1002", "csc_audit", "allocated", first,
                today - timedelta(days=3), "tm_a",
            ),
            "late_mash": _audit(
                world, "late_mash", "CS-1002", "mash", "in_progress", first,
                today - timedelta(days=1), "police",
            ),
        }  # fmt: skip
        yesterday, week_ago = today - timedelta(days=1), today - timedelta(days=7)
        specs = {
            "high_open": ("good", "sw_a", "high", "open", yesterday),
            "completed": ("good", "sw_a", "medium", "completed", week_ago),
            "signed_off": ("good", "sw_a", "low", "signed_off", week_ago),
            "eh_open": ("early_help", "eh_w", "medium", "open", yesterday),
        }
        actions = {}
        for name, (audit, owner, priority, status, due_on) in specs.items():
            action = Action(
                audit_id=audits[audit].id,
                section_key="plan",
                description=f"Action {name.replace('_', ' ')}",
                priority=priority,
                owner_id=world.users[owner],
                due_on=due_on,
                status=status,
                evidence="" if status == "open" else "Done",
                completed_at=None if status == "open" else utcnow(),
                signed_off_at=utcnow() if status == "signed_off" else None,
            )
            db.session.add(action)
            actions[name] = action
        for reference, raised_at in (
            ("CS-1002", utcnow() - timedelta(days=10)),
            ("EH-2001", utcnow()),
        ):
            db.session.add(
                SafeguardingConcern(
                    case_id=world.cases[reference],
                    source_type="audit",
                    source_id="1",
                    description="Worried",
                    raised_by_id=world.users["tm_b"],
                    raised_at=raised_at,
                )
            )
        db.session.add_all(
            [
                MonthlySelection(
                    month=first,
                    seed=1,
                    draw={"allocations": [{}, {}], "shortfalls": []},
                    confirmed_at=utcnow(),
                ),
                MonthlySelection(
                    month=add_months(first, 1),
                    seed=2,
                    draw={
                        "allocations": [{}, {}, {}],
                        "shortfalls": [
                            {
                                "process_key": "mash",
                                "quota": "At least 3 audits a month by Police auditors",
                                "wanted": 3,
                                "got": 1,
                                "reason": "1 Police auditor",
                            }
                        ],
                    },
                ),
            ]
        )
        record(
            "imported",
            "case_import",
            "cases.csv",
            actor_id=world.users["qa_admin"],
            summary="2 created, 1 updated",
        )
        db.session.commit()
        return LeadersData(
            today,
            {name: audit.id for name, audit in audits.items()},
            {name: action.id for name, action in actions.items()},
        )
