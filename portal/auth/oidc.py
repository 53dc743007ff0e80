"""Single sign-on with OpenID Connect (Microsoft Entra ID or any certified provider), with
Authlib's Flask client.

The authorisation-code flow with ``state``, ``nonce`` and PKCE (S256). The provider is
found by discovery (``<OIDC_ISSUER>/.well-known/openid-configuration``). The ID token is
checked by Authlib: its signature against the provider's published keys (JWKS), ``iss``
and ``aud`` (both required here: Authlib checks ``aud`` only when told), ``exp`` and the
``nonce`` of this sign-in; the ``state`` is taken out of the session as it is checked, so a
second use of the same callback is refused.

The portal account is found by the provider's stable subject (``sub``) first, then by
email; the first sign-in by email links the subject, and an account linked to another
subject is never re-linked. Roles and teams stay in the portal; roles may also be granted
from the person's groups through ``sign_on_group_roles`` (:func:`sync_group_roles`).
"""

from __future__ import annotations

from authlib.common.errors import AuthlibBaseError
from authlib.common.urls import add_params_to_uri
from authlib.integrations.flask_client import OAuth
from flask import current_app, url_for
from joserfc.errors import JoseError
from requests import RequestException
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.activity import record
from portal.extensions import db
from portal.models import Role, SignOnGroupRole, User, UserRole

#: Shown when the exchange with the provider fails or its ID token is not acceptable.
FAILED = "Single sign-on did not work. Try again, or ask the IT service desk for help."
#: Shown to someone the provider knows but the portal does not (and does not provision).
NO_ACCOUNT = "You do not have an account in this portal yet. Ask a portal administrator to add you."
#: Shown to someone whose portal account is deactivated.
DEACTIVATED = "Your account in this portal is deactivated. Ask a portal administrator."
#: Shown when the email is already used by an account linked to another subject.
LINKED_ELSEWHERE = (
    "Your email address belongs to another portal account. Ask a portal administrator."
)

#: The errors a failed exchange or a refused ID token raise (Authlib's own, including its
#: claim checks; joserfc's, which Authlib uses for signatures; the HTTP client's).
EXCHANGE_ERRORS = (AuthlibBaseError, JoseError, RequestException, ValueError, KeyError)


def enabled(config) -> bool:
    """True when single sign-on is configured (``OIDC_ISSUER`` is set)."""
    return bool(config.get("OIDC_ISSUER"))


def client():
    """The Authlib client for the configured provider (one per app and settings, so the
    discovery document and the keys are fetched once, and again when a key is new)."""
    config = current_app.config
    settings = (
        config["OIDC_ISSUER"],
        config["OIDC_CLIENT_ID"],
        config["OIDC_CLIENT_SECRET"],
        config["OIDC_SCOPES"],
    )
    cached = current_app.extensions.get("oidc_client")
    if cached is not None and cached[0] == settings:
        return cached[1]
    issuer, client_id, client_secret, scopes = settings
    oauth = OAuth(current_app)
    registered = oauth.register(
        "oidc",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": scopes, "code_challenge_method": "S256", "timeout": 10},
    )
    current_app.extensions["oidc_client"] = (settings, registered)
    return registered


def start():
    """The redirect to the provider's sign-in page (a new state, nonce and PKCE verifier
    kept in the session for the callback)."""
    redirect_uri = url_for("auth.oidc_callback", _external=True)
    return client().authorize_redirect(redirect_uri)


def claims_from_callback() -> dict:
    """Exchange the callback's code for tokens and return the checked ID token's claims,
    with the raw token under ``"id_token"``.

    Raises one of :data:`EXCHANGE_ERRORS` when the state is unknown or used already, the
    exchange fails, or the ID token's signature, issuer, audience, expiry or nonce is wrong.
    """
    config = current_app.config
    token = client().authorize_access_token(
        claims_options={
            "iss": {"essential": True, "value": config["OIDC_ISSUER"]},
            "aud": {"essential": True, "value": config["OIDC_CLIENT_ID"]},
            "exp": {"essential": True},
        },
    )
    if "userinfo" not in token:
        raise ValueError("the token response has no ID token")
    return {**token["userinfo"], "id_token": token["id_token"]}


def _by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email))


def _provision(subject: str, email: str, name: str) -> User | None:
    """A new portal account, with no roles, for someone the provider signed in."""
    user = User(email=email, name=(name or email)[:120], password_hash="", oidc_subject=subject)
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:  # made by a sign-in at the same moment
        return db.session.scalar(select(User).where(User.oidc_subject == subject))
    record(
        "created",
        "user",
        user.id,
        actor_id=user.id,
        summary=f"User {email} created at their first single sign-on",
        after={"email": email, "name": user.name, "roles": []},
    )
    return user


def find_user(claims: dict) -> User | str:
    """The portal account the provider's *claims* sign in, or the message refusing them.

    By subject first; then by email, linking the subject at that first sign-in unless the
    account is already linked to another subject. Provisioned (no roles) when
    ``OIDC_PROVISION_USERS`` is on and nobody matches. A deactivated account is refused.
    """
    subject = str(claims.get("sub") or "")
    email = str(claims.get("email") or claims.get("preferred_username") or "").strip().lower()
    if not subject:
        return FAILED
    user = db.session.scalar(select(User).where(User.oidc_subject == subject))
    if user is None and email:
        user = _by_email(email)
        if user is not None and user.oidc_subject not in (None, subject):
            current_app.logger.warning(
                "OIDC: %s is linked to another subject; the sign-in of %s is refused",
                email,
                subject,
            )
            return LINKED_ELSEWHERE
        if user is not None:
            user.oidc_subject = subject
    if user is None:
        if not (email and current_app.config["OIDC_PROVISION_USERS"]):
            return NO_ACCOUNT
        user = _provision(subject, email, str(claims.get("name") or ""))
        if user is None:
            return NO_ACCOUNT
    if not user.active:
        return DEACTIVATED
    return user


def _groups(claims: dict) -> set[str]:
    value = claims.get(current_app.config["OIDC_GROUPS_CLAIM"]) or []
    if isinstance(value, str):
        value = [value]
    return {str(group) for group in value}


def sync_group_roles(user: User, claims: dict) -> None:
    """Grant *user* the roles their groups map to, and take away the roles an earlier
    sign-in granted that their groups no longer carry. Roles an administrator set by hand
    are never touched; a mapping's team is given to someone who has no team yet."""
    mappings = db.session.scalars(
        select(SignOnGroupRole).where(SignOnGroupRole.group.in_(_groups(claims)))
    ).all()
    wanted = {Role(mapping.role) for mapping in mappings}
    before = sorted(role.value for role in user.roles)
    user.role_rows = [
        row for row in user.role_rows if not row.from_directory or Role(row.role) in wanted
    ]
    held = {Role(row.role) for row in user.role_rows}
    user.role_rows.extend(
        UserRole(role=role.value, from_directory=True) for role in sorted(wanted - held)
    )
    if user.team_id is None:
        user.team_id = next((m.team_id for m in mappings if m.team_id is not None), None)
    after = sorted(role.value for role in user.roles)
    if after != before:
        record(
            "changed",
            "user",
            user.id,
            actor_id=user.id,
            summary=f"Roles of {user.email} set from their groups at single sign-on",
            before={"roles": before},
            after={"roles": after},
        )


def logout_url(id_token: str) -> str | None:
    """The provider's end-session URL that also signs the person out there, or None when
    the provider offers none (or cannot be asked now)."""
    try:
        metadata = client().load_server_metadata()
    except RequestException as error:
        current_app.logger.warning("OIDC: no discovery document at sign-out: %s", error)
        return None
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    params = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": url_for("auth.login", _external=True),
        "client_id": current_app.config["OIDC_CLIENT_ID"],
    }
    return add_params_to_uri(endpoint, params)
