"""The leaders' home-page figures, counted at most once every ``HOME_FIGURES_SECONDS``.

A service's or a team's figures (grades over thirteen months, every open action, the
actions of the last twelve months) are aggregate SQL over tens of thousands of rows on a
large council: about 120 ms on SQLite and 100 ms on PostgreSQL at the benchmarks' scale,
every time a leader opens their home page. Each web process keeps what it counted, by
the figures' name and scope, for ``HOME_FIGURES_SECONDS`` (0: count every time); the
panel says when they were counted. Nothing here is shared between processes or nodes,
and nothing needs to be: a process that has not counted yet counts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from flask import current_app

from portal.timeutil import utcnow

T = TypeVar("T")

#: At most this many scopes are kept per process; the oldest goes first.
MAX_KEPT = 512
#: Held while the kept figures change (a threaded server serves several requests at once).
_CHANGING = threading.Lock()


@dataclass(frozen=True)
class Counted(Generic[T]):
    """Figures and the moment (naive UTC) they were counted."""

    value: T
    at: datetime


def counted(name: str, scope: Hashable, count: Callable[[], T]) -> Counted[T]:
    """The figures *name* of *scope* as *count* gave them, reused for
    ``HOME_FIGURES_SECONDS`` by this process."""
    seconds = current_app.config["HOME_FIGURES_SECONDS"]
    if seconds <= 0:
        return Counted(count(), utcnow())
    kept: dict[Hashable, tuple[float, Counted[T]]] = current_app.extensions.setdefault(
        "portal.home_figures", {}
    )
    key = (name, scope)
    now = time.monotonic()
    hit = kept.get(key)
    if hit is not None and now - hit[0] < seconds:
        return hit[1]
    result = Counted(count(), utcnow())
    with _CHANGING:
        kept.pop(key, None)
        while len(kept) >= MAX_KEPT:
            kept.pop(next(iter(kept)))
        kept[key] = (now, result)
    return result
