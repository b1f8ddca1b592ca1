"""Orders after placing: the supplier's checking and cancelling, and what customers and the supplier see of them.

An order's status follows its lines: once every unit is delivered or cancelled it is completed (or
cancelled when nothing was delivered); with some delivered it is partially delivered; otherwise it
stays new (awaiting check) or processing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Select
from sqlmodel import Session, and_, col, func, or_, select

from app.catalogue import search
from app.core import clock, events, paging, text
from app.core.errors import NotFound, ValidationError
from app.core.i18n import N_
from app.core.paging import Page
from app.identity.access import customer_of, ensure_admin, user_ref
from app.identity.auth import Identity
from app.models import Customer, Delivery, DeliveryLine, Order, OrderLine, OrderStatus, PortalUser, Product
from app.orders import order_mails, stock
from app.pricing import vat
from app.pricing.vat import Totals

MAX_PAGE_SIZE = 100
MAX_ID = 2**63 - 1  # SQLite's largest integer
OPEN_FILTER = 'open'  # status filter for every order not yet completed or cancelled
MAX_CANCEL_REASON_CHARS = 300


@dataclass(frozen=True)
class OrderSummary:
    id: int
    number: str
    created_at: datetime
    status: OrderStatus
    reference: str
    total_cents: int
    placed_by_supplier: bool
    units_ordered: int
    units_delivered: int
    customer_id: int
    customer_name: str
    customer_changed_at: datetime | None = None  # when its customer last changed it while it awaited the check


@dataclass(frozen=True)
class DeliveredLine:
    product_code: str
    product_name: str
    quantity: int


@dataclass(frozen=True)
class DeliveryView:
    id: int
    created_at: datetime
    tracking_code: str
    lines: list[DeliveredLine]


@dataclass(frozen=True)
class OrderView:
    order: Order
    customer_name: str
    placed_by: str  # the name of the customer's user, or of the supplier's staff member who placed it
    lines: list[OrderLine]
    deliveries: list[DeliveryView]
    cancelled_by: str = ''  # the staff member who cancelled it, for a cancelled order
    changed_by: str = ''  # the customer's user who last changed it while it awaited the check
    # subtotal, VAT per rate and total of what is not cancelled
    totals: Totals = field(default_factory=lambda: Totals(subtotal_cents=0))


@dataclass(frozen=True)
class BackorderFigures:
    """What a line's backorder comes to: every page that shows it reads these (`backorder_figures`)."""

    waiting: int  # on backorder: still waiting for stock
    reserved_since: int  # of the units that went on backorder, received since and reserved, not yet delivered

    @property
    def outstanding(self) -> int:
        return self.waiting + self.reserved_since


def backorder_figures(line: OrderLine) -> BackorderFigures:
    """The one reckoning of a line's backorder, for the backorders page, the order page and the supplier's.

    Units reserved when the order was placed were never a backorder; units reserved since for the backordered part
    are ('reserved for you'), until they are delivered."""
    return BackorderFigures(
        waiting=line.backorder, reserved_since=min(line.allocated, max(line.backordered - line.backorder, 0))
    )


@dataclass(frozen=True)
class BackorderLine:
    product_id: int
    product_code: str
    product_name: str
    order_id: int
    order_number: str
    order_date: datetime
    customer_id: int
    customer_name: str
    quantity: int
    backorder: int  # still waiting for stock (backorder_figures)
    allocated: int  # received since and reserved for this line, not yet delivered
    line_id: int = 0

    @property
    def outstanding(self) -> int:
        """Units of the backorder not delivered yet."""
        return self.backorder + self.allocated


@dataclass(frozen=True)
class ProductBackorder:
    product_id: int
    product_code: str
    product_name: str
    needed: int  # units on backorder
    allocated: int  # already reserved for those lines
    on_hand: int
    free: int
    oldest_order_date: datetime
    lines: list[BackorderLine]


# --- the supplier's work ----------------------------------------------------------------------------


def locked_order(session: Session, *, order_id: int) -> tuple[Order, list[OrderLine], dict[int, Product]]:
    """The order, its lines and their products, read afresh and locked for this transaction."""
    order = session.exec(
        select(Order).where(Order.id == order_id).with_for_update().execution_options(populate_existing=True)
    ).first()
    if order is None:
        raise NotFound('This order')
    products = stock.lock_products(
        session, session.exec(select(OrderLine.product_id).where(OrderLine.order_id == order_id))
    )
    lines = session.exec(
        select(OrderLine)
        .where(OrderLine.order_id == order_id)
        .order_by(col(OrderLine.id))
        .execution_options(populate_existing=True)
    ).all()
    return order, list(lines), products


def settle(session: Session, *, order: Order, lines: list[OrderLine]) -> None:
    """The order's total and status after units were delivered or cancelled."""
    totals = totals_of(order, lines)
    order.subtotal_cents, order.vat_cents = totals.subtotal_cents, totals.vat_cents
    order.total_cents = totals.total_cents
    delivered = any(line.delivered for line in lines)
    if all(line.delivered + line.cancelled == line.quantity for line in lines):
        if delivered:
            order.status, order.completed_at = OrderStatus.COMPLETED, clock.now()
        else:
            order.status, order.cancelled_at = OrderStatus.CANCELLED, clock.now()
    elif delivered:
        order.status = OrderStatus.PARTIALLY_DELIVERED
    session.add(order)
    announce(session, order)


def totals_of(order: Order, lines: Iterable[OrderLine]) -> Totals:
    """An order's subtotal, VAT per rate and total of its units not cancelled, at the prices and VAT rates its
    lines were placed with (app/pricing/vat.py)."""
    return vat.totals(
        [(line.vat_rate_bp, line.total_cents) for line in lines], vat_exempt_reason=order.vat_exempt_reason
    )


def announce(session: Session, order: Order) -> None:
    """Tell the pages an order changed; every change counts in its version (a customer's change checks it)."""
    order.version = (order.version or 0) + 1
    session.add(order)
    events.queue(session, ('order', order.id), ('orders', order.customer_id), ('admin_orders',))


def check_order(session: Session, *, actor: Identity, order_id: int) -> Order:
    """The supplier has checked a new order: it goes to processing."""
    ensure_admin(actor)
    order, _, _ = locked_order(session, order_id=order_id)
    if order.status != OrderStatus.CONCEPT:
        raise ValidationError(
            'Only an order awaiting check can be checked; this one is {state}.', state=order.status.state
        )
    order.status = OrderStatus.PROCESSING
    order.checked_at = clock.now()
    session.add(order)
    announce(session, order)
    order_mails.order_checked(session, order=order)  # in this transaction, as every order mail
    return order


def cancel_order(session: Session, *, actor: Identity, order_id: int, reason: str = '') -> Order:
    """Cancel every unit not yet delivered; what was reserved goes to other backorders, oldest first. The order
    records who cancelled it and why (`reason`, optional, shown to the customer)."""
    ensure_admin(actor)
    reason = _cancel_reason(reason)
    order, lines, products = locked_order(session, order_id=order_id)
    open_units = [(line, line.allocated + line.backorder) for line in lines]
    cancel_rest_of_order(
        session, order=order, lines=lines, products=products, by_user_id=user_ref(actor), reason=reason
    )
    order_mails.order_cancelled(session, order=order, cancelled=open_units, reason=reason)
    return order


def cancel_rest_of_order(
    session: Session,
    *,
    order: Order,
    lines: list[OrderLine],
    products: dict[int, Product],
    by_user_id: int | None,
    reason: str,
) -> None:
    """Cancel every unit not yet delivered of an order locked by `locked_order` (the supplier's Cancel order, and a
    customer's own before the check); its reservations go to other backorders, oldest first."""
    _ensure_open(order)
    for line in lines:
        _cancel_rest(session, line, products[line.product_id])
    _settle_cancelled(session, order, lines, products.values())
    if order.status == OrderStatus.CANCELLED:
        order.cancelled_by_user_id = by_user_id
        order.cancel_reason = reason


def cancel_line(session: Session, *, actor: Identity, order_id: int, line_id: int, reason: str = '') -> Order:
    """Cancel what is not yet delivered of one line; when that was the last open line, the order is cancelled
    and records who and why."""
    ensure_admin(actor)
    reason = _cancel_reason(reason)
    order, lines, products = locked_order(session, order_id=order_id)
    line = next((line for line in lines if line.id == line_id), None)
    if line is None:
        raise NotFound('This order line')
    _ensure_open(order)
    if line.allocated + line.backorder == 0:
        raise ValidationError('Nothing is left to cancel of {product}.', product=line.product_name)
    product = products[line.product_id]
    units = line.allocated + line.backorder
    _cancel_rest(session, line, product)
    _settle_cancelled(session, order, lines, [product])
    _record_cancellation(order, actor, reason)
    order_mails.line_cancelled(session, order=order, line=line, units=units, reason=reason)
    return order


def cancel_reason(reason: object) -> str:
    """A cancellation's reason, checked: one block of text of at most MAX_CANCEL_REASON_CHARS."""
    return _cancel_reason(reason)


def _cancel_reason(reason: object) -> str:
    clean = text.block(reason, field='reason', label=N_('The reason'))
    if len(clean) > MAX_CANCEL_REASON_CHARS:
        raise ValidationError('The reason can be at most {limit} characters.', 'reason', limit=MAX_CANCEL_REASON_CHARS)
    return clean


def _record_cancellation(order: Order, actor: Identity, reason: str) -> None:
    if order.status == OrderStatus.CANCELLED:
        order.cancelled_by_user_id = user_ref(actor)
        order.cancel_reason = reason


def _cancel_rest(session: Session, line: OrderLine, product: Product) -> None:
    line.cancelled += line.allocated + line.backorder
    product.allocated -= line.allocated
    line.allocated = line.backorder = 0
    session.add_all([line, product])


def _settle_cancelled(session: Session, order: Order, lines: list[OrderLine], products: Iterable[Product]) -> None:
    settle(session, order=order, lines=lines)
    for product in products:
        events.queue(session, ('stock', product.id))
        stock.allocate_backorders(session, product=product)


def _ensure_open(order: Order) -> None:
    if not order.status.is_open:
        raise ValidationError('This order is {state}: nothing can be cancelled any more.', state=order.status.state)


# --- reading orders ---------------------------------------------------------------------------------


def list_orders(
    session: Session,
    *,
    actor: Identity,
    status: str | None = None,
    search: str = '',
    page: int = 1,
    page_size: int = 20,
) -> Page[OrderSummary]:
    """The customer's orders, newest first; search by order number or own reference."""
    return _order_page(
        session, customer_id=customer_of(actor), status=status, search=search, page=page, page_size=page_size
    )


def admin_list_orders(
    session: Session,
    *,
    actor: Identity,
    status: str | None = None,
    customer_id: int | None = None,
    search: str = '',
    page: int = 1,
    page_size: int = 25,
) -> Page[OrderSummary]:
    """Every customer's orders, newest first; search by order number, reference or customer name."""
    ensure_admin(actor)
    return _order_page(
        session,
        customer_id=customer_id,
        status=status,
        search=search,
        page=page,
        page_size=page_size,
        search_customer=True,
    )


def get_order(session: Session, *, actor: Identity, number: str) -> OrderView:
    return _view(session, own_order(session, actor=actor, number=number))


def own_order(session: Session, *, actor: Identity, number: str) -> Order:
    """The actor's customer's order with this number (as typed: case and surrounding spaces aside), else NotFound
    (someone else's order too)."""
    customer_id = customer_of(actor)
    order = session.exec(
        select(Order).where(Order.number == str(number or '').strip().upper(), Order.customer_id == customer_id)
    ).first()
    if order is None:
        raise NotFound('This order')
    return order


def admin_get_order(session: Session, *, actor: Identity, order_id: int) -> OrderView:
    ensure_admin(actor)
    order = session.get(Order, order_id) if 0 < order_id <= MAX_ID else None  # SQLite cannot even hold a bigger id
    if order is None:
        raise NotFound('This order')
    return _view(session, order)


def list_backorders(session: Session, *, actor: Identity) -> list[BackorderLine]:
    """The customer's order lines still waiting for stock, oldest order first."""
    return _backorder_lines(session, customer_id=customer_of(actor))


def admin_backorders(session: Session, *, actor: Identity) -> list[ProductBackorder]:
    """Everything on backorder, per product, the product with the oldest waiting order first."""
    ensure_admin(actor)
    by_product: dict[int, list[BackorderLine]] = {}
    for line in _backorder_lines(session, customer_id=None):
        by_product.setdefault(line.product_id, []).append(line)
    products = {p.id: p for p in session.exec(select(Product).where(col(Product.id).in_(list(by_product))))}
    result = []
    for product_id, lines in by_product.items():
        product = products[product_id]
        result.append(
            ProductBackorder(
                product_id=product_id,
                product_code=product.code,
                product_name=product.name,
                needed=sum(line.backorder for line in lines),
                allocated=sum(line.allocated for line in lines),
                on_hand=product.on_hand,
                free=product.free,
                oldest_order_date=lines[0].order_date,
                lines=lines,
            )
        )
    return result  # lines come oldest first, so the products do too


def _order_page(
    session: Session,
    *,
    customer_id: int | None,
    status: str | None,
    search: str,
    page: int,
    page_size: int,
    search_customer: bool = False,
) -> Page[OrderSummary]:
    query = select(Order, Customer.name).join(Customer, col(Customer.id) == Order.customer_id)
    if customer_id is not None:
        query = query.where(Order.customer_id == customer_id)
    if statuses := _statuses(status):
        query = query.where(col(Order.status).in_(statuses))
    query = _searched(query, search, search_customer=search_customer)
    newest_first = (col(Order.created_at).desc(), col(Order.id).desc())
    found = paging.page_of(
        session, query, order_by=newest_first, page=page, page_size=page_size, max_page_size=MAX_PAGE_SIZE
    )
    rows = found.items
    ids = [order.id for order, _ in rows]
    units = {
        order_id: (ordered, delivered)
        for order_id, ordered, delivered in session.exec(
            select(OrderLine.order_id, func.sum(OrderLine.quantity), func.sum(OrderLine.delivered))
            .where(col(OrderLine.order_id).in_(ids))
            .group_by(col(OrderLine.order_id))
        )
    }
    items = [
        OrderSummary(
            id=order.id,
            number=order.number,
            created_at=order.created_at,
            status=OrderStatus(order.status),
            reference=order.reference,
            total_cents=order.total_cents,
            placed_by_supplier=order.placed_by_supplier,
            units_ordered=units.get(order.id, (0, 0))[0],
            units_delivered=units.get(order.id, (0, 0))[1],
            customer_id=order.customer_id,
            customer_name=customer_name,
            customer_changed_at=order.customer_changed_at,
        )
        for order, customer_name in rows
    ]
    return replace(found, items=items)


def _statuses(status: str | None) -> list[OrderStatus]:
    if not status:
        return []
    if status == OPEN_FILTER:
        return stock.OPEN_STATUSES
    try:
        return [OrderStatus(status)]
    except ValueError:
        raise ValidationError('Choose one of the offered statuses.', 'status') from None


def _searched(query: Select, raw: str, *, search_customer: bool) -> Select:
    """Every word typed must appear in the number or the reference (or, for the supplier, the customer's name)."""
    for term in search.like_terms(raw):
        pattern = f'%{term}%'
        fields = [col(Order.number), col(Order.reference)] + ([col(Customer.name)] if search_customer else [])
        query = query.where(or_(*(field.ilike(pattern, escape='\\') for field in fields)))
    return query


def _view(session: Session, order: Order) -> OrderView:
    customer = session.get(Customer, order.customer_id)
    lines = session.exec(select(OrderLine).where(OrderLine.order_id == order.id).order_by(col(OrderLine.id))).all()
    deliveries = session.exec(
        select(Delivery).where(Delivery.order_id == order.id).order_by(col(Delivery.created_at), col(Delivery.id))
    ).all()
    delivered: dict[int, list[DeliveredLine]] = {}
    for delivery_id, code, name, quantity in session.exec(
        select(DeliveryLine.delivery_id, OrderLine.product_code, OrderLine.product_name, DeliveryLine.quantity)
        .join(OrderLine, col(OrderLine.id) == DeliveryLine.order_line_id)
        .where(col(DeliveryLine.delivery_id).in_([d.id for d in deliveries]))
        .order_by(col(DeliveryLine.id))
    ):
        delivered.setdefault(delivery_id, []).append(
            DeliveredLine(product_code=code, product_name=name, quantity=quantity)
        )
    return OrderView(
        order=order,
        customer_name=customer.name if customer else '',
        placed_by=_placed_by(session, order),
        cancelled_by=_name_of(session, order.cancelled_by_user_id),
        changed_by=_name_of(session, order.customer_changed_by_user_id),
        lines=list(lines),
        totals=totals_of(order, lines),
        deliveries=[
            DeliveryView(id=d.id, created_at=d.created_at, tracking_code=d.tracking_code, lines=delivered.get(d.id, []))
            for d in deliveries
        ],
    )


def _placed_by(session: Session, order: Order) -> str:
    """The name of who placed it: the customer's user, or the supplier's staff member for an order on its behalf."""
    return _name_of(session, order.placed_by_user_id) or ('Supplier' if order.placed_by_supplier else '')


def _name_of(session: Session, user_id: int | None) -> str:
    user = session.get(PortalUser, user_id) if user_id else None
    return (user.full_name or user.username) if user else ''


def _backorder_lines(session: Session, *, customer_id: int | None) -> list[BackorderLine]:
    query = (
        select(OrderLine, Order.number, Order.created_at, Order.customer_id, Customer.name)
        .join(Order, col(Order.id) == OrderLine.order_id)
        .join(Customer, col(Customer.id) == Order.customer_id)
        .where(
            # still waiting for stock, or reserved after waiting and not yet delivered
            or_(col(OrderLine.backorder) > 0, and_(col(OrderLine.backordered) > 0, col(OrderLine.allocated) > 0)),
            col(Order.status).in_(stock.OPEN_STATUSES),
        )
        .order_by(col(Order.created_at), col(Order.id), col(OrderLine.id))
    )
    if customer_id is not None:
        query = query.where(Order.customer_id == customer_id)
    return [
        BackorderLine(
            product_id=line.product_id,
            product_code=line.product_code,
            product_name=line.product_name,
            order_id=line.order_id,
            order_number=number,
            order_date=created_at,
            customer_id=line_customer_id,
            customer_name=customer_name,
            quantity=line.quantity,
            backorder=backorder_figures(line).waiting,
            allocated=backorder_figures(line).reserved_since,
            line_id=line.id,
        )
        for line, number, created_at, line_customer_id, customer_name in session.exec(query)
    ]
