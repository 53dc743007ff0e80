"""The row lock every change to an audit's answers takes before reading them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Audit


def lock_for_saving(audit: Audit) -> None:
    """Lock *audit*'s row until the caller commits, and read its revision and answers
    afresh: a save of the same audit arriving at the same moment (on another worker or
    server) waits for this one, then merges with it as a later save does, instead of
    taking the same revision number. (A PostgreSQL row lock: SQLite ignores ``FOR
    UPDATE``, and several servers need PostgreSQL anyway.) What the session holds for
    it is flushed first, so that reading it afresh loses nothing."""
    db.session.flush()
    db.session.scalars(
        select(Audit)
        .where(Audit.id == audit.id)
        .options(selectinload(Audit.answer_rows))
        .with_for_update(of=Audit)
        .execution_options(populate_existing=True)
    ).one()
