"""Download names: the ``Content-Disposition`` header of every file the portal sends.

A name is built from data (a case reference, a month), so it is cleaned here: no control
characters, quotes, semicolons or path separators reach the header, and a non-ASCII name
is sent as RFC 6266 ``filename*`` (UTF-8, percent-encoded) beside an ASCII ``filename``.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

#: Characters an ASCII ``filename`` may keep; any run of others becomes one hyphen.
_NOT_PLAIN = re.compile(r"[^A-Za-z0-9._-]+")
#: RFC 5987 attr-char: what ``filename*`` may carry without percent-encoding.
_ATTR_CHARS = "!#$&+-.^_`|~"
MAX_NAME_LENGTH = 150


def safe_filename(name: str) -> str:
    """*name* with only letters, digits, dots, hyphens and underscores (ASCII), shortened."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    cleaned = _NOT_PLAIN.sub("-", ascii_name).strip("-.")
    return cleaned[:MAX_NAME_LENGTH] or "download"


def content_disposition(name: str) -> str:
    """The ``Content-Disposition`` value that has the browser save the file as *name*."""
    printable = "".join(ch for ch in name if ch.isprintable() and ch not in "/\\")
    header = f'attachment; filename="{safe_filename(printable)}"'
    if not printable.isascii():
        header += f"; filename*=UTF-8''{quote(printable[:MAX_NAME_LENGTH], safe=_ATTR_CHARS)}"
    return header
