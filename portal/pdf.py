"""PDF copies of pages, through WeasyPrint, reading the portal's own static files from disk."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import current_app

BASE_URL = "https://portal.invalid/"


def _fetch_static(url: str) -> dict:
    """Serve ``/static/...`` from the static folder; refuse everything else (no network)."""
    prefix = BASE_URL + "static/"
    if not url.startswith(prefix):
        raise ValueError(f"PDF rendering only reads the portal's static files, not {url}")
    static = Path(current_app.static_folder).resolve()
    path = (static / url[len(prefix) :]).resolve()
    if static not in path.parents:
        raise ValueError(f"outside the static folder: {url}")
    return {
        "string": path.read_bytes(),
        "mime_type": mimetypes.guess_type(path.name)[0] or "application/octet-stream",
    }


def html_to_pdf(html: str) -> bytes:
    """Render *html* (whose links point at ``/static/...``) to an A4 PDF."""
    from weasyprint import HTML  # imported late: it loads Pango, which only PDFs need

    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetch_static).write_pdf()
