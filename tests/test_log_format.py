"""LOG_FORMAT=json: every log line of the process is one JSON object a collector can read."""

from __future__ import annotations

import json
import logging

import pytest

from portal import create_app


@pytest.fixture
def root_logger():
    """The root logger, put back as it was after the test."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_carry_the_level_the_logger_the_message_and_the_traceback(root_logger, capsys):
    app = create_app(
        {"TESTING": True, "LOG_FORMAT": "json", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    app.logger.info("job %s for %s: %s", "core.escalate_overdue", "2026-12-01", "done")
    try:
        raise RuntimeError("the mail server refused")
    except RuntimeError:
        logging.getLogger("portal.notify").exception("mail not sent")
    lines = capsys.readouterr().err.splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "INFO"
    assert first["logger"] == "portal"
    assert first["message"] == "job core.escalate_overdue for 2026-12-01: done"
    assert first["time"].endswith("+00:00")
    assert second["level"] == "ERROR"
    assert second["message"] == "mail not sent"
    assert "RuntimeError: the mail server refused" in second["exception"]


def test_text_stays_the_default_and_leaves_the_handlers_alone(root_logger):
    before = root_logger.handlers[:]
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["LOG_FORMAT"] == "text"
    assert root_logger.handlers == before


def test_an_unknown_format_is_refused(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ValueError, match="LOG_FORMAT must be text or json"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
