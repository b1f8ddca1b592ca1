"""Placing orders: a customer's current order, or the supplier ordering on a customer's behalf.

Both go through `_place`, one transaction that re-reads the products under a lock, reserves
min(wanted, free) per line and puts the rest on backorder, at today's price. A placement key makes
placing idempotent: the same key placed twice (double click, two tabs, a retry) gives one order.

Prices are the customer's (app/pricing.decide_price, through a price book read under the same lock), also for
the supplier's order on a customer's behalf; each line keeps its unit price, list price, discount and VAT rate,
and the order its subtotal, VAT and total, so a price changed later changes no placed order. Every line is
checked against its product's ordering rules (minimum, pack size, no more than is free where backorders are
off) and the order against the minimum order value; a refusal names the line and what would be accepted.

A key is bound to what it placed: it answers with its order only for the same lines (a retry), and a
customer's page sends what it showed (`ShownLine`s), which must still be the current order at today's
prices. So a placement confirms only lines the customer saw, at prices the customer saw, and a stale
page never gets an earlier order back for lines it did not place.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from app.catalogue import catalogue
from app.core import clock, events, faults, i18n, portal_settings
from app.core.errors import NotFound, ValidationError
from app.identity import accounts
from app.identity.access import customer_of, ensure_admin, user_ref
from app.identity.auth import Identity
from app.models import (
    Address,
    AddressBase,
    AddressCreate,
    CurrentOrder,
    CurrentOrderLine,
    Customer,
    Order,
    OrderLine,
)
from app.orders import current_order, order_mails, stock
from app.orders.current_order import ShownLine
from app.pricing import prices, rules, terms, vat

ORDER_CHANGED_MESSAGE = i18n.N_('Your order changed in another window. Please review it and place it again.')
FORM_USED_MESSAGE = i18n.N_('This order form was already used. Reload the page to start a new order.')


@dataclass(frozen=True)
class PriceChange:
    product_id: int
    name: str
    code: str
    shown_cents: int  # what the customer's page showed
    today_cents: int


class PricesChanged(ValidationError):
    """Prices changed since the customer's page showed them: nothing was placed; `changes` names the lines."""

    def __init__(self, changes: list[PriceChange], currency: str) -> None:
        listed = '; '.join(
            f'{c.name} ({c.code}): {i18n.money(c.shown_cents, currency)} → {i18n.money(c.today_cents, currency)}'
            for c in changes
        )
        one = i18n.N_('A price has changed since you opened the order: {lines}. Please check and place it again.')
        many = i18n.N_('Prices have changed since you opened the order: {lines}. Please check and place it again.')
        super().__init__(one if len(changes) == 1 else many, lines=listed)
        self.changes = changes


@dataclass(frozen=True)
class _Details:
    customer_id: int
    ship_to: AddressBase
    comment: str
    reference: str
    placement_key: str | None
    placed_by_user_id: int | None
    placed_by_supplier: bool


def place_current_order(
    session: Session,
    *,
    actor: Identity,
    placement_key: str,
    shown: Sequence[ShownLine] | None = None,
    address_id: int | None = None,
    new_address: AddressCreate | None = None,
    save_address: bool = False,
    comment: str | None = None,
    reference: str | None = None,
) -> Order:
    """Turn the actor's current order into an order; comment and reference default to those stored with it.

    `shown` is what the customer's page showed: placed only while the current order holds exactly those
    products and quantities (else ORDER_CHANGED_MESSAGE) at those prices (else `PricesChanged`). Without it
    (a caller that showed nothing) the current order is placed as it is. The key placed before answers with
    its order only for a retry: the same lines shown, or, without `shown`, nothing added since.
    """
    customer_id = customer_of(actor)
    current = session.exec(
        select(CurrentOrder)
        .where(CurrentOrder.user_id == actor.user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    wanted = session.exec(
        select(CurrentOrderLine.product_id, CurrentOrderLine.quantity)
        .where(CurrentOrderLine.user_id == actor.user_id)
        .order_by(col(CurrentOrderLine.added_at), col(CurrentOrderLine.id))
    ).all()
    if placed := _already_placed(session, customer_id, placement_key):
        retry = not wanted if shown is None else _content_of(session, placed) == _shown_content(shown)
        if not retry:
            raise ValidationError(ORDER_CHANGED_MESSAGE)
        return placed
    if current is None or not placement_key or current.placement_key != placement_key:
        raise ValidationError(ORDER_CHANGED_MESSAGE)
    if not wanted:
        raise ValidationError('Your current order is empty.')
    if shown is not None and dict(wanted) != {line.product_id: line.quantity for line in shown}:
        raise ValidationError(ORDER_CHANGED_MESSAGE)
    comment, reference = current_order.clean_details(
        current.comment if comment is None else comment, current.reference if reference is None else reference
    )
    ship_to = _ship_to(session, customer_id, address_id, new_address)
    order = _place(
        session,
        wanted=[(product_id, quantity) for product_id, quantity in wanted],
        details=_Details(
            customer_id=customer_id,
            ship_to=ship_to,
            comment=comment,
            reference=reference,
            placement_key=placement_key,
            placed_by_user_id=user_ref(actor),
            placed_by_supplier=False,
        ),
        shown_prices=None if shown is None else {line.product_id: line.unit_price_cents for line in shown},
    )
    if new_address is not None and save_address:
        accounts.add_address(session, actor=actor, customer_id=customer_id, data=ship_to)
    session.exec(delete(CurrentOrderLine).where(col(CurrentOrderLine.user_id) == actor.user_id))
    current.comment = current.reference = ''
    current.placement_key = new_placement_key()
    current.updated_at = clock.now()
    session.add(current)
    events.queue(session, ('current_order', actor.user_id))
    return order


def place_order_for_customer(
    session: Session,
    *,
    actor: Identity,
    customer_id: int,
    lines: list[tuple[int, int]],
    address_id: int | None = None,
    new_address: AddressCreate | None = None,
    comment: str = '',
    reference: str = '',
    placement_key: str | None = None,
) -> Order:
    """The supplier orders for a customer: (product id, quantity) pairs, a product given twice is one line."""
    ensure_admin(actor)
    if session.get(Customer, customer_id) is None:
        raise NotFound('This customer')
    placed = _already_placed(session, customer_id, placement_key) if placement_key else None
    merged: dict[int, int] = {}
    for product_id, quantity in lines:
        if not isinstance(product_id, int) or isinstance(product_id, bool):
            raise ValidationError('Choose products from the list.', 'product_id')
        merged[product_id] = merged.get(product_id, 0) + current_order.parse_quantity(quantity)
        if merged[product_id] > current_order.MAX_QUANTITY:
            raise ValidationError(
                current_order.QUANTITY_MESSAGE, 'quantity', minimum=1, maximum=current_order.MAX_QUANTITY
            )
    if not merged:
        raise ValidationError('Add at least one product to the order.')
    if placed is not None:  # a retry places nothing again; other lines under the same key are not that order
        if {pid: quantity for pid, (quantity, _) in _content_of(session, placed).items()} != merged:
            raise ValidationError(FORM_USED_MESSAGE)
        return placed
    comment, reference = current_order.clean_details(comment, reference)
    return _place(
        session,
        wanted=list(merged.items()),
        details=_Details(
            customer_id=customer_id,
            ship_to=_ship_to(session, customer_id, address_id, new_address),
            comment=comment,
            reference=reference,
            placement_key=placement_key or None,
            placed_by_user_id=user_ref(actor),
            placed_by_supplier=True,
        ),
    )


def new_placement_key() -> str:
    return secrets.token_urlsafe(16)


def order_number(order_id: int) -> str:
    return f'SO-{10000 + order_id}'


def _place(
    session: Session, *, wanted: list[tuple[int, int]], details: _Details, shown_prices: dict[int, int] | None = None
) -> Order:
    """Reserve what is free, backorder the rest, at the customer's prices today; `wanted` is (product id, quantity)
    in order.

    With `shown_prices` (product id -> the unit price the customer saw) a price that differs today refuses it all.
    """
    products = stock.lock_products(session, [product_id for product_id, _ in wanted])
    orderable = catalogue.orderable_ids(session, customer_id=details.customer_id, product_ids=list(products))
    unavailable = [
        f'{products[pid].name} ({products[pid].code})' if pid in products else i18n._('Product {id}').format(id=pid)
        for pid, _ in wanted
        if pid not in orderable
    ]
    if unavailable:
        raise ValidationError(
            '{products} can no longer be ordered. Remove it from the order and place it again.',
            products=', '.join(unavailable),
        )
    portal = terms.portal_terms(session)
    for pid, quantity in wanted:
        product = products[pid]
        product_rules = rules.rules_of(product, portal)
        rules.check_quantity(quantity, product_rules, product=f'{product.name} ({product.code})')
        rules.check_stock(quantity, product.free, product_rules, product=f'{product.name} ({product.code})')
    book = prices.price_book(session, customer_id=details.customer_id, product_ids=list(products))
    priced = {pid: book.price(pid, products[pid].price_cents, quantity) for pid, quantity in wanted}
    currency = portal_settings.currency(session)
    if shown_prices is not None:
        changes = [
            PriceChange(pid, products[pid].name, products[pid].code, shown_prices[pid], priced[pid].unit_cents)
            for pid, _ in wanted
            if shown_prices[pid] != priced[pid].unit_cents
        ]
        if changes:
            raise PricesChanged(changes, currency)
    customer = session.get(Customer, details.customer_id)
    vat_exempt_reason = customer.vat_exempt_reason if customer is not None else ''
    rates = {pid: portal.vat_rate(products[pid].vat_class) for pid, _ in wanted}
    totals = vat.totals(
        [(rates[pid], priced[pid].unit_cents * quantity) for pid, quantity in wanted],
        vat_exempt_reason=vat_exempt_reason,
    )
    rules.check_minimum_order(totals.subtotal_cents, rules.minimum_order_of(customer, portal), currency)
    order = Order(
        number=f'new-{secrets.token_hex(8)}',  # unique until the id is known; the number is derived from it
        customer_id=details.customer_id,
        placed_by_user_id=details.placed_by_user_id,
        placed_by_supplier=details.placed_by_supplier,
        placement_key=details.placement_key,
        comment=details.comment,
        reference=details.reference,
        ship_recipient=details.ship_to.recipient,
        ship_street=details.ship_to.street,
        ship_postal_code=details.ship_to.postal_code,
        ship_city=details.ship_to.city,
        ship_country=details.ship_to.country,
        subtotal_cents=totals.subtotal_cents,
        vat_cents=totals.vat_cents,
        total_cents=totals.total_cents,
        vat_exempt_reason=vat_exempt_reason,
    )
    session.add(order)
    session.flush()
    assert order.id is not None
    order.number = order_number(order.id)
    for product_id, quantity in wanted:
        product = products[product_id]
        reserved = min(quantity, product.free)
        product.allocated += reserved
        session.add(product)
        session.add(
            OrderLine(
                order_id=order.id,
                product_id=product_id,
                product_code=product.code,
                product_name=product.name,
                unit_price_cents=priced[product_id].unit_cents,
                list_price_cents=product.price_cents,
                discount_bp=priced[product_id].discount_bp,
                vat_rate_bp=rates[product_id],
                quantity=quantity,
                allocated=reserved,
                backorder=quantity - reserved,
                backordered=quantity - reserved,
            )
        )
        events.queue(session, ('stock', product_id))
    session.add(order)
    session.flush()
    order_mails.order_placed(session, order=order)  # in this transaction: a rolled-back order has no mail
    faults.point(faults.CRASH_IN_PLACEMENT)  # test-only: a no-op unless STOCKFRONT_FAULT names it
    events.queue(session, ('orders', order.customer_id), ('order', order.id), ('admin_orders',))
    return order


def _shown_content(shown: Sequence[ShownLine]) -> dict[int, tuple[int, int]]:
    """product id -> (quantity, unit price)."""
    return {line.product_id: (line.quantity, line.unit_price_cents) for line in shown}


def _content_of(session: Session, order: Order) -> dict[int, tuple[int, int]]:
    """What an order was placed with: product id -> (quantity, unit price)."""
    rows = session.exec(
        select(OrderLine.product_id, OrderLine.quantity, OrderLine.unit_price_cents).where(
            OrderLine.order_id == order.id
        )
    ).all()
    return {product_id: (quantity, price) for product_id, quantity, price in rows}


def _already_placed(session: Session, customer_id: int, placement_key: str) -> Order | None:
    if not placement_key:
        return None
    placed = session.exec(select(Order).where(Order.placement_key == placement_key)).first()
    if placed is not None and placed.customer_id != customer_id:
        # keys are unique over all orders; a form reused for another customer must not place or reveal anything
        raise ValidationError(FORM_USED_MESSAGE)
    return placed


def _ship_to(
    session: Session, customer_id: int, address_id: int | None, new_address: AddressCreate | None
) -> AddressBase:
    """The delivery address: a new one (validated), one of the customer's own, or the customer's default."""
    if new_address is not None:
        return accounts.validate_address(new_address)
    if address_id is not None:
        address = session.get(Address, address_id)
        if address is None or address.customer_id != customer_id:
            raise NotFound('This address')
        return address
    default = session.exec(
        select(Address)
        .where(Address.customer_id == customer_id)
        .order_by(col(Address.is_default).desc(), col(Address.id))
    ).first()
    if default is None:
        raise ValidationError('Enter a delivery address.', 'address')
    return default
