"""Scheduling tests reuse the audit fixtures (the mini process)."""

from tests.audits.conftest import allocated, mini  # noqa: F401  (fixtures)
