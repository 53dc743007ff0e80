"""The log's format: Flask's plain lines (``LOG_FORMAT=text``, the default) or one JSON
object per line (``LOG_FORMAT=json``) for a log collector (journald, Loki, Elastic...)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from flask import Flask
from flask.logging import default_handler

LOG_FORMATS = ("text", "json")


class JsonLinesFormatter(logging.Formatter):
    """A log record as one line of JSON: time (UTC, ISO 8601), level, logger, message,
    and the traceback as ``exception`` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(app: Flask) -> None:
    """With ``LOG_FORMAT=json``, send every log record of the process (the portal's, the
    scheduler's, SQLAlchemy's) to standard error as JSON lines, from level INFO."""
    if app.config["LOG_FORMAT"] != "json":
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLinesFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    app.logger.removeHandler(default_handler)
