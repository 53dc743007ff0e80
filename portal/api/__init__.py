"""The read-only JSON API for the council's BI tools (Power BI and the like).

Every endpoint under ``/api/v1`` but the OpenAPI description needs an API token, sent as
``Authorization: Bearer <token>``; the session cookie is never looked at. A token sees
only what its user may see. Each person creates their own tokens
(:mod:`portal.api.own_tokens`); administrators list and revoke them
(:mod:`portal.admin.tokens`); :mod:`portal.api.docs` explains the API to staff.
"""

from flask import Blueprint

from portal.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookie, no form: a bearer token cannot be forged by another site

from portal.api import views  # noqa: E402,F401  (the views attach themselves to bp)
