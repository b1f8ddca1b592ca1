"""Deliveries: reserved units leave the stock, in full or in part, and the order's status follows."""

import pytest
from sqlmodel import col, select

from app.core import db
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.models import Delivery, DeliveryLine, OrderStatus, StockMovement
from app.orders import deliveries, orders, stock
from tests.rows import count
from tests.services import heard_after

pytestmark = pytest.mark.usefixtures('stock_invariant')


@pytest.fixture
def checked(accounts, shop):
    """A checked order of 5 hammers (all reserved) and 3 gloves (1 reserved, 2 on backorder)."""
    hammer = shop.product('HAM', price=1000, on_hand=8)
    gloves = shop.product('GLV', price=200, on_hand=1)
    order = shop.place(accounts.alice, {hammer: 5, gloves: 3})
    shop.run(orders.check_order, order_id=order.id)
    return order, shop.line(order.id, hammer), shop.line(order.id, gloves)


def deliver(shop, order, quantities, **options):
    return shop.run(deliveries.record_delivery, order_id=order.id, quantities=quantities, **options)


def snapshot(shop, order, *product_ids):
    """Everything a refused delivery must leave as it was."""
    return (
        shop.order(order.id).status,
        [(line.delivered, line.allocated, line.backorder) for line in shop.lines(order.id)],
        [shop.stock_of(product_id) for product_id in product_ids],
        count(Delivery),
    )


def test_a_partial_delivery_takes_units_out_of_stock(shop, checked):
    order, hammer, gloves = checked
    delivery = deliver(shop, order, {hammer.id: 2, gloves.id: 0}, tracking_code='  3SABC  123 ')
    assert delivery.tracking_code == '3SABC 123'
    assert delivery.created_by_user_id == shop.admin.user_id
    line = shop.line(order.id, hammer.product_id)
    assert (line.delivered, line.allocated, line.backorder) == (2, 3, 0)
    assert shop.stock_of(hammer.product_id) == (6, 3)
    assert shop.stock_of(gloves.product_id) == (1, 1)
    assert shop.order(order.id).status == OrderStatus.PARTIALLY_DELIVERED
    with db.read_session() as s:
        lines = s.exec(select(DeliveryLine.order_line_id, DeliveryLine.quantity)).all()
        last_move = s.exec(select(StockMovement).order_by(col(StockMovement.id).desc())).first()
    assert lines == [(hammer.id, 2)]  # a line delivering nothing is left out
    assert (last_move.kind, last_move.change, last_move.on_hand_after, last_move.note) == (
        'delivery',
        -2,
        6,
        f'Order {order.number}',
    )


def test_delivering_every_unit_completes_the_order(shop, checked):
    order, hammer, gloves = checked
    deliver(shop, order, {hammer.id: 5, gloves.id: 1})
    assert shop.order(order.id).status == OrderStatus.PARTIALLY_DELIVERED
    shop.run(stock.receive_stock, product_id=gloves.product_id, quantity=2)
    deliver(shop, order, {gloves.id: 2})
    done = shop.order(order.id)
    assert done.status == OrderStatus.COMPLETED
    assert done.completed_at is not None
    assert [(line.delivered, line.allocated, line.backorder) for line in shop.lines(order.id)] == [(5, 0, 0), (3, 0, 0)]
    assert shop.stock_of(hammer.product_id) == (3, 0)
    assert shop.stock_of(gloves.product_id) == (0, 0)
    with pytest.raises(ValidationError, match='This order is completed: nothing more can be delivered'):
        deliver(shop, order, {gloves.id: 0})


def test_more_than_reserved_is_refused_and_nothing_changes(shop, checked):
    order, hammer, gloves = checked
    before = snapshot(shop, order, hammer.product_id, gloves.product_id)
    with pytest.raises(ValidationError) as info:
        deliver(shop, order, {hammer.id: 5, gloves.id: 2})
    assert info.value.message == 'You can deliver at most 1 of Product GLV: that is what is reserved.'
    assert snapshot(shop, order, hammer.product_id, gloves.product_id) == before


@pytest.mark.parametrize('quantity', [-1, 1.5, 'two', None, True])
def test_each_quantity_is_a_whole_number_of_at_least_zero(shop, checked, quantity):
    order, hammer, gloves = checked
    before = snapshot(shop, order, hammer.product_id, gloves.product_id)
    with pytest.raises(ValidationError, match='whole number of at least 0'):
        deliver(shop, order, {hammer.id: 1, gloves.id: quantity})
    assert snapshot(shop, order, hammer.product_id, gloves.product_id) == before


def test_a_delivery_of_nothing_is_refused(shop, checked):
    order, hammer, gloves = checked
    with pytest.raises(ValidationError, match='at least one line'):
        deliver(shop, order, {hammer.id: 0, gloves.id: '0'})
    with pytest.raises(ValidationError, match='at least one line'):
        deliver(shop, order, {})
    assert count(Delivery) == 0


def test_lines_of_another_order_cannot_be_delivered_with_this_one(accounts, shop, checked):
    order, hammer, gloves = checked
    other = shop.order_for(accounts.customer_b.id, [(hammer.product_id, 1)])
    shop.run(orders.check_order, order_id=other.id)
    other_line = shop.line(other.id, hammer.product_id)
    before = snapshot(shop, order, hammer.product_id, gloves.product_id)
    with pytest.raises(ValidationError, match='not part of this order'):
        deliver(shop, order, {hammer.id: 1, other_line.id: 1})
    assert snapshot(shop, order, hammer.product_id, gloves.product_id) == before


def test_a_long_tracking_code_is_refused(shop, checked):
    order, hammer, _ = checked
    with pytest.raises(ValidationError, match='at most 80'):
        deliver(shop, order, {hammer.id: 1}, tracking_code='T' * 81)
    assert deliver(shop, order, {hammer.id: 1}, tracking_code='T' * 80).tracking_code == 'T' * 80


def test_an_order_must_be_checked_before_it_is_delivered(accounts, shop):
    hammer = shop.product('HAM', on_hand=3)
    order = shop.place(accounts.alice, {hammer: 1})
    line = shop.line(order.id, hammer)
    with pytest.raises(ValidationError) as info:
        deliver(shop, order, {line.id: 1})
    assert info.value.message == 'Check this order before delivering it.'
    with pytest.raises(ValidationError, match='Check this order'):
        shop.run(deliveries.deliver_all_reserved, order_id=order.id)
    assert shop.stock_of(hammer) == (3, 1)


def test_a_cancelled_order_cannot_be_delivered(shop, checked):
    order, hammer, _ = checked
    shop.run(orders.cancel_order, order_id=order.id)
    with pytest.raises(ValidationError, match='This order is cancelled: nothing more can be delivered'):
        deliver(shop, order, {hammer.id: 1})


def test_deliver_all_reserved_ships_exactly_what_is_reserved(shop, checked):
    order, _, _ = checked
    delivery = shop.run(deliveries.deliver_all_reserved, order_id=order.id, tracking_code='ALL')
    assert delivery.tracking_code == 'ALL'
    assert [(line.delivered, line.allocated, line.backorder) for line in shop.lines(order.id)] == [(5, 0, 0), (1, 0, 2)]
    assert shop.order(order.id).status == OrderStatus.PARTIALLY_DELIVERED
    with pytest.raises(ValidationError, match='Nothing is reserved for this order yet'):
        shop.run(deliveries.deliver_all_reserved, order_id=order.id)


def test_a_delivery_announces_the_order_and_stock(accounts, shop, checked):
    order, hammer, _ = checked
    topics = [('order', order.id), ('orders', accounts.customer_a.id), ('admin_orders',), ('stock', hammer.product_id)]
    assert heard_after(topics, lambda: deliver(shop, order, {hammer.id: 1})) == sorted(topics)


def test_only_the_supplier_records_deliveries(accounts, shop, checked):
    order, hammer, _ = checked
    with db.write_session() as s:
        with pytest.raises(AccessDenied):
            deliveries.record_delivery(s, actor=accounts.alice, order_id=order.id, quantities={hammer.id: 1})
        with pytest.raises(AccessDenied):
            deliveries.deliver_all_reserved(s, actor=accounts.alice, order_id=order.id)
    with pytest.raises(NotFound):
        shop.run(deliveries.record_delivery, order_id=999_999, quantities={hammer.id: 1})
    assert count(Delivery) == 0
