"""Deliveries: the supplier ships reserved units of a checked order, in full or in part."""

from __future__ import annotations

from sqlmodel import Session

from app.core import text
from app.core.errors import ValidationError
from app.core.i18n import N_
from app.core.numbers import whole_number
from app.identity.access import ensure_admin, user_ref
from app.identity.auth import Identity
from app.models import Delivery, DeliveryLine, Order, OrderStatus
from app.orders import order_mails, orders, stock

MAX_TRACKING_CHARS = 80
DELIVERABLE = {OrderStatus.PROCESSING, OrderStatus.PARTIALLY_DELIVERED}


def record_delivery(
    session: Session, *, actor: Identity, order_id: int, quantities: dict[int, object], tracking_code: str = ''
) -> Delivery:
    """Ship `quantities` (order line id -> units) of the order: they leave the stock and count as delivered."""
    ensure_admin(actor)
    tracking_code = text.line(tracking_code, field='tracking_code', label=N_('The tracking code'))
    if len(tracking_code) > MAX_TRACKING_CHARS:
        raise ValidationError(
            'The tracking code can be at most {limit} characters.', 'tracking_code', limit=MAX_TRACKING_CHARS
        )
    order, lines, products = orders.locked_order(session, order_id=order_id)
    _ensure_deliverable(order)
    by_id = {line.id: line for line in lines}
    shipping = {}
    for line_id, raw in quantities.items():
        line = by_id.get(line_id)
        if line is None:
            raise ValidationError('That line is not part of this order.', 'quantities')
        units = whole_number(
            raw,
            minimum=0,
            maximum=stock.MAX_COUNT,
            message=N_('Enter a whole number of at least {minimum}.'),
            field='quantities',
        )
        if units > line.allocated:
            raise ValidationError(
                'You can deliver at most {reserved} of {product}: that is what is reserved.',
                'quantities',
                reserved=line.allocated,
                product=line.product_name,
            )
        if units:
            shipping[line_id] = units
    if not shipping:
        raise ValidationError('Enter how many to deliver of at least one line.', 'quantities')

    delivery = Delivery(order_id=order_id, tracking_code=tracking_code, created_by_user_id=user_ref(actor))
    session.add(delivery)
    session.flush()
    assert delivery.id is not None
    for line_id, units in shipping.items():
        line, product = by_id[line_id], products[by_id[line_id].product_id]
        line.delivered += units
        line.allocated -= units
        product.allocated -= units
        product.on_hand -= units
        session.add_all([line, DeliveryLine(delivery_id=delivery.id, order_line_id=line_id, quantity=units)])
        stock.record_movement(
            session,
            product=product,
            change=-units,
            kind='delivery',
            note=f'Order {order.number}',
            user_id=user_ref(actor),
        )
    orders.settle(session, order=order, lines=lines)
    shipped = [(by_id[line_id], units) for line_id, units in shipping.items()]
    order_mails.delivery_sent(session, order=order, delivery=delivery, shipped=shipped)
    return delivery


def deliver_all_reserved(session: Session, *, actor: Identity, order_id: int, tracking_code: str = '') -> Delivery:
    """Ship everything reserved for the order."""
    ensure_admin(actor)
    order, lines, _ = orders.locked_order(session, order_id=order_id)
    _ensure_deliverable(order)
    reserved = {line.id: line.allocated for line in lines if line.allocated}
    if not reserved:
        raise ValidationError('Nothing is reserved for this order yet, so there is nothing to deliver.')
    return record_delivery(session, actor=actor, order_id=order_id, quantities=reserved, tracking_code=tracking_code)


def _ensure_deliverable(order: Order) -> None:
    if order.status == OrderStatus.CONCEPT:
        raise ValidationError('Check this order before delivering it.')
    if order.status not in DELIVERABLE:
        raise ValidationError('This order is {state}: nothing more can be delivered.', state=order.status.state)
