"""Exports of products, stock, customers, users, orders and price lists as CSV or XLSX.

Rows are read in pages of ids and yielded as they are read, so an export of 100,000 rows never holds them all; the
file is written as they come (tables.csv_text, tables.write_xlsx). It is slow, blocking work: a page runs it
with `run.io_bound`, never on the event loop. The products export has the products import's own columns, so a file
exported and imported again changes nothing. No export has a password hash.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import IO, Any

from sqlalchemy import Select
from sqlmodel import Session, col, select

from app.core.errors import ValidationError
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import Address, Customer, Order, OrderLine, OrderStatus, PortalUser, PriceList, PriceListItem, Product
from app.transfer import tables

PAGE = 1000


class Kind(StrEnum):
    PRODUCTS = 'products'
    STOCK = 'stock'
    CUSTOMERS = 'customers'
    USERS = 'users'
    ORDERS = 'orders'
    PRICE_LISTS = 'price_lists'


class Format(StrEnum):
    CSV = 'csv'
    XLSX = 'xlsx'


@dataclass(frozen=True)
class OrderFilter:
    since: date | None = None  # placed on or after this day (UTC)
    until: date | None = None  # placed on or before this day (UTC)
    status: OrderStatus | None = None
    customer_code: str = ''


@dataclass(frozen=True)
class Export:
    kind: Kind
    header: tuple[str, ...]
    rows: Iterator[Sequence[Any]]  # read as they are written


# The column names are the import's field names (app/transfer/imports.py), not texts for a reader: an export
# made in any language re-imports in any other.
PRODUCT_HEADER = (
    'code', 'name', 'description', 'barcode', 'unit', 'price', 'active', 'vat_class', 'min_quantity', 'order_multiple',
    'backorders',
)  # fmt: skip
STOCK_HEADER = ('code', 'name', 'unit', 'on_hand', 'reserved', 'free')
CUSTOMER_HEADER = ('code', 'name', 'language', 'recipient', 'street', 'postal_code', 'city', 'country')
PRICE_LIST_HEADER = ('price_list', 'code', 'from_quantity', 'price', 'discount')
USER_HEADER = ('username', 'full_name', 'role', 'customer', 'active', 'created_at')
ORDER_HEADER = (
    'order', 'placed_at', 'status', 'customer', 'customer_name', 'reference', 'code', 'name', 'quantity',
    'delivered', 'reserved', 'backorder', 'cancelled', 'unit_price', 'line_total',
)  # fmt: skip


def export(session: Session, *, actor: Identity, kind: Kind | str, orders: OrderFilter | None = None) -> Export:
    """The rows of an export, read from the session's database while they are consumed: keep the session (a
    db.read_session of its own: one consistent snapshot; each page read is let go) open until they are written."""
    ensure_admin(actor)
    kind = Kind(kind)
    header, rows = {
        Kind.PRODUCTS: (PRODUCT_HEADER, _products),
        Kind.STOCK: (STOCK_HEADER, _stock),
        Kind.CUSTOMERS: (CUSTOMER_HEADER, _customers),
        Kind.USERS: (USER_HEADER, _users),
        Kind.ORDERS: (ORDER_HEADER, lambda s: _orders(s, orders or OrderFilter())),
        Kind.PRICE_LISTS: (PRICE_LIST_HEADER, _price_lists),
    }[kind]
    return Export(kind=kind, header=header, rows=rows(session))


def write(target: IO[bytes], made: Export, fmt: Format | str) -> None:
    """Write the export to a binary file as its rows are read."""
    if Format(fmt) == Format.XLSX:
        tables.write_xlsx(target, made.header, made.rows, title=made.kind.value)
        return
    for piece in tables.csv_text(made.header, (_csv_cells(row) for row in made.rows)):
        target.write(piece.encode('utf-8'))


def csv_bytes(made: Export) -> Iterator[bytes]:
    """The CSV file in pieces, for a streamed download."""
    for piece in tables.csv_text(made.header, (_csv_cells(row) for row in made.rows)):
        yield piece.encode('utf-8')


def _csv_cells(row: Sequence[Any]) -> list[Any]:
    return [cell.isoformat() if isinstance(cell, datetime) else cell for cell in row]


def _pages(session: Session, stmt: Select, key: Any) -> Iterator[Any]:
    """The statement's rows in pages of PAGE by `key` (an id column); each page is let go once it is read."""
    after = 0
    while True:
        rows = session.exec(stmt.where(key > after).order_by(key).limit(PAGE)).all()
        if not rows:
            return
        last = rows[-1]
        after = (last[0] if hasattr(last, '_fields') else last).id
        yield from rows
        session.expunge_all()
        if len(rows) < PAGE:
            return


def _price(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2).quantize(Decimal('0.01'))


def _products(session: Session) -> Iterator[Sequence[Any]]:
    for p in _pages(session, select(Product), col(Product.id)):
        backorders = 'portal' if p.backorders is None else 'yes' if p.backorders else 'no'
        yield (p.code, p.name, p.description, p.barcode, p.unit, _price(p.price_cents), 'yes' if p.active else 'no',
               p.vat_class.value, p.min_quantity, p.order_multiple, backorders)  # fmt: skip


def _stock(session: Session) -> Iterator[Sequence[Any]]:
    for p in _pages(session, select(Product), col(Product.id)):
        yield (p.code, p.name, p.unit, p.on_hand, p.allocated, p.free)


def _customers(session: Session) -> Iterator[Sequence[Any]]:
    stmt = select(Customer, Address).outerjoin(
        Address, (col(Address.customer_id) == Customer.id) & col(Address.is_default)
    )
    for customer, address in _pages(session, stmt, col(Customer.id)):
        where = [getattr(address, name) if address else '' for name in CUSTOMER_HEADER[3:]]
        yield (customer.code, customer.name, customer.language, *where)


def _price_lists(session: Session) -> Iterator[Sequence[Any]]:
    """Each list's fixed prices and tiers by product code and quantity, its discount on every row (a list without
    prices: one row of its own), as the price-list import reads them."""
    lists = session.exec(
        select(PriceList.id, PriceList.name, PriceList.discount_bp).order_by(col(PriceList.name))
    ).all()
    for list_id, name, discount_bp in lists:
        discount = format((Decimal(discount_bp) / 100).normalize(), 'f')
        stmt = (
            select(Product.code, PriceListItem.min_quantity, PriceListItem.price_cents)
            .join(Product, col(Product.id) == PriceListItem.product_id)
            .where(PriceListItem.price_list_id == list_id)
            .order_by(col(Product.code), col(PriceListItem.min_quantity))
        )
        offset, written = 0, 0
        while True:
            rows = session.exec(stmt.offset(offset).limit(PAGE)).all()
            for code, from_quantity, cents in rows:
                yield (name, code, from_quantity, _price(cents), discount)
            written += len(rows)
            if len(rows) < PAGE:
                break
            offset += PAGE
        if not written:
            yield (name, '', '', '', discount)


def _users(session: Session) -> Iterator[Sequence[Any]]:
    stmt = select(PortalUser, Customer.code).outerjoin(Customer, col(Customer.id) == PortalUser.customer_id)
    for user, customer_code in _pages(session, stmt, col(PortalUser.id)):
        yield (user.username, user.full_name, user.role.value, customer_code or '', 'yes' if user.active else 'no',
               user.created_at)  # fmt: skip


def _orders(session: Session, wanted: OrderFilter) -> Iterator[Sequence[Any]]:
    stmt = (
        select(OrderLine, Order, Customer)
        .join(Order, col(Order.id) == OrderLine.order_id)
        .join(Customer, col(Customer.id) == Order.customer_id)
    )
    if wanted.since:
        stmt = stmt.where(col(Order.created_at) >= datetime.combine(wanted.since, time.min, tzinfo=UTC))
    if wanted.until:
        stmt = stmt.where(
            col(Order.created_at) < datetime.combine(wanted.until + timedelta(days=1), time.min, tzinfo=UTC)
        )
    if wanted.status:
        stmt = stmt.where(col(Order.status) == wanted.status)
    if wanted.customer_code:
        stmt = stmt.where(col(Customer.code) == wanted.customer_code.strip().upper())
    for line, order, customer in _pages(session, stmt, col(OrderLine.id)):
        yield (
            order.number, order.created_at, order.status.value, customer.code, customer.name, order.reference,
            line.product_code, line.product_name, line.quantity, line.delivered, line.allocated, line.backorder,
            line.cancelled, _price(line.unit_price_cents), _price(line.total_cents),
        )  # fmt: skip


def parse_day(raw: str, *, field: str) -> date:
    """A day as the command takes it: 2026-12-01."""
    try:
        return date.fromisoformat(raw.strip())
    except ValueError as error:
        raise ValidationError('Write the day as year-month-day, for example 2026-12-01.', field) from error


def order_filter(*, since: str = '', until: str = '', status: str = '', customer: str = '') -> OrderFilter:
    """The filter from typed values, or ValidationError naming the bad one."""
    chosen = None
    if status:
        try:
            chosen = OrderStatus(status.strip().lower())
        except ValueError as error:
            raise ValidationError(
                'The status is one of: {statuses}.', 'status', statuses=', '.join(s.value for s in OrderStatus)
            ) from error
    return OrderFilter(
        since=parse_day(since, field='since') if since else None,
        until=parse_day(until, field='until') if until else None,
        status=chosen,
        customer_code=customer,
    )
