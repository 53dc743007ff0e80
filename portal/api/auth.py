"""API tokens: issuing and revoking them, and finding the token a request carries.

A token is ``qap_`` followed by 32 random bytes (URL-safe base64). The portal keeps only
its SHA-256 digest, so the token itself is shown once, when it is issued, and never again.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from portal.activity import record
from portal.extensions import db
from portal.models import ApiToken, User
from portal.timeutil import utcnow

PREFIX = "qap_"
#: A bearer header as a BI tool sends it: the scheme (any case), one space, the token.
BEARER = re.compile(r"^Bearer ([A-Za-z0-9_-]{20,200})$", re.IGNORECASE)
#: How often, at most, a token's "last used" time is written.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenRefused(Exception):
    """The request's token cannot be used; the message says why, for the caller."""


@dataclass(frozen=True)
class IssuedToken:
    """A token just issued: its row, and the secret shown once to its owner."""

    row: ApiToken
    secret: str


def digest(secret: str) -> str:
    """The SHA-256 hex digest of *secret*, as the table stores it."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(user: User, name: str, actor: User) -> IssuedToken:
    """Issue a token named *name* for *user*, asked for by *actor*, who must be *user*.

    Only its owner creates a token (an administrator may list and revoke, never issue one
    in another's name: it would read what that person reads). It expires
    ``API_TOKEN_DAYS`` (90 by default) after today. Recorded in the activity
    history (never the secret); the caller commits.
    """
    if actor.id != user.id:
        raise PermissionError("an API token is issued only to the person who asks for it")
    secret = PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    row = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=digest(secret),
        created_by_id=actor.id,
        created_at=now,
        expires_at=now + timedelta(days=current_app.config["API_TOKEN_DAYS"]),
    )
    db.session.add(row)
    db.session.flush()
    record(
        "issued",
        "api_token",
        row.id,
        actor_id=actor.id,
        summary=f"Issued the API token “{name}” for {user.name}",
        after={"name": name, "user": f"{user.name} ({user.email})"},
    )
    return IssuedToken(row, secret)


def revoke_token(token: ApiToken, actor: User) -> bool:
    """Revoke *token*; False when it was already revoked. The caller commits."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    record(
        "revoked",
        "api_token",
        token.id,
        actor_id=actor.id,
        summary=f"Revoked the API token “{token.name}” of {token.user.name}",
        before={"revoked": False},
        after={"revoked": True},
    )
    return True


def token_for(header: str | None) -> ApiToken:
    """The live token an ``Authorization`` header carries; raises :class:`TokenRefused`.

    A token is refused when the header is missing or malformed, when no token has its
    digest, when it is revoked or has expired, or when its user's account is inactive.
    Its "last used" time is written (and committed) at most once a minute.
    """
    if not header:
        raise TokenRefused("Send your API token in the header 'Authorization: Bearer <token>'")
    match = BEARER.match(header.strip())
    secret = match.group(1) if match else ""
    if not secret.startswith(PREFIX):
        raise TokenRefused("The Authorization header must be 'Bearer ' and an API token")
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    if token is None:
        raise TokenRefused("This API token is not known")
    if token.revoked_at is not None:
        raise TokenRefused("This API token has been revoked")
    now = utcnow()
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenRefused("This API token has expired: ask for a new one")
    if not token.user.active:
        raise TokenRefused("The account this API token belongs to is inactive")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = now
        db.session.commit()
    return token
