"""Find the pages a signed-in member of staff reaches, and fetch pages over keep-alive HTTP.

- :class:`HttpClient`: a plain ``http.client`` connection kept alive, with the cookies
  the server sets, for timing pages on gunicorn.
- :func:`sign_in`: a real sign-in, the CSRF token read from the form and posted back.
- :func:`discover`: breadth-first from the home page, in process with Flask's test
  client, following same-origin links and GET forms (a filter applied: the first choice of
  their first list), at most a few URLs per Flask endpoint; each page's status, bytes and
  SQL statements (a ``before_cursor_execute`` listener) are recorded on the way.

Only GET is ever sent to a page, and sign-out is never followed.
"""

from __future__ import annotations

import http.client
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

from flask import Flask
from sqlalchemy import event
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from portal.extensions import db

#: Endpoints never fetched: signing in and out, static files, the token-only API.
SKIPPED_ENDPOINTS = {"static", "auth.login", "auth.logout"}
SKIPPED_BLUEPRINTS = ("api.",)
WRITES = ("INSERT", "UPDATE", "DELETE")
#: A page that took longer than this (s) in discovery is not fetched a second time to
#: count its statements in a warm process: the first fetch's count is kept.
RECOUNT_UNDER = 5.0


class PageParser(HTMLParser):
    """The links, GET forms (with one filter chosen) and CSRF token of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[str] = []
        self.csrf_token: str | None = None
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Collect ``a href``, GET forms and their lists, and the CSRF token."""
        attributes = {name: value or "" for name, value in attrs}
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "form":
            method = attributes.get("method", "get").lower()
            scripted = any(
                name.startswith(("hx-post", "hx-put", "hx-delete")) for name in attributes
            )
            self._form = None
            if method == "get" and not scripted:
                self._form = {"action": attributes.get("action", ""), "filter": None}
        elif tag == "select" and self._form is not None:
            self._select = attributes.get("name")
        elif tag == "option" and self._form is not None and self._select:
            value = attributes.get("value", "")
            if value and self._form["filter"] is None:
                self._form["filter"] = (self._select, value)
        elif tag == "input" and attributes.get("name") == "csrf_token":
            self.csrf_token = attributes.get("value")

    def handle_endtag(self, tag: str) -> None:
        """Close a list or a form; a GET form with a filter becomes a URL."""
        if tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            if self._form["filter"] is not None:
                action = self._form["action"]
                self.forms.append(f"{action.split('?')[0]}?{urlencode([self._form['filter']])}")
            self._form = None


def parse(html: str) -> PageParser:
    """Parse *html*."""
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


@dataclass
class Response:
    """One HTTP answer."""

    status: int
    body: bytes
    location: str | None = None


class HttpClient:
    """One keep-alive connection to 127.0.0.1:*port*, holding the cookies the server sets."""

    def __init__(self, port: int, timeout: float = 120.0) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method: str, path: str, body: str | None = None) -> Response:
        """Send one request (reconnecting once if the server closed the connection)."""
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                answer = self.connection.getresponse()
                data = answer.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.connection.close()
                if attempt == 2:
                    raise
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return Response(answer.status, data, answer.getheader("Location"))

    def get(self, path: str) -> Response:
        """GET *path*."""
        return self.request("GET", path)

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


def sign_in(
    fetch_login: Callable[[], str], post: Callable[[dict], tuple[int, str]], email, password
):
    """Sign in through the form: read its CSRF token, post it back with the credentials.

    *fetch_login* returns the sign-in page's HTML; *post* sends the form and returns the
    status and the ``Location`` it redirects to. Raises ``RuntimeError`` when refused.
    """
    token = parse(fetch_login()).csrf_token
    if not token:
        raise RuntimeError("no CSRF token in the sign-in form")
    status, location = post({"csrf_token": token, "email": email, "password": password})
    if status != 302 or "/login" in (location or ""):
        raise RuntimeError(f"signing in as {email} failed: HTTP {status}")


def http_sign_in(client: HttpClient, email: str, password: str) -> None:
    """Sign *client* in on the served portal (a real POST with the CSRF token)."""

    def post(fields: dict) -> tuple[int, str]:
        answer = client.request("POST", "/login", urlencode(fields))
        return answer.status, answer.location or ""

    sign_in(lambda: client.get("/login").body.decode(), post, email, password)


@dataclass
class Page:
    """A page found by :func:`discover`, measured once in process."""

    url: str
    endpoint: str
    depth: int
    status: int
    size: int  # bytes of the answer
    statements: int
    writes: int  # INSERT/UPDATE/DELETE among them
    content_type: str


def _endpoint(adapter, url: str) -> tuple[str | None, str]:
    """The GET endpoint *url* reaches (None when none does), and the URL to fetch."""
    parts = urlsplit(url)
    try:
        endpoint, _ = adapter.match(parts.path, method="GET", query_args=parts.query)
    except RequestRedirect as redirect:
        target = urlsplit(redirect.new_url)
        return _endpoint(adapter, target.path + (f"?{target.query}" if target.query else ""))
    except HTTPException:
        return None, url
    return endpoint, url


def discover(
    app: Flask,
    email: str,
    password: str,
    max_depth: int = 4,
    per_endpoint: int = 2,
    max_pages: int = 150,
    out: Callable[[str], None] = print,
) -> list[Page]:
    """The pages *email* reaches from the home page (see the module notes), measured once.

    At most *per_endpoint* URLs for each endpoint and set of query arguments (so a list,
    the list filtered and its page 2 each count on their own), and three times that for an
    endpoint in all; at most *max_pages* pages; links at most *max_depth* clicks from home.
    """
    client = app.test_client()

    def post(fields: dict) -> tuple[int, str]:
        answer = client.post("/login", data=fields)
        return answer.status_code, answer.headers.get("Location", "")

    sign_in(lambda: client.get("/login").get_data(as_text=True), post, email, password)
    with app.app_context():
        engine = db.engine
    adapter = app.url_map.bind("127.0.0.1")
    counted: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        counted.append(statement)

    pages: list[Page] = []
    seen: set[str] = set()
    by_variant: Counter = Counter()
    by_endpoint: Counter = Counter()
    queue: deque[tuple[str, int]] = deque([("/", 0)])
    event.listen(engine, "before_cursor_execute", count)
    try:
        while queue and len(pages) < max_pages:
            url, depth = queue.popleft()
            endpoint, url = _endpoint(adapter, url)
            if url in seen or endpoint is None or endpoint in SKIPPED_ENDPOINTS:
                continue
            if endpoint.startswith(SKIPPED_BLUEPRINTS):
                continue
            variant = (endpoint, tuple(sorted(dict.fromkeys(_query_names(url)))))
            if by_variant[variant] >= per_endpoint or by_endpoint[endpoint] >= 3 * per_endpoint:
                continue
            seen.add(url)
            by_variant[variant] += 1
            by_endpoint[endpoint] += 1
            counted.clear()
            started = time.perf_counter()
            answer = client.get(url)
            took = time.perf_counter() - started
            if took < RECOUNT_UNDER:  # count again in a warm process
                counted.clear()
                answer = client.get(url)
            body = answer.get_data()
            page = Page(
                url,
                endpoint,
                depth,
                answer.status_code,
                len(body),
                len(counted),
                sum(statement.lstrip().upper().startswith(WRITES) for statement in counted),
                answer.mimetype or "",
            )
            pages.append(page)
            out(
                f"  {page.status} {url} ({endpoint}): {page.size / 1024:,.0f} KB, "
                f"{page.statements} statements, {took * 1000:,.0f} ms"
            )
            if depth < max_depth and page.content_type == "text/html":
                found = parse(body.decode("utf-8", "replace"))
                for link in found.links + found.forms:
                    target = _same_origin(url, link)
                    if target is not None and target not in seen:
                        queue.append((target, depth + 1))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return pages


def _query_names(url: str) -> list[str]:
    query = urlsplit(url).query
    return [part.split("=", 1)[0] for part in query.split("&") if part]


def _same_origin(base: str, link: str) -> str | None:
    """*link* as a path and query on this site, or None (another site, a fragment, mailto)."""
    if link.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    parts = urlsplit(urljoin(f"http://127.0.0.1{base}", link))
    if parts.scheme != "http" or parts.netloc != "127.0.0.1":
        return None
    if parts.path.startswith(("/static/", "/logout")):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
