"""The thematic review's pages: one blueprint, named after the plugin's key.

The reviews' pages live in the modules of ``views`` (by area), the family conversations'
in ``views_family``; each adds its routes to :data:`bp`.
"""

from flask import Blueprint

bp = Blueprint(
    "thematic_review",
    __name__,
    url_prefix="/thematic_review",
    static_folder="static",
    static_url_path="/static",
)
