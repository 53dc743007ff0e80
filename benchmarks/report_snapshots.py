"""Time the learning report served from its snapshot: a closed month's page and PDF.

``python -m benchmarks.report_snapshots [--database-url URL] [--repeat 21]``

On a database built by :mod:`benchmarks.generate` (the SQLite file by default, built first
when missing), for the last complete month:

- **store**: what the ``core.snapshot_report`` job does once when the month closes (build
  the report, store it, render both PDFs), timed once;
- **page** and **PDF**: ``GET /reports/monthly?month=...`` and ``.pdf`` through the Flask
  test client, signed in as the QA lead (who may open every case) and as a service
  manager (whose examples are filtered in SQL, and who gets the anonymised PDF);
- **current month**: the page of the month not yet closed, whose provisional build is
  reused for ``REPORT_LIVE_MINUTES``;
- **for comparison**, in the same run: the report page's layout alone (its answer to a
  malformed month: the header, navigation and form, no report) and ``/healthz``, so that
  a loaded machine's figures can still be read as the report's own share.

Each request runs ``--repeat`` times after one untimed warm-up; the median and the
slowest, and the statements each request sends, are printed as a Markdown table. Nothing
is asserted: these are measurements (the targets: page 20 ms, PDF 50 ms).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url

from benchmarks.generate import DEFAULT_DATABASE_URL, DEFAULT_SEED, bench_app, generate
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from portal.reports import snapshots
from portal.reports.monthly import last_complete_month
from portal.testing.fixtures import PortalClient, login

READERS = {
    "QA lead": "qa.lead@council.example",
    "service manager": "service.manager@council.example",
}


def _timed(client: PortalClient, url: str, repeat: int, engine) -> tuple[float, float, int]:
    """The median and slowest time of GET *url* (ms) and the statements one sends."""
    client.get(url)  # warm-up
    statements = 0

    def count(*_args, **_kwargs) -> None:
        nonlocal statements
        statements += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get(url)
        sent = statements
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code < 500, (url, response.status_code)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return statistics.median(times), max(times), sent


def measure(url: str, repeat: int) -> list[str]:
    """The table of timings on the database *url*."""
    app = bench_app(url)
    app.config["PROPAGATE_EXCEPTIONS"] = True
    today = date.today()
    month = last_complete_month(today)
    lines = [
        f"Database: {make_url(url).get_backend_name()}; month {month:%B %Y}; {repeat} runs each",
        "",
        "| request | reader | median (ms) | slowest (ms) | statements |",
        "|---|---|---:|---:|---:|",
    ]
    with app.app_context():
        started = time.perf_counter()
        with app.test_request_context():
            snapshots.build_closed(
                month, today, by=None, rebuild=snapshots.find(month) is not None, reason="benchmark"
            )
        stored = (time.perf_counter() - started) * 1000
        lines.append(
            f"| store the closed month (build, both PDFs), once | job | {stored:.0f} | | |"
        )
        engine = db.engine
    app.test_client_class = PortalClient
    for reader, email in READERS.items():
        client = app.test_client()
        assert login(client, email, DEMO_PASSWORD).status_code == 302
        for label, path in (
            ("closed month's page", f"/reports/monthly?month={month:%Y-%m}"),
            ("closed month's PDF", f"/reports/monthly.pdf?month={month:%Y-%m}"),
            ("current month's page (provisional, reused)", f"/reports/monthly?month={today:%Y-%m}"),
            ("for comparison: the page's layout alone (a bad month)", "/reports/monthly?month=x"),
            ("for comparison: /healthz", "/healthz"),
        ):
            median, slowest, sent = _timed(client, path, repeat, engine)
            lines.append(f"| {label} | {reader} | {median:.1f} | {slowest:.1f} | {sent} |")
    return lines


def main(argv: list[str] | None = None) -> None:
    """The command line: ``python -m benchmarks.report_snapshots --help``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--repeat", type=int, default=21, help="timed runs (default: 21)")
    parser.add_argument("--scale", type=float, default=1.0, help="volumes of a database built here")
    arguments = parser.parse_args(argv)
    url = arguments.database_url
    path = make_url(url).database if make_url(url).get_backend_name() == "sqlite" else None
    if url == DEFAULT_DATABASE_URL and path and not Path(path).exists():
        generate(url, arguments.scale, DEFAULT_SEED)
    print("\n".join(measure(url, arguments.repeat)))


if __name__ == "__main__":
    main()
