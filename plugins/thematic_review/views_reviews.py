"""The reviews: set-up, cases and pairs, the discussion with the social worker, the report
and the SMART action plan (to be written)."""

from plugins.thematic_review.blueprint import bp  # noqa: F401  (routes attach to it)
