"""Known data for the report tests, written straight to the tables: submitted audits with
their grade of record, summary and learning tags; actions at every stage; and a small
plugin that adds a report section."""

from __future__ import annotations

import re
import types
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from portal.extensions import db
from portal.hookspecs import PluginInfo, hookimpl
from portal.models import Action, Audit, AuditAnswer, AuditAuditor, AuditLearning
from portal.testing.world import World

#: The month most tests report on, and the day they report on it.
OCTOBER = date(2026, 10, 1)
TODAY = date(2026, 11, 15)


@dataclass
class Builder:
    """Adds audits and actions to the test database, each in its own app context."""

    app: object
    world: World

    def audit(
        self,
        reference: str,
        submitted_at: datetime | None,
        grade: str | None = "good",
        *,
        process_key: str = "csc_audit",
        auditor_grade: str | None = None,
        summary: str | None = None,
        learning: tuple[tuple[str, str], ...] = (),
        answers: dict[tuple[str, str], str] | None = None,
        auditors: tuple[tuple[str, str | None], ...] = (),
        allocated_on: date | None = None,
    ) -> int:
        """A submitted audit (or an unsubmitted one when *submitted_at* is None).

        *grade* is the grade of record; *auditor_grade*, when given, the auditor's own
        (moderated audits); *learning* pairs of (area, tagged by); *answers* maps
        (section, field) to a value; *auditors* pairs of (short name, agency code).
        """
        allocated = allocated_on or (
            (submitted_at.date() - timedelta(days=10)) if submitted_at else date(2026, 10, 1)
        )
        with self.app.app_context():
            audit = Audit(
                case_id=self.world.cases[reference],
                process_key=process_key,
                process_version="1",
                status="submitted" if submitted_at else "in_progress",
                allocated_on=allocated,
                due_on=allocated + timedelta(days=28),
                submitted_at=submitted_at,
                overall_grade=auditor_grade or grade,
                record_grade=grade if submitted_at else None,
            )
            db.session.add(audit)
            db.session.flush()
            rows = dict(answers or {})
            if summary is not None:
                rows["overall", "summary"] = summary
            db.session.add_all(
                AuditAnswer(audit_id=audit.id, section_key=s, field_key=f, value=v)
                for (s, f), v in rows.items()
            )
            db.session.add_all(
                AuditLearning(audit_id=audit.id, area=area, tagged_by=by) for area, by in learning
            )
            db.session.add_all(
                AuditAuditor(audit_id=audit.id, user_id=self.world.users[who], agency_code=code)
                for who, code in auditors
            )
            db.session.commit()
            return audit.id

    def action(
        self,
        audit_id: int,
        priority: str,
        status: str,
        created_at: datetime,
        *,
        due_on: date | None = None,
        completed_at: datetime | None = None,
        signed_off_at: datetime | None = None,
    ) -> int:
        """An action of *audit_id* as it stands now, with the moments it got there."""
        with self.app.app_context():
            action = Action(
                audit_id=audit_id,
                description=f"A {priority} priority action",
                priority=priority,
                status=status,
                created_at=created_at,
                due_on=due_on,
                completed_at=completed_at,
                signed_off_at=signed_off_at,
            )
            db.session.add(action)
            db.session.commit()
            return action.id


@pytest.fixture
def build(app, world) -> Builder:
    """The builder of known report data, on the test council."""
    return Builder(app, world)


@pytest.fixture
def october(build: Builder) -> dict[str, int]:
    """The known month: audits and actions around October 2026 (see the numbers below).

    Audits (grade of record), by submission:
    - 2025-10-31 good (before the twelve months), 2025-11-01 inadequate (first month)
    - 2026-09-10 good, tagged training
    - October: CS-1001 outstanding (summary; tagged supervision by auditor and moderator,
      training by moderator), CS-1002 good, CS-1002 requires improvement on 31 October
      23:59:59 (the auditor said good; tagged supervision), EH-2001 inadequate (early_help;
      tagged safeguarding board)
    - 2026-11-01 00:00 outstanding (November), and one never submitted.

    Actions (weights high 3, medium 2, low 1):
    - high: created 5 Oct, completed 10 Oct, signed off 12 Oct
    - low: created 6 Oct, open, due 15 Oct (overdue at the end of October)
    - medium draft, created 7 Oct (never counts)
    - medium: created 5 Sep, completed 2 Oct, awaiting sign-off, due 30 Nov
    - high: created 1 Sep, due 30 Sep, completed 30 Oct, signed off 3 Nov (late, but
      completed and awaiting sign-off at the end of October: not overdue then)
    - low: created 2 Nov, open, due 1 Oct (November's)
    """
    ids = {
        "before": build.audit("CS-1001", datetime(2025, 10, 31, 12), "good"),
        "first": build.audit("CS-1001", datetime(2025, 11, 1, 0), "inadequate"),
        "september": build.audit(
            "CS-1001", datetime(2026, 9, 10, 9), "good", learning=(("training", "auditor"),)
        ),
        "outstanding": build.audit(
            "CS-1001",
            datetime(2026, 10, 3, 10),
            "outstanding",
            summary="Exemplary direct work: the child's voice shapes every plan.",
            learning=(
                ("supervision", "auditor"),
                ("supervision", "moderator"),
                ("training", "moderator"),
            ),
        ),
        "good": build.audit("CS-1002", datetime(2026, 10, 15, 14), "good"),
        "moderated": build.audit(
            "CS-1002",
            datetime(2026, 10, 31, 23, 59, 59),
            "requires_improvement",
            auditor_grade="good",
            learning=(("supervision", "auditor"),),
        ),
        "early_help": build.audit(
            "EH-2001",
            datetime(2026, 10, 20, 11),
            "inadequate",
            process_key="early_help",
            learning=(("safeguarding_board", "auditor"),),
        ),
        "november": build.audit("EH-2001", datetime(2026, 11, 1, 0), "outstanding"),
        "unsubmitted": build.audit("CS-1001", None),
    }
    audit = ids["outstanding"]
    build.action(
        audit,
        "high",
        "signed_off",
        datetime(2026, 10, 5),
        due_on=date(2026, 10, 20),
        completed_at=datetime(2026, 10, 10),
        signed_off_at=datetime(2026, 10, 12),
    )
    build.action(audit, "low", "open", datetime(2026, 10, 6), due_on=date(2026, 10, 15))
    build.action(audit, "medium", "draft", datetime(2026, 10, 7), due_on=date(2026, 10, 8))
    build.action(
        ids["september"],
        "medium",
        "completed",
        datetime(2026, 9, 5),
        due_on=date(2026, 11, 30),
        completed_at=datetime(2026, 10, 2),
    )
    build.action(
        ids["september"],
        "high",
        "signed_off",
        datetime(2026, 9, 1),
        due_on=date(2026, 9, 30),
        completed_at=datetime(2026, 10, 30),
        signed_off_at=datetime(2026, 11, 3),
    )
    build.action(ids["november"], "low", "open", datetime(2026, 11, 2), due_on=date(2026, 10, 1))
    return ids


def report_plugin(
    key: str = "mini_report", section: Callable[..., object] | None = None
) -> types.ModuleType:
    """A plugin module *key* whose ``portal_report_section`` hook calls *section*."""
    module = types.ModuleType(f"{key}.plugin")

    @hookimpl
    def portal_plugin_info():
        return PluginInfo(key, "Mini report", "1.0", "A plugin that adds a report section.")

    module.portal_plugin_info = portal_plugin_info
    if section is not None:

        @hookimpl
        def portal_report_section(month, start, end):
            return section(month=month, start=start, end=end)

        module.portal_report_section = portal_report_section
    return module


@pytest.fixture
def install_plugin(app):
    """Install and enable a plugin module: ``install_plugin(report_plugin(...))``."""

    def install(module: types.ModuleType, key: str = "mini_report") -> None:
        host = app.extensions["portal.plugins"]
        host.add(key, module)
        with app.app_context():
            host.set_enabled(key, True, actor_id=None)
            db.session.commit()

    return install


def pdf_objects(document: bytes) -> bytes:
    """A WeasyPrint PDF's objects as text: the file with its compressed streams opened."""
    parts = [document]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", document, re.DOTALL):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(parts)


def pdf_pages(document: bytes) -> int:
    """How many pages a PDF has, from its page tree."""
    found = re.search(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf_objects(document))
    return int(found.group(1)) if found else 0
