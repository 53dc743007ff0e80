"""Notifications: a message in the portal for each person, and an email where SMTP is set up."""

from __future__ import annotations

from collections.abc import Iterable

from portal.extensions import db
from portal.models import Notification, User


def notify(
    users: Iterable[User], subject: str, body: str = "", link: str = ""
) -> list[Notification]:
    """Leave a notification for each of *users* (once each) in the current transaction.

    *link* is a path in the portal (``/audits/12``). The caller commits.
    """
    created = []
    seen: set[int] = set()
    for user in users:
        if user is None or user.id in seen or not user.active:
            continue
        seen.add(user.id)
        notification = Notification(user_id=user.id, subject=subject, body=body, link=link)
        db.session.add(notification)
        created.append(notification)
    return created
