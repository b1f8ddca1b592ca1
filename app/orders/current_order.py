"""The current order: what a portal user is putting together, kept in the database across visits and devices.

One per portal user (not per browser session), so it survives signing out. Only customer users have
one. Lines whose product has since left the customer's catalogue stay visible but are flagged
unavailable and count in no total.

Lines are priced as placing would price them now (app/pricing: the customer's price for the line's quantity,
VAT per rate), and every change is checked against the product's ordering rules (minimum, pack size,
backorders), so what the page offers is what placing accepts; placing checks it all again under the lock.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlmodel import Session, col, delete, select

from app.catalogue import catalogue, translations
from app.core import clock, db, events, text
from app.core.errors import NotFound, ValidationError
from app.core.i18n import N_
from app.core.numbers import whole_number
from app.identity.access import customer_of
from app.identity.auth import Identity
from app.models import CurrentOrder, CurrentOrderLine, Customer, Product, SavedListLine
from app.orders import expected
from app.orders.expected import Arrival
from app.pricing import prices, rules, terms, vat
from app.pricing.rules import OrderingRules
from app.pricing.vat import Totals

MAX_QUANTITY = rules.MAX_QUANTITY
MAX_COMMENT_CHARS = 2000
MAX_REFERENCE_CHARS = 60
QUANTITY_MESSAGE = N_('Enter a whole number between {minimum} and {maximum}.')


@dataclass(frozen=True)
class CurrentLine:
    product_id: int
    code: str
    name: str
    unit: str
    unit_price_cents: int  # the customer's price today for this quantity, excluding VAT
    quantity: int
    line_total_cents: int  # excluding VAT; 0 when not available
    free: int
    image_id: int | None
    ships_now: int
    to_backorder: int
    available: bool
    list_price_cents: int = 0
    vat_rate_bp: int = 0
    rules: OrderingRules = field(default_factory=OrderingRules)  # the quantities its field may step through
    expected: Arrival | None = None  # when what goes on backorder is expected (app/orders/expected.py)


@dataclass(frozen=True)
class ShownLine:
    """A line as a page showed it: what placing compares with the current order under the write lock.

    The price is only compared, never used: an order is always priced by the server.
    """

    product_id: int
    quantity: int
    unit_price_cents: int


@dataclass(frozen=True, kw_only=True)
class Summary(Totals):
    """The available lines' counts and their totals (money excluding VAT but `total_cents`)."""

    lines: int
    units: int
    minimum_order_cents: int = 0  # the least an order may come to, excluding VAT (0: none)

    @property
    def missing_cents(self) -> int:
        """How much is still missing to the minimum order value."""
        return max(self.minimum_order_cents - self.subtotal_cents, 0) if self.lines else 0

    @property
    def totals(self) -> Totals:
        """The money part, for what shows totals (a summary is the totals of its lines)."""
        return self


@dataclass(frozen=True)
class Contents:
    """The current order's lines and their summary, read together."""

    lines: list[CurrentLine]
    summary: Summary


def parse_quantity(raw: object) -> int:
    """A quantity as typed (the reader's local way) or sent by a browser: a whole number from 1 to MAX_QUANTITY."""
    return whole_number(raw, minimum=1, maximum=MAX_QUANTITY, message=QUANTITY_MESSAGE, field='quantity', floats=False)


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
            'Your current order already has {had} of this product; one line can hold at most {max}.',
            'quantity',
            had=line.quantity,
            max=MAX_QUANTITY,
        )
    _check_rules(session, product_id, line.quantity + quantity, had=line.quantity)
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
    _check_rules(session, product_id, quantity)
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
    _check_rules(session, product_id, quantity)
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
    comment = text.block(comment, field='comment', label=N_('The comment'))
    reference = text.line(reference, field='reference', label=N_('Your reference'))
    if len(comment) > MAX_COMMENT_CHARS:
        raise ValidationError('The comment can be at most {limit} characters.', 'comment', limit=MAX_COMMENT_CHARS)
    if len(reference) > MAX_REFERENCE_CHARS:
        raise ValidationError(
            'Your reference can be at most {limit} characters.', 'reference', limit=MAX_REFERENCE_CHARS
        )
    return comment, reference


def update_details(session: Session, *, actor: Identity, comment: str, reference: str) -> None:
    customer_of(actor)
    comment, reference = clean_details(comment, reference)
    current = get_or_create(session, actor=actor)
    current.comment = comment
    current.reference = reference
    _changed(session, actor)


def lines(session: Session, *, actor: Identity) -> list[CurrentLine]:
    """The lines, oldest first, priced for the customer today."""
    return contents(session, actor=actor).lines


def summary(session: Session, *, actor: Identity) -> Summary:
    """Lines, units and totals of the available lines (the current order at a glance)."""
    return contents(session, actor=actor, with_images=False, details=False).summary


def lines_with_products(
    session: Session, line: type[CurrentOrderLine | SavedListLine], *where: Any
) -> Sequence[tuple[int, Product]]:
    """(quantity, product) of the lines of a current order or a saved list that `where` picks, as they were added."""
    return session.exec(
        select(line.quantity, Product)
        .join(Product, col(Product.id) == line.product_id)
        .where(*where)
        .order_by(col(line.added_at), col(line.id))
    ).all()


def contents(session: Session, *, actor: Identity, with_images: bool = True, details: bool = True) -> Contents:
    """The lines and their summary, read at once: one query for the lines and their products, one for the
    customer's prices of them (app/pricing), one for which it may still order. Without `details` (for the summary
    alone, on every page's menu) the lines lack their names in the reader's language and their expected arrival."""
    customer_id = customer_of(actor)
    rows = lines_with_products(session, CurrentOrderLine, CurrentOrderLine.user_id == actor.user_id)
    product_ids = [product.id for _, product in rows]
    orderable = catalogue.orderable_ids(session, customer_id=customer_id, product_ids=product_ids)
    images = catalogue.first_images(session, product_ids=product_ids) if with_images else {}
    names = translations.names_for(session, actor, [product for _, product in rows]) if details else {}
    book = prices.price_book(session, customer_id=customer_id, product_ids=product_ids)
    portal = terms.portal_terms(session)
    result = []
    for quantity, product in rows:
        free = product.free
        available = product.id in orderable
        ships_now = min(quantity, free) if available else 0
        unit_price = book.price(product.id, product.price_cents, quantity).unit_cents
        result.append(
            CurrentLine(
                product_id=product.id,
                code=product.code,
                name=names.get(product.id, product.name),
                unit=product.unit,
                unit_price_cents=unit_price,
                quantity=quantity,
                line_total_cents=unit_price * quantity if available else 0,
                free=free,
                image_id=images.get(product.id),
                ships_now=ships_now,
                to_backorder=quantity - ships_now if available else 0,
                available=available,
                list_price_cents=product.price_cents,
                vat_rate_bp=portal.vat_rate(product.vat_class),
                rules=rules.rules_of(product, portal),
            )
        )
    if details and (backordered := [line.product_id for line in result if line.to_backorder]):
        coming = expected.expectations_among(
            session, customer_id=customer_id, product_ids=set(backordered), orderable=orderable
        ).next_arrival
        result = [replace(line, expected=coming.get(line.product_id)) if line.to_backorder else line for line in result]
    customer = db.kept(session, Customer, customer_id)
    return Contents(
        lines=result,
        summary=summary_of(
            result,
            vat_exempt_reason=customer.vat_exempt_reason if customer else '',
            minimum_order_cents=rules.minimum_order_of(customer, portal),
        ),
    )


def summary_of(lines: list[CurrentLine], *, vat_exempt_reason: str = '', minimum_order_cents: int = 0) -> Summary:
    """What `summary` reads, from lines already read; VAT per rate as placing reckons it (app/pricing/vat.py)."""
    available = [line for line in lines if line.available]
    totals = vat.totals(
        [(line.vat_rate_bp, line.line_total_cents) for line in available], vat_exempt_reason=vat_exempt_reason
    )
    return Summary(
        lines=len(available),
        units=sum(line.quantity for line in available),
        minimum_order_cents=minimum_order_cents,
        **vars(totals),
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


def _check_rules(session: Session, product_id: int, quantity: int, *, had: int = 0) -> None:
    """Refuse a line quantity the product's ordering rules do not accept (its minimum, pack size, and more than
    is free when it may not be backordered); placing checks again under the lock."""
    product = db.get_or_not_found(session, Product, product_id, N_('This product'))
    product_rules = rules.rules_of(product, terms.portal_terms(session))
    rules.check_quantity(quantity, product_rules, had=had)
    rules.check_stock(quantity, product.free, product_rules, had=had)


def _line(session: Session, actor: Identity, product_id: int) -> CurrentOrderLine | None:
    return session.exec(
        select(CurrentOrderLine).where(
            CurrentOrderLine.user_id == actor.user_id, CurrentOrderLine.product_id == product_id
        )
    ).first()


def _changed(session: Session, actor: Identity) -> None:
    get_or_create(session, actor=actor).updated_at = clock.now()
    events.queue(session, ('current_order', actor.user_id))
