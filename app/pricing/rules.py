"""Ordering rules: how much of a product a line may hold, whether it may go on backorder, and the order minimum.

Per product (set by the supplier with `set_product_terms`): a minimum order quantity and an order multiple
(the pack size: a line holds a multiple of it), whether it may be backordered (None: the portal's setting), and
its VAT class. The minimum is always a multiple of the pack size, so the quantities accepted are the multiples of
the pack size from the minimum on, up to MAX_QUANTITY. A minimum order value (the customer's own, else the
portal's) applies to a whole order, excluding VAT.

The checks raise ValidationError with what would be accepted ('Sold per 6: 6 or 12?'); app/orders calls them on
every path that changes an order (adding, changing a quantity, undoing a removal, placing, the supplier's order
on a customer's behalf), under the write lock when placing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.catalogue import products
from app.core import db, i18n
from app.core.errors import ValidationError
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import Customer, PriceList, PriceListItem, Product, VatClass
from app.pricing.terms import PortalTerms

MAX_QUANTITY = 100_000  # one line of a current order or an order holds at most this many


@dataclass(frozen=True)
class OrderingRules:
    minimum: int = 1  # a multiple of `multiple`
    multiple: int = 1
    backorders: bool = True

    def accepts(self, quantity: int) -> bool:
        return self.minimum <= quantity <= MAX_QUANTITY and quantity % self.multiple == 0

    def around(self, quantity: int) -> tuple[int | None, int | None]:
        """The accepted quantities nearest below and above `quantity` (None where there is none)."""
        lower = quantity // self.multiple * self.multiple
        upper = max(-(-quantity // self.multiple) * self.multiple, self.minimum)
        return (
            lower if self.minimum <= lower <= MAX_QUANTITY and lower < quantity else None,
            upper if upper <= MAX_QUANTITY and upper > quantity else None,
        )

    def at_most(self, limit: int) -> int | None:
        """The most that is accepted without going above `limit`, if any."""
        best = min(limit, MAX_QUANTITY) // self.multiple * self.multiple
        return best if best >= self.minimum else None


def rules_of(product: Product, terms: PortalTerms) -> OrderingRules:
    multiple = max(product.order_multiple or 1, 1)
    minimum = max(-(-max(product.min_quantity or 1, 1) // multiple) * multiple, multiple)
    backorders = terms.backorders_allowed if product.backorders is None else bool(product.backorders)
    return OrderingRules(minimum=minimum, multiple=multiple, backorders=backorders)


# --- the checks ----------------------------------------------------------------------------------------------------


def check_quantity(quantity: int, rules: OrderingRules, *, had: int = 0, product: str | None = None) -> None:
    """Refuse a line of `quantity` that breaks the product's minimum or pack size, saying what would be accepted.

    `had`: what the line held before an Add (the message then says how many to add); `product`: its name and code
    for a message about one of several lines (placing).
    """
    if rules.accepts(quantity) or quantity > MAX_QUANTITY:  # the caller's own limit says more about the maximum
        return
    if quantity < rules.minimum and rules.minimum > rules.multiple:  # below a pack: the pack size says it
        if product:
            raise ValidationError(
                '{product}: the minimum order is {minimum}.', 'quantity', product=product, minimum=rules.minimum
            )
        if had:
            raise ValidationError(
                'The minimum order is {minimum} and your current order has {had}: add {missing}?',
                'quantity',
                minimum=rules.minimum,
                had=had,
                missing=rules.minimum - had,
            )
        raise ValidationError('The minimum order for this product is {minimum}.', 'quantity', minimum=rules.minimum)
    lower, upper = rules.around(quantity)
    if had:
        lower = lower - had if lower is not None and lower > had else None
        upper = upper - had if upper is not None else None
    params = {'multiple': rules.multiple, 'lower': lower, 'upper': upper, 'had': had, 'product': product}
    if product:
        if lower is not None and upper is not None:
            raise ValidationError('{product} is sold per {multiple}: {lower} or {upper}?', 'quantity', **params)
        raise ValidationError('{product} is sold per {multiple}: {upper}?', 'quantity', **_one(params, lower, upper))
    if had:
        if lower is not None and upper is not None:
            raise ValidationError(
                'Sold per {multiple}, and your current order has {had}: add {lower} or {upper}?', 'quantity', **params
            )
        raise ValidationError(
            'Sold per {multiple}, and your current order has {had}: add {upper}?',
            'quantity',
            **_one(params, lower, upper),
        )
    if lower is not None and upper is not None:
        raise ValidationError('Sold per {multiple}: {lower} or {upper}?', 'quantity', **params)
    raise ValidationError('Sold per {multiple}: {upper}?', 'quantity', **_one(params, lower, upper))


def _one(params: dict, lower: int | None, upper: int | None) -> dict:
    """The one accepted quantity there is, as `upper` (the messages with a single choice name it so)."""
    return {**params, 'upper': upper if upper is not None else lower}


def check_stock(quantity: int, free: int, rules: OrderingRules, *, had: int = 0, product: str | None = None) -> None:
    """Refuse more than is free of a product that may not be backordered, saying how many could be ordered."""
    if rules.backorders or quantity <= free:
        return
    best = rules.at_most(free)
    if product:
        if best is None:
            raise ValidationError(
                '{product}: not enough in stock, and it cannot be backordered.', 'quantity', product=product
            )
        raise ValidationError(
            '{product}: only {free} in stock, and it cannot be backordered: order {best} or fewer.',
            'quantity',
            product=product,
            free=free,
            best=best,
        )
    if best is None or (had and best <= had):
        if free <= 0:
            raise ValidationError('Out of stock, and this product cannot be backordered.', 'quantity')
        raise ValidationError(
            'Only {free} in stock, and this product cannot be backordered.', 'quantity', free=max(free, 0)
        )
    if had:
        raise ValidationError(
            'Only {free} in stock, and this product cannot be backordered: your current order has {had}, '
            'add {more} at most.',
            'quantity',
            free=free,
            had=had,
            more=best - had,
        )
    raise ValidationError(
        'Only {free} in stock, and this product cannot be backordered: order {best} or fewer.',
        'quantity',
        free=free,
        best=best,
    )


def minimum_order_of(customer: Customer | None, terms: PortalTerms) -> int:
    """The least an order of this customer may come to, excluding VAT (0: no minimum)."""
    if customer is not None and customer.minimum_order_cents is not None:
        return customer.minimum_order_cents
    return terms.minimum_order_cents


def check_minimum_order(subtotal_cents: int, minimum_cents: int, currency: str) -> None:
    """Refuse an order below the minimum order value, saying how much is still missing."""
    if subtotal_cents >= minimum_cents:
        return
    raise ValidationError(
        'The minimum order value is {minimum} excluding VAT: add {missing} more to place this order.',
        minimum=i18n.money(minimum_cents, currency),
        missing=i18n.money(minimum_cents - subtotal_cents, currency),
    )


# --- the supplier sets a product's rules ------------------------------------------------------------------------------


def set_product_terms(
    session: Session,
    *,
    actor: Identity,
    product_id: int,
    vat_class: VatClass | str,
    min_quantity: int,
    order_multiple: int,
    backorders: bool | None,
) -> Product:
    """A product's VAT class and ordering rules. A minimum below the pack size becomes the pack size; a price
    list's tier that the new rules would make unorderable is refused (change the tier first), nothing changed."""
    ensure_admin(actor)
    product = db.get_or_not_found(session, Product, product_id, i18n.N_('This product'))
    vat_class, minimum, multiple, backorders = clean_terms(
        vat_class=vat_class, min_quantity=min_quantity, order_multiple=order_multiple, backorders=backorders
    )
    check_tiers(
        OrderingRules(minimum=minimum, multiple=multiple),
        session.exec(
            select(PriceList.name, PriceListItem.min_quantity)
            .join(PriceList, col(PriceList.id) == PriceListItem.price_list_id)
            .where(PriceListItem.product_id == product_id)
            .order_by(col(PriceList.name), col(PriceListItem.min_quantity))
        ),
    )
    product.vat_class = vat_class
    product.min_quantity, product.order_multiple, product.backorders = minimum, multiple, backorders
    return products.changed(session, product)


def clean_terms(
    *, vat_class: VatClass | str, min_quantity: object, order_multiple: object, backorders: object
) -> tuple[VatClass, int, int, bool | None]:
    """A product's VAT class and ordering rules as they will be stored (a minimum below the pack size becomes the
    pack size), or ValidationError naming the bad field. Reads nothing: the bulk import checks its rows with it."""
    if not isinstance(vat_class, str) or vat_class not in set(VatClass):
        raise ValidationError('Choose one of the offered VAT classes.', 'vat_class')
    multiple = _whole(
        order_multiple, field='order_multiple', message=i18n.N_('The pack size is a whole number from 1 to {max}.')
    )
    minimum = _whole(
        min_quantity, field='min_quantity', message=i18n.N_('The minimum is a whole number from 1 to {max}.')
    )
    if minimum % multiple and minimum > multiple:
        lower, upper = OrderingRules(multiple, multiple).around(minimum)
        raise ValidationError(
            'The minimum must be a multiple of the pack size ({multiple}): {lower} or {upper}?',
            'min_quantity',
            multiple=multiple,
            lower=lower,
            upper=upper,
        )
    minimum = max(minimum, multiple)
    if backorders is not None and not isinstance(backorders, bool):
        raise ValidationError("Choose yes, no or the portal's setting.", 'backorders')
    return VatClass(vat_class), minimum, multiple, backorders


def check_tiers(new: OrderingRules, tiers: Iterable[tuple[str, int]]) -> None:
    """Refuse rules that would make a price list's tier (price list name, from quantity) unorderable."""
    for list_name, from_quantity in tiers:
        if not new.accepts(from_quantity):
            raise ValidationError(
                'Price list {price_list} has a price from {quantity}, which these rules would not accept: '
                'change that price first.',
                'min_quantity',
                price_list=list_name,
                quantity=from_quantity,
            )


def _whole(value: object, *, field: str, message: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_QUANTITY:
        raise ValidationError(message, field, max=MAX_QUANTITY)
    return value
