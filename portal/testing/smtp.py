"""A real SMTP server for tests (aiosmtpd, a dev dependency), started on 127.0.0.1 by the
``smtp_server`` fixture, and :func:`use_smtp` to point the portal at it."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

#: The sender the tests configure.
SENDER = "qa-portal@council.example"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (it is closed again at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps every message and refuses the addresses in *refuse*."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.peers: set = set()
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.peers.add(session.peer)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """Start a real SMTP server on 127.0.0.1 and a free port: ``port, inbox =
    smtp_server()`` (keyword arguments go to aiosmtpd's ``Controller``); stopped after."""
    from aiosmtpd.controller import Controller

    started = []

    def start(**options):
        inbox = Inbox()
        port = free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
        controller.start()
        started.append(controller)
        return port, inbox

    yield start
    for controller in started:
        controller.stop()


def use_smtp(app, port: int, **extra) -> None:
    """Send to the test server, which (like a relay on the same machine) has no TLS."""
    settings = {"SMTP_SECURITY": "none", **extra}
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_FROM=SENDER, **settings)
