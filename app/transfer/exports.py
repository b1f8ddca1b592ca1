"""Exports of products, stock, customers, users, orders and price lists as CSV or XLSX.

Rows are read in pages of ids and yielded as they are read, so an export of 100,000 rows never holds them all; the
file is written as they come (tables.csv_text, tables.write_xlsx). It is slow, blocking work: a page runs it
with `run.io_bound`, never on the event loop. The products export has the products import's own columns, so a file
exported and imported again changes nothing (its translations as name_xx / description_xx columns, its images by
their stored file names, which keep them). Backorders and deliveries are filtered like the orders. No export has a
password hash.
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

from app.catalogue import categories
from app.core import i18n, portal_settings
from app.core.errors import ValidationError
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import (
    Address,
    Customer,
    CustomerProduct,
    Delivery,
    DeliveryLine,
    Order,
    OrderLine,
    OrderStatus,
    PortalUser,
    PriceList,
    PriceListItem,
    Product,
    ProductCategory,
    ProductImage,
    ProductTranslation,
)
from app.transfer import bulk, tables

PAGE = 1000


class Kind(StrEnum):
    PRODUCTS = 'products'
    STOCK = 'stock'
    CUSTOMERS = 'customers'
    USERS = 'users'
    ORDERS = 'orders'
    BACKORDERS = 'backorders'
    DELIVERIES = 'deliveries'
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
    'backorders', 'images', 'category',
)  # fmt: skip
STOCK_HEADER = ('code', 'name', 'unit', 'on_hand', 'reserved', 'free')
CUSTOMER_HEADER = (
    'code', 'name', 'language', 'recipient', 'street', 'postal_code', 'city', 'country', 'catalogue', 'products',
)  # fmt: skip
ADDRESS_COLUMNS = ('recipient', 'street', 'postal_code', 'city', 'country')
PRICE_LIST_HEADER = ('price_list', 'code', 'from_quantity', 'price', 'discount')
USER_HEADER = ('username', 'full_name', 'email', 'language', 'role', 'customer', 'active', 'created_at')
ORDER_HEADER = (
    'order', 'placed_at', 'status', 'customer', 'customer_name', 'reference', 'code', 'name', 'quantity',
    'delivered', 'reserved', 'backorder', 'cancelled', 'unit_price', 'line_total',
)  # fmt: skip
BACKORDER_HEADER = (
    'order', 'placed_at', 'status', 'customer', 'customer_name', 'reference', 'code', 'name', 'quantity',
    'backorder', 'reserved', 'free_now',
)  # fmt: skip
DELIVERY_HEADER = (
    'delivery', 'delivered_at', 'tracking_code', 'order', 'customer', 'customer_name', 'code', 'name', 'quantity',
)  # fmt: skip


def export(session: Session, *, actor: Identity, kind: Kind | str, orders: OrderFilter | None = None) -> Export:
    """The rows of an export, read from the session's database while they are consumed: keep the session (a
    db.read_session of its own: one consistent snapshot; each page read is let go) open until they are written."""
    ensure_admin(actor)
    kind = Kind(kind)
    wanted = orders or OrderFilter()
    if kind == Kind.PRODUCTS:
        languages = tuple(lang for lang in i18n.LANGUAGES if lang != portal_settings.default_language(session))
        texts = tuple(f'{part}_{lang}' for lang in languages for part in ('name', 'description'))
        return Export(kind=kind, header=(*PRODUCT_HEADER, *texts), rows=_products(session, languages))
    header, rows = {
        Kind.STOCK: (STOCK_HEADER, _stock),
        Kind.CUSTOMERS: (CUSTOMER_HEADER, _customers),
        Kind.USERS: (USER_HEADER, _users),
        Kind.ORDERS: (ORDER_HEADER, lambda s: _orders(s, wanted)),
        Kind.BACKORDERS: (BACKORDER_HEADER, lambda s: _backorders(s, wanted)),
        Kind.DELIVERIES: (DELIVERY_HEADER, lambda s: _deliveries(s, wanted)),
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


def _products(session: Session, languages: Sequence[str]) -> Iterator[Sequence[Any]]:
    """Each product with its image file names (| between them) and its texts in the other languages."""
    page: list[Product] = []
    tree = categories.read_tree(session, language=None)
    for product in _pages(session, select(Product), col(Product.id)):
        page.append(product)
        if len(page) == PAGE:
            yield from _product_rows(session, page, languages, tree)
            page = []
    yield from _product_rows(session, page, languages, tree)


def _product_rows(
    session: Session, page: list[Product], languages: Sequence[str], tree: categories.CategoryTree
) -> Iterator[Sequence[Any]]:
    if not page:
        return
    ids = [p.id for p in page]
    pictures: dict[int, list[str]] = {}
    for product_id, filename in session.exec(
        select(ProductImage.product_id, ProductImage.filename)
        .where(col(ProductImage.product_id).in_(ids))
        .order_by(col(ProductImage.product_id), col(ProductImage.position), col(ProductImage.id))
    ):
        pictures.setdefault(product_id, []).append(filename)
    placed: dict[int, list[int]] = {}
    for product_id, category_id in session.exec(
        select(ProductCategory.product_id, ProductCategory.category_id).where(col(ProductCategory.product_id).in_(ids))
    ):
        placed.setdefault(product_id, []).append(category_id)
    texts: dict[tuple[int, str], tuple[str, str]] = {}
    if languages:
        for product_id, language, name, description in session.exec(
            select(ProductTranslation.product_id, ProductTranslation.language, ProductTranslation.name,
                   ProductTranslation.description)
            .where(col(ProductTranslation.product_id).in_(ids), col(ProductTranslation.language).in_(languages))
        ):  # fmt: skip
            texts[(product_id, language)] = (name, description)
    for p in page:
        backorders = 'portal' if p.backorders is None else 'yes' if p.backorders else 'no'
        translated = [part for lang in languages for part in texts.get((p.id, lang), ('', ''))]
        yield (p.code, p.name, p.description, p.barcode, p.unit, _price(p.price_cents), 'yes' if p.active else 'no',
               p.vat_class.value, p.min_quantity, p.order_multiple, backorders, '|'.join(pictures.get(p.id, [])),
               bulk.category_cell(tree, placed.get(p.id, ())), *translated)  # fmt: skip


def _stock(session: Session) -> Iterator[Sequence[Any]]:
    for p in _pages(session, select(Product), col(Product.id)):
        yield (p.code, p.name, p.unit, p.on_hand, p.allocated, p.free)


def _customers(session: Session) -> Iterator[Sequence[Any]]:
    """Each customer with its default address, what it sees, and its selection's product codes (| between them)."""
    stmt = select(Customer, Address).outerjoin(
        Address, (col(Address.customer_id) == Customer.id) & col(Address.is_default)
    )
    for customer, address in _pages(session, stmt, col(Customer.id)):
        where = [getattr(address, name) if address else '' for name in ADDRESS_COLUMNS]
        chosen = session.exec(
            select(Product.code)
            .join(CustomerProduct, col(CustomerProduct.product_id) == Product.id)
            .where(CustomerProduct.customer_id == customer.id)
            .order_by(col(Product.code))
        ).all()
        yield (customer.code, customer.name, customer.language, *where, customer.catalogue_mode.value, '|'.join(chosen))


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
        yield (user.username, user.full_name, user.email or '', user.language or '', user.role.value,
               customer_code or '', 'yes' if user.active else 'no', user.created_at)  # fmt: skip


def _filtered(stmt: Select, wanted: OrderFilter, *, placed: Any = None) -> Select:
    """The statement narrowed to the orders (or, with `placed`, the deliveries made) of the filter."""
    moment = col(Order.created_at) if placed is None else placed
    if wanted.since:
        stmt = stmt.where(moment >= datetime.combine(wanted.since, time.min, tzinfo=UTC))
    if wanted.until:
        stmt = stmt.where(moment < datetime.combine(wanted.until + timedelta(days=1), time.min, tzinfo=UTC))
    if wanted.status:
        stmt = stmt.where(col(Order.status) == wanted.status)
    if wanted.customer_code:
        stmt = stmt.where(col(Customer.code) == wanted.customer_code.strip().upper())
    return stmt


def _backorders(session: Session, wanted: OrderFilter) -> Iterator[Sequence[Any]]:
    """Every order line with units on backorder, oldest order first within the filter (placed from / until)."""
    stmt = _filtered(
        select(OrderLine, Order, Customer, Product.on_hand, Product.allocated)
        .join(Order, col(Order.id) == OrderLine.order_id)
        .join(Customer, col(Customer.id) == Order.customer_id)
        .join(Product, col(Product.id) == OrderLine.product_id)
        .where(col(OrderLine.backorder) > 0),
        wanted,
    )
    for line, order, customer, on_hand, allocated in _pages(session, stmt, col(OrderLine.id)):
        yield (
            order.number, order.created_at, order.status.value, customer.code, customer.name, order.reference,
            line.product_code, line.product_name, line.quantity, line.backorder, line.allocated,
            max(on_hand - allocated, 0),
        )  # fmt: skip


def _deliveries(session: Session, wanted: OrderFilter) -> Iterator[Sequence[Any]]:
    """Every line of every delivery (one row per product delivered), filtered by the day it was delivered."""
    stmt = _filtered(
        select(DeliveryLine, Delivery, OrderLine, Order, Customer)
        .join(Delivery, col(Delivery.id) == DeliveryLine.delivery_id)
        .join(OrderLine, col(OrderLine.id) == DeliveryLine.order_line_id)
        .join(Order, col(Order.id) == Delivery.order_id)
        .join(Customer, col(Customer.id) == Order.customer_id),
        wanted,
        placed=col(Delivery.created_at),
    )
    for item, delivery, line, order, customer in _pages(session, stmt, col(DeliveryLine.id)):
        yield (
            delivery.id, delivery.created_at, delivery.tracking_code, order.number, customer.code, customer.name,
            line.product_code, line.product_name, item.quantity,
        )  # fmt: skip


def _orders(session: Session, wanted: OrderFilter) -> Iterator[Sequence[Any]]:
    stmt = (
        select(OrderLine, Order, Customer)
        .join(Order, col(Order.id) == OrderLine.order_id)
        .join(Customer, col(Customer.id) == Order.customer_id)
    )
    stmt = _filtered(stmt, wanted)
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
