"""Order mails through the outbox, delivered to a real SMTP server on loopback (aiosmtpd) by app/mail/sender.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import func, select

from app.core import clock, config, db, i18n
from app.core.errors import ValidationError
from app.core.i18n import _
from app.identity import accounts
from app.identity.auth import Identity
from app.mail import outbox as outbox_service
from app.mail import sender
from app.models import CurrentOrder, Customer, MailStatus, Order, OutboxMail, PortalUser, Product
from app.orders import current_order, ordering
from tests.conftest import configured
from tests.portal import fresh_portal
from tests.smtp import MailServer, body

SUPPLIER_ALERTS = 'supplier@example.com'


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    yield server
    server.stop()


@pytest.fixture
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mail_server: MailServer) -> Iterator[Path]:
    """The demo portal (its users have addresses; customer2 reads Dutch) sending to the test's mail server."""
    directory = fresh_portal(tmp_path, monkeypatch)
    monkeypatch.setenv('STOCKFRONT_SMTP_HOST', '127.0.0.1')
    monkeypatch.setenv('STOCKFRONT_SMTP_PORT', str(mail_server.port))
    monkeypatch.setenv('STOCKFRONT_MAIL_FROM', 'orders@northwind.example')
    monkeypatch.setenv('STOCKFRONT_ORDER_ALERTS', SUPPLIER_ALERTS)
    monkeypatch.setenv('STOCKFRONT_PUBLIC_URL', 'https://portal.northwind.example')
    with configured():
        with db.write_session() as s:  # the demo's own orders' mails are not this test's
            for mail in s.exec(select(OutboxMail)).all():
                s.delete(mail)
        yield directory


def identity(username: str) -> Identity:
    with db.read_session() as s:
        user = s.exec(select(PortalUser).where(PortalUser.username == username)).one()
        customer = s.get(Customer, user.customer_id) if user.customer_id else None
        return Identity.of(user, customer_language=customer.language if customer else None)


def email_of(username: str) -> str:
    with db.read_session() as s:
        address = s.exec(select(PortalUser.email).where(PortalUser.username == username)).one()
        assert address
        return address


def place(username: str, codes: dict[str, int]) -> Order:
    """Put the products in the user's current order and place it, as the Current order page does."""
    who = identity(username)
    with db.write_session() as s:
        for code, quantity in codes.items():
            product_id = s.exec(select(Product.id).where(Product.code == code)).one()
            current_order.add(s, actor=who, product_id=product_id, quantity=quantity)
    with db.write_session() as s:
        key = s.get(CurrentOrder, who.user_id).placement_key
        return ordering.place_current_order(s, actor=who, placement_key=key)


def outbox() -> list[OutboxMail]:
    with db.read_session() as s:
        return list(s.exec(select(OutboxMail).order_by(OutboxMail.id)).all())


def test_placing_an_order_mails_the_confirmation_to_the_buyer_and_an_alert_to_the_supplier(portal, mail_server):
    mail_server.start()
    order = place('customer', {'FA-1001': 3, 'FA-1003': 2})  # the demo has no FA-1003 in stock: a backorder

    assert sender.send_due() == 2
    [confirmation] = mail_server.inbox.to(email_of('customer'))
    assert order.number in confirmation['Subject']
    text = body(confirmation, 'plain')
    assert order.number in text and 'FA-1001' in text and 'FA-1003' in text
    assert '2 units on backorder' in text and '3 units ship from stock' in text
    assert f'https://portal.northwind.example/orders/{order.number}' in text
    assert f'href="https://portal.northwind.example/orders/{order.number}"' in body(confirmation, 'html')
    assert confirmation['From'] == 'orders@northwind.example' and confirmation['Message-ID']
    [alert] = mail_server.inbox.to(SUPPLIER_ALERTS)
    assert order.number in alert['Subject'] and 'Demo Retail' in alert['Subject']
    assert f'https://portal.northwind.example/admin/orders/{order.id}' in body(alert, 'plain')
    assert {mail.status for mail in outbox()} == {MailStatus.SENT}
    assert sender.send_due() == 0 and len(mail_server.inbox.received) == 2  # marked sent: never again


def test_mails_written_while_the_server_is_down_arrive_once_it_is_back_each_exactly_once(portal, mail_server):
    start = clock.now()
    clock.set_now(lambda: start)
    first = place('customer', {'FA-1001': 1})
    assert sender.send_due() == 0  # nothing listens: the order stands, its mails wait
    second = place('customer', {'FA-1002': 1})
    assert sender.send_due() == 0
    assert [(mail.status, mail.attempts > 0) for mail in outbox()] == [(MailStatus.QUEUED, True)] * 4
    assert all(mail.last_error for mail in outbox())

    mail_server.start()
    assert sender.send_due() == 0  # not yet due again: the retry waits
    clock.set_now(lambda: start + timedelta(minutes=5))
    assert sender.send_due() == 4
    assert sender.send_due() == 0
    subjects = sorted(message['Subject'] for _, message in mail_server.inbox.received)
    assert len(subjects) == 4 and len({message['Message-ID'] for _, message in mail_server.inbox.received}) == 4
    for number in (first.number, second.number):
        assert sum(number in subject for subject in subjects) == 2  # its confirmation and its alert, once each


def _failed_after_a_day() -> datetime:
    """An order placed while the mail server is down, its mails tried for a day and a minute; returns when it was
    placed (the clock then stands a day and a minute later)."""
    start = clock.now()
    clock.set_now(lambda: start)
    place('customer', {'FA-1001': 1})
    sender.send_due()
    clock.set_now(lambda: start + timedelta(days=1, minutes=1))
    sender.send_due()
    return start


def test_a_mail_still_undelivered_after_a_day_is_marked_failed(portal, mail_server):
    start = _failed_after_a_day()
    assert {mail.status for mail in outbox()} == {MailStatus.FAILED}
    mail_server.start()
    clock.set_now(lambda: start + timedelta(days=2))
    assert sender.send_due() == 0 and mail_server.inbox.received == []


def test_a_rolled_back_placement_writes_no_mail(portal, mail_server):
    who = identity('customer')
    with db.read_session() as s:
        key = s.get(CurrentOrder, who.user_id).placement_key  # the demo's current order: HT-1003 x 2
    with pytest.raises(RuntimeError), db.write_session() as s:
        ordering.place_current_order(s, actor=who, placement_key=key)
        assert s.exec(select(func.count()).select_from(OutboxMail)).one() == 2  # written in the transaction ...
        raise RuntimeError('the transaction fails after placing')
    assert outbox() == []  # ... and gone with it
    mail_server.start()
    assert sender.send_due() == 0 and mail_server.inbox.received == []


def test_the_dutch_customer_gets_the_confirmation_in_dutch(portal, mail_server):
    mail_server.start()
    order = place('customer2', {'FA-1001': 2})
    sender.send_due()
    [confirmation] = mail_server.inbox.to(email_of('customer2'))
    with i18n.speaking('nl'):
        assert confirmation['Subject'] == _('Order {number} is confirmed').format(number=order.number)
        quantity_nl = _('Quantity')
    assert quantity_nl != 'Quantity'  # the catalogue has this one already
    assert quantity_nl in body(confirmation, 'html')
    [alert] = mail_server.inbox.to(SUPPLIER_ALERTS)
    assert 'Quantity' in body(alert, 'html')  # the supplier reads its own default language


def test_user_text_is_escaped_in_the_html_part(portal, mail_server):
    mail_server.start()
    who = identity('customer')
    with db.write_session() as s:
        current = s.get(CurrentOrder, who.user_id)
        current.reference = '<img src=x onerror=alert(1)>'
        s.add(current)
    with db.write_session() as s:
        key = s.get(CurrentOrder, who.user_id).placement_key
        ordering.place_current_order(s, actor=who, placement_key=key)
    sender.send_due()
    [confirmation] = mail_server.inbox.to(email_of('customer'))
    html = body(confirmation, 'html')
    assert '<img' not in html and '&lt;img src=x onerror=alert(1)&gt;' in html
    assert '<img src=x onerror=alert(1)>' in body(confirmation, 'plain')


def test_without_an_smtp_host_mails_stay_in_the_outbox(portal, mail_server, monkeypatch):
    mail_server.start()
    monkeypatch.delenv('STOCKFRONT_SMTP_HOST')
    config.set_settings(config.load())
    place('customer', {'FA-1001': 1})
    assert sender.send_due() == 0
    assert [mail.status for mail in outbox()] == [MailStatus.QUEUED] * 2 and mail_server.inbox.received == []


def test_a_failed_mail_resent_by_the_supplier_is_delivered_with_its_own_message_id(portal, mail_server):
    start = _failed_after_a_day()
    confirmation = next(mail for mail in outbox() if mail.recipient == email_of('customer'))
    assert confirmation.status == MailStatus.FAILED
    with db.write_session() as s:
        outbox_service.resend(s, actor=identity('supplier'), mail_id=confirmation.id)
    sender.send_due()  # still down: a resent mail has a day of its own, it is not failed at once
    assert next(mail for mail in outbox() if mail.id == confirmation.id).status == MailStatus.QUEUED

    mail_server.start()
    clock.set_now(lambda: start + timedelta(days=1, minutes=10))
    assert sender.send_due() == 1
    [received] = mail_server.inbox.to(email_of('customer'))
    assert received['Message-ID'] == confirmation.message_id
    with pytest.raises(ValidationError), db.write_session() as s:  # sent: nothing to resend
        outbox_service.resend(s, actor=identity('supplier'), mail_id=confirmation.id)


@pytest.mark.parametrize(
    'typed', ['casey', 'casey@', '@example.com', 'casey@example', 'ca sey@example.com', '<x>@example.com', 'a@b.c,d@e']
)
def test_an_address_that_is_not_one_is_refused_and_nothing_changes(portal, typed):
    who = identity('customer')
    with pytest.raises(ValidationError) as refused, db.write_session() as s:
        accounts.set_own_email(s, actor=who, email=typed)
    assert refused.value.field == 'email'
    assert email_of('customer') == 'casey@demo-retail.example'


def test_the_supplier_and_the_user_set_the_users_address_and_the_next_confirmation_goes_there(portal, mail_server):
    with db.write_session() as s:
        assert accounts.set_own_email(s, actor=identity('customer'), email='  buyer@demo-retail.example ') == (
            'buyer@demo-retail.example'
        )
    assert email_of('customer') == 'buyer@demo-retail.example'
    with db.write_session() as s:
        customer2 = identity('customer2').user_id
        assert accounts.set_email(s, actor=identity('supplier'), user_id=customer2, email='') is None
    mail_server.start()
    place('customer', {'FA-1001': 1})
    place('customer2', {'FA-1001': 1})
    sender.send_due()
    assert len(mail_server.inbox.to('buyer@demo-retail.example')) == 1
    assert len(mail_server.inbox.to(SUPPLIER_ALERTS)) == 2  # the supplier hears of both
    assert len(mail_server.inbox.received) == 3  # no confirmation for a user without an address
