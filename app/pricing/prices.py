"""Price lists and customers' prices: which unit price a customer pays for a product at a quantity.

The supplier makes named price lists. Each has a discount off the list price (Product.price_cents) and may
give products fixed prices from a quantity on (PriceListItem: 'from 1: 4.50, from 10: 4.20, from 50: 3.90'; the
lowest is the product's fixed price, the others its quantity tiers). A customer has one price list or none (then
list prices) and may have its own extra discount. `decide_price` is the only place that decides a price; every
reader (catalogue cards, the product page, the current order, placing, the supplier's order on a customer's
behalf) gathers its inputs with `price_book` and asks it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from app.catalogue import catalogue
from app.core import clock, db, events, paging, text
from app.core.errors import ValidationError
from app.core.i18n import N_
from app.core.paging import Page
from app.identity.access import customer_of, ensure_admin
from app.identity.auth import Identity
from app.models import Customer, PriceList, PriceListCreate, PriceListItem, Product
from app.pricing import rules, terms, vat
from app.pricing.rules import OrderingRules
from app.pricing.terms import PortalTerms, checked_cents, checked_percent
from app.pricing.vat import Totals, half_up

MAX_TIERS = 20  # prices per product in one list
MAX_NAME_CHARS = 80
MAX_REASON_CHARS = 200
MAX_PAGE_SIZE = 100
ID_CHUNK = 500


class PriceBasis(StrEnum):
    """Where a unit price came from (before the customer's own discount)."""

    LIST = 'list'  # the product's list price
    LIST_DISCOUNT = 'list_discount'  # the price list's discount off the list price
    FIXED = 'fixed'  # the price list's fixed price for the product (its lowest entry)
    TIER = 'tier'  # one of the price list's higher quantity tiers


@dataclass(frozen=True)
class Price:
    unit_cents: int  # what the customer pays per unit, excluding VAT
    list_price_cents: int
    basis: PriceBasis
    from_quantity: int  # the entry's quantity for FIXED and TIER, else 1
    discount_bp: int  # the unit price against the list price, in hundredths of a percent (1000 = 10 % off)

    @property
    def reduced(self) -> bool:
        """Whether the customer pays other than the list price (pages strike the list price through)."""
        return self.unit_cents != self.list_price_cents


@dataclass(frozen=True)
class Tier:
    from_quantity: int
    unit_cents: int  # the customer's price from this quantity on


def decide_price(
    *,
    list_price_cents: int,
    quantity: int,
    entries: Sequence[tuple[int, int]] = (),
    list_discount_bp: int = 0,
    customer_discount_bp: int = 0,
) -> Price:
    """A customer's unit price for a product at a quantity, excluding VAT: the one place that decides it.

    `entries` are the customer's price list's fixed prices for the product, (from quantity, cents). In order:

    1. A fixed price or tier of the customer's price list for this quantity: of the entries, the one with the
       highest from-quantity not above `quantity`. The list's discount does not apply to it (a fixed price is the
       list's price already).
    2. Else the list's discount off the product's list price (a quantity below every entry lands here too).
    3. Else (no price list, or one that neither discounts nor prices this product) the list price.

    Then the customer's own extra discount comes off whichever applied, fixed prices and tiers included: it is
    the customer's discount on everything it buys, so it scales every price alike and a larger quantity never
    costs more per unit than the list says. Discounts compound (10 % off, then 5 % off: 14.5 % off).

    Rounding: the unit price is worked out exactly and rounded once, half up, to whole cents (805.5 -> 806).
    A line's total is unit price times quantity, not rounded again; VAT is rounded per rate (app/pricing/vat.py).
    """
    applied = [entry for entry in entries if entry[0] <= quantity]
    if applied:
        from_quantity, base = max(applied)
        basis = PriceBasis.FIXED if from_quantity == min(entries)[0] else PriceBasis.TIER
        numerator, denominator = base, 1
    else:
        from_quantity, basis = 1, PriceBasis.LIST_DISCOUNT if list_discount_bp else PriceBasis.LIST
        numerator, denominator = list_price_cents * (10_000 - list_discount_bp), 10_000
    unit = half_up(numerator * (10_000 - customer_discount_bp), denominator * 10_000)
    discount = half_up((list_price_cents - unit) * 10_000, list_price_cents) if list_price_cents else 0
    return Price(
        unit_cents=unit,
        list_price_cents=list_price_cents,
        basis=basis,
        from_quantity=from_quantity,
        discount_bp=discount,
    )


@dataclass(frozen=True)
class PriceBook:
    """What `decide_price` needs for one customer and a set of products, read at once."""

    customer_discount_bp: int = 0
    list_discount_bp: int = 0
    entries: dict[int, tuple[tuple[int, int], ...]] | None = None  # product id -> ((from quantity, cents), ...)

    def price(self, product_id: int, list_price_cents: int, quantity: int) -> Price:
        return decide_price(
            list_price_cents=list_price_cents,
            quantity=quantity,
            entries=(self.entries or {}).get(product_id, ()),
            list_discount_bp=self.list_discount_bp,
            customer_discount_bp=self.customer_discount_bp,
        )

    def tiers(self, product_id: int, list_price_cents: int, rules: OrderingRules) -> tuple[Tier, ...]:
        """The customer's price from each quantity on where it changes, from the least it may order; empty when
        one price holds for every quantity (decided by `decide_price` at each step, so it agrees with ordering)."""
        steps = sorted({rules.minimum, *(q for q, _ in (self.entries or {}).get(product_id, ()) if q > rules.minimum)})
        ladder: list[Tier] = []
        for quantity in steps:
            unit = self.price(product_id, list_price_cents, quantity).unit_cents
            if not ladder or ladder[-1].unit_cents != unit:
                ladder.append(Tier(from_quantity=quantity, unit_cents=unit))
        return tuple(ladder) if len(ladder) > 1 else ()


def price_book(session: Session, *, customer_id: int, product_ids: Iterable[int]) -> PriceBook:
    """The customer's discounts and its price list's entries for these products (the caller has scoped the
    customer: a customer's own, or the supplier's choice)."""
    customer = db.kept(session, Customer, customer_id)
    if customer is None:
        return PriceBook()
    price_list = db.kept(session, PriceList, customer.price_list_id) if customer.price_list_id else None
    entries: dict[int, list[tuple[int, int]]] = {}
    if price_list is not None:
        ids = list(dict.fromkeys(product_ids))
        for start in range(0, len(ids), ID_CHUNK):
            for product_id, from_quantity, cents in session.exec(
                select(PriceListItem.product_id, PriceListItem.min_quantity, PriceListItem.price_cents).where(
                    PriceListItem.price_list_id == price_list.id,
                    col(PriceListItem.product_id).in_(ids[start : start + ID_CHUNK]),
                )
            ):
                entries.setdefault(product_id, []).append((from_quantity, cents))
    return PriceBook(
        customer_discount_bp=customer.discount_bp,
        list_discount_bp=price_list.discount_bp if price_list is not None else 0,
        entries={pid: tuple(sorted(found)) for pid, found in entries.items()},
    )


# --- what customers see -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductPrice:
    """A product's price and ordering rules for one customer, as the catalogue shows them."""

    product_id: int
    price: Price | None  # at the least it may order; None while the portal hides prices
    tiers: tuple[Tier, ...]  # empty when one price holds for every quantity, or prices are hidden
    rules: OrderingRules
    vat_rate_bp: int


def shown_prices(session: Session, *, actor: Identity, product_ids: Iterable[int]) -> dict[int, ProductPrice]:
    """The signed-in customer's prices and ordering rules for those of `product_ids` in its catalogue."""
    customer_id = customer_of(actor)
    ids = list(dict.fromkeys(product_ids))
    products: list[Product] = []
    for start in range(0, len(ids), ID_CHUNK):
        chunk = select(Product).where(col(Product.id).in_(ids[start : start + ID_CHUNK]))
        products.extend(session.exec(catalogue.visible(session, chunk, customer_id=customer_id)).all())
    return _product_prices(session, customer_id, products, terms.portal_terms(session))


def customer_product_prices(
    session: Session, *, actor: Identity, customer_id: int, product_ids: Iterable[int]
) -> dict[int, ProductPrice]:
    """A customer's prices as the supplier sees them (its new-order page), prices shown whatever the portal hides."""
    ensure_admin(actor)
    _customer(session, customer_id)
    ids = list(dict.fromkeys(product_ids))
    products: list[Product] = []
    for start in range(0, len(ids), ID_CHUNK):
        products.extend(session.exec(select(Product).where(col(Product.id).in_(ids[start : start + ID_CHUNK]))).all())
    portal = terms.portal_terms(session)
    return _product_prices(session, customer_id, products, portal, prices_shown=True)


@dataclass(frozen=True)
class QuotedLine:
    product_id: int
    quantity: int
    price: Price
    vat_rate_bp: int
    rules: OrderingRules

    @property
    def total_cents(self) -> int:
        return self.price.unit_cents * self.quantity


@dataclass(frozen=True)
class Quote:
    """What an order of these lines would come to for a customer today, as placing prices it."""

    lines: dict[int, QuotedLine]  # product id -> line (products that do not exist are left out)
    totals: Totals
    minimum_order_cents: int

    @property
    def missing_cents(self) -> int:
        return max(self.minimum_order_cents - self.totals.subtotal_cents, 0) if self.lines else 0


def quote(session: Session, *, actor: Identity, customer_id: int, lines: Sequence[tuple[int, int]]) -> Quote:
    """The supplier's new-order page: the customer's prices for (product id, quantity) lines, VAT per rate (none
    for a VAT-exempt customer) and its minimum order value; the same decisions placing makes."""
    ensure_admin(actor)
    customer = _customer(session, customer_id)
    wanted = dict(lines)
    found = session.exec(select(Product).where(col(Product.id).in_(list(wanted)))).all() if wanted else []
    portal = terms.portal_terms(session)
    book = price_book(session, customer_id=customer_id, product_ids=list(wanted))
    quoted = {
        product.id: QuotedLine(
            product_id=product.id,
            quantity=wanted[product.id],
            price=book.price(product.id, product.price_cents, wanted[product.id]),
            vat_rate_bp=portal.vat_rate(product.vat_class),
            rules=rules.rules_of(product, portal),
        )
        for product in found
        if product.id is not None
    }
    return Quote(
        lines=quoted,
        totals=vat.totals(
            [(line.vat_rate_bp, line.total_cents) for line in quoted.values()],
            vat_exempt_reason=customer.vat_exempt_reason,
        ),
        minimum_order_cents=rules.minimum_order_of(customer, portal),
    )


def _product_prices(
    session: Session,
    customer_id: int,
    products: Sequence[Product],
    portal: PortalTerms,
    *,
    prices_shown: bool | None = None,
) -> dict[int, ProductPrice]:
    shown = portal.prices_shown if prices_shown is None else prices_shown
    book = price_book(session, customer_id=customer_id, product_ids=[p.id for p in products]) if shown else None
    result = {}
    for product in products:
        assert product.id is not None
        product_rules = rules.rules_of(product, portal)
        result[product.id] = ProductPrice(
            product_id=product.id,
            price=book.price(product.id, product.price_cents, product_rules.minimum) if book else None,
            tiers=book.tiers(product.id, product.price_cents, product_rules) if book else (),
            rules=product_rules,
            vat_rate_bp=portal.vat_rate(product.vat_class),
        )
    return result


# --- the supplier's price lists ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceListSummary:
    id: int
    name: str
    discount_bp: int
    products: int  # products with a fixed price in it
    customers: int  # customers on it


@dataclass(frozen=True)
class ListedProduct:
    """A product with its fixed prices in one price list."""

    product_id: int
    code: str
    name: str
    list_price_cents: int
    entries: tuple[Tier, ...]  # the list's own prices, before any customer's discount


@dataclass(frozen=True)
class ListPrices:
    """One price list's prices for one product, as the product's admin page shows them."""

    price_list_id: int
    name: str
    discount_bp: int
    discounted_cents: int  # the list price less the list's discount, where no entry applies
    entries: tuple[Tier, ...]


def list_price_lists(session: Session, *, actor: Identity) -> list[PriceListSummary]:
    ensure_admin(actor)
    product_counts = dict(
        session.exec(
            select(PriceListItem.price_list_id, func.count(func.distinct(PriceListItem.product_id))).group_by(
                col(PriceListItem.price_list_id)
            )
        ).all()
    )
    customer_counts = dict(
        session.exec(
            select(Customer.price_list_id, func.count())
            .where(col(Customer.price_list_id).is_not(None))
            .group_by(col(Customer.price_list_id))
        ).all()
    )
    return [
        PriceListSummary(
            id=price_list.id,
            name=price_list.name,
            discount_bp=price_list.discount_bp,
            products=product_counts.get(price_list.id, 0),
            customers=customer_counts.get(price_list.id, 0),
        )
        for price_list in session.exec(select(PriceList).order_by(func.lower(PriceList.name), col(PriceList.id)))
    ]


def get_price_list(session: Session, *, actor: Identity, price_list_id: int) -> PriceList:
    ensure_admin(actor)
    return _price_list(session, price_list_id)


def create_price_list(session: Session, *, actor: Identity, data: PriceListCreate) -> PriceList:
    ensure_admin(actor)
    name, discount = _validated_list(session, data, price_list_id=None)
    price_list = PriceList(name=name, discount_bp=discount)
    session.add(price_list)
    session.flush()
    return price_list


def update_price_list(session: Session, *, actor: Identity, price_list_id: int, data: PriceListCreate) -> PriceList:
    """Rename a list or change its discount; placed orders keep the prices they were placed at."""
    ensure_admin(actor)
    price_list = _price_list(session, price_list_id)
    price_list.name, price_list.discount_bp = _validated_list(session, data, price_list_id=price_list_id)
    price_list.updated_at = clock.now()
    session.add(price_list)
    session.flush()
    _announce(session)
    return price_list


def delete_price_list(session: Session, *, actor: Identity, price_list_id: int) -> None:
    """Delete a list no customer is on any more, with its prices."""
    ensure_admin(actor)
    price_list = _price_list(session, price_list_id)
    users = session.exec(select(func.count()).where(Customer.price_list_id == price_list_id)).one()
    if users:
        raise ValidationError(
            'Price list {name} is given to {count} customers: give them another price list first.',
            name=price_list.name,
            count=users,
        )
    session.exec(delete(PriceListItem).where(col(PriceListItem.price_list_id) == price_list_id))
    session.delete(price_list)
    session.flush()


def price_list_products(
    session: Session, *, actor: Identity, price_list_id: int, query: str = '', page: int = 1, page_size: int = 25
) -> Page[ListedProduct]:
    """The products a list gives fixed prices, by code; `query` narrows by code or name (every word)."""
    ensure_admin(actor)
    _price_list(session, price_list_id)
    chosen = select(Product.id, Product.code, Product.name, Product.price_cents).where(
        col(Product.id).in_(select(PriceListItem.product_id).where(PriceListItem.price_list_id == price_list_id))
    )
    for word in text.line(query, field='query', label=N_('The search')).split(' ')[:8]:
        if word:
            pattern = f'%{text.escape_like(word)}%'
            chosen = chosen.where(
                or_(col(Product.code).ilike(pattern, escape='\\'), col(Product.name).ilike(pattern, escape='\\'))
            )
    found = paging.page_of(
        session, chosen, order_by=(col(Product.code),), page=page, page_size=page_size, max_page_size=MAX_PAGE_SIZE
    )
    entries = _entries(session, price_list_id, [row[0] for row in found.items])
    items = [
        ListedProduct(product_id=pid, code=code, name=name, list_price_cents=cents, entries=entries.get(pid, ()))
        for pid, code, name, cents in found.items
    ]
    return replace(found, items=items)


def product_prices(session: Session, *, actor: Identity, product_id: int) -> list[ListPrices]:
    """Every price list's prices for one product (the product's admin page)."""
    ensure_admin(actor)
    product = _product(session, product_id)
    lists = session.exec(select(PriceList).order_by(func.lower(PriceList.name), col(PriceList.id))).all()
    by_list: dict[int, list[Tier]] = {}
    for list_id, from_quantity, cents in session.exec(
        select(PriceListItem.price_list_id, PriceListItem.min_quantity, PriceListItem.price_cents)
        .where(PriceListItem.product_id == product_id)
        .order_by(col(PriceListItem.min_quantity))
    ):
        by_list.setdefault(list_id, []).append(Tier(from_quantity=from_quantity, unit_cents=cents))
    return [
        ListPrices(
            price_list_id=price_list.id,
            name=price_list.name,
            discount_bp=price_list.discount_bp,
            discounted_cents=decide_price(
                list_price_cents=product.price_cents, quantity=1, list_discount_bp=price_list.discount_bp
            ).unit_cents,
            entries=tuple(by_list.get(price_list.id, ())),
        )
        for price_list in lists
    ]


def set_product_prices(
    session: Session,
    *,
    actor: Identity,
    price_list_id: int,
    product_id: int,
    entries: Sequence[tuple[int, int]],
) -> tuple[Tier, ...]:
    """A list's fixed prices for a product, (from quantity, cents) each, replacing those it had; none removes them.

    Refused, with nothing changed: more than MAX_TIERS, a quantity given twice (tiers would overlap), a quantity
    the product's ordering rules do not accept (below its minimum, or not a multiple of its pack size), a
    negative or absurd price.
    """
    ensure_admin(actor)
    _price_list(session, price_list_id)
    product = _product(session, product_id)
    product_rules = rules.rules_of(product, terms.portal_terms(session))
    if not isinstance(entries, list | tuple) or len(entries) > MAX_TIERS:
        raise ValidationError('A product can have at most {count} prices in one list.', 'tiers', count=MAX_TIERS)
    clean: dict[int, int] = {}
    for entry in entries:
        if not isinstance(entry, list | tuple) or len(entry) != 2:
            raise ValidationError('Give each price with the quantity it applies from.', 'tiers')
        from_quantity, cents = entry
        if (
            not isinstance(from_quantity, int)
            or isinstance(from_quantity, bool)
            or not 1 <= from_quantity <= rules.MAX_QUANTITY
        ):
            raise ValidationError(
                'A price applies from a whole number of units, 1 to {max}.', 'tiers', max=rules.MAX_QUANTITY
            )
        cents = checked_cents(cents, field='tiers', label=N_('The price'))
        if from_quantity in clean:
            raise ValidationError(
                'Two prices from {quantity}: each quantity can have one price.', 'tiers', quantity=from_quantity
            )
        if from_quantity < product_rules.minimum:
            raise ValidationError(
                'A price from {quantity} is below the minimum order of {minimum} for this product.',
                'tiers',
                quantity=from_quantity,
                minimum=product_rules.minimum,
            )
        if not product_rules.accepts(from_quantity):
            lower, upper = product_rules.around(from_quantity)
            raise ValidationError(
                'This product is sold per {multiple}: a price from {lower} or {upper}?',
                'tiers',
                multiple=product_rules.multiple,
                lower=lower,
                upper=upper,
            )
        clean[from_quantity] = cents
    session.exec(
        delete(PriceListItem).where(
            col(PriceListItem.price_list_id) == price_list_id, col(PriceListItem.product_id) == product_id
        )
    )
    for from_quantity, cents in sorted(clean.items()):
        session.add(
            PriceListItem(
                price_list_id=price_list_id, product_id=product_id, min_quantity=from_quantity, price_cents=cents
            )
        )
    session.flush()
    _announce(session)
    return tuple(Tier(from_quantity=q, unit_cents=c) for q, c in sorted(clean.items()))


# --- a customer's terms, as the supplier sets them -------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerTerms:
    customer_id: int
    price_list_id: int | None
    price_list_name: str  # '' for list prices
    discount_bp: int
    vat_exempt_reason: str  # '' when VAT is charged
    minimum_order_cents: int | None  # None: the portal's
    portal_minimum_order_cents: int


def customer_terms(session: Session, *, actor: Identity, customer_id: int) -> CustomerTerms:
    ensure_admin(actor)
    return _terms_of(session, _customer(session, customer_id))


def set_customer_terms(
    session: Session,
    *,
    actor: Identity,
    customer_id: int,
    price_list_id: int | None,
    discount_bp: int,
    vat_exempt_reason: str,
    minimum_order_cents: int | None,
) -> CustomerTerms:
    """A customer's price list (None: list prices), own extra discount, VAT exemption (a reason, shown on its
    orders; empty: VAT is charged) and minimum order value (None: the portal's)."""
    ensure_admin(actor)
    customer = _customer(session, customer_id)
    if price_list_id is not None:
        if not isinstance(price_list_id, int) or isinstance(price_list_id, bool):
            raise ValidationError('Choose one of the price lists.', 'price_list')
        _price_list(session, price_list_id)
    discount = checked_percent(discount_bp, field='discount', label=N_("The customer's discount"))
    reason = text.line(vat_exempt_reason, field='vat_exempt_reason', label=N_('The reason for VAT exemption'))
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError(
            'The reason for VAT exemption can be at most {max} characters.', 'vat_exempt_reason', max=MAX_REASON_CHARS
        )
    minimum = None
    if minimum_order_cents is not None:
        minimum = checked_cents(minimum_order_cents, field='minimum_order', label=N_('The minimum order value'))
    customer.price_list_id, customer.discount_bp = price_list_id, discount
    customer.vat_exempt_reason, customer.minimum_order_cents = reason, minimum
    session.add(customer)
    session.flush()
    events.queue(session, ('catalogue', customer_id), ('catalogue',))
    return _terms_of(session, customer)


def _terms_of(session: Session, customer: Customer) -> CustomerTerms:
    assert customer.id is not None
    price_list = session.get(PriceList, customer.price_list_id) if customer.price_list_id else None
    return CustomerTerms(
        customer_id=customer.id,
        price_list_id=customer.price_list_id,
        price_list_name=price_list.name if price_list else '',
        discount_bp=customer.discount_bp,
        vat_exempt_reason=customer.vat_exempt_reason,
        minimum_order_cents=customer.minimum_order_cents,
        portal_minimum_order_cents=terms.portal_terms(session).minimum_order_cents,
    )


# --- helpers --------------------------------------------------------------------------------------------------------


def _validated_list(session: Session, data: PriceListCreate, *, price_list_id: int | None) -> tuple[str, int]:
    name = text.line(data.name, field='name', label=N_('The name'))
    if not name:
        raise ValidationError('Give the price list a name.', 'name')
    if len(name) > MAX_NAME_CHARS:
        raise ValidationError('The name can be at most {max} characters.', 'name', max=MAX_NAME_CHARS)
    clash = select(PriceList.id).where(func.lower(PriceList.name) == name.lower())
    if price_list_id is not None:
        clash = clash.where(col(PriceList.id) != price_list_id)
    if session.exec(clash).first() is not None:
        raise ValidationError('There is a price list named {name} already.', 'name', name=name)
    return name, checked_percent(data.discount_bp, field='discount', label=N_("The list's discount"))


def _entries(session: Session, price_list_id: int, product_ids: list[int]) -> dict[int, tuple[Tier, ...]]:
    found: dict[int, list[Tier]] = {}
    if product_ids:
        for product_id, from_quantity, cents in session.exec(
            select(PriceListItem.product_id, PriceListItem.min_quantity, PriceListItem.price_cents)
            .where(PriceListItem.price_list_id == price_list_id, col(PriceListItem.product_id).in_(product_ids))
            .order_by(col(PriceListItem.product_id), col(PriceListItem.min_quantity))
        ):
            found.setdefault(product_id, []).append(Tier(from_quantity=from_quantity, unit_cents=cents))
    return {pid: tuple(tiers) for pid, tiers in found.items()}


def _price_list(session: Session, price_list_id: int) -> PriceList:
    return db.get_or_not_found(session, PriceList, price_list_id, N_('This price list'))


def _product(session: Session, product_id: int) -> Product:
    return db.get_or_not_found(session, Product, product_id, N_('This product'))


def _customer(session: Session, customer_id: int) -> Customer:
    return db.get_or_not_found(session, Customer, customer_id, N_('This customer'))


def _announce(session: Session) -> None:
    # prices are read afresh by every open catalogue page and current-order summary that hears this
    events.queue(session, ('catalogue',))
