"""Notifications: a message in the portal for each person, and an email where SMTP is set up."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

from portal.extensions import db
from portal.models import Notification, User
from portal.timeutil import utcnow

#: How long to wait for the mail server before giving up (the user is waiting too).
SMTP_TIMEOUT_SECONDS = 10


def notify(
    users: Iterable[User], subject: str, body: str = "", link: str = ""
) -> list[Notification]:
    """Leave a notification for each of *users* (once each) in the current transaction.

    *link* is a path in the portal (``/audits/12``). When ``SMTP_HOST`` is configured each
    person is emailed at once as well; a mail failure is logged and never stops the caller.
    The caller commits.
    """
    created = []
    recipients = []
    seen: set[int] = set()
    for user in users:
        if user is None or user.id in seen or not user.active:
            continue
        seen.add(user.id)
        notification = Notification(user_id=user.id, subject=subject, body=body, link=link)
        db.session.add(notification)
        created.append(notification)
        recipients.append((user, notification))
    if recipients and current_app.config.get("SMTP_HOST"):
        send_emails(recipients)
    return created


def full_link(link: str) -> str:
    """*link* as an address to click in an email: ``PORTAL_BASE_URL`` and the path.

    Never the request's Host header, which the sender of the request chooses; without a
    configured base URL the email gives the path alone.
    """
    base = current_app.config.get("PORTAL_BASE_URL", "").rstrip("/")
    return base + link if link and base else link


def _message(user: User, notification: Notification) -> EmailMessage:
    config = current_app.config
    message = new_message(user.email, notification.subject)
    paragraphs = [f"Dear {user.name},", notification.subject]
    if notification.body:
        paragraphs.append(notification.body)
    if notification.link:
        paragraphs.append(f"Open it in the portal: {full_link(notification.link)}")
    paragraphs.append(f"{config['SERVICE_NAME']} · {config['COUNCIL_NAME']}")
    message.set_content("\n\n".join(paragraphs) + "\n")
    return message


@contextmanager
def smtp_connection() -> Iterator[smtplib.SMTP]:
    """An open, encrypted and signed-in connection to the configured mail server.

    Uses ``SMTP_HOST``, ``SMTP_PORT``, ``SMTP_SECURITY`` and ``SMTP_USERNAME``/``SMTP_PASSWORD``.
    The connection is encrypted (STARTTLS, or implicit TLS) unless ``SMTP_SECURITY`` is
    ``none``; a server that cannot encrypt gets nothing. Raises ``OSError`` or
    ``smtplib.SMTPException`` when the server cannot be reached or refuses.
    """
    config = current_app.config
    security = config.get("SMTP_SECURITY", "starttls")
    context = ssl.create_default_context()
    address = (config["SMTP_HOST"], int(config["SMTP_PORT"]))
    if security == "tls":
        connection = smtplib.SMTP_SSL(*address, timeout=SMTP_TIMEOUT_SECONDS, context=context)
    else:
        connection = smtplib.SMTP(*address, timeout=SMTP_TIMEOUT_SECONDS)
    with connection as smtp:
        if security not in ("tls", "none"):
            smtp.starttls(context=context)
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD", ""))
        yield smtp


def new_message(to: str, subject: str) -> EmailMessage:
    """An email from ``SMTP_FROM`` to *to*, with its subject, date and message id."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["SMTP_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=config["SMTP_FROM"].rpartition("@")[2] or None)
    return message


def send_emails(recipients: list[tuple[User, Notification]]) -> None:
    """Email each (user, notification) pair over one SMTP connection; set ``emailed_at``.

    The connection is :func:`smtp_connection`'s. Failures are logged as warnings; unsent
    notifications keep ``emailed_at`` empty.
    """
    config = current_app.config
    logger = current_app.logger
    try:
        with smtp_connection() as smtp:
            for user, notification in recipients:
                try:
                    smtp.send_message(_message(user, notification))
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
                    logger.warning("email to %s not sent: %s", user.email, error)
                else:
                    notification.emailed_at = utcnow()
    except (OSError, smtplib.SMTPException) as error:
        server = f"{config['SMTP_HOST']}:{config['SMTP_PORT']}"
        logger.warning("email not sent (SMTP server %s): %s", server, error)
