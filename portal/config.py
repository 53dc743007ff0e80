"""Configuration from the environment, with an embedded SQLite database as the default."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask

from portal.logformat import LOG_FORMATS


def normalise_database_url(url: str) -> str:
    """Return *url* with the psycopg 3 driver named for PostgreSQL URLs.

    Hosting platforms hand out ``postgres://`` and ``postgresql://`` URLs; SQLAlchemy needs
    ``postgresql+psycopg://`` to use psycopg 3.
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _instance_secret_key(instance_path: Path) -> str:
    """Read, or create once, a random secret key kept in the instance folder."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str) -> list[str] | None:
    """A comma-separated setting as a list; None when it is not set."""
    items = [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]
    return items or None


def _check_ldap(config) -> None:
    """Refuse to start with directory sign-in half configured."""
    if not config["LDAP_URL"]:
        return
    if not config["LDAP_URL"].lower().startswith(("ldap://", "ldaps://")):
        raise ValueError("LDAP_URL must start with ldap:// or ldaps://")
    if not config["LDAP_BASE_DN"]:
        raise ValueError("LDAP_BASE_DN must be set when LDAP_URL is")
    if "{email}" not in config["LDAP_USER_FILTER"]:
        raise ValueError("LDAP_USER_FILTER must contain {email}")


def _check_oidc(config) -> None:
    """Refuse to start with single sign-on half configured."""
    if not config["OIDC_ISSUER"]:
        return
    issuer = config["OIDC_ISSUER"].lower()
    on_this_machine = issuer.startswith(("http://127.0.0.1", "http://localhost"))
    if not (issuer.startswith("https://") or on_this_machine):
        raise ValueError("OIDC_ISSUER must be an https:// URL")
    if not (config["OIDC_CLIENT_ID"] and config["OIDC_CLIENT_SECRET"]):
        raise ValueError("OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set when OIDC_ISSUER is")
    if "openid" not in config["OIDC_SCOPES"].split():
        raise ValueError("OIDC_SCOPES must include openid")


def _check_local_passwords(config) -> None:
    """Refuse to switch portal passwords off with no other way in."""
    if config["AUTH_LOCAL_PASSWORDS"]:
        return
    if not (config["OIDC_ISSUER"] or config["LDAP_URL"]):
        raise ValueError("AUTH_LOCAL_PASSWORDS=false needs OIDC_ISSUER or LDAP_URL set")


def load_config(app: Flask, test_config: dict | None) -> None:
    """Fill ``app.config`` from the environment, then from *test_config* when given."""
    instance_path = Path(app.instance_path)
    instance_path.mkdir(parents=True, exist_ok=True)
    default_db = f"sqlite:///{instance_path / 'portal.sqlite3'}"
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY") or _instance_secret_key(instance_path),
        SQLALCHEMY_DATABASE_URI=normalise_database_url(
            os.environ.get("DATABASE_URL") or default_db
        ),
        SERVICE_NAME=os.environ.get("SERVICE_NAME", "QA & Learning Portal"),
        COUNCIL_NAME=os.environ.get("COUNCIL_NAME", "Children's Services"),
        SESSION_IDLE_MINUTES=int(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        SESSION_ABSOLUTE_HOURS=float(os.environ.get("SESSION_ABSOLUTE_HOURS", "8")),
        API_TOKEN_DAYS=int(os.environ.get("API_TOKEN_DAYS", "90")),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        ARGON2_TIME_COST=int(os.environ.get("ARGON2_TIME_COST", "3")),
        ARGON2_MEMORY_COST=int(os.environ.get("ARGON2_MEMORY_COST", str(64 * 1024))),  # KiB
        LOGIN_MAX_FAILURES=5,
        LOGIN_WINDOW_MINUTES=15,
        LOGIN_LOCK_MINUTES=15,
        MAX_CONTENT_LENGTH=10 * 1024 * 1024,  # a file upload (the case import)
        MAX_FORM_BYTES=int(os.environ.get("MAX_FORM_BYTES", str(2 * 1024 * 1024))),  # text forms
        SMTP_HOST=os.environ.get("SMTP_HOST", ""),
        SMTP_PORT=int(os.environ.get("SMTP_PORT", "25")),
        SMTP_USERNAME=os.environ.get("SMTP_USERNAME", ""),
        SMTP_PASSWORD=os.environ.get("SMTP_PASSWORD", ""),
        # starttls (default), tls (implicit) or none (a relay on the same machine only)
        SMTP_SECURITY=os.environ.get("SMTP_SECURITY", "starttls").strip().lower(),
        # The portal's address as people reach it, for links in emails.
        PORTAL_BASE_URL=os.environ.get("PORTAL_BASE_URL", ""),
        # Host names the portal answers to (any other Host header gets a 400); none: any.
        TRUSTED_HOSTS=_env_list("TRUSTED_HOSTS"),
        # How many proxies (TLS terminator, load balancer) stand in front of the portal.
        PROXY_COUNT=int(os.environ.get("PROXY_COUNT", "0")),
        SMTP_FROM=os.environ.get("SMTP_FROM", "qa-portal@localhost"),
        # Days the access log (who read what) is kept before the daily job deletes it.
        ACCESS_LOG_DAYS=int(os.environ.get("ACCESS_LOG_DAYS", "365")),
        # Years a case's records are kept after it closes before `retention erase` may
        # erase them; the council sets it (its records retention schedule).
        RETENTION_YEARS_AFTER_CLOSURE=int(os.environ.get("RETENTION_YEARS_AFTER_CLOSURE", "25")),
        # A provisional build of the current month's learning report is reused this long.
        REPORT_LIVE_MINUTES=int(os.environ.get("REPORT_LIVE_MINUTES", "10")),
        # Each web process reuses the leaders' service and team figures this long (0: never).
        HOME_FIGURES_SECONDS=int(os.environ.get("HOME_FIGURES_SECONDS", "120")),
        # text (Flask's lines) or json (one JSON object per line, for a log collector)
        LOG_FORMAT=os.environ.get("LOG_FORMAT", "text").strip().lower(),
        # Run the background jobs inside the web process (``make run``); never in tests.
        SCHEDULER_IN_PROCESS=_env_bool("SCHEDULER_IN_PROCESS", False),
        # Sign-in against the council's directory (docs/deploy.md); no URL: portal passwords.
        LDAP_URL=os.environ.get("LDAP_URL", "").strip(),
        LDAP_BIND_DN=os.environ.get("LDAP_BIND_DN", ""),  # empty: an anonymous search
        LDAP_BIND_PASSWORD=os.environ.get("LDAP_BIND_PASSWORD", ""),
        LDAP_BASE_DN=os.environ.get("LDAP_BASE_DN", ""),
        LDAP_USER_FILTER=os.environ.get("LDAP_USER_FILTER", "(mail={email})"),
        LDAP_EMAIL_ATTRIBUTE=os.environ.get("LDAP_EMAIL_ATTRIBUTE", "mail"),
        LDAP_NAME_ATTRIBUTE=os.environ.get("LDAP_NAME_ATTRIBUTE", "displayName"),
        LDAP_START_TLS=_env_bool("LDAP_START_TLS", False),
        LDAP_CA_FILE=os.environ.get("LDAP_CA_FILE", ""),  # empty: the system's CAs
        LDAP_TIMEOUT=float(os.environ.get("LDAP_TIMEOUT", "10")),
        LDAP_PROVISION_USERS=_env_bool("LDAP_PROVISION_USERS", False),
        # Single sign-on with OpenID Connect (docs/deploy.md); no issuer: no button.
        OIDC_ISSUER=os.environ.get("OIDC_ISSUER", "").strip().rstrip("/"),
        OIDC_CLIENT_ID=os.environ.get("OIDC_CLIENT_ID", "").strip(),
        OIDC_CLIENT_SECRET=os.environ.get("OIDC_CLIENT_SECRET", ""),
        OIDC_BUTTON_LABEL=os.environ.get("OIDC_BUTTON_LABEL", "Sign in with your council account"),
        OIDC_PROVISION_USERS=_env_bool("OIDC_PROVISION_USERS", False),
        OIDC_GROUPS_CLAIM=os.environ.get("OIDC_GROUPS_CLAIM", "groups").strip(),
        OIDC_SCOPES=os.environ.get("OIDC_SCOPES", "openid email profile").strip(),
        # false: portal passwords sign nobody in but AUTH_BREAK_GLASS_ADMINS (directory
        # passwords with LDAP_URL still do)
        AUTH_LOCAL_PASSWORDS=_env_bool("AUTH_LOCAL_PASSWORDS", True),
        AUTH_BREAK_GLASS_ADMINS=[
            email.lower() for email in _env_list("AUTH_BREAK_GLASS_ADMINS") or []
        ],
    )
    if test_config:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if app.config["SMTP_SECURITY"] not in ("starttls", "tls", "none"):
        raise ValueError("SMTP_SECURITY must be starttls, tls or none")
    if app.config["LOG_FORMAT"] not in LOG_FORMATS:
        raise ValueError("LOG_FORMAT must be text or json")
    _check_ldap(app.config)
    _check_oidc(app.config)
    _check_local_passwords(app.config)
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    # Cookies travel over HTTPS only, except on a developer's machine (debug) and in tests.
    if "SESSION_COOKIE_SECURE" not in (test_config or {}):
        secure = _env_bool("SESSION_COOKIE_SECURE", not (app.debug or app.testing))
        app.config["SESSION_COOKIE_SECURE"] = secure
        app.config["REMEMBER_COOKIE_SECURE"] = secure
