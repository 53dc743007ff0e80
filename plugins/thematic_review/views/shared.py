"""What the reviews' pages and the family conversations' pages build alike: a page's title
when it shows problems, the GOV.UK error summary's items, the answer to a change that is
saved, a link in a table's cell, and a PDF to download.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Response, flash, redirect
from markupsafe import Markup

from portal.plugin_api import content_disposition, db


def page_title(title: str, errors: object) -> str:
    """A page's title, starting "Error: " when the page shows problems (GOV.UK pattern)."""
    return f"Error: {title}" if errors else title


def error_summary(errors: Mapping[str, str]) -> list[dict[str, str]]:
    """The GOV.UK error summary's items: each problem, linked to the html id it is about."""
    return [{"text": text, "href": f"#{key}"} for key, text in errors.items()]


def saved(message: str, then: str) -> Response:
    """The answer to a change that is done: commit it, say so (*message*), and go to *then*."""
    db.session.commit()
    flash(message, "success")
    return redirect(then)


def link(href: str, text: str) -> Markup:
    """A GOV.UK link (for a cell of a dashboard panel's table); *text* is escaped."""
    return Markup('<a class="govuk-link" href="{}">{}</a>').format(href, text)


def pdf_download(document: bytes, filename: str) -> Response:
    """*document*, a PDF, sent to be saved as *filename*."""
    return Response(
        document,
        mimetype="application/pdf",
        headers={"Content-Disposition": content_disposition(filename)},
    )
