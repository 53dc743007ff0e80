"""The reports that can be circulated: the core's monthly learning report and those the
enabled plugins add through ``portal_circulated_reports``."""

from __future__ import annotations

from flask import abort, current_app

from portal.hookspecs import CirculatedReport
from portal.plugins import plugin_host


def circulated_reports() -> dict[str, CirculatedReport]:
    """Every report that can be circulated now, by kind: the core's, then the enabled
    plugins' (one whose kind does not start with its plugin's key is left out, logged)."""
    from portal.reports.circulated import MONTHLY  # the reports import this package

    found = {MONTHLY.kind: MONTHLY}
    for key, call in plugin_host().implementations("portal_circulated_reports"):
        for report in call() or []:
            if not isinstance(report, CirculatedReport) or not report.kind.startswith(f"{key}."):
                current_app.logger.warning(
                    "plugin %r: portal_circulated_reports gave %r, not a CirculatedReport "
                    "whose kind starts with %r; left out",
                    key,
                    getattr(report, "kind", report),
                    f"{key}.",
                )
                continue
            found[report.kind] = report
    return found


def report_or_404(kind: str) -> CirculatedReport:
    """The report of *kind*, or 404 (unknown, or its plugin disabled)."""
    report = circulated_reports().get(kind)
    if report is None:
        abort(404)
    return report
