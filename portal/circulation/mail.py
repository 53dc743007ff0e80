"""Emailing a report: one message to each address of a list, the PDF attached, over one
connection to the configured mail server (:func:`portal.notify.smtp_connection`)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field

from flask import current_app

from portal.notify import new_message, smtp_connection


class MailError(RuntimeError):
    """The mail server could not be used at all; the message says why, for the sender."""


@dataclass
class Delivery:
    """What became of one report's email: the addresses it reached and those refused."""

    sent: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def send_report(
    addresses: list[str], subject: str, text: str, pdf: bytes, filename: str
) -> Delivery:
    """Email *text* with *pdf* attached as *filename* to each of *addresses*, one message
    each (no recipient sees the others). Raises :class:`MailError` when email is not set
    up or the server cannot be reached; an address the server refuses is reported in
    :attr:`Delivery.refused` and does not stop the others."""
    config = current_app.config
    if not config.get("SMTP_HOST"):
        raise MailError(
            "Email is not set up for the portal: ask the administrator to set SMTP_HOST"
        )
    delivery = Delivery()
    try:
        with smtp_connection() as smtp:
            for address in addresses:
                message = new_message(address, subject)
                message.set_content(text)
                message.add_attachment(
                    pdf, maintype="application", subtype="pdf", filename=filename
                )
                try:
                    smtp.send_message(message)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
                    current_app.logger.warning("report to %s not sent: %s", address, error)
                    delivery.refused.append(address)
                else:
                    delivery.sent.append(address)
    except (OSError, smtplib.SMTPException) as error:
        server = f"{config['SMTP_HOST']}:{config['SMTP_PORT']}"
        current_app.logger.warning("report not sent (SMTP server %s): %s", server, error)
        raise MailError(
            "The mail server could not be reached, so the report was not sent: try again later"
        ) from error
    return delivery
