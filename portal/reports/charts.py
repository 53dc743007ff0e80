"""The report's charts, drawn as accessible SVG: no scripts, no styles, only attributes.

Each chart is an ``<svg role="img">`` labelled by its ``<title>`` and ``<desc>`` (which
says what the chart shows and its latest figures); the page and the PDF put a table with
the same numbers beside it, so nothing is told by colour alone. The colours are from the
GOV.UK palette. All text is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from portal.reports.monthly import month_from_key, percent

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 56, 44
FONT = "arial, sans-serif"
TEXT, GRID, AXIS, TRACK = "#0b0c0c", "#b1b4b6", "#505a5f", "#f3f2f1"
GRADE_COLOURS = {
    "outstanding": "#00703c",
    "good": "#1d70b8",
    "requires_improvement": "#f47738",
    "inadequate": "#d4351c",
}
OTHER_COLOUR = "#505a5f"
ACTION_SERIES = (
    ("created", "Created", "#1d70b8"),
    ("completed", "Completed", "#4c2c92"),
    ("signed_off", "Signed off", "#00703c"),
)


@dataclass(frozen=True)
class Series:
    """One set of bars: its label in the legend, its colour, and a value per category."""

    label: str
    colour: str
    values: tuple[int, ...]


def _axis_top(value: int) -> tuple[int, int]:
    """A round top for the value axis, and the step between its gridlines (at most 5)."""
    exponent = 0
    while True:
        for multiple in (1, 2, 5):
            step = multiple * 10**exponent
            if math.ceil(value / step) <= 5:
                return max(step, step * math.ceil(value / step)), step
        exponent += 1


def _text(x: float, y: float, content: str, anchor: str = "start", size: int = 12) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
        f'fill="{TEXT}" text-anchor="{anchor}">{escape(content)}</text>'
    )


def _open(chart_id: str, title: str, description: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" focusable="false" class="portal-chart" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def _legend(series: Sequence[Series]) -> list[str]:
    parts, x = [], LEFT
    for each in series:
        parts.append(f'<rect x="{x}" y="8" width="14" height="14" fill="{each.colour}"/>')
        parts.append(_text(x + 20, 20, each.label))
        x += 20 + 7 * len(each.label) + 24
    return parts


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[tuple[str, str]],
    series: Sequence[Series],
    *,
    stacked: bool,
    unit: str,
) -> Markup:
    """A bar chart of *series* over *categories* (each a label of two short lines).

    *stacked* piles the series on each other (their total on top), otherwise they stand
    side by side. *unit* names what the bars count, above the value axis.
    """
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    bottom = TOP + plot_height
    heights = [
        sum(s.values[i] for s in series)
        if stacked
        else max((s.values[i] for s in series), default=0)
        for i in range(len(categories))
    ]
    top, step = _axis_top(max(heights, default=0))
    parts = _open(chart_id, title, description, HEIGHT) + _legend(series)
    parts.append(_text(4, TOP - 12, unit, size=11))
    for value in range(0, top + 1, step):
        y = bottom - value / top * plot_height
        colour = AXIS if value == 0 else GRID
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-width="1"/>'
        )
        parts.append(_text(LEFT - 6, y + 4, str(value), anchor="end", size=11))
    slot = plot_width / max(len(categories), 1)
    for index, (line_one, line_two) in enumerate(categories):
        left = LEFT + index * slot
        centre = left + slot / 2
        if stacked:
            width, base = slot * 0.6, bottom
            for each in series:
                value = each.values[index]
                if not value:
                    continue
                height = value / top * plot_height
                base -= height
                tooltip = f"{line_one} {line_two}, {each.label}: {value}"
                parts.append(_bar(left + slot * 0.2, base, width, height, each.colour, tooltip))
            if heights[index]:
                parts.append(_text(centre, base - 4, str(heights[index]), anchor="middle", size=11))
        else:
            width = slot * 0.8 / max(len(series), 1)
            for position, each in enumerate(series):
                value = each.values[index]
                if not value:
                    continue
                height = value / top * plot_height
                x = left + slot * 0.1 + position * width
                tooltip = f"{line_one} {line_two}, {each.label}: {value}"
                parts.append(_bar(x, bottom - height, width, height, each.colour, tooltip))
        parts.append(_text(centre, bottom + 16, line_one, anchor="middle", size=11))
        parts.append(_text(centre, bottom + 30, line_two, anchor="middle", size=11))
    parts.append("</svg>")
    return Markup("".join(parts))


def _bar(x: float, y: float, width: float, height: float, colour: str, tooltip: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="{colour}" stroke="#ffffff" stroke-width="1">'
        f"<title>{escape(tooltip)}</title></rect>"
    )


def progress_chart(chart_id: str, title: str, description: str, fraction: float) -> Markup:
    """A horizontal bar filled to *fraction* (0 to 1), with the percentage written beside."""
    height, track = 48, WIDTH - 72
    filled = max(0.0, min(fraction, 1.0)) * track
    parts = _open(chart_id, title, description, height)
    parts.append(
        f'<rect x="1" y="8" width="{track}" height="28" fill="{TRACK}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    parts.append(f'<rect x="1" y="8" width="{filled:.1f}" height="28" fill="#00703c"/>')
    parts.append(_text(track + 10, 28, percent(fraction), size=16))
    parts.append("</svg>")
    return Markup("".join(parts))


def _categories(report: dict[str, Any]) -> list[tuple[str, str]]:
    months = [month_from_key(entry["month"]) for entry in report["trend"]]
    return [(f"{month:%b}", f"{month:%Y}") for month in months]


def _period(report: dict[str, Any]) -> str:
    first, last = report["trend"][0]["month"], report["trend"][-1]["month"]
    return f"from {month_from_key(first):%B %Y} to {month_from_key(last):%B %Y}"


def grades_chart(report: dict[str, Any]) -> Markup:
    """Stacked bars: the grades of the audits completed in each of the twelve months."""
    labels = report["labels"]["grades"]
    series = [
        Series(
            label,
            GRADE_COLOURS.get(key, OTHER_COLOUR),
            tuple(entry["grades"][key] for entry in report["trend"]),
        )
        for key, label in labels.items()
    ]
    latest = report["trend"][-1]
    given = ", ".join(f"{count} {labels[key]}" for key, count in latest["grades"].items() if count)
    description = (
        f"Stacked bars of the audits completed each month {_period(report)}, by grade. "
        f"{month_from_key(latest['month']):%B %Y}: {latest['completed']} audits"
        + (f" ({given})." if given else ".")
        + " The table 'Grades each month' gives every number."
    )
    return bar_chart(
        "chart-grades",
        "Grades over time",
        description,
        _categories(report),
        series,
        stacked=True,
        unit="Audits",
    )


def actions_chart(report: dict[str, Any]) -> Markup:
    """Bars side by side: the actions created, completed and signed off each month."""
    series = [
        Series(label, colour, tuple(entry["actions"][key] for entry in report["trend"]))
        for key, label, colour in ACTION_SERIES
    ]
    latest = report["trend"][-1]["actions"]
    description = (
        f"Bars of the actions created, completed and signed off each month {_period(report)}. "
        f"{month_from_key(report['month']):%B %Y}: {latest['created']} created, "
        f"{latest['completed']} completed, {latest['signed_off']} signed off. "
        "The table 'Actions each month' gives every number."
    )
    return bar_chart(
        "chart-actions",
        "Action progress each month",
        description,
        _categories(report),
        series,
        stacked=False,
        unit="Actions",
    )


def weighted_progress_chart(report: dict[str, Any]) -> Markup:
    """The share of the actions signed off, weighted by priority, as a progress bar."""
    fraction = report["actions"]["weighted_progress"]
    description = (
        f"{percent(fraction)} of the actions created up to the end of "
        f"{month_from_key(report['month']):%B %Y} are signed off, weighted by priority "
        "(high 3, medium 2, low 1)."
    )
    return progress_chart(
        "chart-progress", "Actions signed off, weighted by priority", description, fraction
    )


def report_charts(report: dict[str, Any]) -> dict[str, Markup]:
    """Every chart of *report*, by name: ``grades``, ``actions`` and ``progress``."""
    return {
        "grades": grades_chart(report),
        "actions": actions_chart(report),
        "progress": weighted_progress_chart(report),
    }
