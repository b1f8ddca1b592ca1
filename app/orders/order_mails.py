"""The mails an order writes when it is placed: the confirmation to the user who placed it and the supplier's
new-order alert, each in its reader's language, written to the outbox in the placing transaction (app/mail)."""

from __future__ import annotations

import logging

from sqlmodel import Session, col, select

from app.core import config, i18n, portal_settings
from app.core.i18n import _, ngettext
from app.mail import outbox
from app.models import Customer, Order, OrderLine, PortalUser, Role
from app.orders.orders import totals_of
from app.pricing.terms import percent

log = logging.getLogger('stockfront.mail')


def order_placed(session: Session, *, order: Order) -> None:
    """Queue the confirmation (to the placing user, if it has an address) and an alert per address in
    STOCKFRONT_ORDER_ALERTS. Called in the placing transaction, so a rolled-back placement writes neither."""
    lines = list(session.exec(select(OrderLine).where(OrderLine.order_id == order.id).order_by(col(OrderLine.id))))
    customer = session.get(Customer, order.customer_id)
    placer = session.get(PortalUser, order.placed_by_user_id) if order.placed_by_user_id else None
    default_language = portal_settings.default_language(session)
    if placer is not None and placer.email:
        language = placer.language or (customer.language if customer and placer.role == Role.CUSTOMER else None)
        with i18n.speaking(language or default_language):
            subject, text, html_body = _confirmation(session, order, lines, customer, placer)
        outbox.write(
            session,
            event_key=f'order-placed:{order.number}:confirmation',
            recipient=placer.email,
            subject=subject,
            text=text,
            html_body=html_body,
        )
    elif placer is not None:
        log.info('order %s: no confirmation, user %s has no e-mail address', order.number, placer.id)
    for address in config.get().order_alerts:
        with i18n.speaking(default_language):
            subject, text, html_body = _alert(session, order, lines, customer, placer)
        outbox.write(
            session,
            event_key=f'order-placed:{order.number}:alert:{address.lower()}',
            recipient=address,
            subject=subject,
            text=text,
            html_body=html_body,
        )


def _confirmation(
    session: Session, order: Order, lines: list[OrderLine], customer: Customer | None, placer: PortalUser
) -> tuple[str, str, str]:
    subject = _('Order {number} is confirmed').format(number=order.number)
    mail = outbox.Composer(subject).paragraph(
        _('Hello {name},').format(name=placer.full_name or placer.username),
        _('Thank you for your order {number}, placed on {day}. Below is what ships from stock and what waits.').format(
            number=order.number, day=i18n.day(order.created_at)
        ),
    )
    _order_body(session, mail, order, lines, for_buyer=True)
    path = f'/admin/orders/{order.id}' if placer.role == Role.ADMIN else f'/orders/{order.number}'
    mail.button(_('See the order in the portal'), outbox.link(path))
    supplier = portal_settings.supplier_name(session)
    return subject, mail.text(), mail.html(footer=supplier)


def _alert(
    session: Session, order: Order, lines: list[OrderLine], customer: Customer | None, placer: PortalUser | None
) -> tuple[str, str, str]:
    customer_name = customer.name if customer else ''
    subject = _('New order {number} from {customer}').format(number=order.number, customer=customer_name)
    placed_by = (placer.full_name or placer.username) if placer else ''
    intro = (
        _('{name} placed order {number} on behalf of {customer}. It awaits your check.')
        if order.placed_by_supplier
        else _('{name} of {customer} placed order {number}. It awaits your check.')
    )
    mail = outbox.Composer(subject).paragraph(intro.format(name=placed_by, number=order.number, customer=customer_name))
    _order_body(session, mail, order, lines, for_buyer=False)
    mail.button(_('Check the order'), outbox.link(f'/admin/orders/{order.id}'))
    return subject, mail.text(), mail.html(footer=portal_settings.supplier_name(session))


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
        parts = []
        if line.allocated:
            parts.append(ngettext('{n} unit ships from stock', '{n} units ship from stock', line.allocated))
        if line.backorder:
            parts.append(ngettext('{n} unit on backorder', '{n} units on backorder', line.backorder))
        notes.append('; '.join(parts))
    mail.table([_('Quantity'), _('Product'), _('Unit price'), _('Line total')], rows, notes=notes)
    totals = totals_of(order, lines)
    amounts = [(_('Subtotal excl. VAT'), i18n.money(totals.subtotal_cents, currency))]
    amounts += [
        (_('VAT {rate}').format(rate=percent(amount.rate_bp)), i18n.money(amount.vat_cents, currency))
        for amount in totals.vat
    ]
    if totals.vat_exempt_reason:
        amounts.append((_('No VAT charged: {reason}').format(reason=totals.vat_exempt_reason), ''))
    amounts.append((_('Total incl. VAT'), i18n.money(totals.total_cents, currency)))
    mail.amounts(amounts)
