"""Receiving and counting stock, backorders served oldest first, movements, and the stock invariant itself."""

from datetime import timedelta

import pytest
from sqlmodel import col, select

from app.core import db
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.models import Order, OrderLine, Product, StockMovement
from app.orders import invariants, orders, stock
from tests.services import heard_after

pytestmark = pytest.mark.usefixtures('stock_invariant')


def split(shop, order, product_id):
    """(allocated, backorder) of the order's line for the product."""
    line = shop.line(order.id, product_id)
    return line.allocated, line.backorder


def movement_rows(product_id):
    with db.read_session() as s:
        rows = s.exec(
            select(StockMovement).where(StockMovement.product_id == product_id).order_by(col(StockMovement.id))
        ).all()
        return [(m.kind, m.change, m.on_hand_after, m.note) for m in rows]


# --- receiving --------------------------------------------------------------------------------------


def test_receiving_adds_to_stock_and_records_a_movement(accounts, shop):
    hammer = shop.product('HAM')
    assert shop.run(stock.receive_stock, product_id=hammer, quantity=12, note='  delivery   note 4 ') == 0
    assert shop.run(stock.receive_stock, product_id=hammer, quantity='3') == 0
    assert shop.run(stock.receive_stock, product_id=hammer, quantity=5.0) == 0
    assert shop.stock_of(hammer) == (20, 0)
    assert movement_rows(hammer) == [
        ('receipt', 12, 12, 'delivery note 4'),
        ('receipt', 3, 15, ''),
        ('receipt', 5, 20, ''),
    ]


@pytest.mark.parametrize('quantity', [0, -1, 1_000_001, 2.5, 'ten', '', None, True])
def test_receiving_takes_whole_numbers_from_1_to_a_million(accounts, shop, quantity):
    hammer = shop.product('HAM', on_hand=1)
    with pytest.raises(ValidationError, match='whole number between 1 and 1,000,000'):
        shop.run(stock.receive_stock, product_id=hammer, quantity=quantity)
    assert shop.stock_of(hammer) == (1, 0)
    assert len(movement_rows(hammer)) == 1


def test_receiving_refuses_a_long_note_and_unknown_products(accounts, shop):
    hammer = shop.product('HAM')
    with pytest.raises(ValidationError, match='at most 500'):
        shop.run(stock.receive_stock, product_id=hammer, quantity=1, note='n' * 501)
    with pytest.raises(NotFound):
        shop.run(stock.receive_stock, product_id=999_999, quantity=1)
    assert shop.stock_of(hammer) == (0, 0)


def test_customers_cannot_change_or_read_stock_movements(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    with db.write_session() as s:
        with pytest.raises(AccessDenied):
            stock.receive_stock(s, actor=accounts.alice, product_id=hammer, quantity=1)
        with pytest.raises(AccessDenied):
            stock.count_stock(s, actor=accounts.alice, product_id=hammer, counted=0)
        with pytest.raises(AccessDenied):
            stock.movements(s, actor=accounts.bob, product_id=hammer)
    assert shop.stock_of(hammer) == (5, 0)


@pytest.mark.usefixtures('ticking_clock')
def test_received_stock_goes_to_backorders_oldest_order_first(accounts, shop):
    hammer = shop.product('HAM')
    first = shop.place(accounts.alice, {hammer: 5})
    second = shop.place(accounts.bob, {hammer: 3})
    third = shop.place(accounts.alice, {hammer: 2})
    with db.write_session() as s:  # the third order is dated before the second: the date decides, not the id
        s.get(Order, third.id).created_at = s.get(Order, second.id).created_at - timedelta(seconds=1)

    assert shop.run(stock.receive_stock, product_id=hammer, quantity=6) == 6
    assert (split(shop, first, hammer), split(shop, third, hammer), split(shop, second, hammer)) == (
        (5, 0),
        (1, 1),
        (0, 3),
    )
    assert shop.stock_of(hammer) == (6, 6)

    assert shop.run(stock.receive_stock, product_id=hammer, quantity=10) == 4
    assert (split(shop, third, hammer), split(shop, second, hammer)) == ((2, 0), (3, 0))
    assert shop.stock_of(hammer) == (16, 10)


def test_receiving_serves_only_open_orders(accounts, shop):
    hammer = shop.product('HAM')
    cancelled = shop.place(accounts.alice, {hammer: 4})
    shop.run(orders.cancel_order, order_id=cancelled.id)
    waiting = shop.place(accounts.bob, {hammer: 2})
    assert shop.run(stock.receive_stock, product_id=hammer, quantity=5) == 2
    assert split(shop, cancelled, hammer) == (0, 0)
    assert split(shop, waiting, hammer) == (2, 0)


def test_receiving_announces_stock_and_the_orders_it_served(accounts, shop):
    hammer = shop.product('HAM')
    order = shop.place(accounts.bob, {hammer: 2})
    topics = [('stock', hammer), ('orders', accounts.customer_b.id), ('order', order.id), ('admin_orders',)]
    listened = [*topics, ('orders', accounts.customer_a.id)]  # A has no order the stock served
    assert heard_after(listened, lambda: shop.run(stock.receive_stock, product_id=hammer, quantity=1)) == sorted(topics)


# --- counting ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures('ticking_clock')
def test_counting_fewer_than_reserved_takes_reservations_back_from_the_newest_orders(accounts, shop):
    hammer = shop.product('HAM', on_hand=8)
    oldest = shop.place(accounts.alice, {hammer: 3})
    middle = shop.place(accounts.bob, {hammer: 3})
    newest = shop.place(accounts.alice, {hammer: 2})
    assert shop.stock_of(hammer) == (8, 8)

    assert shop.run(stock.count_stock, product_id=hammer, counted=4, note='shelf count') == -4
    assert [split(shop, order, hammer) for order in (oldest, middle, newest)] == [(3, 0), (1, 2), (0, 2)]
    assert shop.stock_of(hammer) == (4, 4)
    assert movement_rows(hammer)[-1] == ('count', -4, 4, 'shelf count')

    shop.run(stock.count_stock, product_id=hammer, counted=0)
    assert [split(shop, order, hammer) for order in (oldest, middle, newest)] == [(0, 3), (0, 3), (0, 2)]
    assert shop.stock_of(hammer) == (0, 0)


@pytest.mark.usefixtures('ticking_clock')
def test_counting_more_gives_the_surplus_to_backorders_oldest_first(accounts, shop):
    hammer = shop.product('HAM', on_hand=2)
    oldest = shop.place(accounts.alice, {hammer: 3})
    newest = shop.place(accounts.bob, {hammer: 3})
    assert shop.run(stock.count_stock, product_id=hammer, counted='5') == 3
    assert (split(shop, oldest, hammer), split(shop, newest, hammer)) == ((3, 0), (2, 1))
    assert shop.stock_of(hammer) == (5, 5)


def test_counting_within_the_free_stock_leaves_reservations_alone(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    order = shop.place(accounts.alice, {hammer: 4})
    assert shop.run(stock.count_stock, product_id=hammer, counted=6) == -4
    assert shop.run(stock.count_stock, product_id=hammer, counted=6) == 0
    assert split(shop, order, hammer) == (4, 0)
    assert shop.stock_of(hammer) == (6, 4)
    assert [row[:3] for row in movement_rows(hammer)] == [('receipt', 10, 10), ('count', -4, 6), ('count', 0, 6)]


@pytest.mark.parametrize('counted', [-1, 1.5, 'x', None, 1_000_000_001])
def test_a_count_is_a_whole_number_of_at_least_zero(accounts, shop, counted):
    hammer = shop.product('HAM', on_hand=3)
    with pytest.raises(ValidationError, match='whole number of at least 0'):
        shop.run(stock.count_stock, product_id=hammer, counted=counted)
    assert shop.stock_of(hammer) == (3, 0)


# --- movements --------------------------------------------------------------------------------------


@pytest.mark.usefixtures('ticking_clock')
def test_movements_are_listed_newest_first_with_who_made_them(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    shop.run(stock.count_stock, product_id=hammer, counted=7, note='broken')
    shop.run(stock.receive_stock, product_id=hammer, quantity=2)
    with db.read_session() as s:
        listed = stock.movements(s, actor=accounts.admin, product_id=hammer)
        latest = stock.movements(s, actor=accounts.admin, product_id=hammer, limit=1)
        with pytest.raises(NotFound):
            stock.movements(s, actor=accounts.admin, product_id=999_999)
    assert [(m.kind, m.change, m.on_hand_after, m.note, m.by) for m in listed] == [
        ('receipt', 2, 9, '', 'admin'),
        ('count', -3, 7, 'broken', 'admin'),
        ('receipt', 10, 10, 'initial stock', 'admin'),
    ]
    assert [m.kind for m in latest] == ['receipt']


# --- the invariant ----------------------------------------------------------------------------------


def test_the_invariant_holds_after_ordinary_work(accounts, shop):
    hammer = shop.product('HAM', on_hand=3)
    shop.place(accounts.alice, {hammer: 5})
    with db.read_session() as s:
        assert invariants.check_stock(s) == []


def tampered(model, row_id, **values):
    """What the invariant finds while a row holds other values; the row is put back afterwards."""
    with db.write_session() as s:
        row = s.get(model, row_id)
        before = {key: getattr(row, key) for key in values}
        for key, value in values.items():
            setattr(row, key, value)
    try:
        with db.read_session() as s:
            return invariants.check_stock(s)
    finally:
        with db.write_session() as s:
            row = s.get(model, row_id)
            for key, value in before.items():
                setattr(row, key, value)


def test_the_invariant_notices_each_kind_of_inconsistency(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    order = shop.place(accounts.alice, {hammer: 7})
    line_id = shop.line(order.id, hammer).id
    number = order.number

    assert tampered(Product, hammer, on_hand=4) == [
        'Product HAM: 4 on hand and 5 allocated.',
        'Product HAM: 4 on hand, but its stock movements add up to 5.',
    ]
    assert tampered(Product, hammer, allocated=-1) == [
        'Product HAM: 5 on hand and -1 allocated.',
        'Product HAM: -1 allocated, but its order lines hold 5.',
        'Product HAM: 6 free while open orders wait for it on backorder.',
    ]
    assert tampered(Product, hammer, on_hand=6) == [
        'Product HAM: 6 on hand, but its stock movements add up to 5.',
        'Product HAM: 1 free while open orders wait for it on backorder.',
    ]
    assert tampered(OrderLine, line_id, backorder=1) == [
        f'Order line {line_id}: 7 ordered, but 0 delivered + 5 allocated + 1 on backorder + 0 cancelled.'
    ]
    assert tampered(OrderLine, line_id, backorder=0, delivered=2) == [
        f'Order line {line_id}: 2 delivered, but its deliveries hold 0.'
    ]
    assert tampered(OrderLine, line_id, allocated=4, backorder=3) == [
        'Product HAM: 5 allocated, but its order lines hold 4.'
    ]
    assert tampered(Order, order.id, status='completed') == [
        f'Order {number} is closed, yet line {line_id} holds 5 allocated and 2 on backorder.'
    ]
    # 7000 excluding VAT, 1470 VAT at the standard 21 %, 8470 in all
    assert tampered(Order, order.id, total_cents=7001) == [
        f'Order {number}: total 7001, but subtotal 7000 + VAT 1470 is 8470.'
    ]
    assert tampered(Order, order.id, subtotal_cents=7001) == [
        f'Order {number}: subtotal 7001, but its lines add up to 7000.',
        f'Order {number}: total 8470, but subtotal 7001 + VAT 1470 is 8471.',
    ]
    assert tampered(Order, order.id, vat_cents=1471, total_cents=8471) == [
        f'Order {number}: VAT 1471, but its lines come to 1470 VAT.'
    ]
    assert tampered(OrderLine, line_id, vat_rate_bp=900) == [
        f'Order {number}: VAT 1470, but its lines come to 630 VAT.'
    ]


def test_assert_stock_ok_lists_the_violations(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    with db.write_session() as s:
        s.get(Product, hammer).on_hand = 9
    with pytest.raises(AssertionError, match='Stock invariant violated:\nProduct HAM: 9 on hand, but its stock'):
        invariants.assert_stock_ok()
    with db.write_session() as s:
        s.get(Product, hammer).on_hand = 5
