"""Test support shared by the core's tests and by every plugin's tests.

Load the fixtures with ``pytest_plugins = ["portal.testing.fixtures"]`` in a conftest.py
(or ``pytest -p portal.testing.fixtures``). The database is real: SQLite by default,
PostgreSQL with ``--database=postgresql`` (a fresh database for each run).
"""
