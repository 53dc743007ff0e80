"""Importing the staff directory's CSV export: who works here, in which team, for whom, with
which roles; creating, updating and deactivating people in one transaction.

The rules (:func:`parse_staff_csv`) work on plain text and plain dictionaries, so they can
be tested without an application; :func:`import_staff_file` checks a file against the
database and, when every row is good, applies it. A file with any bad row imports nothing.

A person who leaves (``active`` = no, or absent from a whole-directory file when
*deactivate_missing* is asked for) is deactivated, never deleted: their history stays,
their sessions end, and their open audits and actions are listed for reallocation.
The administrator role is never granted or taken by a file (it is given in the portal),
and administrators are never deactivated as missing (the break-glass account).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.activity import record
from portal.csvfile import BadCsv, RowError, column_name, decode, records
from portal.models import Action, ActionStatus, Audit, AuditAuditor, AuditStatus, Role, User
from portal.models.org import Agency, Team

REQUIRED_COLUMNS = ("email", "name")
OPTIONAL_COLUMNS = ("job_title", "team", "line_manager_email", "roles", "agency", "active")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
EMAIL_MAX_LENGTH = 254
NAME_MAX_LENGTH = 120
ROLE_SEPARATOR = ";"
YES = {"yes", "y", "true", "1", "active"}
NO = {"no", "n", "false", "0", "left", "leaver", "inactive"}
FILE_NAME_MAX_LENGTH = 60
#: Roles a file may give, by key and by label (the administrator role is not among them).
IMPORTABLE_ROLES = {role for role in Role if role is not Role.ADMIN}
OPEN_AUDIT_STATUSES = (AuditStatus.ALLOCATED.value, AuditStatus.IN_PROGRESS.value)


@dataclass(frozen=True)
class StaffRow:
    """One good row: the person's details as the file gives them (None: column absent)."""

    line: int
    email: str
    name: str
    job_title: str | None
    team_id: int | None
    has_team: bool
    line_manager_email: str | None
    has_manager: bool
    roles: frozenset[Role] | None
    agency_id: int | None
    has_agency: bool
    active: bool


@dataclass
class StaffCheck:
    """What the rules made of a file: the good rows and every error found."""

    rows: list[StaffRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True)
class OpenWork:
    """A leaver's work that needs someone else: audits not yet submitted, actions open."""

    user_id: int
    name: str
    audits: tuple[tuple[int, str], ...]  # (audit id, audit tool key)
    actions: tuple[int, ...]


@dataclass(frozen=True)
class StaffImportReport:
    """The outcome of a file: its errors, or what it did (or would do, on a dry run)."""

    file_name: str
    errors: list[RowError]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    leavers: tuple[OpenWork, ...] = ()
    dry_run: bool = False

    @property
    def bad_line_count(self) -> int:
        """How many lines of the file have at least one error."""
        return len({error.line for error in self.errors})

    def summary(self) -> str:
        """``2 created, 5 updated, 40 unchanged, 1 deactivated``."""
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.deactivated} deactivated"
        )


def _role_lookup() -> dict[str, Role | None]:
    """Role keys and labels, folded; None for the administrator role (never importable)."""
    lookup: dict[str, Role | None] = {}
    for role in Role:
        value = role if role in IMPORTABLE_ROLES else None
        lookup[role.value.casefold()] = value
        lookup[role.label.casefold()] = value
    return lookup


def parse_staff_csv(
    text: str,
    teams_by_name: Mapping[str, int],
    agencies_by_code: Mapping[str, int],
    known_emails: Iterable[str],
) -> StaffCheck:
    """Check every row of the CSV *text*: columns, emails, teams, agencies, roles, managers.

    *known_emails* are the people already in the portal (a line manager may be one of them
    or someone in the file). Names are matched ignoring case. Returns the good rows and an
    error for every problem, with its line number.
    """
    text = text.removeprefix("\ufeff")
    if not text.strip() or "\x00" in text:
        return StaffCheck(errors=[RowError(1, "the file is empty or not a CSV text file")])
    try:
        rows = list(records(text))
    except BadCsv as error:
        return StaffCheck(errors=[error.row_error])
    if not rows:
        return StaffCheck(errors=[RowError(1, "the file is empty")])
    header_line, header = rows[0]
    columns: dict[str, int] = {}
    for position, heading in enumerate(header):
        name = column_name(heading)
        if name in COLUMNS:
            if name in columns:
                message = f"the column {name} appears more than once in the header"
                return StaffCheck(errors=[RowError(header_line, message)])
            columns[name] = position
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        message = f"the header row is missing the column {', '.join(missing)}"
        return StaffCheck(errors=[RowError(header_line, message)])
    if len(rows) == 1:
        return StaffCheck(errors=[RowError(header_line, "the file has no people below the header")])

    teams = {name.strip().casefold(): ident for name, ident in teams_by_name.items()}
    agencies = {code.strip().casefold(): ident for code, ident in agencies_by_code.items()}
    roles = _role_lookup()
    in_file: dict[str, int] = {}
    check = StaffCheck()

    def cell(cells: list[str], name: str) -> str | None:
        position = columns.get(name)
        if position is None:
            return None
        return cells[position].strip() if position < len(cells) else ""

    for line, cells in rows[1:]:
        problems: list[str] = []
        email = (cell(cells, "email") or "").casefold()
        if not EMAIL.match(email) or len(email) > EMAIL_MAX_LENGTH:
            problems.append(f"email: {email or 'empty'} is not an email address")
        elif email in in_file:
            problems.append(f"email: {email} is also on line {in_file[email]}")
        else:
            in_file[email] = line
        name = cell(cells, "name") or ""
        if not name or len(name) > NAME_MAX_LENGTH:
            problems.append(f"name: give the person's name ({NAME_MAX_LENGTH} characters at most)")
        job_title = cell(cells, "job_title")
        if job_title is not None and len(job_title) > NAME_MAX_LENGTH:
            problems.append(f"job_title: {NAME_MAX_LENGTH} characters at most")
        team = cell(cells, "team")
        team_id = teams.get(team.casefold()) if team else None
        if team and team_id is None:
            problems.append(f"team: there is no team called {team} in the portal")
        agency = cell(cells, "agency")
        agency_id = agencies.get(agency.casefold()) if agency else None
        if agency and agency_id is None:
            problems.append(f"agency: there is no agency with the code {agency}")
        role_text = cell(cells, "roles")
        chosen: set[Role] | None = None
        if role_text is not None:
            chosen = set()
            for part in filter(None, (p.strip() for p in role_text.split(ROLE_SEPARATOR))):
                folded = part.casefold()
                if folded not in roles:
                    problems.append(f"roles: {part} is not a role of the portal")
                elif roles[folded] is None:
                    problems.append(
                        "roles: the administrator role is given in the portal, not by a file"
                    )
                else:
                    chosen.add(roles[folded])
        active_text = (cell(cells, "active") or "yes").casefold()
        if active_text not in YES | NO:
            problems.append(f"active: write yes or no, not {active_text}")
        manager = (cell(cells, "line_manager_email") or "").casefold() or None
        if manager is not None and manager == email:
            problems.append("line_manager_email: a person cannot be their own line manager")
        if problems:
            check.errors.extend(RowError(line, problem) for problem in problems)
            continue
        check.rows.append(
            StaffRow(
                line=line,
                email=email,
                name=name,
                job_title=job_title,
                team_id=team_id,
                has_team="team" in columns,
                line_manager_email=manager,
                has_manager="line_manager_email" in columns,
                roles=frozenset(chosen) if chosen is not None else None,
                agency_id=agency_id,
                has_agency="agency" in columns,
                active=active_text in YES,
            )
        )
    known = {email.casefold() for email in known_emails}
    for row in check.rows:
        if row.line_manager_email and row.line_manager_email not in in_file.keys() | known:
            check.errors.append(
                RowError(
                    row.line,
                    f"line_manager_email: {row.line_manager_email} is neither in the file nor "
                    "in the portal",
                )
            )
    check.errors.sort(key=lambda error: error.line)
    return check


def _chain_errors(rows: list[StaffRow], managers: Mapping[str, str | None]) -> list[RowError]:
    """A line manager chain that comes back to the same person (A manages B manages A)."""
    errors = []
    for row in rows:
        seen = {row.email}
        current = managers.get(row.email)
        while current is not None:
            if current in seen:
                errors.append(
                    RowError(
                        row.line,
                        "line_manager_email: the management chain goes round "
                        f"in a circle through {current}",
                    )
                )
                break
            seen.add(current)
            current = managers.get(current)
    return errors


def open_work(session: Session, users: list[User]) -> tuple[OpenWork, ...]:
    """Each of *users*' audits not yet submitted and open actions: two statements."""
    if not users:
        return ()
    ids = [user.id for user in users]
    audits: dict[int, list[tuple[int, str]]] = {ident: [] for ident in ids}
    for user_id, audit_id, process_key in session.execute(
        select(AuditAuditor.user_id, Audit.id, Audit.process_key)
        .join(Audit, Audit.id == AuditAuditor.audit_id)
        .where(AuditAuditor.user_id.in_(ids), Audit.status.in_(OPEN_AUDIT_STATUSES))
        .order_by(Audit.due_on, Audit.id)
    ):
        audits[user_id].append((audit_id, process_key))
    actions: dict[int, list[int]] = {ident: [] for ident in ids}
    for owner_id, action_id in session.execute(
        select(Action.owner_id, Action.id)
        .where(Action.owner_id.in_(ids), Action.status == ActionStatus.OPEN.value)
        .order_by(Action.due_on, Action.id)
    ):
        actions[owner_id].append(action_id)
    return tuple(
        OpenWork(user.id, user.name, tuple(audits[user.id]), tuple(actions[user.id]))
        for user in users
        if audits[user.id] or actions[user.id]
    )


def import_staff_file(
    session: Session,
    data: bytes,
    file_name: str,
    *,
    actor_id: int | None,
    deactivate_missing: bool = False,
    dry_run: bool = False,
) -> StaffImportReport:
    """Check *data* and, when every row is good, apply it (unless *dry_run*) and record it.

    With *deactivate_missing* the file is the whole directory: every active person not in
    it is deactivated, administrators apart. The caller commits a report without errors
    (and rolls back a dry run or a report with errors).
    """
    file_name = file_name[:FILE_NAME_MAX_LENGTH]
    text, error = decode(data)
    if error:
        return StaffImportReport(file_name, [error])
    people = {
        user.email.casefold(): user
        for user in session.scalars(select(User).options(selectinload(User.role_rows)))
    }
    teams = {name: ident for name, ident in session.execute(select(Team.name, Team.id))}
    agencies = {code: ident for code, ident in session.execute(select(Agency.code, Agency.id))}
    check = parse_staff_csv(text, teams, agencies, people)
    email_of = {user.id: email for email, user in people.items()}
    managers: dict[str, str | None] = {
        email: email_of.get(user.line_manager_id) for email, user in people.items()
    }
    managers.update({row.email: row.line_manager_email for row in check.rows})
    check.errors.extend(_chain_errors(check.rows, managers))
    check.errors.sort(key=lambda error: error.line)
    if check.errors:
        return StaffImportReport(file_name, check.errors)

    created = 0
    before: dict[str, tuple] = {}
    leavers: list[User] = []
    for row in check.rows:
        user = people.get(row.email)
        if user is None:
            user = User(email=row.email, name=row.name, job_title=row.job_title or "")
            session.add(user)
            people[row.email] = user
            created += 1
        else:
            before[row.email] = _state(user)
        user.name = row.name
        if row.job_title is not None:
            user.job_title = row.job_title
        if row.has_team:
            user.team_id = row.team_id
        if row.has_agency:
            user.agency_id = row.agency_id
        if row.roles is not None:
            user.set_roles(set(row.roles) | ({Role.ADMIN} & user.roles))
        if not row.active and user.active:
            leavers.append(user)
        user.active = row.active
    session.flush()  # the new people's ids, for their reports' line manager
    for row in check.rows:
        if row.has_manager:
            manager = people.get(row.line_manager_email) if row.line_manager_email else None
            people[row.email].line_manager_id = manager.id if manager else None
    updated = sum(1 for email, state in before.items() if _state(people[email]) != state)
    if deactivate_missing:
        listed = {row.email for row in check.rows}
        for email, user in people.items():
            if email not in listed and user.active and not user.has_role(Role.ADMIN):
                user.active = False
                leavers.append(user)
    session.flush()  # a deactivated person's sessions end (portal.auth.sessions)
    report = StaffImportReport(
        file_name,
        [],
        created=created,
        updated=updated,
        unchanged=len(before) - updated,
        deactivated=len(leavers),
        leavers=open_work(session, leavers),
        dry_run=dry_run,
    )
    if not dry_run:
        record(
            "imported",
            "staff_import",
            file_name,
            actor_id=actor_id,
            summary=report.summary(),
            after={k: v for k, v in asdict(report).items() if k in COUNT_FIELDS},
        )
    return report


COUNT_FIELDS = ("created", "updated", "unchanged", "deactivated")


def _state(user: User) -> tuple:
    return (
        user.name,
        user.job_title,
        user.team_id,
        user.agency_id,
        user.line_manager_id,
        frozenset(user.roles),
        user.active,
    )
