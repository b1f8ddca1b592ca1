"""Rules of the supplier's order work that the admin pages rely on and the other service tests leave open:
what checking and cancelling announce and refuse, ordering on a customer's behalf (catalogue, address,
details, events), delivering what a number input sends, and the supplier's 'open' filter.
"""

import pytest

from app.catalogue import catalogue
from app.core import db
from app.core.errors import ValidationError
from app.models import AddressCreate, CatalogueMode, Order, OrderStatus
from app.orders import deliveries, orders
from tests.rows import count
from tests.services import heard_after

pytestmark = pytest.mark.usefixtures('stock_invariant')


# --- checking -----------------------------------------------------------------------------------------


def test_checking_announces_the_order_to_the_customer_and_the_supplier(accounts, shop):
    hammer = shop.product('HAM', on_hand=2)
    order = shop.place(accounts.alice, {hammer: 1})
    topics = [('order', order.id), ('orders', accounts.customer_a.id), ('admin_orders',), ('stock', hammer)]
    heard = heard_after(topics, lambda: shop.run(orders.check_order, order_id=order.id))
    assert heard == sorted(topics[:3])  # checking moves no stock


def test_a_cancelled_order_cannot_be_checked(accounts, shop):
    hammer = shop.product('HAM', on_hand=2)
    order = shop.place(accounts.alice, {hammer: 1})
    shop.run(orders.cancel_order, order_id=order.id)
    with pytest.raises(ValidationError) as info:
        shop.run(orders.check_order, order_id=order.id)
    assert info.value.message == 'Only an order awaiting check can be checked; this one is cancelled.'
    assert shop.order(order.id).checked_at is None


# --- cancelling ---------------------------------------------------------------------------------------


def test_a_completed_order_cannot_be_cancelled_nor_any_of_its_lines(accounts, shop):
    hammer = shop.product('HAM', on_hand=2)
    order = shop.place(accounts.alice, {hammer: 2})
    shop.run(orders.check_order, order_id=order.id)
    shop.run(deliveries.deliver_all_reserved, order_id=order.id)
    line = shop.line(order.id, hammer)
    with pytest.raises(ValidationError, match='This order is completed: nothing can be cancelled any more'):
        shop.run(orders.cancel_order, order_id=order.id)
    with pytest.raises(ValidationError, match='This order is completed: nothing can be cancelled any more'):
        shop.run(orders.cancel_line, order_id=order.id, line_id=line.id)
    assert shop.order(order.id).status == OrderStatus.COMPLETED
    assert shop.line_state(order.id, hammer) == (2, 0, 0, 0)


def test_cancelling_a_line_announces_the_order_and_its_product_only(accounts, shop):
    hammer = shop.product('HAM', on_hand=2)
    gloves = shop.product('GLV', on_hand=2)
    order = shop.place(accounts.alice, {hammer: 1, gloves: 1})
    topics = [
        ('order', order.id),
        ('orders', accounts.customer_a.id),
        ('admin_orders',),
        ('stock', hammer),
        ('stock', gloves),
    ]
    line = shop.line(order.id, hammer)
    heard = heard_after(topics, lambda: shop.run(orders.cancel_line, order_id=order.id, line_id=line.id))
    assert heard == sorted(topics[:4])


def test_cancelling_an_order_announces_every_product_it_held(accounts, shop):
    hammer = shop.product('HAM', on_hand=2)
    gloves = shop.product('GLV', on_hand=0)
    order = shop.place(accounts.alice, {hammer: 1, gloves: 1})
    topics = [('order', order.id), ('orders', accounts.customer_a.id), ('admin_orders',), ('stock', hammer)]
    topics.append(('stock', gloves))
    assert heard_after(topics, lambda: shop.run(orders.cancel_order, order_id=order.id)) == sorted(topics)
    assert shop.stock_of(hammer) == (2, 0)


def test_a_cancelled_order_records_who_cancelled_it_when_and_why(accounts, shop):
    hammer = shop.product('HAM', on_hand=2)
    order = shop.place(accounts.alice, {hammer: 1})
    shop.run(orders.cancel_order, order_id=order.id, reason='  Ordered twice,\r\nsee SO-1.  ')
    cancelled = shop.order(order.id)
    assert cancelled.status == OrderStatus.CANCELLED and cancelled.cancelled_at is not None
    assert cancelled.cancelled_by_user_id == accounts.admin.user_id
    assert cancelled.cancel_reason == 'Ordered twice,\nsee SO-1.'
    with db.read_session() as s:
        view = orders.get_order(s, actor=accounts.alice, number=order.number)
    assert view.cancelled_by == 'admin'


def test_cancelling_the_last_open_line_records_the_cancellation_of_the_order(accounts, shop):
    hammer = shop.product('HAM', on_hand=2)
    order = shop.place(accounts.alice, {hammer: 1})
    line = shop.line(order.id, hammer)
    shop.run(orders.cancel_line, order_id=order.id, line_id=line.id, reason='No longer made')
    cancelled = shop.order(order.id)
    assert (cancelled.status, cancelled.cancel_reason) == (OrderStatus.CANCELLED, 'No longer made')
    assert cancelled.cancelled_by_user_id == accounts.admin.user_id


@pytest.mark.parametrize('reason', ['x' * 301, ['a list'], 'bell\x07'])
def test_a_bad_cancellation_reason_is_refused_and_cancels_nothing(accounts, shop, reason):
    hammer = shop.product('HAM', on_hand=2)
    order = shop.place(accounts.alice, {hammer: 1})
    with pytest.raises(ValidationError) as refused:
        shop.run(orders.cancel_order, order_id=order.id, reason=reason)
    assert refused.value.field == 'reason'
    assert shop.order(order.id).status == OrderStatus.CONCEPT
    assert shop.line_state(order.id, hammer) == (0, 1, 0, 0)


# --- delivering what the form sends -----------------------------------------------------------------------


def test_a_number_inputs_whole_float_is_delivered_and_an_empty_field_is_refused(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    order = shop.place(accounts.alice, {hammer: 5})
    shop.run(orders.check_order, order_id=order.id)
    line = shop.line(order.id, hammer)
    with pytest.raises(ValidationError, match='whole number of at least 0'):
        shop.run(deliveries.record_delivery, order_id=order.id, quantities={line.id: None})
    shop.run(deliveries.record_delivery, order_id=order.id, quantities={line.id: 2.0})
    assert shop.line_state(order.id, hammer) == (2, 3, 0, 0)
    with pytest.raises(ValidationError, match='whole number of at least 0'):
        shop.run(deliveries.record_delivery, order_id=order.id, quantities={line.id: 2.5})
    with pytest.raises(ValidationError, match='You can deliver at most 3 of Product HAM'):
        shop.run(deliveries.record_delivery, order_id=order.id, quantities={line.id: 4.0})
    assert shop.line_state(order.id, hammer) == (2, 3, 0, 0)


# --- ordering on a customer's behalf ------------------------------------------------------------------------


def test_an_order_for_a_customer_awaits_check_with_its_details_cleaned(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    order = shop.order_for(
        accounts.customer_a.id, [(hammer, 2)], comment='  By phone\r\nwith Alice  ', reference='  PO   77 '
    )
    assert order.status == OrderStatus.CONCEPT
    assert (order.comment, order.reference) == ('By phone\nwith Alice', 'PO 77')
    assert order.number == f'SO-{10000 + order.id}'
    with pytest.raises(ValidationError, match='at most 60 characters'):
        shop.order_for(accounts.customer_a.id, [(hammer, 1)], reference='r' * 61)
    assert count(Order) == 1


def test_an_order_for_a_customer_announces_it_but_touches_nobodys_current_order(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    topics = [
        ('orders', accounts.customer_a.id),
        ('admin_orders',),
        ('stock', hammer),
        ('current_order', accounts.alice.user_id),
        ('orders', accounts.customer_b.id),
    ]
    heard = heard_after(topics, lambda: shop.order_for(accounts.customer_a.id, [(hammer, 1)]))
    assert heard == sorted(topics[:3])


def test_the_supplier_orders_only_what_the_customer_may_order(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    gloves = shop.product('GLV', on_hand=5)
    old = shop.product('OLD', on_hand=5)
    with db.write_session() as s:
        catalogue.set_catalogue_mode(
            s, actor=accounts.admin, customer_id=accounts.customer_b.id, mode=CatalogueMode.SELECTION
        )
        catalogue.add_to_selection(s, actor=accounts.admin, customer_id=accounts.customer_b.id, product_ids=[hammer])
    shop.change_product(old, name='Old drill', price_cents=1, active=False)
    with pytest.raises(ValidationError) as info:
        shop.order_for(accounts.customer_b.id, [(hammer, 1), (gloves, 1)])
    assert 'Product GLV (GLV)' in info.value.message
    assert 'HAM' not in info.value.message
    with pytest.raises(ValidationError, match=r'Old drill \(OLD\)'):
        shop.order_for(accounts.customer_a.id, [(hammer, 1), (old, 1)])
    assert count(Order) == 0
    assert [shop.stock_of(p) for p in (hammer, gloves, old)] == [(5, 0)] * 3
    assert shop.order_for(accounts.customer_a.id, [(gloves, 1)]).customer_id == accounts.customer_a.id


@pytest.mark.parametrize('product_id', ['1', 1.0, None, True])
def test_products_are_named_by_their_id(accounts, shop, product_id):
    shop.product('HAM', on_hand=5)
    with pytest.raises(ValidationError, match='Choose products from the list'):
        shop.order_for(accounts.customer_a.id, [(product_id, 1)])
    assert count(Order) == 0


def test_an_order_for_a_customer_can_go_to_a_new_address_which_is_checked(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    with pytest.raises(ValidationError, match='The street and number is required'):
        shop.order_for(
            accounts.customer_a.id,
            [(hammer, 1)],
            new_address=AddressCreate(recipient='Site office', street=' ', postal_code='1234', city='Utrecht'),
        )
    assert count(Order) == 0
    order = shop.order_for(
        accounts.customer_a.id,
        [(hammer, 1)],
        new_address=AddressCreate(recipient='Site office', street='Dam 1', postal_code='1234', city='Utrecht'),
    )
    assert (order.ship_recipient, order.ship_street, order.ship_city) == ('Site office', 'Dam 1', 'Utrecht')


# --- the supplier's list ------------------------------------------------------------------------------------


def test_the_suppliers_open_filter_leaves_out_completed_and_cancelled_orders(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    done = shop.order_for(accounts.customer_a.id, [(hammer, 1)])
    shop.run(orders.check_order, order_id=done.id)
    shop.run(deliveries.deliver_all_reserved, order_id=done.id)
    dropped = shop.order_for(accounts.customer_b.id, [(hammer, 1)])
    shop.run(orders.cancel_order, order_id=dropped.id)
    waiting = shop.order_for(accounts.customer_b.id, [(hammer, 1)])
    with db.read_session() as s:
        found = orders.admin_list_orders(s, actor=accounts.admin, status='open')
        with pytest.raises(ValidationError, match='Choose one of the offered statuses'):
            orders.admin_list_orders(s, actor=accounts.admin, status='shipped')
    assert [item.number for item in found.items] == [waiting.number]


def test_a_placement_key_used_for_one_customer_is_refused_for_another(accounts, shop):
    """A reused form gives a clear message, not a database error, and never the other customer's order."""
    from app.core.errors import ValidationError as Refused
    from app.orders import ordering

    gloves = shop.product('GLV', on_hand=5)
    key = ordering.new_placement_key()
    with db.write_session() as s:
        ordering.place_order_for_customer(
            s, actor=accounts.admin, customer_id=accounts.customer_a.id, lines=[(gloves, 1)], placement_key=key
        )
    with pytest.raises(Refused, match='already used'), db.write_session() as s:
        ordering.place_order_for_customer(
            s, actor=accounts.admin, customer_id=accounts.customer_b.id, lines=[(gloves, 1)], placement_key=key
        )
