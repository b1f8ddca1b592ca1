"""Stock per product: receiving, counting, the movements that record every change, and backorders.

Every change of `on_hand` writes a StockMovement, so the movements always add up to what is on hand.
Whoever changes stock or allocations locks the product rows first (`lock_products`): on SQLite the
write transaction already holds the database's write lock, on PostgreSQL this row lock keeps two
transactions from reserving the same free units.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from app.core import clock, db, events, text
from app.core.errors import NotFound, ValidationError
from app.core.i18n import N_
from app.core.numbers import whole_number
from app.identity.access import ensure_admin, user_ref
from app.identity.auth import Identity
from app.models import Order, OrderLine, OrderStatus, PortalUser, Product, StockMovement
from app.orders import order_mails

MAX_RECEIPT = 1_000_000
MAX_COUNT = 1_000_000_000
MAX_NOTE_CHARS = 500
MAX_MOVEMENTS = 500
RECEIPT_MESSAGE = N_('Enter a whole number between {minimum} and {maximum}.')
COUNT_MESSAGE = N_('Enter the counted quantity as a whole number of at least 0.')
OPEN_STATUSES = [status for status in OrderStatus if status.is_open]


@dataclass(frozen=True)
class Movement:
    created_at: datetime
    kind: str
    change: int
    on_hand_after: int
    note: str
    by: str  # who recorded it; '' for the system


def lock_products(session: Session, product_ids: Iterable[int]) -> dict[int, Product]:
    """The products, freshly read and locked for this transaction (in id order, so two never deadlock)."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    rows = session.exec(
        select(Product)
        .where(col(Product.id).in_(ids))
        .order_by(col(Product.id))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    return {product.id: product for product in rows if product.id is not None}


def record_movement(
    session: Session, *, product: Product, change: int, kind: str, note: str = '', user_id: int | None = None
) -> None:
    """Write down a change of `on_hand` that the caller has just made to `product`."""
    assert product.id is not None
    session.add(
        StockMovement(
            product_id=product.id,
            change=change,
            on_hand_after=product.on_hand,
            kind=kind,
            note=note,
            user_id=user_id,
        )
    )
    product.updated_at = clock.now()
    session.add(product)
    events.queue(session, ('stock', product.id))


def receive_stock(session: Session, *, actor: Identity, product_id: int, quantity: object, note: str = '') -> int:
    """Add received units; open backorders get them first. Returns how many went to backorders."""
    ensure_admin(actor)
    quantity = clean_receipt(quantity)
    note = clean_note(note)
    product = _product(session, product_id)
    product.on_hand += quantity
    record_movement(session, product=product, change=quantity, kind='receipt', note=note, user_id=user_ref(actor))
    return allocate_backorders(session, product=product)


def count_stock(session: Session, *, actor: Identity, product_id: int, counted: object, note: str = '') -> int:
    """Set what is on hand after counting it; returns the correction (counted minus what was on hand).

    Counting fewer than are reserved takes reservations back from the newest open orders first (they
    go back on backorder); counting more gives the surplus to open backorders, oldest first.
    """
    ensure_admin(actor)
    counted = clean_count(counted)
    note = clean_note(note)
    product = _product(session, product_id)
    change = counted - product.on_hand
    product.on_hand = counted
    record_movement(session, product=product, change=change, kind='count', note=note, user_id=user_ref(actor))
    settle_stock(session, product=product)
    return change


def clean_receipt(raw: object) -> int:
    """A received quantity as receiving checks it (also the stock import's and an expected delivery's check)."""
    return whole_number(raw, minimum=1, maximum=MAX_RECEIPT, message=RECEIPT_MESSAGE, field='quantity')


def clean_count(raw: object) -> int:
    """A counted quantity as counting checks it (also the stock import's check)."""
    return whole_number(raw, minimum=0, maximum=MAX_COUNT, message=COUNT_MESSAGE, field='counted')


def clean_note(raw: object, *, max_len: int = MAX_NOTE_CHARS) -> str:
    """A note as receiving and counting check it (also the stock import's and an expected delivery's check)."""
    note = text.line(raw, field='note', label=N_('The note'))
    if len(note) > max_len:
        raise ValidationError('The note can be at most {limit} characters.', 'note', limit=max_len)
    return note


def settle_stock(session: Session, *, product: Product) -> None:
    """After what is on hand was set (a count, a row of the stock import): below what is reserved, the reservations
    beyond what is on hand go back on backorder, newest open order first; else the free stock goes to open
    backorders, oldest first. `product` must be locked by the caller."""
    if product.allocated > product.on_hand:
        _take_back(session, product=product, units=product.allocated - product.on_hand)
    else:
        allocate_backorders(session, product=product)


def allocate_backorders(session: Session, *, product: Product) -> int:
    """Reserve the product's free stock for open backorders, oldest order first; returns the units reserved.

    `product` must be locked by the caller (see lock_products).
    """
    free = product.on_hand - product.allocated
    if free <= 0:
        return 0
    reserved = 0
    for line, order in _open_lines(session, product, col(OrderLine.backorder) > 0):
        if free == 0:
            break
        units = min(line.backorder, free)
        line.backorder -= units
        line.allocated += units
        free -= units
        reserved += units
        session.add(line)
        _touched(session, order)
        order_mails.backorder_reserved(session, order=order, reserved=[(line, units)])
    if reserved:
        product.allocated += reserved
        session.add(product)
        events.queue(session, ('stock', product.id))
    return reserved


def movements(session: Session, *, actor: Identity, product_id: int, limit: int = 50) -> list[Movement]:
    """The product's latest stock movements, newest first."""
    ensure_admin(actor)
    db.get_or_not_found(session, Product, product_id, N_('This product'))
    by = func.coalesce(func.nullif(PortalUser.full_name, ''), PortalUser.username, '')
    rows = session.exec(
        select(
            StockMovement.created_at,
            StockMovement.kind,
            StockMovement.change,
            StockMovement.on_hand_after,
            StockMovement.note,
            by,
        )
        .outerjoin(PortalUser, col(PortalUser.id) == StockMovement.user_id)
        .where(StockMovement.product_id == product_id)
        .order_by(col(StockMovement.created_at).desc(), col(StockMovement.id).desc())
        .limit(max(1, min(int(limit), MAX_MOVEMENTS)))
    )
    return [Movement(*row) for row in rows]


def _take_back(session: Session, *, product: Product, units: int) -> None:
    """Move `units` of the product's reservations back to backorder, newest open order first."""
    for line, order in _open_lines(session, product, col(OrderLine.allocated) > 0, newest_first=True):
        if units == 0:
            break
        taken = min(line.allocated, units)
        line.allocated -= taken
        line.backorder += taken
        product.allocated -= taken
        units -= taken
        session.add(line)
        _touched(session, order)
    session.add(product)


def _open_lines(
    session: Session, product: Product, having: ColumnElement[bool], *, newest_first: bool = False
) -> list[tuple[OrderLine, Order]]:
    """The product's lines in open orders that meet `having`, read afresh, oldest order first (or newest first)."""
    order = (col(Order.created_at), col(Order.id), col(OrderLine.id))
    return list(
        session.exec(
            select(OrderLine, Order)
            .join(Order, col(Order.id) == OrderLine.order_id)
            .where(OrderLine.product_id == product.id, having, col(Order.status).in_(OPEN_STATUSES))
            .order_by(*(column.desc() for column in order) if newest_first else order)
            .execution_options(populate_existing=True)
        ).all()
    )


def _product(session: Session, product_id: int) -> Product:
    product = lock_products(session, [product_id]).get(product_id)
    if product is None:
        raise NotFound('This product')
    return product


def _touched(session: Session, order: Order) -> None:
    events.queue(session, ('orders', order.customer_id), ('order', order.id), ('admin_orders',))
