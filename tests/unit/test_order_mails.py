"""The mails that follow an order (checked, a delivery sent, backorders reserved, cancelled), who gets them, the
preferences that choose them, the supplier's alert addresses and brand colour; delivered to a real SMTP server on
loopback (aiosmtpd) by app/mail/sender.py."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from sqlmodel import select

from app.core import db, i18n, portal_settings
from app.core.errors import AccessDenied, ValidationError
from app.core.i18n import _
from app.identity import accounts
from app.mail import preferences, sender
from app.mail import settings as mail_settings
from app.models import Customer, OrderLine, OutboxMail, PortalUserCreate
from app.orders import carriers, deliveries, order_changes, ordering, orders, stock
from tests.rows import product
from tests.smtp import Inbox, body, links_in
from tests.unit.test_mail import SUPPLIER_ALERTS, email_of, identity, mail_server, outbox, place, portal  # noqa: F401

PUBLIC = 'https://portal.northwind.example'


def as_supplier(service, **arguments):
    with db.write_session() as s:
        return service(s, actor=identity('supplier'), **arguments)


@pytest.fixture(autouse=True)
def _demo_portal(portal):  # noqa: F811 - every test here on its own copy of the demo portal
    return portal


@pytest.fixture
def inbox(mail_server):  # noqa: F811
    mail_server.start()
    return mail_server.inbox


def about(inbox: Inbox, address: str, number: str) -> list[EmailMessage]:
    """The mails to `address` about the order `number`."""
    return [message for message in inbox.to(address) if number in message['Subject']]


def test_checked_delivered_backorder_reserved_and_cancelled_each_mail_the_buyer_once(inbox):
    casey = email_of('customer')
    order = place('customer', {'FA-1001': 3, 'FA-1003': 2, 'HT-1002': 1})  # FA-1003 out of stock: a backorder
    sender.send_due()

    as_supplier(orders.check_order, order_id=order.id)
    sender.send_due()
    [checked] = [m for m in about(inbox, casey, order.number) if 'checked' in m['Subject']]
    assert checked['Subject'] == f'Order {order.number} is checked and being prepared'
    assert '2 units on backorder' in body(checked, 'plain')
    assert f'{PUBLIC}/orders/{order.number}' in links_in(checked)

    as_supplier(deliveries.deliver_all_reserved, order_id=order.id, tracking_code='3SDEMO0001234')
    sender.send_due()
    [delivered] = [m for m in about(inbox, casey, order.number) if 'delivery' in m['Subject']]
    text = body(delivered, 'plain')
    assert 'FA-1001' in text and 'HT-1002' in text and 'FA-1003' not in text  # only what left
    assert 'Tracking code (PostNL): 3SDEMO0001234' in text
    assert 'https://jouw.postnl.nl/track-and-trace/3SDEMO0001234' in links_in(delivered)
    assert '2 units of this order are still to come.' in text

    # stock comes in: the demo's older order waits for 6 of FA-1003, then this one gets its 2
    as_supplier(stock.receive_stock, product_id=product('FA-1003').id, quantity=8)
    sender.send_due()
    [reserved] = [m for m in about(inbox, casey, order.number) if 'reserved' in m['Subject']]
    assert 'FA-1003' in body(reserved, 'plain') and 'They ship with your next delivery.' in body(reserved, 'plain')

    with db.read_session() as s:
        line = next(
            line
            for line in orders.admin_get_order(s, actor=identity('supplier'), order_id=order.id).lines
            if line.product_code == 'FA-1003'
        )
    as_supplier(orders.cancel_line, order_id=order.id, line_id=line.id, reason='No longer made by the factory.')
    sender.send_due()
    [cancelled] = [m for m in about(inbox, casey, order.number) if 'cancelled' in m['Subject']]
    assert 'Reason: No longer made by the factory.' in body(cancelled, 'plain')
    assert '<h2 style="margin:0 0 16px;color:#1f4e79">' in body(cancelled, 'html')  # the brand colour
    assert 'Northwind Workshop Supply' in body(cancelled, 'html')  # the supplier's name (the demo's)

    subjects = [m['Subject'] for m in about(inbox, casey, order.number)]
    assert len(subjects) == len(set(subjects)) == 5  # confirmation, checked, delivery, reserved, cancelled: once each
    assert sender.send_due() == 0


def test_the_supplier_cancelling_an_order_mails_its_reason(inbox):
    order = place('customer', {'FA-1001': 1})
    as_supplier(orders.cancel_order, order_id=order.id, reason='Ordered twice, by phone.')
    sender.send_due()
    [cancelled] = [m for m in about(inbox, email_of('customer'), order.number) if 'cancelled' in m['Subject']]
    assert cancelled['Subject'] == f'Order {order.number} is cancelled'
    assert 'Reason: Ordered twice, by phone.' in body(cancelled, 'plain')


def test_a_dutch_reader_gets_the_follow_up_mails_in_dutch(inbox):
    order = place('customer2', {'FA-1001': 1})
    as_supplier(orders.check_order, order_id=order.id)
    sender.send_due()
    subjects = [m['Subject'] for m in about(inbox, email_of('customer2'), order.number)]
    with i18n.speaking('nl'):
        expected = _('Order {number} is checked and being prepared').format(number=order.number)
    assert expected in subjects and expected != f'Order {order.number} is checked and being prepared'


def test_an_order_placed_by_the_supplier_mails_the_customers_users_who_want_it_and_never_the_staff_member(inbox):
    with db.write_session() as s:
        demo = s.exec(select(Customer).where(Customer.code == 'DEMO')).one()
        accounts.create_user(
            s,
            actor=identity('supplier'),
            data=PortalUserCreate(
                username='dana', password='dana-password', customer_id=demo.id, email='dana@demo-retail.example'
            ),
        )
    with db.write_session() as s:
        preferences.set_my_preferences(s, actor=identity('dana'), wanted={preferences.PLACED_FOR_YOU: False})
    with db.write_session() as s:
        order = ordering.place_order_for_customer(
            s, actor=identity('supplier'), customer_id=demo.id, lines=[(product('FA-1001').id, 2)]
        )
    as_supplier(orders.check_order, order_id=order.id)
    sender.send_due()
    casey = [m['Subject'] for m in about(inbox, email_of('customer'), order.number)]
    dana = [m['Subject'] for m in about(inbox, 'dana@demo-retail.example', order.number)]
    assert casey == [f'Order {order.number} is confirmed', f'Order {order.number} is checked and being prepared']
    assert dana == [f'Order {order.number} is checked and being prepared']  # she turned the confirmation off
    assert [m['Subject'] for m in about(inbox, SUPPLIER_ALERTS, order.number)] == [
        f'New order {order.number} from Demo Retail'
    ]  # the staff member (supplier@example.com) gets the alert only, no confirmation
    assert 'placed order' in body(about(inbox, email_of('customer'), order.number)[0], 'plain')


def test_a_user_who_turned_a_mail_off_does_not_get_it_but_always_gets_its_own_confirmation(inbox):
    with db.write_session() as s:
        chosen = preferences.set_my_preferences(
            s,
            actor=identity('customer'),
            wanted={kind: False for kind in preferences.KINDS},
        )
    assert not any(chosen.values())
    order = place('customer', {'FA-1001': 1})
    as_supplier(orders.check_order, order_id=order.id)
    as_supplier(deliveries.deliver_all_reserved, order_id=order.id)
    sender.send_due()
    assert [m['Subject'] for m in about(inbox, email_of('customer'), order.number)] == [
        f'Order {order.number} is confirmed'
    ]
    with db.write_session() as s:
        back = preferences.set_my_preferences(s, actor=identity('customer'), wanted={preferences.DELIVERY_SENT: True})
    assert back[preferences.DELIVERY_SENT] and not back[preferences.ORDER_CHECKED]


@pytest.mark.parametrize('wanted', [{'spam': True}, {preferences.ORDER_CHECKED: 'yes'}, ['order_checked']])
def test_a_choice_of_mails_outside_the_list_is_refused_and_changes_nothing(wanted):
    with pytest.raises(ValidationError), db.write_session() as s:
        preferences.set_my_preferences(s, actor=identity('customer'), wanted=wanted)
    with db.read_session() as s:
        assert all(preferences.my_preferences(s, actor=identity('customer')).values())


def test_a_rolled_back_check_writes_no_mail():
    order = place('customer', {'FA-1001': 1})
    before = len(outbox())
    with pytest.raises(RuntimeError), db.write_session() as s:
        orders.check_order(s, actor=identity('supplier'), order_id=order.id)
        raise RuntimeError('the transaction fails after checking')
    assert len(outbox()) == before


def test_the_alert_addresses_set_by_the_supplier_win_over_the_environment(inbox):
    with db.read_session() as s:
        assert mail_settings.alert_settings(s, actor=identity('supplier')).from_environment
    with db.write_session() as s:
        saved = mail_settings.set_alert_addresses(
            s,
            actor=identity('supplier'),
            addresses='orders@northwind.example; Sales@Northwind.example,\nsales@northwind.example',
        )
    assert saved == ('orders@northwind.example', 'Sales@Northwind.example')
    order = place('customer', {'FA-1001': 1})
    sender.send_due()
    assert about(inbox, SUPPLIER_ALERTS, order.number) == []  # the environment's address no longer
    assert len(about(inbox, 'orders@northwind.example', order.number)) == 1
    assert len(about(inbox, 'Sales@Northwind.example', order.number)) == 1

    with db.write_session() as s:
        assert mail_settings.set_alert_addresses(s, actor=identity('supplier'), addresses='  ') == ()
    second = place('customer', {'FA-1001': 1})
    with db.read_session() as s:
        recipients = [m.recipient for m in s.exec(select(OutboxMail)).all() if second.number in m.subject]
    assert recipients == [email_of('customer')]  # no alerts at all


def test_an_alert_address_that_is_not_one_refuses_the_list_and_a_customer_may_not_set_it():
    with pytest.raises(ValidationError) as refused, db.write_session() as s:
        mail_settings.set_alert_addresses(s, actor=identity('supplier'), addresses='orders@northwind.example, sales@')
    assert refused.value.field == 'order_alerts' and 'sales@' in refused.value.message
    with pytest.raises(AccessDenied), db.write_session() as s:
        mail_settings.set_alert_addresses(s, actor=identity('customer'), addresses='me@example.com')
    with db.read_session() as s:
        assert mail_settings.alert_addresses(s) == (SUPPLIER_ALERTS,)


def test_the_brand_colour_is_a_setting_the_mails_use(inbox):
    with db.write_session() as s:
        assert portal_settings.set_brand_colour(s, actor=identity('supplier'), colour=' #A0522D ') == '#a0522d'
    order = place('customer', {'FA-1001': 1})
    sender.send_due()
    [confirmation] = about(inbox, email_of('customer'), order.number)
    assert 'background:#a0522d' in body(confirmation, 'html') and '#1f4e79' not in body(confirmation, 'html')
    for typed in ['red', '#12345', '#1234567', 'url(x)', '#a0522d;x:y']:
        with pytest.raises(ValidationError), db.write_session() as s:
            portal_settings.set_brand_colour(s, actor=identity('supplier'), colour=typed)
    with db.read_session() as s:
        assert portal_settings.brand_colour(s) == '#a0522d'


@pytest.mark.parametrize(
    ('typed', 'carrier', 'url'),
    [
        ('3SDEMO0001234', 'PostNL', 'https://jouw.postnl.nl/track-and-trace/3SDEMO0001234'),
        ('1Z 999 AA1 01 2345 6784', 'UPS', 'https://www.ups.com/track?tracknum=1Z999AA10123456784'),
        (
            'JVGL0123456789012345',
            'DHL',
            'https://www.dhl.com/nl-en/home/tracking.html?tracking-id=JVGL0123456789012345',
        ),
        ('dpd 01234567890123', 'DPD', 'https://tracking.dpd.de/status/en_US/parcel/01234567890123'),
        ('GLS: 12345678901', 'GLS', 'https://gls-group.com/track/12345678901'),
        ('DHL a/b?c', 'DHL', 'https://www.dhl.com/nl-en/home/tracking.html?tracking-id=a%2Fb%3Fc'),
        ('TRUCK-42', '', None),
        ('', '', None),
    ],
)
def test_a_tracking_code_is_a_link_when_its_carrier_is_known(typed, carrier, url):
    found = carriers.tracking(typed)
    assert (found.carrier, found.url) == (carrier, url)


def test_a_customer_changing_or_cancelling_its_order_before_the_check_alerts_the_supplier_once_per_change(inbox):
    order = place('customer', {'FA-1001': 3, 'HT-1002': 1})
    sender.send_due()
    assert len(about(inbox, SUPPLIER_ALERTS, order.number)) == 1  # the new-order alert
    with db.read_session() as s:
        line = s.exec(
            select(OrderLine).where(OrderLine.order_id == order.id, OrderLine.product_code == 'FA-1001')
        ).one()
    with db.write_session() as s:
        changed = order_changes.change_order(
            s, actor=identity('customer'), number=order.number, version=order.version, quantities={line.id: '5'}
        )
        version = changed.version
    sender.send_due()
    [alert] = [m for m in about(inbox, SUPPLIER_ALERTS, order.number) if 'changed' in m['Subject']]
    assert alert['Subject'] == f'Order {order.number} changed by Demo Retail'
    assert 'Casey Customer of Demo Retail changed order' in body(alert, 'plain')
    assert '5' in body(alert, 'plain') and 'FA-1001' in body(alert, 'plain')  # the order as it is now
    assert any(link.endswith(f'/admin/orders/{order.id}') for link in links_in(alert))

    with db.write_session() as s:
        order_changes.cancel_own_order(
            s, actor=identity('customer'), number=order.number, version=version, reason='Ordered twice'
        )
    sender.send_due()
    sent = about(inbox, SUPPLIER_ALERTS, order.number)
    [cancelled] = [m for m in sent if 'cancelled' in m['Subject']]
    assert 'Reason: Ordered twice' in body(cancelled, 'plain')
    assert len(sent) == 3  # placed, changed, cancelled: each once
    assert [
        m for m in inbox.to(email_of('customer')) if order.number in m['Subject'] and 'changed' in m['Subject']
    ] == []


def test_a_change_refused_because_the_supplier_checked_meanwhile_alerts_nobody(inbox):
    order = place('customer', {'FA-1001': 3})
    as_supplier(orders.check_order, order_id=order.id)
    with db.read_session() as s:
        line = s.exec(select(OrderLine).where(OrderLine.order_id == order.id)).first()
    with pytest.raises(ValidationError), db.write_session() as s:
        order_changes.change_order(
            s, actor=identity('customer'), number=order.number, version=order.version, quantities={line.id: '5'}
        )
    with db.read_session() as s:
        assert [m.subject for m in s.exec(select(OutboxMail)).all() if 'changed' in m.subject] == []
