"""Saved lists: named lists of products and quantities a customer keeps (the Friday order), shared by all its
portal users, put in the current order whole or in part.

Every read and write is scoped to the actor's customer (another customer's list is not found). Products are put
in a list from the customer's catalogue only, at a quantity the product's minimum and pack size accept; a product
that later leaves the catalogue stays in the list as unavailable, shown with nothing of it (no code, name, price
or stock) and never put in an order. A list's page reads today's price and stock. Putting a list in the current
order goes through the rules of every batch (app/orders/quick_order.py), once per key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from app.catalogue import catalogue, translations
from app.core import clock, db, events, text
from app.core.errors import NotFound, ValidationError
from app.core.i18n import N_
from app.identity.access import customer_of, user_ref
from app.identity.auth import Identity
from app.models import CurrentOrderLine, Product, SavedList, SavedListLine
from app.orders import current_order
from app.orders.order_again import Outcome, put_lines_in
from app.orders.quick_order import Wanted
from app.pricing import prices, rules, terms
from app.pricing.rules import OrderingRules

MAX_NAME_CHARS = 80
MAX_LISTS = 100  # per customer
MAX_LINES = 1000  # per list


@dataclass(frozen=True)
class ListSummary:
    id: int
    name: str
    lines: int
    updated_at: datetime


@dataclass(frozen=True)
class ListLine:
    product_id: int
    quantity: int
    available: bool  # False: no longer in the customer's catalogue, and nothing else of it is filled in
    code: str = ''
    name: str = ''
    unit: str = ''
    unit_price_cents: int = 0  # the customer's price today at this quantity
    list_price_cents: int = 0
    free: int = 0
    image_id: int | None = None
    rules: OrderingRules = field(default_factory=OrderingRules)

    @property
    def line_total_cents(self) -> int:
        return self.unit_price_cents * self.quantity if self.available else 0


@dataclass(frozen=True)
class ListView:
    id: int
    name: str
    lines: list[ListLine]
    updated_at: datetime

    @property
    def total_cents(self) -> int:
        return sum(line.line_total_cents for line in self.lines)


def list_lists(session: Session, *, actor: Identity) -> list[ListSummary]:
    """The customer's lists by name, with how many lines each has."""
    customer_id = customer_of(actor)
    counts = select(SavedListLine.list_id, func.count().label('lines')).group_by(col(SavedListLine.list_id)).subquery()
    rows = session.exec(
        select(SavedList, counts.c.lines)
        .outerjoin(counts, counts.c.list_id == SavedList.id)
        .where(SavedList.customer_id == customer_id)
        .order_by(func.lower(SavedList.name), col(SavedList.id))
    ).all()
    return [ListSummary(id=s.id, name=s.name, lines=lines or 0, updated_at=s.updated_at) for s, lines in rows]


def create_list(session: Session, *, actor: Identity, name: object) -> SavedList:
    customer_id = customer_of(actor)
    checked = _checked_name(session, customer_id, name)
    count = session.exec(select(func.count()).where(SavedList.customer_id == customer_id)).one()
    if count >= MAX_LISTS:
        raise ValidationError('You can keep at most {limit} lists; delete one first.', 'name', limit=MAX_LISTS)
    saved = SavedList(customer_id=customer_id, name=checked, created_by_user_id=user_ref(actor))
    session.add(saved)
    session.flush()
    _changed(session, customer_id)
    return saved


def rename_list(session: Session, *, actor: Identity, list_id: int, name: object) -> SavedList:
    customer_id = customer_of(actor)
    saved = _own_list(session, customer_id, list_id)
    saved.name = _checked_name(session, customer_id, name, list_id=saved.id)
    _touch(session, saved)
    return saved


def delete_list(session: Session, *, actor: Identity, list_id: int) -> None:
    customer_id = customer_of(actor)
    saved = _own_list(session, customer_id, list_id)
    session.exec(delete(SavedListLine).where(col(SavedListLine.list_id) == saved.id))
    session.delete(saved)
    _changed(session, customer_id)


def get_list(session: Session, *, actor: Identity, list_id: int) -> ListView:
    """A list with today's price and stock of each product; products no longer available without their details."""
    customer_id = customer_of(actor)
    saved = _own_list(session, customer_id, list_id)
    rows = current_order.lines_with_products(session, SavedListLine, SavedListLine.list_id == saved.id)
    ids = [product.id for _q, product in rows]
    orderable = catalogue.orderable_ids(session, customer_id=customer_id, product_ids=ids)
    shown = [product for _q, product in rows if product.id in orderable]
    names = translations.names_for(session, actor, shown)
    images = catalogue.first_images(session, product_ids=[p.id for p in shown])
    book = prices.price_book(session, customer_id=customer_id, product_ids=[p.id for p in shown])
    portal = terms.portal_terms(session)
    lines = []
    for quantity, product in rows:
        if product.id not in orderable:
            lines.append(ListLine(product_id=product.id, quantity=quantity, available=False))
            continue
        lines.append(
            ListLine(
                product_id=product.id,
                quantity=quantity,
                available=True,
                code=product.code,
                name=names.get(product.id, product.name),
                unit=product.unit,
                unit_price_cents=book.price(product.id, product.price_cents, quantity).unit_cents,
                list_price_cents=product.price_cents,
                free=product.free,
                image_id=images.get(product.id),
                rules=rules.rules_of(product, portal),
            )
        )
    return ListView(id=saved.id, name=saved.name, lines=lines, updated_at=saved.updated_at)


def add_to_list(session: Session, *, actor: Identity, list_id: int, product_id: int, quantity: object) -> int:
    """Add a product of the customer's catalogue to a list (to its line, if it has one); returns the line's quantity."""
    customer_id = customer_of(actor)
    saved = _own_list(session, customer_id, list_id)
    wanted = current_order.parse_quantity(quantity)
    product = _orderable(session, customer_id, product_id)
    line = _line(session, saved.id, product.id)
    if line is None:
        count = session.exec(select(func.count()).where(SavedListLine.list_id == saved.id)).one()
        if count >= MAX_LINES:
            raise ValidationError('A list can hold at most {limit} products.', 'quantity', limit=MAX_LINES)
        line = SavedListLine(list_id=saved.id, product_id=product.id, quantity=0)
    total = line.quantity + wanted
    if total > current_order.MAX_QUANTITY:
        raise ValidationError(current_order.QUANTITY_MESSAGE, 'quantity', minimum=1, maximum=current_order.MAX_QUANTITY)
    rules.check_quantity(total, rules.rules_of(product, terms.portal_terms(session)), had=line.quantity)
    line.quantity = total
    session.add(line)
    _touch(session, saved)
    return total


def set_list_quantity(session: Session, *, actor: Identity, list_id: int, product_id: int, quantity: object) -> None:
    customer_id = customer_of(actor)
    saved = _own_list(session, customer_id, list_id)
    wanted = current_order.parse_quantity(quantity)
    line = _line(session, saved.id, product_id)
    if line is None:
        raise NotFound('This line')
    product = _orderable(session, customer_id, product_id)
    rules.check_quantity(wanted, rules.rules_of(product, terms.portal_terms(session)))
    line.quantity = wanted
    session.add(line)
    _touch(session, saved)


def remove_from_list(session: Session, *, actor: Identity, list_id: int, product_id: int) -> bool:
    """Take a product out of a list (an unavailable one too); False when it was not in it."""
    customer_id = customer_of(actor)
    saved = _own_list(session, customer_id, list_id)
    line = _line(session, saved.id, product_id)
    if line is None:
        return False
    session.delete(line)
    _touch(session, saved)
    return True


def save_current_order(session: Session, *, actor: Identity, name: object) -> SavedList:
    """A new list of the current order's lines that can be ordered, at their quantities."""
    customer_id = customer_of(actor)
    rows = session.exec(
        select(CurrentOrderLine.product_id, CurrentOrderLine.quantity)
        .where(CurrentOrderLine.user_id == actor.user_id)
        .order_by(col(CurrentOrderLine.added_at), col(CurrentOrderLine.id))
    ).all()
    orderable = catalogue.orderable_ids(session, customer_id=customer_id, product_ids=[pid for pid, _q in rows])
    kept = [(pid, quantity) for pid, quantity in rows if pid in orderable][:MAX_LINES]
    if not kept:
        raise ValidationError('Your current order has no lines to save.')
    saved = create_list(session, actor=actor, name=name)
    now = clock.now()
    for pid, quantity in kept:
        session.add(SavedListLine(list_id=saved.id, product_id=pid, quantity=quantity, added_at=now))
    session.flush()
    return saved


def add_list_to_order(
    session: Session, *, actor: Identity, list_id: int, key: str, product_ids: Sequence[int] | None = None
) -> Outcome:
    """Put a list's lines (all, or the chosen products of it) in the current order at the list's quantities, added
    to what it holds, once per key; a note for each that does not go in as it is."""
    customer_id = customer_of(actor)
    saved = _own_list(session, customer_id, list_id)
    rows = session.exec(
        select(SavedListLine.product_id, SavedListLine.quantity)
        .where(SavedListLine.list_id == saved.id)
        .order_by(col(SavedListLine.added_at), col(SavedListLine.id))
    ).all()
    if product_ids is not None:
        if not isinstance(product_ids, list | tuple) or not all(db.is_id(i) for i in product_ids):
            raise ValidationError('Choose the lines to add.', 'lines')
        chosen = set(product_ids)
        rows = [(pid, quantity) for pid, quantity in rows if pid in chosen]
    if not rows:
        raise ValidationError('Choose the lines to add.', 'lines')
    orderable = catalogue.orderable_ids(session, customer_id=customer_id, product_ids=[pid for pid, _q in rows])
    codes = dict(session.exec(select(Product.id, Product.code).where(col(Product.id).in_(list(orderable)))).all())
    wanted = [Wanted(number=n, product_id=pid, quantity=quantity) for n, (pid, quantity) in enumerate(rows)]
    # what the customer knows a line by: nothing of a product it may no longer see; no price to compare with
    known = {n: (codes.get(pid, ''), '', None) for n, (pid, _q) in enumerate(rows)}
    return put_lines_in(session, actor=actor, wanted=wanted, key=key, known=known)


# --- helpers ------------------------------------------------------------------------------------------------------


def _own_list(session: Session, customer_id: int, list_id: object) -> SavedList:
    saved = session.get(SavedList, list_id) if db.is_id(list_id) else None
    if saved is None or saved.customer_id != customer_id:
        raise NotFound('This list')
    return saved


def _orderable(session: Session, customer_id: int, product_id: object) -> Product:
    product = session.get(Product, product_id) if db.is_id(product_id) else None
    if product is None or not catalogue.can_order(session, customer_id=customer_id, product_id=product.id):
        raise NotFound('This product')
    return product


def _line(session: Session, list_id: int, product_id: object) -> SavedListLine | None:
    if not db.is_id(product_id):
        return None
    return session.exec(
        select(SavedListLine).where(SavedListLine.list_id == list_id, SavedListLine.product_id == product_id)
    ).first()


def _checked_name(session: Session, customer_id: int, name: object, *, list_id: int | None = None) -> str:
    checked = text.line(name, field='name', label=N_('The name'))
    if not checked:
        raise ValidationError('Give the list a name.', 'name')
    if len(checked) > MAX_NAME_CHARS:
        raise ValidationError('A name can be at most {limit} characters.', 'name', limit=MAX_NAME_CHARS)
    taken = session.exec(
        select(SavedList.id).where(
            SavedList.customer_id == customer_id, func.lower(SavedList.name) == checked.lower(), SavedList.id != list_id
        )
    ).first()
    if taken is not None:
        raise ValidationError('You have a list named {name} already.', 'name', name=checked)
    return checked


def _touch(session: Session, saved: SavedList) -> None:
    saved.updated_at = clock.now()
    session.add(saved)
    session.flush()
    _changed(session, saved.customer_id)


def _changed(session: Session, customer_id: int) -> None:
    events.queue(session, ('lists', customer_id))
