"""Talking with families without a connection: what "Prepare for offline use" on a review's
page keeps on the auditor's device (``static/thematic_review/offline.js``), for the service
worker to answer with when there is no connection (``static/thematic_review/offline-worker.js``,
served by ``views_family.offline_worker``).
"""

from __future__ import annotations

from flask import url_for

from plugins.thematic_review.models import Review


def offline_pages(review: Review) -> list[str]:
    """The pages kept on the device: the review's page, and the conversation page of each
    of its cases (the stylesheets and scripts they load are found by the page's script)."""
    return [url_for("thematic_review.review_page", review_id=review.id)] + [
        url_for("thematic_review.family_capture", review_case_id=review_case.id)
        for review_case in review.cases
    ]
