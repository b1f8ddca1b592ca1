"""Expected deliveries: stock the supplier expects of a product by a date, and when customers may expect their
backorders.

The supplier records an expected delivery (product, quantity, expected date) and receives it later as any
receipt (stock.receive_stock: open backorders get it first, oldest order first); what was received is taken off
what is still expected, and at nothing left it is closed.

Which expected delivery covers which backorder: the expected units are given to the waiting units in the order
receiving will serve them (oldest order first), the earliest expected delivery first. So a customer reads the date
its units are expected around; units no expected delivery covers have no date yet; a date before today that
still covers units is overdue ("was expected 12 Dec"), never shown as if it were still to come. What is left of
the expected units after every backorder is what a new order could get: its date is the one the product page and
the current order show for what would go on backorder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from app.catalogue import catalogue
from app.core import clock, events, text
from app.core.errors import NotFound, ValidationError
from app.core.i18n import N_
from app.identity.access import customer_of, ensure_admin, user_ref
from app.identity.auth import Identity
from app.models import ExpectedDelivery, Order, OrderLine, PortalUser, Product
from app.orders import stock

MAX_NOTE_CHARS = 200
MAX_DAYS_AHEAD = 2 * 366


@dataclass(frozen=True)
class Arrival:
    """Units expected with one expected delivery."""

    expected_on: date
    units: int
    overdue: bool  # the date has passed and the stock has not arrived


@dataclass(frozen=True)
class Expectation:
    """When a backorder line's waiting units are expected: per expected delivery, earliest first, and how many are
    not expected yet."""

    arrivals: tuple[Arrival, ...] = ()
    not_expected: int = 0

    @property
    def last(self) -> Arrival | None:
        """The expected delivery that brings the last of the units, if any is expected."""
        return self.arrivals[-1] if self.arrivals else None

    @property
    def overdue(self) -> bool:
        return any(arrival.overdue for arrival in self.arrivals)


@dataclass(frozen=True)
class CustomerExpectations:
    lines: dict[int, Expectation] = field(default_factory=dict)  # the customer's own backorder lines, by line id
    next_arrival: dict[int, Arrival] = field(default_factory=dict)  # per product: for what a new order backorders


@dataclass(frozen=True)
class ExpectedView:
    """An open expected delivery, as the supplier's list shows it."""

    id: int
    product_id: int
    product_code: str
    product_name: str
    quantity: int  # still expected
    received: int
    expected_on: date
    overdue: bool
    note: str
    created_at: datetime
    created_by: str
    for_backorders: int  # of `quantity`, units that open backorders wait for


def today() -> date:
    return clock.now().date()


# --- the supplier's work ---------------------------------------------------------------------------------------


def record_expected_delivery(
    session: Session, *, actor: Identity, product_id: int, quantity: object, expected_on: object, note: object = ''
) -> ExpectedDelivery:
    """Record stock the supplier expects; customers waiting for the product see its date at once."""
    ensure_admin(actor)
    units = stock.clean_receipt(quantity)
    when = _expected_on(expected_on)
    note = stock.clean_note(note, max_len=MAX_NOTE_CHARS)
    product = stock.lock_products(session, [product_id]).get(product_id) if isinstance(product_id, int) else None
    if product is None:
        raise NotFound('This product')
    expected = ExpectedDelivery(
        product_id=product_id, quantity=units, expected_on=when, note=note, created_by_user_id=user_ref(actor)
    )
    session.add(expected)
    session.flush()
    _changed(session, product_id)
    return expected


def change_expected_delivery(
    session: Session, *, actor: Identity, expected_delivery_id: int, quantity: object, expected_on: object
) -> ExpectedDelivery:
    """A new date (the supplier heard it will be late) or quantity for what is still expected."""
    ensure_admin(actor)
    units = stock.clean_receipt(quantity)
    when = _expected_on(expected_on)
    expected = _open(session, expected_delivery_id)
    expected.quantity, expected.expected_on = units, when
    session.add(expected)
    _changed(session, expected.product_id)
    return expected


def close_expected_delivery(session: Session, *, actor: Identity, expected_delivery_id: int) -> ExpectedDelivery:
    """It will not come (or was recorded by mistake): customers no longer see its date."""
    ensure_admin(actor)
    expected = _open(session, expected_delivery_id)
    expected.closed_at = clock.now()
    session.add(expected)
    _changed(session, expected.product_id)
    return expected


def receive_expected_delivery(
    session: Session, *, actor: Identity, expected_delivery_id: int, quantity: object, note: object = ''
) -> int:
    """Receive (part of) an expected delivery as any receipt is received: open backorders get it first, oldest
    order first. What arrived is taken off what is still expected; nothing left, it is closed. More than expected
    may arrive. Returns the units that went to backorders."""
    ensure_admin(actor)
    expected = _open(session, expected_delivery_id)
    units = stock.clean_receipt(quantity)
    typed_note = stock.clean_note(note, max_len=MAX_NOTE_CHARS)
    served = stock.receive_stock(
        session,
        actor=actor,
        product_id=expected.product_id,
        quantity=units,
        note=typed_note or f'Expected delivery of {expected.expected_on.isoformat()}',
    )
    expected.received += units
    expected.quantity = max(expected.quantity - units, 0)
    if expected.quantity == 0:
        expected.closed_at = clock.now()
    session.add(expected)
    _changed(session, expected.product_id)
    return served


def open_expected_deliveries(session: Session, *, actor: Identity, product_id: int | None = None) -> list[ExpectedView]:
    """Every expected delivery not yet closed (of one product), earliest date first, with how much of it open
    backorders wait for."""
    ensure_admin(actor)
    query = (
        select(ExpectedDelivery, Product.code, Product.name, PortalUser.full_name, PortalUser.username)
        .join(Product, col(Product.id) == ExpectedDelivery.product_id)
        .outerjoin(PortalUser, col(PortalUser.id) == ExpectedDelivery.created_by_user_id)
        .where(col(ExpectedDelivery.closed_at).is_(None))
        .order_by(col(ExpectedDelivery.expected_on), col(ExpectedDelivery.id))
    )
    if product_id is not None:
        query = query.where(ExpectedDelivery.product_id == product_id)
    rows = session.exec(query).all()
    plan = _plan(session, {row[0].product_id for row in rows})
    now = today()
    return [
        ExpectedView(
            id=expected.id,
            product_id=expected.product_id,
            product_code=code,
            product_name=name,
            quantity=expected.quantity,
            received=expected.received,
            expected_on=expected.expected_on,
            overdue=expected.expected_on < now,
            note=expected.note,
            created_at=expected.created_at,
            created_by=full_name or username or '',
            for_backorders=plan.taken.get(expected.id, 0),
        )
        for expected, code, name, full_name, username in rows
    ]


# --- what customers read ---------------------------------------------------------------------------------------


def customer_expectations(session: Session, *, actor: Identity, product_ids: Iterable[int]) -> CustomerExpectations:
    """For these products: when the customer's own backorder lines are expected, and the date for what a new order
    would put on backorder (only for products in the customer's catalogue). Other customers' lines count (older
    orders are served first) but are never returned."""
    customer_id = customer_of(actor)
    ids = {pid for pid in product_ids if isinstance(pid, int)}
    if not ids:
        return CustomerExpectations()
    visible = catalogue.orderable_ids(session, customer_id=customer_id, product_ids=list(ids))
    return expectations_among(session, customer_id=customer_id, product_ids=ids, orderable=visible)


def expectations_among(
    session: Session, *, customer_id: int, product_ids: set[int], orderable: set[int]
) -> CustomerExpectations:
    """`customer_expectations` for a service that has just read which of `product_ids` the customer may order
    (`orderable`, catalogue.orderable_ids for that customer: current_order.contents), so they are not read again."""
    if not product_ids:
        return CustomerExpectations()
    plan = _plan(session, product_ids)
    return CustomerExpectations(
        lines={line_id: exp for line_id, (owner, exp) in plan.lines.items() if owner == customer_id},
        next_arrival={pid: arrival for pid, arrival in plan.spare.items() if pid in orderable},
    )


# --- the plan: expected units given to waiting units, oldest order first ---------------------------------------


@dataclass
class _Plan:
    lines: dict[int, tuple[int, Expectation]] = field(default_factory=dict)  # line id -> (customer id, expectation)
    spare: dict[int, Arrival] = field(default_factory=dict)  # product id -> the first delivery with units left
    taken: dict[int, int] = field(default_factory=dict)  # expected delivery id -> units given to backorders


def _plan(session: Session, product_ids: set[int]) -> _Plan:
    plan = _Plan()
    if not product_ids:
        return plan
    now = today()
    coming: dict[int, list[list]] = {}  # product id -> [[expected id, date, units left], ...], earliest first
    for expected in session.exec(
        select(ExpectedDelivery)
        .where(col(ExpectedDelivery.product_id).in_(product_ids), col(ExpectedDelivery.closed_at).is_(None))
        .order_by(col(ExpectedDelivery.expected_on), col(ExpectedDelivery.id))
    ):
        if expected.quantity > 0:
            coming.setdefault(expected.product_id, []).append([expected.id, expected.expected_on, expected.quantity])
    waiting = session.exec(
        select(OrderLine.id, OrderLine.product_id, OrderLine.backorder, Order.customer_id)
        .join(Order, col(Order.id) == OrderLine.order_id)
        .where(
            col(OrderLine.product_id).in_(product_ids),
            col(OrderLine.backorder) > 0,
            col(Order.status).in_(stock.OPEN_STATUSES),
        )
        .order_by(col(Order.created_at), col(Order.id), col(OrderLine.id))  # as stock.allocate_backorders serves
    ).all()
    for line_id, product_id, backorder, customer_id in waiting:
        deliveries = coming.get(product_id, [])
        arrivals, needed = [], backorder
        while needed and deliveries:
            entry = deliveries[0]
            units = min(needed, entry[2])
            arrivals.append(Arrival(expected_on=entry[1], units=units, overdue=entry[1] < now))
            plan.taken[entry[0]] = plan.taken.get(entry[0], 0) + units
            entry[2] -= units
            needed -= units
            if entry[2] == 0:
                deliveries.pop(0)
        plan.lines[line_id] = (customer_id, Expectation(arrivals=tuple(arrivals), not_expected=needed))
    for product_id, deliveries in coming.items():
        if deliveries:
            _id, when, units = deliveries[0]
            plan.spare[product_id] = Arrival(expected_on=when, units=units, overdue=when < now)
    return plan


# --- checks -----------------------------------------------------------------------------------------------------


def _expected_on(raw: object) -> date:
    """A date as a date field sends it (YYYY-MM-DD) or a date; from today up to two years ahead."""
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, str):
        try:
            raw = date.fromisoformat(raw.strip().replace('/', '-'))
        except ValueError:
            raw = None
    if not isinstance(raw, date):
        raise ValidationError('Choose the date the delivery is expected.', 'expected_on')
    if raw < today():
        raise ValidationError('The expected date cannot be in the past.', 'expected_on')
    if raw > today() + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError('The expected date can be at most two years ahead.', 'expected_on')
    return raw


def _open(session: Session, expected_delivery_id: int) -> ExpectedDelivery:
    expected = (
        session.exec(
            select(ExpectedDelivery)
            .where(ExpectedDelivery.id == expected_delivery_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).first()
        if isinstance(expected_delivery_id, int) and 0 < expected_delivery_id < 2**63
        else None
    )
    if expected is None or expected.closed_at is not None:
        raise NotFound('This expected delivery')
    return expected


def _changed(session: Session, product_id: int) -> None:
    """Pages showing the product's stock, or a backorder of it, read the dates again."""
    events.queue(session, ('stock', product_id), ('expected',))
    for order_id, customer_id in session.exec(
        select(Order.id, Order.customer_id)
        .join(OrderLine, col(OrderLine.order_id) == Order.id)
        .where(
            OrderLine.product_id == product_id,
            col(OrderLine.backorder) > 0,
            col(Order.status).in_(stock.OPEN_STATUSES),
        )
        .distinct()
    ).all():
        events.queue(session, ('order', order_id), ('orders', customer_id))


def record_expected_delivery_by_code(
    session: Session, *, actor: Identity, code: object, quantity: object, expected_on: object, note: object = ''
) -> ExpectedDelivery:
    """As `record_expected_delivery`, for the product with this code (as the supplier types it)."""
    ensure_admin(actor)
    typed = text.line(code, field='code', label=N_('The product code')).upper()
    if not typed:
        raise ValidationError('Enter the product code.', 'code')
    product_id = session.exec(select(Product.id).where(Product.code == typed)).first()
    if product_id is None:
        raise ValidationError('No product has the code {code}.', 'code', code=typed)
    return record_expected_delivery(
        session, actor=actor, product_id=product_id, quantity=quantity, expected_on=expected_on, note=note
    )
