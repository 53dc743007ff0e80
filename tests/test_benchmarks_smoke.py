"""The report benchmark still runs: a small council is generated and the report timed once.

Only counts are checked, never times: the figures belong in ``benchmarks/README.md``.
"""

from __future__ import annotations

import os

import pytest

from benchmarks.generate import bench_app, generate
from benchmarks.pages import main
from benchmarks.pages_report import write_section
from benchmarks.report_timing import (
    breakdown_table,
    measure,
    results_table,
    sizes_table,
    throwaway_postgres,
)
from plugins.tool_builder.tools import published_tools
from portal.testing.database import DEFAULT_POSTGRES_URL

SCALE = 0.01  # 200 cases, 600 audits and about 2,000 actions on top of the demo council


@pytest.fixture
def bench_url(test_database, tmp_path):
    """An empty database of the run's kind: a SQLite file, or a throw-away PostgreSQL one."""
    if test_database.kind == "postgresql":
        with throwaway_postgres(os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)) as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'council.sqlite3'}"


def test_a_small_council_is_generated_and_its_report_measured(bench_url):
    lines: list[str] = []
    counts = generate(bench_url, scale=SCALE, out=lines.append)
    assert counts["audits"] == 600
    assert counts["cases"] >= 200
    assert 1_000 < counts["actions"] < 3_000
    assert counts["audit_answers"] > 10 * counts["audits"]
    assert 0 < counts["moderations"] < counts["audits"]
    # five years of history: every audit allocated, actions completed, staff signing in
    assert counts["activity"] > 3 * counts["audits"]
    assert counts["notifications"] > counts["actions"]
    assert 0 < counts["safeguarding_concerns"] < counts["audits"] / 20
    assert counts["thematic_review_reviews"] == 20  # one a quarter
    assert counts["thematic_review_cases"] == 12 * 20
    assert counts["thematic_review_conversations"] > 0
    assert len(lines) == 3
    app = bench_app(bench_url)
    with app.app_context():  # the tool builder's examples, published, for its pages
        titles = sorted(tool.process.title for tool in published_tools())
        app.extensions["sqlalchemy"].engine.dispose()
    assert titles == [
        "Case review dip sample (CIN, CP and CLA)",
        "Fostering management oversight dip sample",
    ]

    result = measure(bench_url, repeat=1, out=lines.append)
    small, large = result.sizes
    assert small.month < large.month == result.month
    assert small.audits_in_month < large.audits_in_month
    assert small.statements == large.statements  # the same statements however many audits
    assert len(result.sql_ms) == len(result.json_ms) == len(result.pdf_ms) == 1
    assert len(result.breakdown) == large.statements
    assert len(results_table([result])) == 3
    assert len(sizes_table([result])) == 4
    assert len(breakdown_table([result])) == 2 + large.statements


def test_the_page_benchmark_discovers_times_and_writes_the_pages_of_a_role(bench_url, tmp_path):
    generate(bench_url, scale=SCALE, out=lambda line: None)
    output = tmp_path / "README.md"
    output.write_text("# Benchmarks\n")
    arguments = ["--database-url", bench_url, "--roles", "qa.lead", "--repeat", "1"]
    arguments += ["--max-depth", "2", "--max-pages", "20", "--output", str(output)]
    arguments += ["--throughput-seconds", "1", "--concurrency", "2"]

    [result] = main(arguments)

    endpoints = {row.page.endpoint for row in result.rows}
    assert {"main.dashboard", "audits.index", "cases.index", "notifications.index"} <= endpoints
    assert len(endpoints) >= 10
    assert len(result.rows) == 20  # the bound, reached: the QA lead reaches more
    assert all(len(row.milliseconds) == len(row.hello_milliseconds) == 1 for row in result.rows)
    assert all(row.statuses == {200} for row in result.rows)
    assert all(row.page.statements > 0 and row.page.size > 0 for row in result.rows)
    assert result.throughput.portal > 0 and result.throughput.hello > 0

    text = output.read_text()
    database = result.database
    assert text.startswith("# Benchmarks\n")
    assert (
        text.count(f"<!-- pages:{database} -->") == text.count(f"<!-- /pages:{database} -->") == 1
    )
    assert sum(line.startswith("| qa.lead | `/") for line in text.splitlines()) == 20

    write_section(output, result, SCALE, "again")  # a new run replaces the section
    assert output.read_text().count(f"<!-- pages:{database} -->") == 1
    assert "Command: `again`" in output.read_text()
