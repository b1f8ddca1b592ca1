"""Server-side truth: prices, totals, the customer and the status of an order come from the server, never from
what a browser sends; prices are those of the moment the order is placed."""

from __future__ import annotations

import inspect

import pytest
from sqlmodel import select

from app.core import db
from app.identity.access import SYSTEM
from app.models import CurrentOrder, CurrentOrderLine, Order, OrderLine, OrderStatus
from app.orders import current_order, invariants, ordering
from app.pricing.vat import half_up, vat_of
from tests.conftest import change_product
from tests.rows import product
from tests.security.support import identity

TRUSTED_ONLY = ('price', 'total', 'status', 'customer')


def set_price(code: str, cents: int) -> None:
    with db.write_session() as s:
        change_product(s, actor=SYSTEM, product_id=product(code).id, price_cents=cents)


def place(username: str, **options: object) -> Order:
    who = identity(username)
    with db.write_session() as s:
        key = current_order.get_or_create(s, actor=who).placement_key
        return ordering.place_current_order(s, actor=who, placement_key=key, **options)


def test_the_current_order_stores_no_price_total_status_or_customer_a_browser_could_set() -> None:
    """ASVS 15.3.3 (mass assignment): what a customer puts together holds products and quantities only."""
    for model in (CurrentOrder, CurrentOrderLine):
        assert not [field for field in model.model_fields if any(word in field for word in TRUSTED_ONLY)]


@pytest.mark.parametrize('service', [ordering.place_current_order, current_order.add, current_order.set_quantity])
def test_customer_services_accept_no_price_total_status_or_customer_id(service) -> None:
    """ASVS 15.3.3 / 8.3.1: no parameter through which a page could pass on a price, total, status or customer."""
    parameters = inspect.signature(service).parameters
    assert not [name for name in parameters if any(word in name for word in TRUSTED_ONLY)]
    required = {
        name: 1
        for name, p in parameters.items()
        if p.kind == inspect.Parameter.KEYWORD_ONLY and p.default is inspect.Parameter.empty and name != 'actor'
    }
    with pytest.raises(TypeError, match='price_cents'), db.write_session() as s:
        service(s, actor=identity('customer'), **required, price_cents=1)


def test_order_is_priced_when_placed_not_when_the_product_was_added() -> None:
    """ASVS 2.2.2 / 8.3.1: a price change between adding and placing is honoured; the total is recomputed."""
    customer = identity('customer')
    hammer = product('HT-1003')  # already in the demo customer's current order (2 units)
    with db.read_session() as s:
        lines = {line.product_id: line.quantity for line in current_order.lines(s, actor=customer)}
    assert lines == {hammer.id: 2}
    set_price('HT-1003', hammer.price_cents + 1234)

    order = place('customer')
    with db.read_session() as s:
        (line,) = s.exec(select(OrderLine).where(OrderLine.order_id == order.id)).all()
    list_price = hammer.price_cents + 1234
    trade_price = half_up(list_price * 9000, 10_000)  # Demo Retail buys on the Trade list: 10 % off the list price
    assert (line.list_price_cents, line.unit_price_cents) == (list_price, trade_price)
    total = 2 * trade_price + vat_of(2 * trade_price, 2100)  # and 21 % VAT on top
    assert (order.subtotal_cents, order.total_cents) == (2 * trade_price, total)
    set_price('HT-1003', 1)  # and a later change leaves the placed order alone
    with db.read_session() as s:
        assert s.get(OrderLine, line.id).unit_price_cents == trade_price
        assert s.get(Order, order.id).total_cents == total
    invariants.assert_stock_ok()


def test_customer_and_status_of_a_placed_order_are_the_servers_choice() -> None:
    """ASVS 8.2.2 / 15.3.3: the order is the signed-in user's customer's and starts awaiting the supplier's check."""
    other = identity('customer2')
    with db.write_session() as s:
        current_order.add(s, actor=other, product_id=product('FA-1001').id, quantity=3)
    order = place('customer2')
    assert order.customer_id == other.customer_id
    assert order.placed_by_user_id == other.user_id and not order.placed_by_supplier
    assert OrderStatus(order.status) == OrderStatus.CONCEPT
