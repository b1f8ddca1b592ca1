"""Following a mail's link in real Chromium: "Forgot your password?" for `customer` with a real SMTP server on
loopback (aiosmtpd), the reset link opened from the mail that arrived, a new password set and signed in with.
Screenshots of the login page, the reset page and Your account at 1280x900 and 390x844 go to /tmp/stockfront-mail."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from nicegui.testing import Screen

from app.core import config
from tests.browser.conftest import DESKTOP, PHONE, button, field, sign_in, size, wait_text
from tests.smtp import MailServer, links_in

SHOTS = Path('/tmp/stockfront-mail')
CASEY = 'casey@demo-retail.example'


@pytest.fixture
def mail_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[MailServer]:
    """A mail server the portal sends to (set before the portal starts), its links pointing at the served portal."""
    server = MailServer()
    server.start()
    monkeypatch.setenv('STOCKFRONT_SMTP_HOST', '127.0.0.1')
    monkeypatch.setenv('STOCKFRONT_SMTP_PORT', str(server.port))
    monkeypatch.setenv('STOCKFRONT_PUBLIC_URL', f'http://localhost:{Screen.PORT}')
    config.set_settings(config.load())
    yield server
    server.stop()


def picture(screen: Screen, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    time.sleep(0.4)  # let Quasar's transitions finish, as a person would see the page
    screen.selenium.save_screenshot(str(SHOTS / f'{name}.png'))


def reset_links(server: MailServer, address: str, within_s: float = 30) -> list[str]:
    """The reset links mailed to `address`, once one has come (the portal's sender runs every few seconds; it also
    sends the demo's order mails)."""
    deadline = time.monotonic() + within_s
    while True:
        found = [url for mail in server.inbox.to(address) for url in links_in(mail) if '/reset-password?' in url]
        if found:
            return found
        assert time.monotonic() < deadline, f'no reset link to {address} arrived'
        time.sleep(0.1)


def test_forgot_password_mails_a_link_that_opens_in_the_browser_and_sets_a_new_password(
    mail_server: MailServer, screen: Screen
) -> None:
    size(screen, PHONE)
    screen.open('/login')
    wait_text(screen, 'Forgot your password?')
    picture(screen, 'login-phone')
    size(screen, DESKTOP)
    screen.open('/login')
    wait_text(screen, 'Forgot your password?')
    picture(screen, 'login-desktop')

    screen.click('Forgot your password?')
    wait_text(screen, 'Enter your user name or e-mail address.')
    field(screen, 'User name or e-mail address').send_keys('customer')
    button(screen, 'Mail me a link').click()
    wait_text(screen, 'a link to set a new password is on its way')

    [link] = reset_links(mail_server, CASEY)
    assert link.startswith(f'http://localhost:{Screen.PORT}/reset-password?token=')
    screen.selenium.get(link)  # as a click in the mail program would
    wait_text(screen, 'Choose a new password for customer.')
    picture(screen, 'reset-desktop')
    size(screen, PHONE)
    picture(screen, 'reset-phone')
    size(screen, DESKTOP)
    field(screen, 'New password').send_keys('casey-from-the-mail')
    field(screen, 'Repeat the new password').send_keys('casey-from-the-mail')
    button(screen, 'Save password').click()
    wait_text(screen, 'Your password is set. Sign in with it now.')

    sign_in(screen, 'customer', 'customer-demo')  # the old password no longer works
    wait_text(screen, 'Unknown user name or wrong password.')
    sign_in(screen, 'customer', 'casey-from-the-mail')
    wait_text(screen, 'Welcome')

    screen.open('/account')
    wait_text(screen, 'Mails you get')
    picture(screen, 'account-desktop')
    size(screen, PHONE)
    screen.open('/account')
    wait_text(screen, 'Mails you get')
    picture(screen, 'account-phone')

    screen.selenium.get(link)  # the link worked once
    wait_text(screen, 'This link has been used already.')
