"""Orders after placing: checking, cancelling, and what customers and the supplier see of orders and backorders."""

from datetime import timedelta

import pytest
from sqlalchemy import event

from app.core import db
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.models import OrderStatus
from app.orders import deliveries, orders, stock
from tests.services import read

pytestmark = pytest.mark.usefixtures('stock_invariant')


# --- checking ---------------------------------------------------------------------------------------


def test_checking_moves_a_new_order_to_processing_once(accounts, shop):
    hammer = shop.product('HAM', on_hand=2)
    order = shop.place(accounts.alice, {hammer: 1})
    checked = shop.run(orders.check_order, order_id=order.id)
    assert checked.status == OrderStatus.PROCESSING
    assert checked.checked_at is not None
    with pytest.raises(ValidationError) as info:
        shop.run(orders.check_order, order_id=order.id)
    assert info.value.message == 'Only an order awaiting check can be checked; this one is processing.'
    with pytest.raises(NotFound):
        shop.run(orders.check_order, order_id=999_999)


def test_customers_cannot_use_the_suppliers_order_functions(accounts, shop):
    hammer = shop.product('HAM', on_hand=2)
    order = shop.place(accounts.alice, {hammer: 1})
    line = shop.line(order.id, hammer)
    with db.write_session() as s:
        for call in (
            lambda: orders.check_order(s, actor=accounts.alice, order_id=order.id),
            lambda: orders.cancel_order(s, actor=accounts.alice, order_id=order.id),
            lambda: orders.cancel_line(s, actor=accounts.alice, order_id=order.id, line_id=line.id),
            lambda: orders.admin_list_orders(s, actor=accounts.alice),
            lambda: orders.admin_get_order(s, actor=accounts.alice, order_id=order.id),
            lambda: orders.admin_backorders(s, actor=accounts.alice),
        ):
            with pytest.raises(AccessDenied):
                call()
    assert shop.order(order.id).status == OrderStatus.CONCEPT


# --- cancelling -------------------------------------------------------------------------------------


@pytest.mark.usefixtures('ticking_clock')
def test_cancelling_an_order_hands_its_reservations_to_the_next_backorders(accounts, shop):
    hammer = shop.product('HAM', price=100, on_hand=5)
    gloves = shop.product('GLV', price=10, on_hand=0)
    first = shop.place(accounts.alice, {hammer: 4, gloves: 2})
    second = shop.place(accounts.bob, {hammer: 3})
    third = shop.place(accounts.alice, {hammer: 2})
    assert (shop.line_state(second.id, hammer), shop.line_state(third.id, hammer)) == ((0, 1, 2, 0), (0, 0, 2, 0))

    cancelled = shop.run(orders.cancel_order, order_id=first.id)
    assert cancelled.status == OrderStatus.CANCELLED
    assert cancelled.cancelled_at is not None
    assert cancelled.total_cents == 0
    assert (shop.line_state(first.id, hammer), shop.line_state(first.id, gloves)) == ((0, 0, 0, 4), (0, 0, 0, 2))
    assert (shop.line_state(second.id, hammer), shop.line_state(third.id, hammer)) == ((0, 3, 0, 0), (0, 2, 0, 0))
    assert shop.stock_of(hammer) == (5, 5)
    with pytest.raises(ValidationError, match='This order is cancelled: nothing can be cancelled any more'):
        shop.run(orders.cancel_order, order_id=first.id)


def test_cancelling_a_partly_delivered_order_completes_it(accounts, shop):
    hammer = shop.product('HAM', price=100, on_hand=5)
    order = shop.place(accounts.alice, {hammer: 8})
    shop.run(orders.check_order, order_id=order.id)
    shop.run(deliveries.record_delivery, order_id=order.id, quantities={shop.line(order.id, hammer).id: 3})
    done = shop.run(orders.cancel_order, order_id=order.id)
    assert done.status == OrderStatus.COMPLETED
    assert done.completed_at is not None
    assert (done.subtotal_cents, done.total_cents) == (300, 300 + 63)  # the 3 delivered, with 21 % VAT
    assert shop.line_state(order.id, hammer) == (3, 0, 0, 5)
    assert shop.stock_of(hammer) == (2, 0)


@pytest.mark.usefixtures('ticking_clock')
def test_cancelling_one_line_releases_only_that_line(accounts, shop):
    hammer = shop.product('HAM', price=100, on_hand=3)
    gloves = shop.product('GLV', price=10, on_hand=1)
    order = shop.place(accounts.alice, {hammer: 3, gloves: 2})
    waiting = shop.place(accounts.bob, {hammer: 2})
    line = shop.line(order.id, hammer)

    after = shop.run(orders.cancel_line, order_id=order.id, line_id=line.id)
    assert after.status == OrderStatus.CONCEPT
    assert (after.subtotal_cents, after.total_cents) == (20, 20 + 4)  # the gloves left: 21 % of 20 is 4.20
    assert shop.line_state(order.id, hammer) == (0, 0, 0, 3)
    assert shop.line_state(order.id, gloves) == (0, 1, 1, 0)
    assert shop.line_state(waiting.id, hammer) == (0, 2, 0, 0)
    with pytest.raises(ValidationError, match='Nothing is left to cancel of Product HAM'):
        shop.run(orders.cancel_line, order_id=order.id, line_id=line.id)

    last = shop.run(orders.cancel_line, order_id=order.id, line_id=shop.line(order.id, gloves).id)
    assert last.status == OrderStatus.CANCELLED
    assert shop.stock_of(gloves) == (1, 0)


def test_cancelling_the_open_rest_after_deliveries_completes_the_order(accounts, shop):
    hammer = shop.product('HAM', on_hand=2)
    gloves = shop.product('GLV', on_hand=0)
    order = shop.place(accounts.alice, {hammer: 2, gloves: 4})
    shop.run(orders.check_order, order_id=order.id)
    shop.run(deliveries.deliver_all_reserved, order_id=order.id)
    assert shop.order(order.id).status == OrderStatus.PARTIALLY_DELIVERED
    done = shop.run(orders.cancel_line, order_id=order.id, line_id=shop.line(order.id, gloves).id)
    assert done.status == OrderStatus.COMPLETED


def test_a_line_of_another_order_is_not_found(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    mine = shop.place(accounts.alice, {hammer: 1})
    theirs = shop.place(accounts.bob, {hammer: 1})
    with pytest.raises(NotFound):
        shop.run(orders.cancel_line, order_id=mine.id, line_id=shop.line(theirs.id, hammer).id)
    assert shop.line_state(theirs.id, hammer) == (0, 1, 0, 0)


# --- the customer's orders ----------------------------------------------------------------------------


@pytest.fixture
def history(accounts, shop, ticking_clock):
    """Alice: three orders (one by the supplier, one partly delivered); Bob: one."""
    hammer = shop.product('HAM', price=100, on_hand=10)
    gloves = shop.product('GLV', price=10, on_hand=0)
    first = shop.place(accounts.alice, {hammer: 2, gloves: 3}, reference='Roof job')
    by_supplier = shop.order_for(accounts.customer_a.id, [(hammer, 1)], reference='phone order')
    latest = shop.place(accounts.alice, {hammer: 4}, reference='ROOF repair 2')
    bobs = shop.place(accounts.bob, {hammer: 1}, reference='Roof')
    shop.run(orders.check_order, order_id=first.id)
    shop.run(deliveries.record_delivery, order_id=first.id, quantities={shop.line(first.id, hammer).id: 2})
    return {
        'first': first,
        'by_supplier': by_supplier,
        'latest': latest,
        'bobs': bobs,
        'hammer': hammer,
        'gloves': gloves,
    }


def numbers(page):
    return [item.number for item in page.items]


def test_customers_list_their_own_orders_newest_first(accounts, history):
    page = read(orders.list_orders, actor=accounts.alice)
    assert numbers(page) == [history[k].number for k in ('latest', 'by_supplier', 'first')]
    assert (page.total, page.page, page.pages) == (3, 1, 1)
    first = page.items[2]
    # the total in the list includes VAT: 230 + 21 % (48.30)
    assert (first.status, first.reference, first.total_cents) == (OrderStatus.PARTIALLY_DELIVERED, 'Roof job', 278)
    assert (first.units_ordered, first.units_delivered) == (5, 2)
    assert [item.placed_by_supplier for item in page.items] == [False, True, False]
    assert numbers(read(orders.list_orders, actor=accounts.bob)) == [history['bobs'].number]


def test_customers_search_by_number_or_reference(accounts, history):
    def found(text):
        return numbers(read(orders.list_orders, actor=accounts.alice, search=text))

    assert found('roof') == [history['latest'].number, history['first'].number]
    assert found('  Roof   REPAIR ') == [history['latest'].number]
    assert found(history['by_supplier'].number.lower()) == [history['by_supplier'].number]
    assert found(str(history['first'].number)[-3:]) == [history['first'].number]
    assert found('100%') == []
    assert found('Beta') == []  # customers search their own orders, not customer names


def test_customers_filter_by_status(accounts, history):
    def found(status):
        return numbers(read(orders.list_orders, actor=accounts.alice, status=status))

    assert found('partially_delivered') == [history['first'].number]
    assert found('concept') == [history['latest'].number, history['by_supplier'].number]
    assert found('open') == [history[k].number for k in ('latest', 'by_supplier', 'first')]
    assert found('completed') == []
    with pytest.raises(ValidationError, match='Choose one of the offered statuses'):
        found('shipped')


def test_order_lists_come_in_pages(accounts, history):
    first_page = read(orders.list_orders, actor=accounts.alice, page=1, page_size=2)
    second_page = read(orders.list_orders, actor=accounts.alice, page=2, page_size=2)
    beyond = read(orders.list_orders, actor=accounts.alice, page=99, page_size=2)
    assert (first_page.total, first_page.pages) == (3, 2)
    assert numbers(first_page) + numbers(second_page) == [history[k].number for k in ('latest', 'by_supplier', 'first')]
    assert (beyond.page, numbers(beyond)) == (2, numbers(second_page))


def test_an_order_list_takes_the_same_few_queries_however_many_orders(accounts, shop, history):
    statements = []
    engine = db.get_engine()

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith('SELECT'):
            statements.append(statement)

    event.listen(engine, 'before_cursor_execute', count)
    try:
        read(orders.list_orders, actor=accounts.alice)
        few = len(statements)
        for _ in range(5):
            shop.place(accounts.alice, {history['hammer']: 1})
        statements.clear()
        read(orders.list_orders, actor=accounts.alice)
    finally:
        event.remove(engine, 'before_cursor_execute', count)
    assert len(statements) == few == 3  # count, page, units per order


def test_a_customer_opens_an_order_by_its_number(accounts, shop, history):
    first = history['first']
    view = read(orders.get_order, actor=accounts.alice, number=first.number.lower())
    assert view.order.id == first.id
    assert view.placed_by == 'alice'
    assert view.customer_name == 'Alpha BV'
    assert [
        (line.product_code, line.quantity, line.delivered, line.allocated, line.backorder) for line in view.lines
    ] == [
        ('HAM', 2, 2, 0, 0),
        ('GLV', 3, 0, 0, 3),
    ]
    assert [[(d.product_code, d.quantity) for d in delivery.lines] for delivery in view.deliveries] == [[('HAM', 2)]]
    # an order on the customer's behalf names the supplier's staff member who placed it
    assert read(orders.get_order, actor=accounts.alice, number=history['by_supplier'].number).placed_by == 'admin'


def test_another_customers_order_is_not_found(accounts, history):
    for number in (history['bobs'].number, 'SO-99999', '', 'x' * 500):
        with pytest.raises(NotFound, match='This order was not found'):
            read(orders.get_order, actor=accounts.alice, number=number)
    with pytest.raises(AccessDenied):
        read(orders.get_order, actor=accounts.admin, number=history['bobs'].number)


# --- the supplier's order lists -------------------------------------------------------------------------


def test_the_supplier_lists_every_customers_orders(accounts, history):
    page = read(orders.admin_list_orders, actor=accounts.admin)
    assert numbers(page) == [history[k].number for k in ('bobs', 'latest', 'by_supplier', 'first')]
    assert [item.customer_name for item in page.items] == ['Beta Ltd', 'Alpha BV', 'Alpha BV', 'Alpha BV']
    only_beta = read(orders.admin_list_orders, actor=accounts.admin, customer_id=accounts.customer_b.id)
    assert numbers(only_beta) == [history['bobs'].number]
    assert numbers(read(orders.admin_list_orders, actor=accounts.admin, search='beta')) == [history['bobs'].number]
    concept_roof = read(orders.admin_list_orders, actor=accounts.admin, status='concept', search='roof')
    assert numbers(concept_roof) == [history['bobs'].number, history['latest'].number]
    paged = read(orders.admin_list_orders, actor=accounts.admin, page=2, page_size=3)
    assert (paged.total, paged.pages, numbers(paged)) == (4, 2, [history['first'].number])


def test_the_supplier_opens_any_order_by_id(accounts, history):
    view = read(orders.admin_get_order, actor=accounts.admin, order_id=history['bobs'].id)
    assert (view.order.number, view.customer_name, view.placed_by) == (history['bobs'].number, 'Beta Ltd', 'bob')
    with pytest.raises(NotFound):
        read(orders.admin_get_order, actor=accounts.admin, order_id=999_999)


# --- backorders -------------------------------------------------------------------------------------


@pytest.mark.usefixtures('ticking_clock')
def test_customers_see_their_own_backorders_oldest_first(accounts, shop):
    hammer = shop.product('HAM', on_hand=3)
    gloves = shop.product('GLV', on_hand=0)
    older = shop.place(accounts.alice, {hammer: 2, gloves: 4})
    shop.place(accounts.bob, {hammer: 5})
    newer = shop.place(accounts.alice, {gloves: 1})
    cancelled = shop.place(accounts.alice, {gloves: 7})
    shop.run(orders.cancel_order, order_id=cancelled.id)
    shop.run(stock.receive_stock, product_id=gloves, quantity=1)

    lines = read(orders.list_backorders, actor=accounts.alice)
    assert [(b.order_number, b.product_code, b.quantity, b.backorder, b.allocated) for b in lines] == [
        (older.number, 'GLV', 4, 3, 1),
        (newer.number, 'GLV', 1, 1, 0),
    ]
    assert lines[0].order_date < lines[1].order_date
    assert lines[0].product_id == gloves
    assert [b.product_code for b in read(orders.list_backorders, actor=accounts.bob)] == ['HAM']
    with pytest.raises(AccessDenied):
        read(orders.list_backorders, actor=accounts.admin)


@pytest.mark.usefixtures('ticking_clock')
def test_the_supplier_sees_backorders_per_product(accounts, shop):
    hammer = shop.product('HAM', on_hand=3)
    gloves = shop.product('GLV', on_hand=0)
    shop.product('SCR', on_hand=0)
    first = shop.place(accounts.alice, {gloves: 4})
    second = shop.place(accounts.bob, {hammer: 5, gloves: 2})
    third = shop.place(accounts.alice, {hammer: 1})
    shop.run(stock.receive_stock, product_id=gloves, quantity=1)

    per_product = read(orders.admin_backorders, actor=accounts.admin)
    assert [(p.product_code, p.needed, p.allocated, p.on_hand, p.free) for p in per_product] == [
        ('GLV', 5, 1, 1, 0),
        ('HAM', 3, 0, 3, 0),  # the 3 reserved at placement are no backorder
    ]
    glv, ham = per_product
    assert glv.oldest_order_date == shop.order(first.id).created_at
    assert ham.oldest_order_date == shop.order(second.id).created_at
    assert ham.oldest_order_date - glv.oldest_order_date >= timedelta(minutes=1)
    assert [(b.order_number, b.customer_name, b.backorder) for b in glv.lines] == [
        (first.number, 'Alpha BV', 3),
        (second.number, 'Beta Ltd', 2),
    ]
    assert [(b.order_number, b.backorder) for b in ham.lines] == [(second.number, 2), (third.number, 1)]


def test_a_backorder_stays_listed_with_its_reservation_until_delivered(accounts, shop):
    gloves = shop.product('GLV', on_hand=5)
    order = shop.place(accounts.alice, {gloves: 8})
    shop.run(orders.check_order, order_id=order.id)
    view = read(orders.admin_get_order, actor=accounts.admin, order_id=order.id)
    line = view.lines[0]
    shop.run(deliveries.record_delivery, order_id=order.id, quantities={line.id: 5})
    [waiting] = read(orders.list_backorders, actor=accounts.alice)
    assert (waiting.backorder, waiting.allocated, waiting.outstanding) == (3, 0, 3)

    shop.run(stock.receive_stock, product_id=gloves, quantity=10)
    [reserved] = read(orders.list_backorders, actor=accounts.alice)
    assert (reserved.backorder, reserved.allocated, reserved.outstanding) == (0, 3, 3)

    shop.run(deliveries.record_delivery, order_id=order.id, quantities={line.id: 3})
    assert read(orders.list_backorders, actor=accounts.alice) == []
    assert read(orders.admin_get_order, actor=accounts.admin, order_id=order.id).order.status == 'completed'
