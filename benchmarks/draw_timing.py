"""Time the monthly draw in process on the generated council, at two scales.

``python -m benchmarks.draw_timing [--scales 1 0.1] [--repeat 7]``

For each scale, the SQLite council of :mod:`benchmarks.generate` is built (into
``benchmarks/results/council-<scale>.sqlite3``, or the default file at scale 1) when
missing; the draw's inputs are read once, as :func:`portal.scheduling.service.run_draw`
reads them (every case still open or recently closed, the staff, the enabled processes),
then :func:`portal.scheduling.selection.draw` alone is timed ``--repeat`` times, after one
untimed warm-up, for the month after the council's last. The median of each scale and
their ratio are printed as Markdown. Targets: ≤ 100 ms at scale 1, and the time at scale 1
at most ten times the time at a tenth of it (a linear draw).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from benchmarks.generate import DEFAULT_DATABASE_URL, RESULTS, bench_app, generate
from benchmarks.report_timing import machine
from portal.extensions import db
from portal.models import Audit
from portal.plugins import plugin_host
from portal.reports.monthly import add_months
from portal.scheduling.selection import draw
from portal.scheduling.service import auditors, candidate_cases

SEED = 7


@dataclass
class DrawResult:
    """The draw's timings on the council of one scale."""

    scale: float
    cases: int
    allocations: int
    milliseconds: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        """The median time of one draw, in milliseconds."""
        return statistics.median(self.milliseconds)


def council_url(scale: float) -> str:
    """The SQLite file holding the council of *scale*."""
    if scale == 1:
        return DEFAULT_DATABASE_URL
    return f"sqlite:///{RESULTS / f'council-{scale:g}.sqlite3'}"


def ensure_council(url: str, scale: float, out: Callable[[str], None] = print) -> None:
    """Build the council at *url* when it is a SQLite file that does not exist yet."""
    path = make_url(url).database
    if make_url(url).get_backend_name() == "sqlite" and path and not Path(path).exists():
        generate(url, scale, out=out)


def time_draw(url: str, scale: float, repeat: int) -> DrawResult:
    """Read the draw's inputs from *url* once, then time :func:`draw` *repeat* times."""
    app = bench_app(url)
    with app.app_context():
        last = db.session.scalar(select(func.max(Audit.allocated_on)))
        month = add_months(last.replace(day=1), 1)
        processes = plugin_host().enabled_processes()
        window = max((process.recently_closed_days for process in processes), default=0)
        cases = candidate_cases(month - timedelta(days=window) if window else None)
        staff = auditors()
        db.engine.dispose()

    def once():
        return draw(month, SEED, processes, cases, staff)

    result = DrawResult(scale, len(cases), len(once().allocations))
    for _ in range(repeat):
        started = time.perf_counter()
        once()
        result.milliseconds.append((time.perf_counter() - started) * 1000)
    return result


def table(results: list[DrawResult]) -> list[str]:
    """The medians as Markdown, with each scale's ratio to the smallest."""
    smallest = min(results, key=lambda result: result.scale)
    lines = [
        "| Scale | Candidate cases | Allocations | Median (ms) | Fastest–slowest (ms) "
        "| Against the smallest scale |",
        "|--:|--:|--:|--:|--:|--:|",
    ]
    for result in sorted(results, key=lambda result: -result.scale):
        lines.append(
            f"| {result.scale:g} | {result.cases:,} | {result.allocations} "
            f"| {result.median:.1f} | {min(result.milliseconds):.1f}–"
            f"{max(result.milliseconds):.1f} | {result.median / smallest.median:.1f}× |"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    """The command line: ``python -m benchmarks.draw_timing --help``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 0.1])
    parser.add_argument("--repeat", type=int, default=7, help="timed draws (default: 7)")
    arguments = parser.parse_args(argv)
    results = []
    for scale in arguments.scales:
        url = council_url(scale)
        ensure_council(url, scale)
        results.append(time_draw(url, scale, arguments.repeat))
    print()
    print(f"Measured {machine()}, on {date.today():%-d %B %Y}")
    print("\n".join(table(results)))


if __name__ == "__main__":
    main()
