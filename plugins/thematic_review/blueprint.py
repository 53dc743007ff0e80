"""The thematic review's pages: one blueprint, named after the plugin's key.

The reviews' pages live in ``views_reviews``, the family conversations' in
``views_family``; both add their routes to :data:`bp`.
"""

from flask import Blueprint

bp = Blueprint(
    "thematic_review",
    __name__,
    url_prefix="/thematic_review",
    static_folder="static",
    static_url_path="/static",
)
