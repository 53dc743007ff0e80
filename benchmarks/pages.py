"""Time every page each demo role reaches, served by gunicorn, on SQLite and PostgreSQL.

``python -m benchmarks.pages [--scale 1] [--postgres] [--repeat 10] [--roles qa.lead ...]``

For each database (the SQLite council of :mod:`benchmarks.generate`, built when missing;
with ``--postgres`` also a throw-away PostgreSQL database, generated and dropped):

1. **Discovery, in process**: each role signs in (the form's CSRF token posted back) and
   :func:`benchmarks.crawl.discover` walks breadth-first from its home page, with Flask's
   test client, following links and GET filter forms, a few URLs per endpoint; each page's
   bytes and SQL statements (a ``before_cursor_execute`` listener, counted on a second,
   warm fetch) are recorded.
2. **Timing, over HTTP**: the portal and a hello-world Flask app (:mod:`benchmarks.hello`)
   are served by gunicorn with 2 workers on 127.0.0.1. Each role signs in for real, every
   page is fetched once untimed, then ``--repeat`` rounds fetch each page, each portal
   request followed by one to hello-world on its own keep-alive connection, so that
   background load hits both alike. A page that has used up ``--page-budget`` seconds is
   left out of the later rounds (its p95 is then over fewer samples; the table says how
   many).
3. **Throughput**: ``--concurrency`` threads, each with its own keep-alive connection,
   request the home page of ``--throughput-role`` (default: the QA lead's) for
   ``--throughput-seconds``, then hello-world for as long; requests per second of each
   and their ratio. (gunicorn's sync workers close the connection after each answer, so
   "keep-alive" reconnects as a browser would.)

The table (role, page, p50, p95, statements, KB, what is over target) goes into
``--output`` (``benchmarks/README.md``) between ``<!-- pages:<database> -->`` markers,
with the machine, date, commit and command. Targets: p95 ≤ 50 ms, ≤ 300 KB,
≤ 25 statements, home page throughput ≥ 30 % of hello-world's. Nothing is asserted.
The servers are stopped on exit, on failure and on SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import sys
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from benchmarks.crawl import HttpClient, Page, discover, http_sign_in
from benchmarks.draw_timing import council_url, ensure_council
from benchmarks.generate import RESULTS, generate
from benchmarks.pages_report import write_section
from benchmarks.report_timing import machine, throwaway_postgres
from benchmarks.servers import served, stop_on_signals
from portal import create_app
from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from portal.extensions import db
from portal.testing.database import DEFAULT_POSTGRES_URL

#: The portal's settings under gunicorn and in process: plain HTTP, cheap password hashes
#: (the generated accounts' hashes are made with these), no background jobs.
PORTAL_ENV = {
    "SECRET_KEY": "benchmark",
    "SESSION_COOKIE_SECURE": "false",
    "SCHEDULER_IN_PROCESS": "false",
    "ARGON2_TIME_COST": "1",
    "ARGON2_MEMORY_COST": str(8 * 1024),
}
ROLE_NAMES = dict(DEMO_ACCOUNTS)


@dataclass
class Timed:
    """A discovered page and its timings over HTTP."""

    role: str
    page: Page
    milliseconds: list[float] = field(default_factory=list)
    hello_milliseconds: list[float] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)
    spent: float = 0.0


@dataclass
class Throughput:
    """Requests per second of the portal's home page and of hello-world, concurrently."""

    role: str
    concurrency: int
    seconds: float
    portal: float
    hello: float
    errors: int


@dataclass
class PagesResult:
    """Everything measured on one database."""

    database: str
    rows: list[Timed]
    throughput: Throughput | None
    elapsed: float
    machine: str = ""  # the machine and the commit, when the run started


def portal_app(url: str):
    """The portal on *url*, configured as under gunicorn (not in testing mode)."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": PORTAL_ENV["SECRET_KEY"],
            "SESSION_COOKIE_SECURE": False,
            "SCHEDULER_IN_PROCESS": False,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8 * 1024,
        }
    )


def _email(role: str) -> str:
    return role if "@" in role else f"{role}@council.example"


def _timed_get(client: HttpClient, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    answer = client.get(path)
    return (time.perf_counter() - started) * 1000, answer.status


def time_pages(
    rows: list[Timed], portal: int, hello: int, repeat: int, budget: float, out: Callable
) -> None:
    """Time *rows* on the portal at port *portal*, interleaved with hello-world at *hello*."""
    for role in dict.fromkeys(row.role for row in rows):
        mine = [row for row in rows if row.role == role]
        client, yardstick = HttpClient(portal), HttpClient(hello)
        try:
            http_sign_in(client, _email(role), DEMO_PASSWORD)
            for row in mine:  # warm-up, twice for both workers (unless it is slow)
                took, _ = _timed_get(client, row.page.url)
                if took / 1000 < budget / 4:
                    client.get(row.page.url)
                yardstick.get("/")
            for _ in range(repeat):
                for row in mine:
                    if row.spent > budget:
                        continue
                    took, status = _timed_get(client, row.page.url)
                    row.milliseconds.append(took)
                    row.statuses.add(status)
                    row.spent += took / 1000
                    row.hello_milliseconds.append(_timed_get(yardstick, "/")[0])
        finally:
            client.close()
            yardstick.close()
        slowest = max(mine, key=lambda row: statistics.median(row.milliseconds))
        out(
            f"  {role}: {len(mine)} pages timed; slowest {slowest.page.url} "
            f"{statistics.median(slowest.milliseconds):,.0f} ms"
        )


def _hammer(port: int, cookies: dict[str, str], path: str, threads: int, seconds: float):
    """Requests per second to *path* from *threads* keep-alive clients, and the errors."""
    counts = [0] * threads
    errors = [0] * threads
    deadline = time.monotonic() + seconds

    def worker(index: int) -> None:
        client = HttpClient(port, timeout=max(seconds, 30))
        client.cookies = dict(cookies)
        try:
            while time.monotonic() < deadline:
                try:
                    status = client.get(path).status
                except OSError:
                    errors[index] += 1
                    client.close()
                    continue
                counts[index] += 1
                errors[index] += status != 200
        finally:
            client.close()

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(index,), daemon=True) for index in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=seconds + 60)
    return sum(counts) / (time.monotonic() - started), sum(errors)


def throughput(portal: int, hello: int, role: str, threads: int, seconds: float) -> Throughput:
    """The home page's throughput against hello-world's, *threads* connections each."""
    client = HttpClient(portal)
    try:
        http_sign_in(client, _email(role), DEMO_PASSWORD)
    finally:
        client.close()
    portal_rate, errors = _hammer(portal, client.cookies, "/", threads, seconds)
    hello_rate, hello_errors = _hammer(hello, {}, "/", threads, seconds)
    return Throughput(role, threads, seconds, portal_rate, hello_rate, errors + hello_errors)


def measure_pages(url: str, database: str, arguments, out: Callable = print) -> PagesResult:
    """Discover, time and load the pages of the council at *url* (see the module notes)."""
    started = time.perf_counter()
    machine_at_start = machine()
    app = portal_app(url)
    rows: list[Timed] = []
    for role in arguments.roles:
        out(f"{database}: discovering the pages of {_email(role)}")
        pages = discover(
            app,
            _email(role),
            DEMO_PASSWORD,
            max_depth=arguments.max_depth,
            per_endpoint=arguments.max_pages_per_endpoint,
            max_pages=arguments.max_pages,
            out=out,
        )
        rows += [Timed(role, page) for page in pages]
    with app.app_context():
        db.engine.dispose()
    env = {**PORTAL_ENV, "DATABASE_URL": url}
    log = RESULTS / "gunicorn.log"
    result = PagesResult(database, rows, None, 0.0, machine_at_start)
    with ExitStack() as servers:
        portal = servers.enter_context(served("portal:create_app()", env, log))
        hello = servers.enter_context(served("benchmarks.hello:create_app()", {}, log))
        out(f"{database}: timing {len(rows)} pages, {arguments.repeat} rounds")
        time_pages(rows, portal, hello, arguments.repeat, arguments.page_budget, out)
        if arguments.throughput_seconds > 0:
            result.throughput = throughput(
                portal,
                hello,
                arguments.throughput_role
                or ("qa.lead" if "qa.lead" in arguments.roles else arguments.roles[0]),
                arguments.concurrency,
                arguments.throughput_seconds,
            )
    result.elapsed = time.perf_counter() - started
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="the council's volumes")
    parser.add_argument(
        "--database-url", help="time this database as it is (default: the SQLite council)"
    )
    parser.add_argument("--regenerate", action="store_true", help="rebuild the SQLite council")
    parser.add_argument("--postgres", action="store_true", help="also on throw-away PostgreSQL")
    parser.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    )
    parser.add_argument("--repeat", type=int, default=10, help="timed rounds (default: 10)")
    parser.add_argument(
        "--roles",
        nargs="+",
        default=[email.split("@")[0] for email, _ in DEMO_ACCOUNTS],
        help="demo accounts, by the part before @ (default: all of them)",
    )
    parser.add_argument("--max-pages-per-endpoint", type=int, default=2)
    parser.add_argument("--max-depth", type=int, default=4, help="clicks from the home page")
    parser.add_argument("--max-pages", type=int, default=60, help="pages per role at most")
    parser.add_argument(
        "--page-budget", type=float, default=5.0, help="seconds of timing per page at most"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--throughput-seconds", type=float, default=10.0)
    parser.add_argument(
        "--throughput-role",
        help="whose home page is loaded (default: qa.lead if timed, else the first of --roles)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path(__file__).resolve().parent / "README.md",
        help="the Markdown file to write the tables into (default: %(default)s)",
    )
    return parser


def main(argv: list[str] | None = None) -> list[PagesResult]:
    """The command line: ``python -m benchmarks.pages --help``."""
    arguments = _parser().parse_args(argv)
    stop_on_signals()
    command = "python -m benchmarks.pages " + shlex.join(sys.argv[1:] if argv is None else argv)
    results = []
    if not arguments.skip_sqlite:
        url = arguments.database_url or council_url(arguments.scale)
        if arguments.regenerate and not arguments.database_url:
            generate(url, arguments.scale)
        ensure_council(url, arguments.scale)
        name = "sqlite" if make_url(url).get_backend_name() == "sqlite" else "postgresql"
        results.append(measure_pages(url, name, arguments))
        write_section(arguments.output, results[-1], arguments.scale, command)
    if arguments.postgres:
        with throwaway_postgres(arguments.postgres_url) as url:
            generate(url, arguments.scale)
            results.append(measure_pages(url, "postgresql", arguments))
        write_section(arguments.output, results[-1], arguments.scale, command)
    for result in results:
        print(f"{result.database}: {len(result.rows)} pages in {result.elapsed:,.0f} s")
    return results


if __name__ == "__main__":
    main()
