"""PDF copies of pages, through WeasyPrint, reading the portal's own static files from disk."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import current_app

BASE_URL = "https://portal.invalid/"


def _static_fetcher(static_folder: str):
    """A WeasyPrint URL fetcher that serves ``/static/...`` from disk and nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static = Path(static_folder).resolve()
    prefix = BASE_URL + "static/"

    class StaticFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(prefix):
                raise ValueError(f"PDFs only read the portal's static files, not {url}")
            path = (static / url[len(prefix) :]).resolve()
            if static not in path.parents:
                raise ValueError(f"outside the static folder: {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticFetcher()


def html_to_pdf(html: str) -> bytes:
    """Render *html* (whose links point at ``/static/...``) to an A4 PDF, with no network."""
    from weasyprint import HTML  # imported late: it loads Pango, which only PDFs need

    fetcher = _static_fetcher(current_app.static_folder)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
