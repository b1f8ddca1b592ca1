"""The current order: what a portal user is putting together, kept in the database across visits and devices.

One per portal user (not per browser session), so it survives signing out. Only customer users have
one. Lines whose product has since left the customer's catalogue stay visible but are flagged
unavailable and count in no total.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlmodel import Session, col, delete, func, select

from app.catalogue import catalogue
from app.core import clock, events, text
from app.core.errors import NotFound, ValidationError
from app.identity.access import customer_of
from app.identity.auth import Identity
from app.models import CurrentOrder, CurrentOrderLine, Product

MAX_QUANTITY = 100_000
MAX_COMMENT_CHARS = 2000
MAX_REFERENCE_CHARS = 60
QUANTITY_MESSAGE = f'Enter a whole number between 1 and {MAX_QUANTITY:,}.'


@dataclass(frozen=True)
class CurrentLine:
    product_id: int
    code: str
    name: str
    unit: str
    unit_price_cents: int  # today's price
    quantity: int
    line_total_cents: int  # 0 when not available
    free: int
    image_id: int | None
    ships_now: int
    to_backorder: int
    available: bool


@dataclass(frozen=True)
class ShownLine:
    """A line as a page showed it: what placing compares with the current order under the write lock.

    The price is only compared, never used: an order is always priced by the server.
    """

    product_id: int
    quantity: int
    unit_price_cents: int


@dataclass(frozen=True)
class Summary:
    lines: int
    units: int
    total_cents: int


def parse_quantity(raw: object) -> int:
    """A quantity as typed (or sent by a browser): a whole number from 1 to MAX_QUANTITY."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and re.fullmatch(r'[0-9]{1,7}', raw.strip()):
        value = int(raw.strip())
    else:
        raise ValidationError(QUANTITY_MESSAGE, 'quantity')
    if not 1 <= value <= MAX_QUANTITY:
        raise ValidationError(QUANTITY_MESSAGE, 'quantity')
    return value


def find(session: Session, *, actor: Identity) -> CurrentOrder | None:
    """The user's current order, if it has been made (a read: no write lock needed to show it)."""
    customer_of(actor)
    return session.get(CurrentOrder, actor.user_id)


def get_or_create(session: Session, *, actor: Identity) -> CurrentOrder:
    customer_of(actor)
    current = session.get(CurrentOrder, actor.user_id)
    if current is None:
        current = CurrentOrder(user_id=actor.user_id, placement_key=secrets.token_urlsafe(16))
        session.add(current)
        session.flush()
    return current


def add(session: Session, *, actor: Identity, product_id: int, quantity: object) -> int:
    """Add to the product's line (making one if needed); returns the line's new quantity."""
    customer_id = customer_of(actor)
    quantity = parse_quantity(quantity)
    if not catalogue.can_order(session, customer_id=customer_id, product_id=product_id):
        raise NotFound('This product')
    line = _line(session, actor, product_id)
    if line is None:
        line = CurrentOrderLine(user_id=actor.user_id, product_id=product_id, quantity=0)
    if line.quantity + quantity > MAX_QUANTITY:
        raise ValidationError(
            f'Your current order already has {line.quantity:,} of this product; one line can hold '
            f'at most {MAX_QUANTITY:,}.',
            'quantity',
        )
    line.quantity += quantity
    session.add(line)
    _changed(session, actor)
    return line.quantity


def set_quantity(session: Session, *, actor: Identity, product_id: int, quantity: object) -> None:
    customer_of(actor)
    quantity = parse_quantity(quantity)
    line = _line(session, actor, product_id)
    if line is None:
        raise NotFound('This line')
    line.quantity = quantity
    session.add(line)
    _changed(session, actor)


def remove(session: Session, *, actor: Identity, product_id: int) -> int:
    """Take the product's line out; returns the quantity it had (0: already gone, from another tab, no error)."""
    customer_of(actor)
    line = _line(session, actor, product_id)
    if line is None:
        return 0
    quantity = line.quantity
    session.delete(line)
    _changed(session, actor)
    return quantity


def restore(session: Session, *, actor: Identity, product_id: int, quantity: object) -> bool:
    """Undo a removal: the line comes back with the quantity it had, once.

    Only a product without a line gets one, with that quantity (set, never added), so Undo sent twice, or
    replayed, cannot put the quantity in twice. False when the product has a line again already.
    """
    customer_id = customer_of(actor)
    quantity = parse_quantity(quantity)
    if not catalogue.can_order(session, customer_id=customer_id, product_id=product_id):
        raise NotFound('This product')
    # two Undos at once (PostgreSQL runs them side by side): the second waits here, then sees the line
    session.exec(select(CurrentOrder).where(CurrentOrder.user_id == actor.user_id).with_for_update()).first()
    if _line(session, actor, product_id) is not None:
        return False
    session.add(CurrentOrderLine(user_id=actor.user_id, product_id=product_id, quantity=quantity))
    _changed(session, actor)
    return True


def clear(session: Session, *, actor: Identity) -> None:
    """Remove every line; the comment and reference stay."""
    customer_of(actor)
    session.exec(delete(CurrentOrderLine).where(col(CurrentOrderLine.user_id) == actor.user_id))
    _changed(session, actor)


def clean_details(comment: object, reference: object) -> tuple[str, str]:
    """The comment (line breaks kept) and the reference (one line), checked against their limits."""
    comment = text.block(comment, field='comment', label='The comment')
    reference = text.line(reference, field='reference', label='Your reference')
    if len(comment) > MAX_COMMENT_CHARS:
        raise ValidationError(f'The comment can be at most {MAX_COMMENT_CHARS:,} characters.', 'comment')
    if len(reference) > MAX_REFERENCE_CHARS:
        raise ValidationError(f'Your reference can be at most {MAX_REFERENCE_CHARS} characters.', 'reference')
    return comment, reference


def update_details(session: Session, *, actor: Identity, comment: str, reference: str) -> None:
    customer_of(actor)
    comment, reference = clean_details(comment, reference)
    current = get_or_create(session, actor=actor)
    current.comment = comment
    current.reference = reference
    _changed(session, actor)


def lines(session: Session, *, actor: Identity) -> list[CurrentLine]:
    customer_id = customer_of(actor)
    rows = session.exec(
        select(
            CurrentOrderLine.product_id,
            CurrentOrderLine.quantity,
            Product.code,
            Product.name,
            Product.unit,
            Product.price_cents,
            Product.on_hand,
            Product.allocated,
        )
        .join(Product, col(Product.id) == CurrentOrderLine.product_id)
        .where(CurrentOrderLine.user_id == actor.user_id)
        .order_by(col(CurrentOrderLine.added_at), col(CurrentOrderLine.id))
    ).all()
    product_ids = [row[0] for row in rows]
    orderable = catalogue.orderable_ids(session, customer_id=customer_id, product_ids=product_ids)
    images = catalogue.first_images(session, product_ids=product_ids)
    result = []
    for product_id, quantity, code, name, unit, price, on_hand, allocated in rows:
        free = max(on_hand - allocated, 0)
        available = product_id in orderable
        ships_now = min(quantity, free) if available else 0
        result.append(
            CurrentLine(
                product_id=product_id,
                code=code,
                name=name,
                unit=unit,
                unit_price_cents=price,
                quantity=quantity,
                line_total_cents=price * quantity if available else 0,
                free=free,
                image_id=images.get(product_id),
                ships_now=ships_now,
                to_backorder=quantity - ships_now if available else 0,
                available=available,
            )
        )
    return result


def summary(session: Session, *, actor: Identity) -> Summary:
    """Lines, units and total of the available lines, in one aggregate query."""
    customer_id = customer_of(actor)
    stmt = (
        select(
            func.count(),
            func.coalesce(func.sum(CurrentOrderLine.quantity), 0),
            func.coalesce(func.sum(col(CurrentOrderLine.quantity) * col(Product.price_cents)), 0),
        )
        .select_from(CurrentOrderLine)
        .join(Product, col(Product.id) == CurrentOrderLine.product_id)
        .where(CurrentOrderLine.user_id == actor.user_id)
    )
    count, units, total = session.exec(catalogue.visible(session, stmt, customer_id=customer_id)).one()
    return Summary(lines=count, units=units, total_cents=total)


def summary_of(lines: list[CurrentLine]) -> Summary:
    """What `summary` reads, from lines already read (the current-order page has them)."""
    available = [line for line in lines if line.available]
    return Summary(
        lines=len(available),
        units=sum(line.quantity for line in available),
        total_cents=sum(line.line_total_cents for line in available),
    )


def shown_of(lines: list[CurrentLine], prices: dict[int, int] | None = None) -> list[ShownLine]:
    """What a page showing these lines sends when placing; `prices` are the prices the customer agreed to,
    where they differ from the lines' (a price changed while the page was open)."""
    prices = prices or {}
    return [
        ShownLine(line.product_id, line.quantity, prices.get(line.product_id, line.unit_price_cents)) for line in lines
    ]


def quantities(session: Session, *, actor: Identity, product_ids: list[int]) -> dict[int, int]:
    """How many of each of these products are in the current order (products not in it are left out)."""
    customer_of(actor)
    if not product_ids:
        return {}
    rows = session.exec(
        select(CurrentOrderLine.product_id, CurrentOrderLine.quantity).where(
            CurrentOrderLine.user_id == actor.user_id, col(CurrentOrderLine.product_id).in_(product_ids)
        )
    )
    return dict(rows.all())


def _line(session: Session, actor: Identity, product_id: int) -> CurrentOrderLine | None:
    return session.exec(
        select(CurrentOrderLine).where(
            CurrentOrderLine.user_id == actor.user_id, CurrentOrderLine.product_id == product_id
        )
    ).first()


def _changed(session: Session, actor: Identity) -> None:
    get_or_create(session, actor=actor).updated_at = clock.now()
    events.queue(session, ('current_order', actor.user_id))
