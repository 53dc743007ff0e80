"""Configuration from the environment."""

import pytest

from portal import create_app
from portal.config import normalise_database_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h:5432/db", "postgresql+psycopg://u@h:5432/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_urls_use_psycopg_3(given, expected):
    assert normalise_database_url(given) == expected


def test_environment_is_read(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://someone@db.internal/portal")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("SMTP_HOST", "smtp.council.example")
    monkeypatch.setenv("SMTP_PORT", "2525")
    app = create_app()
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.internal/portal"
    )
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert (app.config["SMTP_HOST"], app.config["SMTP_PORT"]) == ("smtp.council.example", 2525)


def test_sqlite_in_the_instance_folder_is_the_default(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{app.instance_path}/portal.sqlite3"


def test_without_secret_key_one_is_made_once_and_kept(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert len(first) >= 32
    assert first == second
