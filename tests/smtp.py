"""A real SMTP server on loopback (aiosmtpd) for the mail tests, and reading what it received."""

from __future__ import annotations

import email
import re
import socket
from email.message import EmailMessage
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


class Inbox:
    """What the SMTP server received: (envelope recipients, message) per mail."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        self.received.append((list(envelope.rcpt_tos), message))
        return '250 OK'

    def to(self, address: str) -> list[EmailMessage]:
        return [message for recipients, message in self.received if address in recipients]


class MailServer:
    """An aiosmtpd server on a free loopback port that can be stopped and started again on the same port."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(('127.0.0.1', 0))
            self.port = probe.getsockname()[1]
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname='127.0.0.1', port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def body(message: EmailMessage, subtype: str) -> str:
    """The mail's plain-text or HTML part."""
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None and part.get_content_type() == f'text/{subtype}'
    return part.get_content()


def links_in(message: EmailMessage) -> list[str]:
    """The addresses the HTML part links to, unescaped."""
    return [href.replace('&amp;', '&') for href in re.findall(r'href="([^"]+)"', body(message, 'html'))]
