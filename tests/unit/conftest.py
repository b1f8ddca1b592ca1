"""Fixtures for the service tests: the stock invariant and a small shop to order from."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from app.catalogue import products
from app.core import clock, db
from app.identity.auth import Identity
from app.models import CurrentOrder, CurrentOrderLine, Order, OrderLine, Product, ProductCreate, VatClass
from app.orders import invariants, ordering, stock
from app.pricing import prices, rules
from tests.conftest import change_product


@pytest.fixture
def stock_invariant(data_dir: Path) -> Iterator[None]:
    """Fails the test when, after it, stock, order lines, deliveries and movements no longer add up."""
    yield
    invariants.assert_stock_ok()


@pytest.fixture
def ticking_clock(data_dir: Path) -> None:
    """Every reading of the clock is one minute after the previous one, so 'oldest first' is unambiguous."""
    start = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
    ticks = itertools.count()
    clock.set_now(lambda: start + timedelta(minutes=next(ticks)))


class Shop:
    """Products with stock, current orders and placed orders, made through the services where they exist."""

    def __init__(self, admin: Identity) -> None:
        self.admin = admin

    def product(self, code: str, *, price: int = 1000, on_hand: int = 0, active: bool = True, **fields: str) -> int:
        """A product named `Product <code>` unless `fields` (name, description, barcode, ...) say otherwise."""
        fields.setdefault('name', f'Product {code}')
        with db.write_session() as s:
            product = products.create_product(
                s, actor=self.admin, data=ProductCreate(code=code, price_cents=price, active=active, **fields)
            )
            if on_hand:
                stock.receive_stock(s, actor=self.admin, product_id=product.id, quantity=on_hand, note='initial stock')
            return product.id

    def fill(self, who: Identity, wanted: dict[int, int], *, comment: str = '', reference: str = '') -> str:
        """Put lines in the user's current order (as app.current_order would); returns its placement key."""
        with db.write_session() as s:
            current = s.get(CurrentOrder, who.user_id)
            if current is None:
                current = CurrentOrder(user_id=who.user_id, placement_key=ordering.new_placement_key())
            current.comment, current.reference = comment, reference
            s.add(current)
            for product_id, quantity in wanted.items():
                s.add(CurrentOrderLine(user_id=who.user_id, product_id=product_id, quantity=quantity))
            return current.placement_key

    def place(self, who: Identity, wanted: dict[int, int], **options: object) -> Order:
        key = self.fill(who, wanted)
        with db.write_session() as s:
            return ordering.place_current_order(s, actor=who, placement_key=key, **options)

    def order_for(self, customer_id: int, lines: list[tuple[int, int]], **options: object) -> Order:
        with db.write_session() as s:
            return ordering.place_order_for_customer(
                s, actor=self.admin, customer_id=customer_id, lines=lines, **options
            )

    def lines(self, order_id: int) -> list[OrderLine]:
        with db.read_session() as s:
            return list(s.exec(select(OrderLine).where(OrderLine.order_id == order_id).order_by(col(OrderLine.id))))

    def line(self, order_id: int, product_id: int) -> OrderLine:
        return next(line for line in self.lines(order_id) if line.product_id == product_id)

    def line_state(self, order_id: int, product_id: int) -> tuple[int, int, int, int]:
        """(delivered, allocated, backorder, cancelled) of the order's line of the product."""
        line = self.line(order_id, product_id)
        return line.delivered, line.allocated, line.backorder, line.cancelled

    def order(self, order_id: int) -> Order:
        with db.read_session() as s:
            order = s.get(Order, order_id)
            assert order is not None
            return order

    def stock_of(self, product_id: int) -> tuple[int, int]:
        """(on hand, allocated)"""
        with db.read_session() as s:
            product = s.get(Product, product_id)
            assert product is not None
            return product.on_hand, product.allocated

    def run(self, function, **kwargs):
        with db.write_session() as s:
            return function(s, actor=self.admin, **kwargs)

    def change_product(self, product_id: int, **changes: object) -> Product:
        """The product form saved with `changes`, the rest as stored (tests.conftest.change_product)."""
        return self.run(change_product, product_id=product_id, **changes)

    def product_terms(self, product_id: int, **given: object) -> Product:
        """Set a product's VAT class and ordering rules; what is not given is as in PRODUCT_TERMS."""
        return self.run(rules.set_product_terms, product_id=product_id, **{**PRODUCT_TERMS, **given})

    def customer_terms(self, customer_id: int, **given: object) -> prices.CustomerTerms:
        """Set a customer's price list, discount, VAT exemption and minimum order; what is not given is as in
        CUSTOMER_TERMS."""
        return self.run(prices.set_customer_terms, customer_id=customer_id, **{**CUSTOMER_TERMS, **given})


# what a product and a customer have until the supplier sets their terms
PRODUCT_TERMS = {'vat_class': VatClass.STANDARD, 'min_quantity': 1, 'order_multiple': 1, 'backorders': None}
CUSTOMER_TERMS = {'price_list_id': None, 'discount_bp': 0, 'vat_exempt_reason': '', 'minimum_order_cents': None}


@pytest.fixture
def shop(accounts) -> Shop:
    return Shop(accounts.admin)
