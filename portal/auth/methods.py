"""Which password, if any, signs a person in: the council's directory's (``LDAP_URL``), the
portal's own, or none (single sign-on only, ``AUTH_LOCAL_PASSWORDS=false``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal.auth import ldap


def local_passwords_allowed(config: Mapping[str, Any], email: str) -> bool:
    """True when a portal password may sign *email* in: portal passwords are on
    (``AUTH_LOCAL_PASSWORDS``), or *email* is a break-glass administrator's."""
    return config["AUTH_LOCAL_PASSWORDS"] or email.lower() in config["AUTH_BREAK_GLASS_ADMINS"]


def portal_password_unused(config: Mapping[str, Any], email: str) -> str | None:
    """How *email* signs in when a portal password would not sign them in (the directory
    checks passwords, or portal passwords are off for them), as the end of a sentence
    beginning with their name; None when a portal password is what signs them in."""
    if ldap.enabled(config):
        return (
            "signs in with their council network password: the portal's own passwords are not used"
        )
    if not local_passwords_allowed(config, email):
        label = config["OIDC_BUTTON_LABEL"]
        return f"signs in with “{label}”: the portal's own passwords are switched off"
    return None
