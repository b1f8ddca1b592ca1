"""The mails an order writes, each to the outbox in the transaction of the change it reports (app/mail), in its
reader's language, in the supplier's name and colour, with a link into the portal:

- placed: the confirmation and the supplier's new-order alert (to the addresses of app/mail/settings.py);
- checked, a delivery sent (its lines and tracking code), backorder lines reserved, an order or a line cancelled;
- changed or cancelled by its customer before the check: an alert to the supplier.

Who reads the customer's mails about an order: the customer's user who placed it (its own order's confirmation
always, the others if it wants them); for an order the supplier placed on the customer's behalf, every user of that
customer who wants that kind (app/mail/preferences.py). Each only while active and with an e-mail address.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from sqlmodel import Session, col, select

from app.core import i18n, portal_settings
from app.core.i18n import _, ngettext
from app.mail import outbox, preferences
from app.mail import settings as mail_settings
from app.models import Customer, Delivery, Order, OrderLine, OrderStatus, PortalUser, Role
from app.orders import carriers
from app.orders import orders as orders_service
from app.pricing.terms import percent

log = logging.getLogger('stockfront.mail')

Compose = Callable[[Session, PortalUser], tuple[str, outbox.Composer]]  # a mail's subject and body, for a reader


# --- placed ----------------------------------------------------------------------------------------------------


def order_placed(session: Session, *, order: Order) -> None:
    """Queue the confirmation and an alert per address of the supplier's alert setting. Called in the placing
    transaction, so a rolled-back placement writes neither."""
    lines = _lines(session, order)
    customer = session.get(Customer, order.customer_id)
    placer = session.get(PortalUser, order.placed_by_user_id) if order.placed_by_user_id else None
    if _placed_by_customer_user(order, placer):
        assert placer is not None
        if placer.email:
            key = f'order-placed:{order.number}:confirmation'
            _write(session, order, placer, customer, key, _confirmation(order, lines))
        else:
            log.info('order %s: no confirmation, user %s has no e-mail address', order.number, placer.id)
    else:
        key = f'order-placed:{order.number}:confirmation'
        _to_readers(session, order, preferences.PLACED_FOR_YOU, key, _confirmation(order, lines))
    _alert_supplier(
        session, order, lines, f'order-placed:{order.number}', lambda: _alert(session, order, lines, customer, placer)
    )


def changed_by_customer(session: Session, *, order: Order, by: PortalUser | None, reason: str = '') -> None:
    """Alert the supplier that the customer changed (or, when the order is now cancelled, cancelled) its order
    before the check, with the order as it is now. Called in the change's transaction, after the order settled
    (its version names the change, so each change alerts once)."""
    lines = _lines(session, order)
    customer = session.get(Customer, order.customer_id)
    customer_name, name = customer.name if customer else '', (by.full_name or by.username) if by else ''
    cancelled = OrderStatus(order.status) == OrderStatus.CANCELLED

    def compose() -> tuple[str, outbox.Composer]:
        if cancelled:
            subject = _('Order {number} cancelled by {customer}').format(number=order.number, customer=customer_name)
            intro = _('{name} of {customer} cancelled order {number} before your check.')
        else:
            subject = _('Order {number} changed by {customer}').format(number=order.number, customer=customer_name)
            intro = _('{name} of {customer} changed order {number}. Below is the order as it is now.')
        mail = outbox.Composer.of(session, subject).paragraph(
            intro.format(name=name, customer=customer_name, number=order.number)
        )
        if cancelled and reason:
            mail.paragraph(_('Reason: {reason}').format(reason=reason))
        return subject, mail

    _alert_supplier(session, order, lines, f'order-changed:{order.number}:v{order.version}', compose)


def _alert_supplier(
    session: Session,
    order: Order,
    lines: list[OrderLine],
    key: str,
    compose: Callable[[], tuple[str, outbox.Composer]],
) -> None:
    """One alert per address of the supplier's alert setting, in the supplier's default language, with the order's
    lines (unless it is cancelled) and a link to its page in the admin area."""
    default_language = portal_settings.default_language(session)
    for address in mail_settings.alert_addresses(session):
        with i18n.speaking(default_language):
            subject, mail = compose()
            if OrderStatus(order.status) != OrderStatus.CANCELLED:
                _order_body(session, mail, order, lines, for_buyer=False)
            mail.button(_('Check the order'), outbox.link(f'/admin/orders/{order.id}'))
        outbox.write(session, event_key=f'{key}:alert:{address.lower()}', recipient=address, subject=subject, mail=mail)


def _confirmation(order: Order, lines: list[OrderLine]) -> Compose:
    def compose(session: Session, reader: PortalUser) -> tuple[str, outbox.Composer]:
        subject = _('Order {number} is confirmed').format(number=order.number)
        if order.placed_by_supplier:
            intro = _(
                '{supplier} placed order {number} for you on {day}. Below is what ships from stock and what waits.'
            )
        else:
            intro = _(
                'Thank you for your order {number}, placed on {day}. Below is what ships from stock and what waits.'
            )
        mail = outbox.Composer.of(session, subject).paragraph(
            _greeting(reader),
            intro.format(
                supplier=portal_settings.supplier_name(session), number=order.number, day=i18n.day(order.created_at)
            ),
        )
        _order_body(session, mail, order, lines, for_buyer=True)
        return subject, mail

    return compose


def _alert(
    session: Session, order: Order, lines: list[OrderLine], customer: Customer | None, placer: PortalUser | None
) -> tuple[str, outbox.Composer]:
    customer_name = customer.name if customer else ''
    subject = _('New order {number} from {customer}').format(number=order.number, customer=customer_name)
    placed_by = (placer.full_name or placer.username) if placer else ''
    intro = (
        _('{name} placed order {number} on behalf of {customer}. It awaits your check.')
        if order.placed_by_supplier
        else _('{name} of {customer} placed order {number}. It awaits your check.')
    )
    mail = outbox.Composer.of(session, subject).paragraph(
        intro.format(name=placed_by, number=order.number, customer=customer_name)
    )
    return subject, mail


# --- after placing -----------------------------------------------------------------------------------------------


def order_checked(session: Session, *, order: Order) -> None:
    """The supplier checked the order: it is being prepared."""
    lines = _lines(session, order)

    def compose(session: Session, reader: PortalUser) -> tuple[str, outbox.Composer]:
        subject = _('Order {number} is checked and being prepared').format(number=order.number)
        mail = outbox.Composer.of(session, subject).paragraph(
            _greeting(reader),
            _('We have checked your order {number} of {day}; it is being prepared for delivery.').format(
                number=order.number, day=i18n.day(order.created_at)
            ),
        )
        _what_ships(mail, lines)
        return subject, mail

    _to_readers(session, order, preferences.ORDER_CHECKED, f'order-checked:{order.number}', compose)


def delivery_sent(session: Session, *, order: Order, delivery: Delivery, shipped: list[tuple[OrderLine, int]]) -> None:
    """A delivery left: its lines, its tracking code (a link when the carrier is known), what is still to come."""
    track = carriers.tracking(delivery.tracking_code)
    to_come = sum(line.allocated + line.backorder for line in _lines(session, order))

    def compose(session: Session, reader: PortalUser) -> tuple[str, outbox.Composer]:
        subject = _('Order {number}: a delivery is on its way').format(number=order.number)
        mail = outbox.Composer.of(session, subject).paragraph(
            _greeting(reader),
            _('A delivery for your order {number} left our warehouse today. It holds:').format(number=order.number),
        )
        mail.table(
            [_('Quantity'), _('Product')],
            [[i18n.number(units), f'{line.product_name} ({line.product_code})'] for line, units in shipped],
        )
        if track.code:
            label = (
                _('Tracking code ({carrier})').format(carrier=track.carrier) if track.carrier else _('Tracking code')
            )
            mail.link_line(label, track.code, track.url)
        if to_come:
            mail.paragraph(
                ngettext(
                    '{n} unit of this order is still to come.', '{n} units of this order are still to come.', to_come
                )
            )
        else:
            mail.paragraph(_('With this delivery your order is complete.'))
        return subject, mail

    _to_readers(session, order, preferences.DELIVERY_SENT, f'delivery:{delivery.id}', compose)


def backorder_reserved(session: Session, *, order: Order, reserved: list[tuple[OrderLine, int]]) -> None:
    """Stock came in for backorder lines of the order and is reserved for them."""

    def compose(session: Session, reader: PortalUser) -> tuple[str, outbox.Composer]:
        subject = _('Order {number}: products on backorder are reserved for you').format(number=order.number)
        mail = outbox.Composer.of(session, subject).paragraph(
            _greeting(reader),
            _('Products of your order {number} that were on backorder have arrived and are reserved for you:').format(
                number=order.number
            ),
        )
        rows, notes = [], []
        for line, units in reserved:
            rows.append([i18n.number(units), f'{line.product_name} ({line.product_code})'])
            notes.append(
                ngettext('{n} unit still on backorder', '{n} units still on backorder', line.backorder)
                if line.backorder
                else ''
            )
        mail.table([_('Quantity'), _('Product')], rows, notes=notes)
        mail.paragraph(_('They ship with your next delivery.'))
        return subject, mail

    # one allocation is one event; the same order can have more of them, each its own mail
    key = f'backorder-reserved:{order.number}:{secrets.token_hex(8)}'
    _to_readers(session, order, preferences.BACKORDER_RESERVED, key, compose)


def order_cancelled(session: Session, *, order: Order, cancelled: list[tuple[OrderLine, int]], reason: str) -> None:
    """The supplier cancelled what was left of the order."""

    def compose(session: Session, reader: PortalUser) -> tuple[str, outbox.Composer]:
        subject = _('Order {number} is cancelled').format(number=order.number)
        if order.status == OrderStatus.CANCELLED:
            intro = _('Your order {number} of {day} is cancelled.')
        else:
            intro = _('What was not yet delivered of your order {number} of {day} is cancelled.')
        mail = outbox.Composer.of(session, subject).paragraph(
            _greeting(reader), intro.format(number=order.number, day=i18n.day(order.created_at))
        )
        _cancelled_body(mail, cancelled, reason)
        return subject, mail

    _to_readers(session, order, preferences.ORDER_CANCELLED, f'order-cancelled:{order.number}', compose)


def line_cancelled(session: Session, *, order: Order, line: OrderLine, units: int, reason: str) -> None:
    """The supplier cancelled what was left of one line."""

    def compose(session: Session, reader: PortalUser) -> tuple[str, outbox.Composer]:
        subject = _('Order {number}: {product} is cancelled').format(number=order.number, product=line.product_name)
        mail = outbox.Composer.of(session, subject).paragraph(
            _greeting(reader),
            _('In your order {number} of {day} we have cancelled what was not yet delivered of one line.').format(
                number=order.number, day=i18n.day(order.created_at)
            ),
        )
        _cancelled_body(mail, [(line, units)], reason)
        if order.status == OrderStatus.CANCELLED:
            mail.paragraph(_('With this, nothing of the order is left: the order is cancelled.'))
        return subject, mail

    _to_readers(session, order, preferences.ORDER_CANCELLED, f'line-cancelled:{line.id}', compose)


# --- who reads, in which language ------------------------------------------------------------------------------


def _placed_by_customer_user(order: Order, placer: PortalUser | None) -> bool:
    return (
        not order.placed_by_supplier
        and placer is not None
        and placer.role == Role.CUSTOMER
        and placer.customer_id == order.customer_id
    )


def readers(session: Session, *, order: Order, kind: str) -> list[PortalUser]:
    """Who gets a customer mail of this kind about the order (see the module's docstring)."""
    placer = session.get(PortalUser, order.placed_by_user_id) if order.placed_by_user_id else None
    if _placed_by_customer_user(order, placer):
        assert placer is not None
        users = [placer]
    else:
        users = list(
            session.exec(
                select(PortalUser)
                .where(PortalUser.customer_id == order.customer_id, PortalUser.role == Role.CUSTOMER)
                .order_by(col(PortalUser.id))
            )
        )
    users = [user for user in users if user.active and user.email and user.id is not None]
    wanting = preferences.wanting(session, user_ids=[user.id for user in users if user.id], kind=kind)
    return [user for user in users if user.id in wanting]


def _to_readers(session: Session, order: Order, kind: str, key: str, compose: Compose) -> None:
    """One mail per reader, each with an event key of its own."""
    customer = session.get(Customer, order.customer_id)
    for reader in readers(session, order=order, kind=kind):
        _write(session, order, reader, customer, f'{key}:{reader.id}', compose)


def _write(
    session: Session, order: Order, reader: PortalUser, customer: Customer | None, key: str, compose: Compose
) -> None:
    """The mail in the reader's language (its own choice, else its customer's, else the supplier's default), with
    the link to the order's page."""
    assert reader.email
    default = portal_settings.default_language(session)
    with i18n.speaking(reader.language or (customer.language if customer else None) or default):
        subject, mail = compose(session, reader)
        mail.button(_('See the order in the portal'), outbox.link(f'/orders/{order.number}'))
    outbox.write(session, event_key=key, recipient=reader.email, subject=subject, mail=mail)


def _greeting(reader: PortalUser) -> str:
    return _('Hello {name},').format(name=reader.full_name or reader.username)


# --- bodies ------------------------------------------------------------------------------------------------------


def _lines(session: Session, order: Order) -> list[OrderLine]:
    return list(session.exec(select(OrderLine).where(OrderLine.order_id == order.id).order_by(col(OrderLine.id))))


def _what_ships(mail: outbox.Composer, lines: list[OrderLine]) -> None:
    rows, notes = [], []
    for line in lines:
        if line.quantity == line.cancelled:
            continue
        rows.append([i18n.number(line.quantity - line.cancelled), f'{line.product_name} ({line.product_code})'])
        notes.append(_ships_note(line))
    mail.table([_('Quantity'), _('Product')], rows, notes=notes)


def _ships_note(line: OrderLine) -> str:
    parts = []
    if line.allocated:
        parts.append(ngettext('{n} unit ships from stock', '{n} units ship from stock', line.allocated))
    if line.backorder:
        parts.append(ngettext('{n} unit on backorder', '{n} units on backorder', line.backorder))
    return '; '.join(parts)


def _cancelled_body(mail: outbox.Composer, cancelled: list[tuple[OrderLine, int]], reason: str) -> None:
    mail.table(
        [_('Cancelled'), _('Product')],
        [[i18n.number(units), f'{line.product_name} ({line.product_code})'] for line, units in cancelled if units],
    )
    if reason:
        mail.paragraph(_('Reason: {reason}').format(reason=reason))


def _order_body(
    session: Session, mail: outbox.Composer, order: Order, lines: list[OrderLine], *, for_buyer: bool
) -> None:
    """Reference, comment, delivery address, the lines (from stock / on backorder) and the totals."""
    currency = portal_settings.currency(session)
    mail.paragraph(
        _('Order: {number}').format(number=order.number),
        (_('Your reference: {reference}') if for_buyer else _('Reference: {reference}')).format(
            reference=order.reference
        )
        if order.reference
        else '',
        _('Comment: {comment}').format(comment=order.comment) if order.comment else '',
    )
    address = [order.ship_recipient, order.ship_street, f'{order.ship_postal_code} {order.ship_city}'.strip()]
    mail.paragraph(_('Delivery address:'), *address, order.ship_country)
    rows, notes = [], []
    for line in lines:
        rows.append(
            [
                i18n.number(line.quantity),
                f'{line.product_name} ({line.product_code})',
                i18n.money(line.unit_price_cents, currency),
                i18n.money(line.total_cents, currency),
            ]
        )
        notes.append(_ships_note(line))
    mail.table([_('Quantity'), _('Product'), _('Unit price'), _('Line total')], rows, notes=notes)
    totals = orders_service.totals_of(order, lines)
    amounts = [(_('Subtotal excl. VAT'), i18n.money(totals.subtotal_cents, currency))]
    amounts += [
        (_('VAT {rate}').format(rate=percent(amount.rate_bp)), i18n.money(amount.vat_cents, currency))
        for amount in totals.vat
    ]
    if totals.vat_exempt_reason:
        amounts.append((_('No VAT charged: {reason}').format(reason=totals.vat_exempt_reason), ''))
    amounts.append((_('Total incl. VAT'), i18n.money(totals.total_cents, currency)))
    mail.amounts(amounts)
