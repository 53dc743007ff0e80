"""Importing the case system's CSV export: the rules, then applying the rows to the database.

The rules (:func:`read_case_file` and :func:`parse_case_csv`) work on plain text and plain
dictionaries, so they can be tested without an application. :func:`apply_case_rows` and
:func:`import_case_file` take the SQLAlchemy session they write to; the caller commits
or rolls back, so an import is one transaction. A file with any bad row imports nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.activity import record
from portal.csvfile import BadCsv, RowError, column_name, decode, records
from portal.models.cases import Case, CaseType
from portal.models.characteristics import (
    AGE_BAND_ALIASES,
    AGE_BANDS,
    DISABILITIES,
    DISABILITY_ALIASES,
    ETHNICITIES,
    FAMILY_ADDRESS_MAX_LENGTH,
    FAMILY_NAME_MAX_LENGTH,
    FLAG_ALIASES,
    FLAG_SEPARATOR,
    FLAGS,
    SEX_ALIASES,
    SEXES,
    parse_code,
)
from portal.models.org import Agency, Team
from portal.models.people import User
from portal.timeutil import govuk_date

REFERENCE_MAX_LENGTH = 40
#: What a case system's reference is made of: it goes into file names and headers, so
#: no quotes, semicolons, control characters or other surprises.
REFERENCE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/#:()-]*")
REQUIRED_COLUMNS = ("reference", "case_type", "team", "opened_on")
#: The columns that carry the child's characteristics: column -> (codes, aliases, what).
CODED_COLUMNS = {
    "age_band": (AGE_BANDS, AGE_BAND_ALIASES, "age band"),
    "sex": (SEXES, SEX_ALIASES, "sex"),
    "ethnicity": (ETHNICITIES, {}, "ethnicity"),
    "disability": (DISABILITIES, DISABILITY_ALIASES, "disability"),
}
#: Free text about the family, for letters, with the longest each may be.
TEXT_COLUMNS = {"family_name": FAMILY_NAME_MAX_LENGTH, "family_address": FAMILY_ADDRESS_MAX_LENGTH}
#: The columns a file may leave out: when one is absent, cases keep what they have.
DETAIL_COLUMNS = (*CODED_COLUMNS, "flags", *TEXT_COLUMNS)
OPTIONAL_COLUMNS = ("allocated_worker_email", "closed_on", *DETAIL_COLUMNS)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
DATE_FORMATS = "YYYY-MM-DD or DD/MM/YYYY"
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
#: Longest file name kept in the activity history (the column holds 60 characters).
FILE_NAME_MAX_LENGTH = 60
#: How many references go into one ``IN (...)`` query when looking up existing cases.
LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class CaseRow:
    """One good row of the file, resolved to ids and ready to write."""

    line: int
    reference: str
    case_type: CaseType
    team_id: int
    allocated_worker_id: int | None
    opened_on: date
    closed_on: date | None
    #: The detail columns the file has (see ``DETAIL_COLUMNS``), by name: a code or None,
    #: a frozenset of flag codes, or the text (None when the cell is empty).
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass
class ImportResult:
    """What the rules made of a file: the good rows and every error found."""

    rows: list[CaseRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file has no errors and may be applied."""
        return not self.errors


@dataclass(frozen=True)
class ImportCounts:
    """What applying a good file did to the cases."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass(frozen=True)
class ImportReport:
    """The outcome of importing one file: its errors, or the counts when it was applied."""

    file_name: str
    errors: list[RowError]
    counts: ImportCounts | None

    @property
    def bad_line_count(self) -> int:
        """How many lines of the file have at least one error."""
        return len({error.line for error in self.errors})


def read_case_file(
    data: bytes,
    teams_by_name: Mapping[str, int],
    users_by_email: Mapping[str, int],
    partner_workers: Mapping[str, str] | None = None,
) -> ImportResult:
    """Decode *data* as UTF-8 (with or without a byte order mark) and check it row by row
    (:func:`parse_case_csv`).

    A file that is not UTF-8 text gets one error, on the line where the first bad byte is.
    """
    text, error = decode(data)
    if error:
        return ImportResult(errors=[error])
    return parse_case_csv(text, teams_by_name, users_by_email, partner_workers)


def parse_case_csv(
    text: str,
    teams_by_name: Mapping[str, int],
    users_by_email: Mapping[str, int],
    partner_workers: Mapping[str, str] | None = None,
) -> ImportResult:
    """Check every row of the CSV *text* and resolve teams and workers to their ids.

    *teams_by_name* maps each team's name to its id and *users_by_email* each user's email
    address to their id; both are matched ignoring case. *partner_workers* maps the email
    address of each partner agency's staff to the agency's name: they cannot be a case's
    allocated worker (a police officer does not hold a social-care case). Returns the good
    rows and an error for every problem, each with its line number (the header is line 1).
    The file is only fit to import when there are no errors at all.
    """
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return ImportResult(errors=[RowError(1, "the file is empty")])
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return ImportResult(errors=[RowError(line, "the file is not a CSV text file")])
    try:
        rows = list(records(text))
    except BadCsv as error:
        return ImportResult(errors=[error.row_error])
    if not rows:
        return ImportResult(errors=[RowError(1, "the file is empty")])
    header_line, header = rows[0]
    columns, header_errors = _read_header(header)
    if header_errors:
        return ImportResult(errors=[RowError(header_line, message) for message in header_errors])
    if len(rows) == 1:
        message = "the file has no cases below the header row"
        return ImportResult(errors=[RowError(header_line, message)])
    checker = _RowChecker(columns, len(header), _folded(teams_by_name), _folded(users_by_email))
    checker.partners = {email.casefold(): name for email, name in (partner_workers or {}).items()}
    result = ImportResult()
    for line, cells in rows[1:]:
        row, messages = checker.check(line, cells)
        result.errors.extend(RowError(line, message) for message in messages)
        if row is not None:
            result.rows.append(row)
    return result


def _read_header(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """The position of each known column, and what is wrong with the header row."""
    columns: dict[str, int] = {}
    errors: list[str] = []
    for position, heading in enumerate(header):
        name = column_name(heading)
        if name not in COLUMNS:
            continue  # extra columns are ignored
        if name in columns:
            errors.append(f"the column {name} appears more than once in the header")
        columns[name] = position
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        errors.append(
            f"the header row is missing the required column{plural} {', '.join(missing)} "
            f"(the header must name the columns {', '.join(REQUIRED_COLUMNS)})"
        )
    return columns, errors


def _folded(lookup: Mapping[str, int]) -> dict[str, int | None]:
    """*lookup* keyed by trimmed, case-folded names; None marks a name two entries share."""
    folded: dict[str, int | None] = {}
    for name, ident in lookup.items():
        key = name.strip().casefold()
        folded[key] = None if key in folded and folded[key] != ident else ident
    return folded


def parse_date(text: str) -> date:
    """Read a date written YYYY-MM-DD or DD/MM/YYYY; raise ``ValueError`` otherwise."""
    if match := ISO_DATE.match(text):
        year, month, day = match.groups()
    elif match := UK_DATE.match(text):
        day, month, year = match.groups()
    else:
        raise ValueError(text)
    return date(int(year), int(month), int(day))


class _RowChecker:
    """Checks the data rows of one file, remembering the references already seen."""

    def __init__(
        self,
        columns: dict[str, int],
        header_width: int,
        teams: dict[str, int | None],
        users: dict[str, int | None],
    ) -> None:
        self.columns = columns
        self.header_width = header_width
        self.teams = teams
        self.users = users
        self.seen: dict[str, int] = {}
        self.partners: dict[str, str] = {}

    def cell(self, cells: list[str], name: str) -> str:
        position = self.columns.get(name)
        if position is None or position >= len(cells):
            return ""
        return cells[position].strip()

    def check(self, line: int, cells: list[str]) -> tuple[CaseRow | None, list[str]]:
        """The row ready to write (None when it has errors) and every error in it."""
        errors: list[str] = []
        if any(cell.strip() for cell in cells[self.header_width :]):
            errors.append(
                f"the row has {len(cells)} values but the header has {self.header_width} "
                "columns (is there an unquoted comma in a value?)"
            )
        reference = self.check_reference(line, self.cell(cells, "reference"), errors)
        case_type = self.check_case_type(self.cell(cells, "case_type"), errors)
        team_id = self.check_team(self.cell(cells, "team"), errors)
        worker_id = self.check_worker(self.cell(cells, "allocated_worker_email"), errors)
        opened_on = self.check_date("opened_on", self.cell(cells, "opened_on"), errors)
        closed_on = self.check_date("closed_on", self.cell(cells, "closed_on"), errors)
        if opened_on and closed_on and closed_on < opened_on:
            errors.append(
                f"the date in closed_on ({govuk_date(closed_on)}) is before the date in "
                f"opened_on ({govuk_date(opened_on)})"
            )
        details = self.check_details(cells, errors)
        if errors:
            return None, errors
        row = CaseRow(
            line=line,
            reference=reference,
            case_type=case_type,
            team_id=team_id,
            allocated_worker_id=worker_id,
            opened_on=opened_on,
            closed_on=closed_on,
            details=details,
        )
        return row, []

    def check_details(self, cells: list[str], errors: list[str]) -> dict[str, object]:
        """The detail columns the file has, read from *cells* (an empty cell is None)."""
        details: dict[str, object] = {}
        for name in DETAIL_COLUMNS:
            if name not in self.columns:
                continue
            text = self.cell(cells, name)
            if name == "flags":
                details[name] = self.check_flags(text, errors)
            elif name in TEXT_COLUMNS:
                details[name] = self.check_text(name, text, errors)
            elif text:
                codes, aliases, what = CODED_COLUMNS[name]
                try:
                    details[name] = parse_code(text, codes, aliases, what=what)
                except ValueError as error:
                    errors.append(str(error))
            else:
                details[name] = None
        return details

    @staticmethod
    def check_flags(text: str, errors: list[str]) -> frozenset[str]:
        flags = set()
        for part in text.split(FLAG_SEPARATOR):
            if not part.strip():
                continue
            try:
                flags.add(parse_code(part.strip(), FLAGS, FLAG_ALIASES, what="flag"))
            except ValueError as error:
                errors.append(str(error))
        return frozenset(flags)

    @staticmethod
    def check_text(name: str, text: str, errors: list[str]) -> str | None:
        text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
        if len(text) > TEXT_COLUMNS[name]:
            errors.append(
                f"the {name.replace('_', ' ')} is longer than {TEXT_COLUMNS[name]} characters"
            )
        return text or None

    def check_reference(self, line: int, reference: str, errors: list[str]) -> str:
        if not reference:
            errors.append("the reference is missing")
        elif len(reference) > REFERENCE_MAX_LENGTH:
            errors.append(f"the reference is longer than {REFERENCE_MAX_LENGTH} characters")
        elif not REFERENCE_PATTERN.fullmatch(reference):
            errors.append(
                "the reference may only hold letters, digits, spaces and . _ / # : ( ) -, "
                "starting with a letter or digit"
            )
        elif reference in self.seen:
            errors.append(f"the reference {reference!r} is also on line {self.seen[reference]}")
        else:
            self.seen[reference] = line
        return reference

    @staticmethod
    def check_case_type(text: str, errors: list[str]) -> CaseType | None:
        if not text:
            errors.append("the case type is missing")
            return None
        try:
            return CaseType.parse(text)
        except ValueError as error:
            errors.append(str(error))
            return None

    def check_team(self, name: str, errors: list[str]) -> int | None:
        if not name:
            errors.append("the team is missing")
            return None
        key = name.casefold()
        if key not in self.teams:
            errors.append(f"unknown team {name!r}")
        elif self.teams[key] is None:
            errors.append(f"the team name {name!r} matches more than one team")
        return self.teams.get(key)

    def check_worker(self, email: str, errors: list[str]) -> int | None:
        if not email:
            return None
        key = email.casefold()
        if key not in self.users:
            errors.append(f"unknown allocated worker {email!r}: no user has this email address")
        elif self.users[key] is None:
            errors.append(f"the email address {email!r} matches more than one user")
        elif key in self.partners:
            errors.append(
                f"{email!r} works for a partner agency ({self.partners[key]}) and cannot be "
                "a case's allocated worker"
            )
            return None
        return self.users.get(key)

    @staticmethod
    def check_date(column: str, text: str, errors: list[str]) -> date | None:
        if not text:
            if column in REQUIRED_COLUMNS:
                errors.append(f"the date in {column} is missing")
            return None
        try:
            return parse_date(text)
        except ValueError:
            errors.append(
                f"the date in {column}, {text!r}, is not a real date in the form {DATE_FORMATS}"
            )
            return None


def case_lookups(session: Session) -> tuple[dict[str, int], dict[str, int]]:
    """Every team's name and every user's email address, each mapped to its id."""
    teams = {name: team_id for name, team_id in session.execute(select(Team.name, Team.id))}
    users = {email: user_id for email, user_id in session.execute(select(User.email, User.id))}
    return teams, users


def partner_workers(session: Session) -> dict[str, str]:
    """The email address of every partner agency's member of staff, mapped to the agency."""
    rows = session.execute(
        select(User.email, Agency.name)
        .join(Agency, User.agency_id == Agency.id)
        .where(Agency.is_partner)
    )
    return {email: name for email, name in rows}


def apply_case_rows(session: Session, rows: list[CaseRow]) -> ImportCounts:
    """Create the cases that are new and update the others, matched by reference.

    Adds to *session* without committing. Returns how many were created, updated and left
    unchanged.
    """
    references = [row.reference for row in rows]
    existing: dict[str, Case] = {}
    query = select(Case)
    if any("flags" in row.details for row in rows):
        query = query.options(selectinload(Case.flag_rows))
    for start in range(0, len(references), LOOKUP_CHUNK):
        chunk = references[start : start + LOOKUP_CHUNK]
        existing.update(
            (case.reference, case)
            for case in session.scalars(query.where(Case.reference.in_(chunk)))
        )
    created = updated = unchanged = 0
    for row in rows:
        values = {
            "case_type": row.case_type.value,
            "team_id": row.team_id,
            "allocated_worker_id": row.allocated_worker_id,
            "opened_on": row.opened_on,
            "closed_on": row.closed_on,
            **{name: value for name, value in row.details.items() if name != "flags"},
        }
        flags = row.details.get("flags")
        case = existing.get(row.reference)
        if case is None:
            case = Case(reference=row.reference, **values)
            if flags:
                case.set_flags(flags)
            session.add(case)
            created += 1
            continue
        changes = {name: value for name, value in values.items() if getattr(case, name) != value}
        for name, value in changes.items():
            setattr(case, name, value)
        if flags is not None and case.flags != flags:
            case.set_flags(flags)
            changes["flags"] = flags
        if changes:
            updated += 1
        else:
            unchanged += 1
    return ImportCounts(created=created, updated=updated, unchanged=unchanged)


def import_case_file(
    session: Session, data: bytes, file_name: str, *, actor_id: int | None
) -> ImportReport:
    """Check *data* and, when every row is good, apply it and record the import.

    Nothing is added to *session* when the file has an error. The caller commits a report
    without errors and rolls back otherwise.
    """
    file_name = file_name[:FILE_NAME_MAX_LENGTH]
    teams, users = case_lookups(session)
    result = read_case_file(data, teams, users, partner_workers(session))
    if not result.ok:
        return ImportReport(file_name=file_name, errors=result.errors, counts=None)
    counts = apply_case_rows(session, result.rows)
    record(
        "imported",
        "case_import",
        file_name,
        actor_id=actor_id,
        summary=f"{counts.created} created, {counts.updated} updated",
        after=asdict(counts),
    )
    return ImportReport(file_name=file_name, errors=[], counts=counts)
