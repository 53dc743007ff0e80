"""The rules of a report's commentary, approval and circulation.

The QA lead saves the commentary as a draft (as often as needed) until an assistant
director approves it: not their own draft, only once the report's period is over, and
only when every part is written. Approved commentary no longer changes and is what every
output of the report shows. An approved report is circulated to a distribution list;
each circulation is kept (list, recipients, who, when) and recorded in the activity
history of the report (``report``, ``<kind>-<period>``).

Each function works in the current transaction and the caller commits; a refusal raises
:class:`CommentaryError` and changes nothing. Rules that need today take it as an argument.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.activity import record
from portal.circulation import DRAFT_READERS
from portal.circulation.lists import ADDRESS_LIMIT
from portal.circulation.mail import MailError, send_report
from portal.extensions import db
from portal.hookspecs import CirculatedReport
from portal.models import Case, DistributionList, ReportCirculation, ReportCommentary, User
from portal.reports.sections import ReportSection, ReportTable
from portal.timeutil import to_london, utcnow

#: The three parts of the commentary, in the order the report shows them.
PARTS = (
    ("key_messages", "Key messages"),
    ("learning", "Learning"),
    ("recommendations", "Recommendations"),
)
#: The longest text of one part.
TEXT_LIMIT = 5000
#: Words that could be a case reference: what the commentary is checked for.
WORDS = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_-]{1,39}")


class CommentaryError(ValueError):
    """A refusal; *field* is the form field the message is about (for the error summary)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Commentary:
    """Commentary as the report shows it: its parts, and who approved it and when."""

    parts: tuple[tuple[str, str], ...]  # (heading, text) of each part, in order
    approved: bool
    approved_by: str
    approved_on: date | None

    @property
    def line(self) -> str:
        """``Approved by Ada Director on 3 December 2026`` (or that it is a draft)."""
        if not self.approved:
            return "Draft: not yet approved, so only the QA lead and the assistant director see it"
        return f"Approved by {self.approved_by} on {self.approved_on:%-d %B %Y}"

    def as_section(self) -> ReportSection:
        """The commentary as a report's first section, for the CSV and Excel files."""
        return ReportSection(
            key="commentary",
            title="Commentary",
            summary=f"The QA lead's commentary. {self.line}.",
            tables=(
                ReportTable(
                    title="Commentary",
                    head=("Part", "Commentary"),
                    rows=tuple((heading, text) for heading, text in self.parts),
                ),
            ),
            data=self.as_json(),
        )

    def as_json(self) -> dict:
        """The commentary in the report's JSON export."""
        return {
            **{key: text for (key, _), (_, text) in zip(PARTS, self.parts, strict=True)},
            "approved_by": self.approved_by,
            "approved_on": self.approved_on.isoformat() if self.approved_on else None,
        }


def report_id(kind: str, period: str) -> str:
    """The report's id in the activity history: ``monthly-2026-11``."""
    return f"{kind}-{period}"


def find(kind: str, period: str) -> ReportCommentary | None:
    """The commentary of *kind*'s report of *period* (draft or approved), or None."""
    return db.session.scalar(
        select(ReportCommentary)
        .where(ReportCommentary.report_kind == kind, ReportCommentary.period == period)
        .options(selectinload(ReportCommentary.approved_by))
    )


def shown(row: ReportCommentary | None, *, drafts: bool) -> Commentary | None:
    """*row* as the report shows it: approved commentary to everyone, a draft only when
    *drafts* (the QA lead and the assistant director); None when there is nothing to show."""
    if row is None or (row.approved_at is None and not drafts):
        return None
    parts = tuple((label, getattr(row, key)) for key, label in PARTS)
    if not any(text for _, text in parts):
        return None
    approved_on = to_london(row.approved_at).date() if row.approved_at else None
    return Commentary(
        parts=parts,
        approved=row.approved_at is not None,
        approved_by=row.approved_by.name if row.approved_by else "",
        approved_on=approved_on,
    )


def approved_commentary(kind: str, period: str) -> Commentary | None:
    """The approved commentary of *kind*'s report of *period*, for its outputs, or None."""
    return shown(find(kind, period), drafts=False)


def for_reader(kind: str, period: str, user: User) -> Commentary | None:
    """The commentary *user* sees on the report: the approved one for every reader, the
    draft too for the QA lead and the assistant director."""
    return shown(find(kind, period), drafts=user.has_role(*DRAFT_READERS))


def _case_references_in(texts: list[str]) -> list[str]:
    words = {word for text in texts for word in WORDS.findall(text)}
    if not words:
        return []
    found = db.session.scalars(select(Case.reference).where(Case.reference.in_(sorted(words))))
    return sorted(found)


def redact_case_references(texts: list[str]) -> list[str]:
    """*texts* with every case reference in them replaced by "[a case]" (one statement),
    for free text written before it was to be circulated."""
    references = set(_case_references_in(texts))
    if not references:
        return list(texts)
    return [
        WORDS.sub(lambda word: "[a case]" if word[0] in references else word[0], text)
        for text in texts
    ]


def save_draft(kind: str, period: str, texts: dict[str, str], by: User) -> ReportCommentary:
    """Save the QA lead's draft commentary (*texts* by part key); it is circulated, so it
    may not name a case."""
    row = find(kind, period)
    if row is not None and row.approved_at is not None:
        raise CommentaryError("The commentary is approved: it can no longer change")
    cleaned = {key: texts.get(key, "").strip().replace("\r\n", "\n") for key, _ in PARTS}
    for key, label in PARTS:
        if len(cleaned[key]) > TEXT_LIMIT:
            raise CommentaryError(f"{label} must be {TEXT_LIMIT:,} characters or fewer", key)
    if not any(cleaned.values()):
        raise CommentaryError(
            "Enter the key messages, the learning or the recommendations", "key_messages"
        )
    for key, label in PARTS:
        references = _case_references_in([cleaned[key]])
        if references:
            raise CommentaryError(
                f"{label} must not name a case: the report is circulated without case "
                f"references (remove {', '.join(references)})",
                key,
            )
    if row is None:
        row = ReportCommentary(report_kind=kind, period=period, drafted_by_id=by.id)
        db.session.add(row)
    for key, text in cleaned.items():
        setattr(row, key, text)
    row.drafted_by_id = by.id
    row.drafted_at = utcnow()
    record("drafted commentary", "report", report_id(kind, period), actor_id=by.id)
    return row


def approve(report: CirculatedReport, period: str, by: User, today: date) -> ReportCommentary:
    """An assistant director approves the commentary of *report*'s *period*."""
    row = find(report.kind, period)
    if row is None:
        raise CommentaryError("There is no commentary to approve yet")
    if row.approved_at is not None:
        raise CommentaryError("The commentary is already approved")
    if row.drafted_by_id == by.id:
        raise CommentaryError(
            "You wrote this commentary: another assistant director must approve it"
        )
    if not report.is_over(period, today):
        raise CommentaryError(
            f"{report.title(period)} covers a period that is not over yet: "
            "approve it once the period has ended"
        )
    missing = [label.lower() for key, label in PARTS if not getattr(row, key)]
    if missing:
        raise CommentaryError(f"The commentary has no {' and no '.join(missing)} yet")
    row.approved_by_id = by.id
    row.approved_by = by
    row.approved_at = utcnow()
    record(
        "approved commentary",
        "report",
        report_id(report.kind, period),
        actor_id=by.id,
        summary=report.title(period),
    )
    if report.approved is not None:
        report.approved(period)
    return row


def pdf_filename(title: str) -> str:
    """``monthly-learning-report-november-2026.pdf`` for that title."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") + ".pdf"


def circulate(
    report: CirculatedReport, period: str, list_id: int | None, by: User, today: date
) -> ReportCirculation:
    """Email *report*'s PDF of *period* to every address of the list *list_id* and record
    it. The commentary must be approved; :class:`CommentaryError` when the list is missing
    or no address received it (nothing recorded then)."""
    row = find(report.kind, period)
    if row is None or row.approved_at is None:
        raise CommentaryError("The commentary must be approved before the report is circulated")
    chosen = db.session.get(DistributionList, list_id) if list_id is not None else None
    if chosen is None:
        raise CommentaryError("Select the distribution list to send the report to", "list_id")
    addresses = list(chosen.addresses)[:ADDRESS_LIMIT]
    title = report.title(period)
    text = (
        f"{title}\n\n"
        f"The report is attached as a PDF. It names no child and no case.\n"
        f"Commentary approved by {row.approved_by.name} on "
        f"{to_london(row.approved_at):%-d %B %Y}.\n\n"
        f"Sent by {by.name} to the distribution list {chosen.name}.\n"
    )
    try:
        delivery = send_report(
            addresses, title, text, report.pdf(period, today), pdf_filename(title)
        )
    except MailError as error:
        raise CommentaryError(str(error), "list_id") from error
    if not delivery.sent:
        raise CommentaryError(
            f"The mail server refused every address of {chosen.name}: nothing was sent", "list_id"
        )
    circulation = ReportCirculation(
        commentary_id=row.id,
        list_id=chosen.id,
        list_name=chosen.name,
        recipients=len(delivery.sent),
        refused=len(delivery.refused),
        sent_by_id=by.id,
        sent_at=utcnow(),
    )
    db.session.add(circulation)
    summary = f"{title} to {chosen.name}: {len(delivery.sent)} recipients"
    if delivery.refused:
        summary += f" ({len(delivery.refused)} refused: {', '.join(delivery.refused)})"
    record("circulated", "report", report_id(report.kind, period), actor_id=by.id, summary=summary)
    return circulation


def history(row: ReportCommentary | None) -> list[ReportCirculation]:
    """The circulations of the report whose commentary is *row*, oldest first."""
    if row is None or row.id is None:
        return []
    return list(
        db.session.scalars(
            select(ReportCirculation)
            .where(ReportCirculation.commentary_id == row.id)
            .options(selectinload(ReportCirculation.sent_by))
            .order_by(ReportCirculation.sent_at, ReportCirculation.id)
        )
    )


def when(moment: datetime) -> str:
    """``3 December 2026 at 14:05`` (London time)."""
    local = to_london(moment)
    return f"{local:%-d %B %Y} at {local:%H:%M}"
