"""Time the monthly learning report against the raw SQL it rests on, on SQLite and PostgreSQL.

``python -m benchmarks.report_timing [--database-url URL] [--postgres] [--repeat 7]``

For each database built by :mod:`benchmarks.generate` (the SQLite file by default, built
first when missing; with ``--postgres`` also a throw-away PostgreSQL database
``qa_portal_bench_<random>``, created, generated, timed and dropped), in the same run:

- **raw SQL**: every statement one report build sends to the database, captured with a
  ``before_cursor_execute`` listener (the SQL text and the parameters exactly as the
  driver got them) and replayed with ``Connection.exec_driver_sql``, every row fetched.
  The report's query functions build and run their statement in one go, and the plugins'
  sections run statements of their own, so replaying what went to the driver is the one
  way to time exactly the statements the report rests on and nothing around them.
- **JSON**: :func:`~portal.reports.monthly.build_monthly_report` then
  :func:`~portal.reports.export.to_json`, as ``/reports/monthly.json`` does.
- **PDF**: the same build then :func:`~portal.reports.export.to_pdf` (WeasyPrint).

Each runs ``--repeat`` times after one untimed warm-up, interleaved, inside a fresh request
context each time (so the enabled plugins are read once, as on a page); the medians and
their ratios are printed as a Markdown table. The statements of a report are also counted
for the first month of the council and the last, about ten times as many audits, to show
that their number does not grow with the audits; each statement's own median time and the
rows it returns are listed too. Nothing is asserted: these are measurements.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.engine import make_url

from benchmarks.generate import (
    DEFAULT_DATABASE_URL,
    DEFAULT_SEED,
    bench_app,
    generate,
    table_counts,
)
from portal.extensions import db
from portal.models import Audit
from portal.reports.export import to_json, to_pdf
from portal.reports.monthly import TREND_MONTHS, add_months, build_monthly_report
from portal.testing.database import DEFAULT_POSTGRES_URL

ROOT = Path(__file__).resolve().parent.parent
#: Modules whose functions name a statement in the breakdown (the innermost one wins).
QUERY_MODULES = ("portal.reports.", "portal.plugins", "plugins.")


@dataclass(frozen=True)
class Statement:
    """One statement a report build sent to the driver, and the function that sent it."""

    sql: str
    parameters: Any
    caller: str


@dataclass
class MonthSize:
    """How big one month's report is: its audits, and the statements it takes."""

    month: date
    audits_in_month: int
    audits_in_window: int
    statements: int


@dataclass
class Result:
    """The measurements on one database."""

    database: str
    counts: dict[str, int]
    month: date
    sql_ms: list[float] = field(default_factory=list)
    json_ms: list[float] = field(default_factory=list)
    pdf_ms: list[float] = field(default_factory=list)
    sizes: list[MonthSize] = field(default_factory=list)
    breakdown: list[tuple[str, int, float]] = field(default_factory=list)  # caller, rows, ms


def _caller() -> str:
    """The innermost portal or plugin function on the stack, and the plugin above it."""
    frame = sys._getframe(2)
    name, plugin = "", ""
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith(QUERY_MODULES):
            name = name or f"{module.rsplit('.', 1)[-1]}.{frame.f_code.co_name}"
            if module.startswith("plugins.") and not plugin:
                plugin = module.split(".")[1]
        frame = frame.f_back
    return f"{name} [{plugin}]" if plugin else name or "?"


@contextmanager
def recorded_statements(engine: Engine) -> Iterator[list[Statement]]:
    """Record every statement sent through *engine* while the block runs."""
    statements: list[Statement] = []

    def record(_connection, _cursor, statement, parameters, _context, _executemany) -> None:
        statements.append(Statement(statement, parameters, _caller()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _milliseconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def _replay(engine: Engine, statements: list[Statement]) -> None:
    """Run *statements* on one connection of *engine*, fetching every row."""
    with engine.connect() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement.sql, statement.parameters).fetchall()


def _month_size(month: date, statements: int) -> MonthSize:
    def submitted(start: date, end: date) -> int:
        return db.session.scalar(
            select(func.count(Audit.id)).where(
                Audit.submitted_at >= datetime.combine(start, datetime.min.time()),
                Audit.submitted_at < datetime.combine(end, datetime.min.time()),
            )
        )

    end = add_months(month, 1)
    return MonthSize(
        month,
        submitted(month, end),
        submitted(add_months(month, 1 - TREND_MONTHS), end),
        statements,
    )


def _database_name() -> str:
    if db.engine.dialect.name == "postgresql":
        version = db.session.scalar(text("SHOW server_version")).split()[0]
        return f"PostgreSQL {version}"
    return f"SQLite {sqlite3.sqlite_version}"


def measure(url: str, repeat: int, out: Callable[[str], None] = print) -> Result:
    """Time the report of the council's last month on the database *url* (see the module)."""
    app = bench_app(url)
    today = date.today()
    with app.app_context():
        engine = db.engine
        first_at, last_at = db.session.execute(
            select(func.min(Audit.submitted_at), func.max(Audit.submitted_at))
        ).one()
        months = [moment.date().replace(day=1) for moment in (first_at, last_at)]
        result = Result(_database_name(), table_counts(), months[-1])
    out(f"{result.database}: timing the report of {result.month:%B %Y}, {repeat} times each")

    def report_as(render: Callable[[dict[str, Any]], bytes], month: date) -> bytes:
        """The report of *month* rendered by *render*, in a request context of its own."""
        with app.test_request_context():
            return render(build_monthly_report(month, today))

    report_as(to_pdf, result.month)  # warm-up: connections, compiled SQL, templates, fonts
    captured: dict[date, list[Statement]] = {}
    for month in months:
        with recorded_statements(engine) as statements:
            report_as(to_json, month)
        captured[month] = statements
    statements = captured[result.month]
    _replay(engine, statements)
    for _ in range(repeat):
        result.sql_ms.append(_milliseconds(lambda: _replay(engine, statements)))
        result.json_ms.append(_milliseconds(lambda: report_as(to_json, result.month)))
        result.pdf_ms.append(_milliseconds(lambda: report_as(to_pdf, result.month)))
    with engine.connect() as connection:
        for statement in statements:
            rows, times = 0, []
            for _ in range(repeat):
                started = time.perf_counter()
                rows = len(
                    connection.exec_driver_sql(statement.sql, statement.parameters).fetchall()
                )
                times.append((time.perf_counter() - started) * 1000)
            result.breakdown.append((statement.caller, rows, statistics.median(times)))
    with app.app_context():
        result.sizes = [_month_size(month, len(captured[month])) for month in months]
    engine.dispose()
    return result


@contextmanager
def throwaway_postgres(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database ``qa_portal_bench_<random>``, dropped afterwards."""
    admin = make_url(admin_url)
    name = f"qa_portal_bench_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def results_table(results: list[Result]) -> list[str]:
    """The headline table, in Markdown."""
    lines = [
        "| Database | Rows | Raw SQL median (ms) | JSON median (ms) | JSON / SQL "
        "| PDF median (ms) | PDF / SQL |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    for result in results:
        sql, json, pdf = map(statistics.median, (result.sql_ms, result.json_ms, result.pdf_ms))
        rows = f"{result.counts['audits']:,} audits, {result.counts['actions']:,} actions"
        lines.append(
            f"| {result.database} | {rows} | {sql:.1f} | {json:.1f} | {json / sql:.1f} "
            f"| {pdf:.0f} | {pdf / sql:.1f} |"
        )
    return lines


def spread_lines(results: list[Result]) -> list[str]:
    """The fastest and slowest run of each measurement."""
    return [
        f"- {result.database}: "
        + ", ".join(
            f"{name} {min(values):,.0f}–{max(values):,.0f} ms"
            for name, values in (
                ("raw SQL", result.sql_ms),
                ("JSON", result.json_ms),
                ("PDF", result.pdf_ms),
            )
        )
        + f" (fastest–slowest of {len(result.sql_ms)})"
        for result in results
    ]


def sizes_table(results: list[Result]) -> list[str]:
    """The statements of a report on a small month and on a large one, in Markdown."""
    lines = [
        f"| Database | Month | Audits submitted in the month | In the {TREND_MONTHS} months "
        "to it | SQL statements per report |",
        "|---|---|--:|--:|--:|",
    ]
    for result in results:
        lines.extend(
            f"| {result.database} | {size.month:%B %Y} | {size.audits_in_month:,} "
            f"| {size.audits_in_window:,} | {size.statements} |"
            for size in result.sizes
        )
    return lines


def breakdown_table(results: list[Result]) -> list[str]:
    """Each statement of the report: where it comes from, its rows and median time."""
    databases = " | ".join(f"{r.database} rows | {r.database} ms" for r in results)
    lines = [
        f"| Statement (function [plugin]) | {databases} |",
        "|---|" + "--:|" * 2 * len(results),
    ]
    for index, (caller, *_) in enumerate(results[0].breakdown):
        cells = " | ".join(
            f"{r.breakdown[index][1]:,} | {r.breakdown[index][2]:.2f}" for r in results
        )
        lines.append(f"| {caller} | {cells} |")
    return lines


def _revision() -> str:
    """The commit measured, and whether the working tree had changes."""
    try:
        head, changes = (
            subprocess.run(
                ["git", *command], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout.strip()
            for command in (["rev-parse", "--short", "HEAD"], ["status", "--porcelain"])
        )
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {head}" + (" with uncommitted changes" if changes else "")


def machine() -> str:
    """The machine and the software the figures were measured with."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    return (
        f"{date.today().isoformat()}, {os.cpu_count()} cores {model}".rstrip()
        + f", {platform.system()} {platform.release()}, Python {platform.python_version()}"
        + f", {_revision()}"
    )


def main(argv: list[str] | None = None) -> None:
    """The command line: ``python -m benchmarks.report_timing --help``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="a database built by benchmarks.generate (default: %(default)s, built when missing)",
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="also build and time a throw-away PostgreSQL database, dropped afterwards",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="the PostgreSQL server to create it on (default: $TEST_POSTGRES_URL or %(default)s)",
    )
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each (default: 7)")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="the volumes of a database built here"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="its random seed")
    arguments = parser.parse_args(argv)

    load_before = os.getloadavg()[0]
    results = []
    url = arguments.database_url
    path = make_url(url).database if make_url(url).get_backend_name() == "sqlite" else None
    if url == DEFAULT_DATABASE_URL and path and not Path(path).exists():
        generate(url, arguments.scale, arguments.seed)
    results.append(measure(url, arguments.repeat))
    if arguments.postgres:
        with throwaway_postgres(arguments.postgres_url) as postgres_url:
            generate(postgres_url, arguments.scale, arguments.seed)
            results.append(measure(postgres_url, arguments.repeat))
    print()
    print(f"Measured {machine()}")
    print(f"Load average (1 min): {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    for table in (results_table, spread_lines, sizes_table, breakdown_table):
        print()
        print("\n".join(table(results)))


if __name__ == "__main__":
    main()
