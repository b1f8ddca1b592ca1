"""The portal killed between an order's commit and the sending of its mails: the real portal (main.py) runs as a
process of its own, with a real SMTP server on loopback. Its sender reads the committed mails and is killed with
SIGKILL before it sends any (STOCKFRONT_FAULT=crash_before_sending). After a restart the mails go out, each once."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from nicegui import helpers
from sqlmodel import select

from app.core import config, db, faults
from app.mail import settings as mail_settings
from app.models import MailStatus, OutboxMail
from app.orders import current_order, ordering
from tests.security.support import identity
from tests.smtp import MailServer

ROOT = Path(__file__).resolve().parents[2]
SUPPLIER_ALERTS = 'orders@northwind.example'
LIMIT_S = 90  # only stops a broken run: every wait ends as soon as what it waits for happened


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    yield server
    server.stop()


def start_portal(portal: Path, smtp_port: int, fault: str = '') -> tuple[subprocess.Popen[bytes], int]:
    port = helpers.find_free_port()
    env = {
        **os.environ,
        'STOCKFRONT_DATA_DIR': str(portal),
        'STOCKFRONT_PORT': str(port),
        'STOCKFRONT_SMTP_HOST': '127.0.0.1',
        'STOCKFRONT_SMTP_PORT': str(smtp_port),
        'STOCKFRONT_FAULT': fault,
    }
    env.pop('PYTEST_CURRENT_TEST', None)  # NiceGUI would think it runs under pytest and pick another port
    process = subprocess.Popen(
        [sys.executable, 'main.py'], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    return process, port


def until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + LIMIT_S
    while not condition():
        assert time.monotonic() < deadline, f'{what} did not happen'
        time.sleep(0.1)


def serving(port: int) -> bool:
    with contextlib.suppress(OSError), urllib.request.urlopen(f'http://127.0.0.1:{port}/login', timeout=5) as answer:
        return answer.status == 200
    return False


def mails() -> list[OutboxMail]:
    with db.read_session() as s:
        return list(s.exec(select(OutboxMail).order_by(OutboxMail.id)))


def test_killed_after_the_commit_before_sending_the_mail_goes_out_after_the_restart_once(
    portal: Path, mail_server: MailServer
) -> None:
    who = identity('customer')
    with db.write_session() as s:  # only this order's mails; the alert to the supplier's own address setting
        for mail in s.exec(select(OutboxMail)).all():
            s.delete(mail)
        mail_settings.set_alert_addresses(s, actor=identity('supplier'), addresses=SUPPLIER_ALERTS)
    with db.write_session() as s:  # the order and its mails are committed
        key = current_order.get_or_create(s, actor=who).placement_key
        order = ordering.place_current_order(s, actor=who, placement_key=key)
    written = {mail.message_id: mail.recipient for mail in mails()}
    assert sorted(written.values()) == ['casey@demo-retail.example', SUPPLIER_ALERTS]
    db.dispose()  # the portal process has the database from here on

    crashing, _port = start_portal(portal, mail_server.port, fault=faults.CRASH_BEFORE_SENDING)
    try:
        crashing.wait(timeout=LIMIT_S)  # its sender's first run reads the two mails and is killed before sending
    finally:
        if crashing.poll() is None:
            crashing.kill()
    assert crashing.returncode == -signal.SIGKILL, crashing.stderr.read().decode()[-2000:] if crashing.stderr else ''
    db.configure(config.get().database_url)
    assert mail_server.inbox.received == []
    assert [(mail.status, mail.attempts) for mail in mails()] == [(MailStatus.QUEUED, 0)] * 2
    db.dispose()

    restarted, port = start_portal(portal, mail_server.port)
    try:
        until(lambda: serving(port), 'the restarted portal serving')
        until(lambda: len(mail_server.inbox.received) >= 2, 'the mails arriving')
        db.configure(config.get().database_url)
        until(lambda: all(mail.status == MailStatus.SENT for mail in mails()), 'the mails marked sent')
        db.dispose()
        until(lambda: serving(port), 'another page after the mails')  # the portal lives on past its sender's runs
    finally:
        restarted.send_signal(signal.SIGTERM)
        try:
            restarted.wait(timeout=30)
        except subprocess.TimeoutExpired:
            restarted.kill()
            restarted.wait()
    db.configure(config.get().database_url)
    received = {message['Message-ID']: recipients for recipients, message in mail_server.inbox.received}
    assert len(mail_server.inbox.received) == 2 and set(received) == set(written)  # each once, with its own id
    assert all(written[message_id] in recipients for message_id, recipients in received.items())
    confirmation = next(message for _, message in mail_server.inbox.received if order.number in message['Subject'])
    assert confirmation['Subject'] == f'Order {order.number} is confirmed'
    assert {mail.status for mail in mails()} == {MailStatus.SENT}
