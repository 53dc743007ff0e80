"""Sign-in against the council's directory (Active Directory or any LDAP server), with ldap3.

When ``LDAP_URL`` is set, the sign-in form's password is checked by the directory instead
of the portal: search-then-bind. The service account (``LDAP_BIND_DN``, or an anonymous
search when it is empty) finds the one entry whose ``LDAP_USER_FILTER`` matches the typed
email, then the portal binds as that entry with the typed password. The portal account is
the one whose email is the entry's mail attribute; roles and teams stay in the portal.

ldap3 is pure Python (no C build, unlike python-ldap), which keeps the install a wheel.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass

from flask import current_app
from ldap3 import NONE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.activity import record
from portal.extensions import db
from portal.models import User

#: Shown on the sign-in page when the directory does not answer (the reason is logged).
UNREACHABLE = "The directory cannot be reached; try again later"

#: Shown on the change-password page when passwords belong to the directory.
CHANGE_IN_DIRECTORY = (
    "Your password is your council network password. Change it in the council's "
    "directory (for example with Ctrl+Alt+Delete on a council computer), not here."
)


class DirectoryUnavailable(Exception):
    """The directory could not be asked: down, unreachable, too slow or misconfigured."""


@dataclass(frozen=True)
class DirectoryEntry:
    """The person the directory found: their entry's DN, email and name."""

    dn: str
    email: str
    name: str


def enabled(config) -> bool:
    """True when sign-in goes to the directory (``LDAP_URL`` is set)."""
    return bool(config.get("LDAP_URL"))


def user_filter(config, email: str) -> str:
    """``LDAP_USER_FILTER`` with ``{email}`` replaced by *email*, escaped for a filter.

    Escaping (``*`` ``(`` ``)`` ``\\`` and NUL) keeps a typed email from adding terms of its
    own: ``*)(mail=*`` becomes a literal value that matches nobody.
    """
    return config["LDAP_USER_FILTER"].replace("{email}", escape_filter_chars(email))


def _server(config) -> Server:
    """The directory server, with certificate checks for ldaps:// and StartTLS."""
    tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=config.get("LDAP_CA_FILE") or None)
    url = config["LDAP_URL"].rstrip("/")  # ldap3 takes no path, not even "/"
    return Server(url, get_info=NONE, tls=tls, connect_timeout=config["LDAP_TIMEOUT"])


def _connection(config, server: Server, user: str | None, password: str | None) -> Connection:
    """An open (StartTLS when asked) connection, not yet bound."""
    connection = Connection(
        server,
        user=user,
        password=password,
        receive_timeout=config["LDAP_TIMEOUT"],
        raise_exceptions=False,
        read_only=True,
        auto_referrals=False,  # Active Directory's referrals to other domains: not followed
    )
    connection.open()
    if config["LDAP_START_TLS"] and not connection.start_tls():
        connection.unbind()
        raise DirectoryUnavailable(f"StartTLS failed: {connection.result}")
    return connection


def _first(value) -> str:
    """An attribute's first value as text ('' when it has none)."""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "").strip()


def find_entry(config, email: str) -> DirectoryEntry | None:
    """The one directory entry for *email*, found with the service account, or None.

    None too when the filter matches several entries (logged: the filter is too wide).
    Raises :class:`DirectoryUnavailable` when the directory cannot be asked.
    """
    server = _server(config)
    email_attribute = config["LDAP_EMAIL_ATTRIBUTE"]
    name_attribute = config["LDAP_NAME_ATTRIBUTE"]
    try:
        connection = _connection(
            config, server, config.get("LDAP_BIND_DN") or None, config.get("LDAP_BIND_PASSWORD")
        )
        try:
            if not connection.bind():
                raise DirectoryUnavailable(
                    f"the service account's bind failed: {connection.result}"
                )
            connection.search(
                config["LDAP_BASE_DN"],
                user_filter(config, email),
                search_scope=SUBTREE,
                attributes=[email_attribute, name_attribute, "cn"],
                size_limit=2,
            )
            # 4 is sizeLimitExceeded: more than one entry matched
            if connection.result["result"] not in (0, 4, 32):  # 32: noSuchObject
                raise DirectoryUnavailable(f"the search failed: {connection.result}")
            entries = [
                item for item in connection.response or [] if item.get("type") == "searchResEntry"
            ]
        finally:
            connection.unbind()
    except LDAPException as error:
        raise DirectoryUnavailable(str(error)) from error
    if len(entries) != 1:
        if len(entries) > 1:
            current_app.logger.warning("LDAP: several directory entries match one email")
        return None
    attributes = entries[0]["attributes"]
    found_email = _first(attributes.get(email_attribute)).lower()
    if not found_email:
        current_app.logger.warning(
            "LDAP: the entry %s has no %s", entries[0]["dn"], email_attribute
        )
        return None
    name = _first(attributes.get(name_attribute)) or _first(attributes.get("cn")) or found_email
    return DirectoryEntry(dn=entries[0]["dn"], email=found_email, name=name)


def password_accepted(config, dn: str, password: str) -> bool:
    """True when the directory accepts *password* for *dn* (a bind as that person).

    An empty password is refused here, before any bind: LDAP takes a simple bind with a
    DN and no password as an unauthenticated bind, which "succeeds" (RFC 4513, 5.1.2).
    Raises :class:`DirectoryUnavailable` when the directory cannot be asked.
    """
    if not password:
        return False
    try:
        connection = _connection(config, _server(config), dn, password)
        try:
            return bool(connection.bind())
        finally:
            connection.unbind()
    except LDAPException as error:
        raise DirectoryUnavailable(str(error)) from error


def _provision(entry: DirectoryEntry) -> User | None:
    """A new portal account, with no roles, for the directory's *entry*."""
    user = User(email=entry.email, name=entry.name[:120], password_hash="")
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:  # made by a sign-in at the same moment
        return db.session.scalar(select(User).where(func.lower(User.email) == entry.email))
    record(
        "created",
        "user",
        user.id,
        actor_id=user.id,
        summary=f"User {entry.email} created at their first sign-in from the directory",
        after={"email": entry.email, "name": user.name, "roles": []},
    )
    return user


def sign_in(user: User | None, email: str, password: str) -> User | str | None:
    """Ask the directory whether *email* and *password* sign someone in.

    *user* is the portal account with the typed email, if any. Returns the portal account
    to sign in (made now, with no roles, when ``LDAP_PROVISION_USERS`` is on and there was
    none), a message for the page (the directory cannot be reached), or None when the
    details are wrong: a wrong password, no entry in the directory (a portal account with
    only a local password included), an account deactivated in the portal, or no portal
    account and no provisioning. A deactivated account is refused after the directory
    has answered, so the time the answer takes does not tell it from an active one.
    """
    config = current_app.config
    if not password:
        return None  # nothing is asked of the directory
    try:
        entry = find_entry(config, email)
        if entry is None or not password_accepted(config, entry.dn, password):
            return None
    except DirectoryUnavailable as error:
        current_app.logger.error(
            "LDAP: the directory at %s cannot be reached: %s", config["LDAP_URL"], error
        )
        return UNREACHABLE
    if user is None or user.email.lower() != entry.email:
        user = db.session.scalar(select(User).where(func.lower(User.email) == entry.email))
    if user is None:
        return _provision(entry) if config["LDAP_PROVISION_USERS"] else None
    return user if user.active else None
