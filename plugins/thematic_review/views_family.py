"""The family conversations: consent, views in their own words, offline-safe capture,
safeguarding escalation, and the written reply ("you said, we did") (to be written)."""

from plugins.thematic_review.blueprint import bp  # noqa: F401  (routes attach to it)
