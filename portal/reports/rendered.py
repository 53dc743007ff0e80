"""The report page's body (contents, sections, tables and charts), rendered once for each
stored report and reader's view, then kept in this process.

A stored report does not change for a given ``built_at``, so what the body shows depends
only on the snapshot and on which examples the reader sees whole or anonymised: that is
the key. Nothing from the reader's session (such as the CSRF token) is in the body. The
cache holds the last :data:`SIZE` bodies; a rebuild or a provisional refresh gives a new
``built_at`` and so a new key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from flask import render_template, request
from markupsafe import Markup

from portal.models import ReportSnapshot
from portal.reports.charts import report_charts
from portal.reports.monthly import report_sections
from portal.timeutil import govuk_date

#: How many rendered bodies each process keeps (about 130 KB each on a large council).
SIZE = 32

_bodies: OrderedDict[tuple, Markup] = OrderedDict()
_lock = threading.Lock()


def _key(snapshot: ReportSnapshot, report: dict[str, Any]) -> tuple:
    view = tuple((e["audit_id"], e["summary"] is None) for e in report["outstanding_examples"])
    return (snapshot.id, snapshot.built_at, request.script_root, view)


def report_body(snapshot: ReportSnapshot, report: dict[str, Any]) -> Markup:
    """The body of the page of *report* (*snapshot*'s report as one reader may see it)."""
    key = _key(snapshot, report)
    with _lock:
        body = _bodies.get(key)
        if body is not None:
            _bodies.move_to_end(key)
            return body
    body = Markup(
        render_template(
            "reports/_body.html",
            report=report,
            sections=report_sections(report),
            charts=report_charts(report),
            long_date=govuk_date,
        )
    )
    with _lock:
        _bodies[key] = body
        while len(_bodies) > SIZE:
            _bodies.popitem(last=False)
    return body
