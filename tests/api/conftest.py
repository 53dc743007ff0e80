"""Fixtures for the API tests: tokens issued to the test council, and audits in known states."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from portal.api.auth import issue_token
from portal.extensions import db
from portal.models import Audit, User
from tests.audits.conftest import allocated, mini  # noqa: F401


@pytest.fixture
def issue(app, world):
    """Issue an API token to a person of the world, as they would: ``issue("sw_a")``.

    Returns the token itself (the secret).
    """

    def make(short_name: str, name: str = "Power BI") -> str:
        with app.app_context():
            person = db.session.get(User, world.users[short_name])
            secret = issue_token(person, name, person).secret
            db.session.commit()
            return secret

    return make


@pytest.fixture
def submit(app):
    """Mark an audit submitted, straight in the table: ``submit(audit_id, grade="good")``."""

    def make(
        audit_id: int,
        grade: str = "good",
        when: datetime = datetime(2026, 11, 5, 10, 30),
        allocated_on: date | None = None,
    ) -> None:
        with app.app_context():
            audit = db.session.get(Audit, audit_id)
            audit.status = "submitted"
            audit.submitted_at = when
            audit.overall_grade = audit.record_grade = grade
            if allocated_on is not None:
                audit.allocated_on = allocated_on
            db.session.commit()

    return make


def bearer(token: str) -> dict[str, str]:
    """The header that carries *token*."""
    return {"Authorization": f"Bearer {token}"}
