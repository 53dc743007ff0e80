"""The Markdown of :mod:`benchmarks.pages`: the page table of one database, between markers.

:func:`write_section` replaces what lies between ``<!-- pages:<database> -->`` and
``<!-- /pages:<database> -->`` in the output file (appending the section when the markers
are missing), so a new run of the benchmark updates the README in place.
"""

from __future__ import annotations

import os
import statistics
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.report_timing import machine

if TYPE_CHECKING:
    from benchmarks.pages import PagesResult, Timed

#: The targets of issue 10: p95 (ms), size (KB), statements, throughput share.
P95_MS, MAX_KB, MAX_STATEMENTS, THROUGHPUT_SHARE = 50.0, 300.0, 25, 0.30


def percentile(values: list[float], share: float) -> float:
    """The *share* percentile of *values* (nearest rank; the maximum for few samples)."""
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))  # ceil(share * n)
    return ordered[min(rank, len(ordered)) - 1]


def flags(row: Timed) -> list[str]:
    """What in *row* is over target."""
    over = []
    if percentile(row.milliseconds, 0.95) > P95_MS:
        over.append("time")
    if row.page.size / 1024 > MAX_KB:
        over.append("size")
    if row.page.statements > MAX_STATEMENTS:
        over.append("SQL")
    if any(status >= 400 for status in row.statuses):
        over.append("error " + "/".join(str(s) for s in sorted(row.statuses) if s >= 400))
    return over


def table(rows: list[Timed]) -> list[str]:
    """One line per page: role, page, status, p50, p95, samples, statements, KB, flags."""
    lines = [
        "| Role | Page | Endpoint | Status | p50 ms | p95 ms | Runs | Hello p95 ms "
        "| Statements | KB | Over target |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for row in rows:
        times = row.milliseconds
        lines.append(
            f"| {row.role} | `{row.page.url}` | {row.page.endpoint} "
            f"| {'/'.join(str(s) for s in sorted(row.statuses))} "
            f"| {statistics.median(times):,.1f} | {percentile(times, 0.95):,.1f} | {len(times)} "
            f"| {percentile(row.hello_milliseconds, 0.95):.1f} | {row.page.statements} "
            f"| {row.page.size / 1024:,.1f} | {', '.join(flags(row))} |"
        )
    return lines


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary(result: PagesResult) -> list[str]:
    """The counts over target, hello-world's times and the throughput, as bullet points."""
    rows = result.rows
    hello = [ms for row in rows for ms in row.hello_milliseconds]
    lines = [
        f"- {len(rows)} pages ({len({r.page.endpoint for r in rows})} endpoints) "
        f"for {_plural(len({r.role for r in rows}), 'role')}; "
        f"{sum('time' in flags(r) for r in rows)} with p95 over {P95_MS:.0f} ms, "
        f"{sum(percentile(r.milliseconds, 0.95) > 500 for r in rows)} over 500 ms; "
        f"{sum('size' in flags(r) for r in rows)} over {MAX_KB:.0f} KB; "
        f"{sum('SQL' in flags(r) for r in rows)} over {MAX_STATEMENTS} statements; "
        f"{sum(any(s >= 400 for s in r.statuses) for r in rows)} answering an error.",
    ]
    if hello:
        lines.append(
            f"- Hello-world under the same gunicorn, interleaved: p50 "
            f"{statistics.median(hello):.1f} ms, p95 {percentile(hello, 0.95):.1f} ms "
            f"({len(hello):,} requests)."
        )
    speed = result.throughput
    if speed is not None:
        share = speed.portal / speed.hello if speed.hello else 0.0
        verdict = "within" if share >= THROUGHPUT_SHARE else "under"
        lines.append(
            f"- Throughput, {speed.concurrency} concurrent keep-alive connections for "
            f"{speed.seconds:g} s each: {speed.role}'s home page {speed.portal:,.1f} requests/s, "
            f"hello-world {speed.hello:,.1f} requests/s: {share:.1%} ({verdict} the "
            f"{THROUGHPUT_SHARE:.0%} target); {speed.errors} errors."
        )
    lines.append(f"- The run took {result.elapsed:,.0f} s (discovery, timing and throughput).")
    return lines


def section(result: PagesResult, scale: float, command: str) -> list[str]:
    """The whole section of one database, markers included."""
    label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(result.database, result.database)
    load = os.getloadavg()[0]
    return [
        f"<!-- pages:{result.database} -->",
        f"### {label}, scale {scale:g}",
        "",
        f"Measured {date.today():%-d %B %Y} ({result.machine or machine()}); "
        f"load average {load:.1f} at the end.",
        f"Command: `{command}`",
        "",
        *summary(result),
        "",
        *table(result.rows),
        f"<!-- /pages:{result.database} -->",
    ]


def write_section(path: Path, result: PagesResult, scale: float, command: str) -> None:
    """Put the section of *result*'s database into *path*, replacing an earlier one."""
    start, end = f"<!-- pages:{result.database} -->", f"<!-- /pages:{result.database} -->"
    text = path.read_text() if path.exists() else ""
    block = "\n".join(section(result, scale, command))
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + block + "\n"
    path.write_text(text)
