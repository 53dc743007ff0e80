"""Which password, if any, signs a person in: the council's directory's (``LDAP_URL``), the
portal's own, or none (single sign-on only, ``AUTH_LOCAL_PASSWORDS=false``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal.auth import ldap

#: What :func:`password_checked_by` answers.
DIRECTORY, NONE, PORTAL = "directory", "none", "portal"


def password_checked_by(config: Mapping[str, Any], email: str) -> str:
    """Whose password the sign-in form checks for *email*: the council directory's
    (:data:`DIRECTORY`, with ``LDAP_URL`` set, for everyone), none (:data:`NONE`: portal
    passwords are off, ``AUTH_LOCAL_PASSWORDS=false``, and *email* is no break-glass
    administrator's), or the portal's own (:data:`PORTAL`)."""
    if ldap.enabled(config):
        return DIRECTORY
    if config["AUTH_LOCAL_PASSWORDS"] or email.lower() in config["AUTH_BREAK_GLASS_ADMINS"]:
        return PORTAL
    return NONE


def portal_password_unused(config: Mapping[str, Any], email: str) -> str | None:
    """How *email* signs in when a portal password would not sign them in (the directory
    checks passwords, or portal passwords are off for them), as the end of a sentence
    beginning with their name; None when a portal password is what signs them in."""
    checked_by = password_checked_by(config, email)
    if checked_by == DIRECTORY:
        return (
            "signs in with their council network password: the portal's own passwords are not used"
        )
    if checked_by == NONE:
        label = config["OIDC_BUTTON_LABEL"]
        return f"signs in with “{label}”: the portal's own passwords are switched off"
    return None
