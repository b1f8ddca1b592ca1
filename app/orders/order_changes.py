"""A customer changes its own order while it awaits the supplier's check: quantities, lines, the delivery address,
the reference and the comment, or cancels it.

Each change is one transaction under the same rules as placing (app/orders/ordering.py): the order and its
products are locked and read afresh, a line that grows reserves what is free and puts the rest on backorder, a
line that shrinks gives up backorder first and then reservations, and what it gives up goes to other backorders,
oldest order first (stock.allocate_backorders). A changed line is priced as placing would price it today for its
new quantity; the other lines keep the prices they were placed with. The product's ordering rules (minimum, pack
size, backorders), the catalogue and the minimum order value are checked as for placing.

The page sends the order's version it showed. Inside the write transaction the order must still await the check
and still be at that version: checked by the supplier meanwhile, or changed in another window, the change is
refused with a message and nothing changes. The order records when and by whom its customer changed it, for the
supplier.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlmodel import Session, select

from app.catalogue import catalogue
from app.core import clock, events, i18n, portal_settings
from app.core.errors import NotFound, ValidationError
from app.identity import accounts
from app.identity.access import customer_of, user_ref
from app.identity.auth import Identity
from app.models import Address, AddressCreate, Customer, Order, OrderLine, OrderStatus, PortalUser, Product
from app.orders import current_order, order_mails, orders, stock
from app.pricing import prices, rules, terms

CHECKED_MESSAGE = i18n.N_(
    'The supplier has checked this order in the meantime ({state}), so it can no longer be changed. Nothing was '
    'changed.'
)
STALE_MESSAGE = i18n.N_('This order was changed in another window. Please review it and make your change again.')


def can_change(order: Order) -> bool:
    """Whether its customer may still change it: only while it awaits the supplier's check."""
    return OrderStatus(order.status) == OrderStatus.CONCEPT


def change_order(
    session: Session,
    *,
    actor: Identity,
    number: str,
    version: int,
    quantities: Mapping[int, object] | None = None,
    remove: Iterable[int] = (),
    address_id: int | None = None,
    new_address: AddressCreate | None = None,
    comment: str | None = None,
    reference: str | None = None,
) -> Order:
    """Change the actor's own order awaiting the check: `quantities` (order line id -> new quantity, typed the
    local way), lines to `remove`, and the delivery address, comment and reference (None: kept). Nothing changed:
    the order is returned as it was."""
    customer_id = customer_of(actor)
    order, lines, products = _locked_own(session, customer_id, number, version)
    by_id = {line.id: line for line in lines}
    removing = {_own_line(by_id, line_id).id for line_id in remove}
    wanted: dict[int, int] = {}
    for line_id, raw in (quantities or {}).items():
        line = _own_line(by_id, line_id)
        if line.id in removing:
            continue
        quantity = current_order.parse_quantity(raw)
        if quantity != line.quantity:
            wanted[line.id] = quantity
    keeping = [line for line in lines if line.id not in removing]
    if not keeping:
        raise ValidationError('An order needs at least one line. To stop the whole order, cancel it.')
    details = _details(session, order, customer_id, address_id, new_address, comment, reference)
    if not wanted and not removing and details is None:
        return order

    touched: set[int] = set()
    if wanted:
        _change_quantities(session, customer_id, [by_id[i] for i in wanted], wanted, products)
        touched.update(by_id[i].product_id for i in wanted)
    for line_id in removing:
        line = by_id[line_id]
        if line.delivered or line.cancelled:  # (an order awaiting the check has no deliveries)
            raise ValidationError(
                'Part of {product} was cancelled by the supplier; this line can no longer be removed.',
                product=line.product_name,
            )
        products[line.product_id].allocated -= line.allocated
        session.add(products[line.product_id])
        session.delete(line)
        touched.add(line.product_id)
    if details is not None:
        for name, value in details.items():
            setattr(order, name, value)
    session.flush()
    _check_minimum(session, order, keeping)
    for product_id in sorted(touched):  # units given up go to the oldest backorders (this order's own too)
        events.queue(session, ('stock', product_id))
        stock.allocate_backorders(session, product=products[product_id])
    order.customer_changed_at = clock.now()
    order.customer_changed_by_user_id = user_ref(actor)
    orders.settle(session, order=order, lines=keeping)  # totals, and the version counts the change
    order_mails.changed_by_customer(session, order=order, by=session.get(PortalUser, user_ref(actor)))
    return order


def cancel_own_order(session: Session, *, actor: Identity, number: str, version: int, reason: str = '') -> Order:
    """The customer cancels its own order before the check; reservations go to other backorders, oldest first.
    The order says when, by whom and why, as a cancellation by the supplier does."""
    customer_id = customer_of(actor)
    reason = orders.cancel_reason(reason)
    order, lines, products = _locked_own(session, customer_id, number, version)
    orders.cancel_rest_of_order(
        session, order=order, lines=lines, products=products, by_user_id=user_ref(actor), reason=reason
    )
    order.customer_changed_at = clock.now()
    order.customer_changed_by_user_id = user_ref(actor)
    session.add(order)
    order_mails.changed_by_customer(session, order=order, by=session.get(PortalUser, user_ref(actor)), reason=reason)
    return order


# --- the pieces ---------------------------------------------------------------------------------------------------


def _locked_own(
    session: Session, customer_id: int, number: str, version: int
) -> tuple[Order, list[OrderLine], dict[int, Product]]:
    """The customer's order by its number, locked with its lines and products, still awaiting the check and at the
    version the page showed."""
    order_id = session.exec(
        select(Order.id).where(Order.number == str(number or '').strip().upper(), Order.customer_id == customer_id)
    ).first()
    if order_id is None:
        raise NotFound('This order')
    order, lines, products = orders.locked_order(session, order_id=order_id)
    if not can_change(order):
        raise ValidationError(CHECKED_MESSAGE, state=OrderStatus(order.status).state)
    if isinstance(version, bool) or not isinstance(version, int) or version != order.version:
        raise ValidationError(STALE_MESSAGE)
    return order, lines, products


def _own_line(by_id: dict[int, OrderLine], line_id: object) -> OrderLine:
    line = by_id.get(line_id) if isinstance(line_id, int) else None
    if line is None:
        raise NotFound('This order line')
    return line


def _change_quantities(
    session: Session,
    customer_id: int,
    changing: list[OrderLine],
    wanted: dict[int, int],
    products: dict[int, Product],
) -> None:
    """Each line to its new quantity: checked as placing checks it, reserved from what is free, the rest on
    backorder; a line that shrinks gives up backorder first, then reservations. Priced for the new quantity."""
    portal = terms.portal_terms(session)
    growing = [line.product_id for line in changing if wanted[line.id] > line.quantity]
    orderable = catalogue.orderable_ids(session, customer_id=customer_id, product_ids=growing)
    book = prices.price_book(session, customer_id=customer_id, product_ids=[line.product_id for line in changing])
    for line in changing:
        product, quantity = products[line.product_id], wanted[line.id]
        label = f'{line.product_name} ({line.product_code})'
        if line.delivered or line.cancelled:
            raise ValidationError(
                'Part of {product} was cancelled by the supplier; this line can no longer be changed.',
                product=line.product_name,
            )
        product_rules = rules.rules_of(product, portal)
        rules.check_quantity(quantity, product_rules, product=label)
        delta = quantity - line.quantity
        if delta > 0:
            if line.product_id not in orderable:
                raise ValidationError(
                    '{product} can no longer be ordered: you can lower its quantity or remove it.', product=label
                )
            rules.check_stock(quantity, product.free + line.allocated, product_rules, product=label)
            reserved = min(delta, product.free)
            line.allocated += reserved
            product.allocated += reserved
            line.backorder += delta - reserved
            line.backordered += delta - reserved
        else:
            released_backorder = min(-delta, line.backorder)
            line.backorder -= released_backorder
            line.backordered = max(line.backordered - released_backorder, 0)
            released = -delta - released_backorder
            line.allocated -= released
            product.allocated -= released
        line.quantity = quantity
        line.backordered = min(line.backordered, quantity)
        price = book.price(line.product_id, product.price_cents, quantity)
        line.unit_price_cents, line.discount_bp = price.unit_cents, price.discount_bp
        line.list_price_cents = product.price_cents
        line.vat_rate_bp = portal.vat_rate(product.vat_class)
        session.add_all([line, product])


def _details(
    session: Session,
    order: Order,
    customer_id: int,
    address_id: int | None,
    new_address: AddressCreate | None,
    comment: str | None,
    reference: str | None,
) -> dict[str, str] | None:
    """The order's fields that change (address, comment, reference), or None when none does."""
    changes: dict[str, str] = {}
    if comment is not None or reference is not None:
        clean_comment, clean_reference = current_order.clean_details(
            order.comment if comment is None else comment, order.reference if reference is None else reference
        )
        changes |= {'comment': clean_comment, 'reference': clean_reference}
    if new_address is not None:
        ship_to = accounts.validate_address(new_address)
    elif address_id is not None:
        ship_to = session.get(Address, address_id) if isinstance(address_id, int) else None
        if ship_to is None or ship_to.customer_id != customer_id:
            raise NotFound('This address')
    else:
        ship_to = None
    if ship_to is not None:
        changes |= {
            'ship_recipient': ship_to.recipient,
            'ship_street': ship_to.street,
            'ship_postal_code': ship_to.postal_code,
            'ship_city': ship_to.city,
            'ship_country': ship_to.country,
        }
    changed = {name: value for name, value in changes.items() if getattr(order, name) != value}
    return changed or None


def _check_minimum(session: Session, order: Order, lines: list[OrderLine]) -> None:
    customer = session.get(Customer, order.customer_id)
    minimum = rules.minimum_order_of(customer, terms.portal_terms(session))
    subtotal = orders.totals_of(order, lines).subtotal_cents
    if subtotal < minimum:
        currency = portal_settings.currency(session)
        raise ValidationError(
            'The minimum order value is {minimum} excluding VAT; with this change the order would come to {subtotal}.',
            minimum=i18n.money(minimum, currency),
            subtotal=i18n.money(subtotal, currency),
        )
