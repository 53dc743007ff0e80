"""The calibration page: how closely auditors' grades agree with the moderator's.

For the QA lead, who moderates and runs the calibration; also for QA administrators
(who run the audit programme with the QA lead) and assistant directors (who answer for
the quality of practice). Per-auditor figures are about named staff, so no one else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import Blueprint, render_template, request

from portal.models import Role
from portal.moderation.calibration import (
    GRADE_LABELS,
    GRADE_SCALE,
    TOO_FEW_PAIRS,
    Group,
    Period,
    PeriodError,
    leaning,
)
from portal.moderation.pairs import calibration_report, process_names
from portal.permissions import roles_required
from portal.timeutil import to_london, utcnow

bp = Blueprint("calibration", __name__)
READERS = (Role.QA_LEAD, Role.QA_ADMIN, Role.ASSISTANT_DIRECTOR)
DEFAULT_MONTHS = 6


def pairs_text(count: int) -> str:
    """A count of pairs as words: "1 pair", "12 pairs"."""
    return f"{count} pair{'' if count == 1 else 's'}"


def percent(value: float | None) -> str:
    """A share as a whole percentage ("70%"), or "Not defined"."""
    return "Not defined" if value is None else f"{value:.0%}"


def kappa_text(value: float | None) -> str:
    """A kappa to two places ("0.71", "−0.50"), or "Not defined"."""
    return "Not defined" if value is None else f"{value:.2f}".replace("-", "−")


def signed(value: float | None) -> str:
    """A direction to one place with its sign ("+0.3", "−0.2", "0.0"), or "Not defined"."""
    if value is None:
        return "Not defined"
    shown = round(value, 1)
    if shown == 0:
        return "0.0"
    return f"{shown:+.1f}".replace("-", "−")


@dataclass(frozen=True)
class Bar:
    """One process's bar in the kappa chart, placed in the chart's own units."""

    name: str
    label: str
    y: float
    x: float
    width: float
    too_few: bool


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart of weighted kappa per process, laid out for SVG."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    axis_y: float
    zero_x: float
    bars: list[Bar]
    ticks: list[tuple[float, str]]  # x, label
    description: str


CHART_WIDTH, PLOT_LEFT, PLOT_RIGHT, ROW = 800, 240, 570, 36


def kappa_chart(groups: list[Group]) -> Chart | None:
    """The kappa of each process as bars on a scale from 0 (or lower) to 1; None without any.

    The scale starts at 0 unless a kappa is negative, then at the 0.2 step below it. A
    process whose kappa is not defined gets no bar, only its label.
    """
    if not groups:
        return None
    known = [group.weighted_kappa for group in groups if group.weighted_kappa is not None]
    lowest_step = min([0, *(math.floor(kappa * 5) for kappa in known)])  # in steps of 0.2
    low = lowest_step / 5

    def place(value: float) -> float:
        return PLOT_LEFT + (value - low) / (1 - low) * (PLOT_RIGHT - PLOT_LEFT)

    bars = []
    for number, group in enumerate(groups):
        kappa = group.weighted_kappa
        label = f"{kappa_text(kappa)}, {pairs_text(group.pairs)}"
        if group.too_few:
            label += " (too few)"
        start, stop = sorted((place(0), place(kappa if kappa is not None else 0)))
        bars.append(Bar(group.name, label, 10 + number * ROW, start, stop - start, group.too_few))
    ticks = [(place(step / 5), kappa_text(step / 5)) for step in range(lowest_step, 6)]
    axis_y = 10 + len(groups) * ROW
    description = "; ".join(
        f"{group.name}: weighted kappa {kappa_text(group.weighted_kappa)} "
        f"from {pairs_text(group.pairs)}{' (too few to mean much)' if group.too_few else ''}"
        for group in groups
    )
    return Chart(
        CHART_WIDTH,
        round(axis_y + 40),
        PLOT_LEFT,
        PLOT_RIGHT,
        axis_y,
        place(0),
        bars,
        ticks,
        description + ".",
    )


@bp.get("/moderation/calibration")
@roles_required(*READERS)
def index():
    """The calibration figures of a period (the last six months unless chosen)."""
    default = Period.ending(to_london(utcnow()).date(), DEFAULT_MONTHS)
    given = {
        "from": request.args.get("from", f"{default.first:%Y-%m}"),
        "to": request.args.get("to", f"{default.last:%Y-%m}"),
    }
    context = {
        "given": given,
        "grades": [(key, GRADE_LABELS[key]) for key in GRADE_SCALE],
        "grade_labels": GRADE_LABELS,
        "too_few": TOO_FEW_PAIRS,
        "percent": percent,
        "kappa_text": kappa_text,
        "signed": signed,
        "pairs_text": pairs_text,
        "leaning": leaning,
    }
    try:
        period = Period.parse(given["from"], given["to"])
    except PeriodError as error:
        error_list = [
            {"text": message, "href": f"#{name}"} for name, message in error.problems.items()
        ]
        return render_template(
            "calibration/index.html",
            title="Error: Calibration",
            errors=error.problems,
            error_list=error_list,
            **context,
        ), 400
    report = calibration_report(period)
    return render_template(
        "calibration/index.html",
        title=f"Calibration, {period.label}",
        errors={},
        error_list=[],
        report=report,
        chart=kappa_chart(report.of_kind("process")),
        process_names=process_names(),
        **context,
    )
