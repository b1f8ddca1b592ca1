"""A customer changing its own order while it awaits the supplier's check (app/orders/order_changes.py)."""

from __future__ import annotations

import threading

import pytest

from app.core import db
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.models import AddressCreate, OrderStatus
from app.orders import invariants, order_changes, orders

pytestmark = pytest.mark.usefixtures('stock_invariant')


def change(who, order, **options):
    with db.write_session() as s:
        return order_changes.change_order(s, actor=who, number=order.number, version=order.version, **options)


def refused(shop, who, order, **options) -> str:
    """The change is refused and nothing at all changed: the order, its lines and the stock."""
    before = (shop.order(order.id).model_dump(), [line.model_dump() for line in shop.lines(order.id)])
    with pytest.raises(ValidationError) as info:
        change(who, order, **options)
    assert (shop.order(order.id).model_dump(), [line.model_dump() for line in shop.lines(order.id)]) == before
    return info.value.message


def test_a_line_that_grows_reserves_what_is_free_and_backorders_the_rest(accounts, shop):
    hammer = shop.product('HAM', price=1000, on_hand=10)
    order = shop.place(accounts.alice, {hammer: 4})
    line = shop.line(order.id, hammer)

    changed = change(accounts.alice, order, quantities={line.id: 15})

    line = shop.line(order.id, hammer)
    assert (line.quantity, line.allocated, line.backorder, line.backordered) == (15, 10, 5, 5)
    assert shop.stock_of(hammer) == (10, 10)
    assert changed.subtotal_cents == 15 * 1000
    assert changed.customer_changed_at is not None and changed.customer_changed_by_user_id == accounts.alice.user_id
    assert changed.version == order.version + 1
    assert changed.status == OrderStatus.CONCEPT


def test_a_line_that_shrinks_gives_up_backorder_first_then_reservations_to_the_oldest_backorder(
    accounts, shop, ticking_clock
):
    hammer = shop.product('HAM', on_hand=10)
    mine = shop.place(accounts.alice, {hammer: 14})  # 10 reserved, 4 on backorder
    theirs = shop.place(accounts.bob, {hammer: 3})  # all 3 on backorder
    line = shop.line(mine.id, hammer)

    change(accounts.alice, mine, quantities={line.id: 12})  # the backorder goes first: nothing is freed
    assert (shop.line(mine.id, hammer).allocated, shop.line(mine.id, hammer).backorder) == (10, 2)
    assert shop.line(theirs.id, hammer).allocated == 0

    change(accounts.alice, shop.order(mine.id), quantities={line.id: 8})  # 2 reserved units freed: to Beta's
    assert (shop.line(mine.id, hammer).allocated, shop.line(mine.id, hammer).backorder) == (8, 0)
    other = shop.line(theirs.id, hammer)
    assert (other.allocated, other.backorder) == (2, 1)
    assert shop.stock_of(hammer) == (10, 10)


def test_removing_a_line_frees_its_reservations_and_changes_the_total(accounts, shop, ticking_clock):
    hammer = shop.product('HAM', price=1000, on_hand=5)
    gloves = shop.product('GLV', price=300, on_hand=5)
    mine = shop.place(accounts.alice, {hammer: 5, gloves: 2})
    waiting = shop.place(accounts.bob, {hammer: 2})

    changed = change(accounts.alice, mine, remove=[shop.line(mine.id, hammer).id])

    assert [line.product_id for line in shop.lines(mine.id)] == [gloves]
    assert changed.subtotal_cents == 600
    assert shop.line(waiting.id, hammer).allocated == 2  # what was freed went to the waiting backorder
    assert shop.stock_of(hammer) == (5, 2)


def test_the_last_line_cannot_be_removed_cancel_instead(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    order = shop.place(accounts.alice, {hammer: 1})
    assert 'cancel' in refused(shop, accounts.alice, order, remove=[shop.line(order.id, hammer).id])


def test_address_reference_and_comment_change(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    order = shop.place(accounts.alice, {hammer: 1})
    new = AddressCreate(recipient='Alpha Site 2', street='Dock 4', postal_code='1011 AB', city='Amsterdam')

    changed = change(accounts.alice, order, new_address=new, reference='  PO-99 ', comment='Ring twice')

    assert (changed.ship_recipient, changed.ship_street, changed.reference, changed.comment) == (
        'Alpha Site 2',
        'Dock 4',
        'PO-99',
        'Ring twice',
    )
    assert changed.customer_changed_at is not None


def test_nothing_changed_records_no_change(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    order = shop.place(accounts.alice, {hammer: 2})
    same = change(accounts.alice, order, quantities={shop.line(order.id, hammer).id: '2'}, comment='', reference='')
    assert same.customer_changed_at is None and same.version == order.version


def test_quantity_rules_stock_rules_and_minimum_order_value_are_checked_as_for_placing(accounts, shop):
    boxes = shop.product('BOX', price=500, on_hand=100)
    scarce = shop.product('SCARCE', price=500, on_hand=3)
    shop.product_terms(boxes, min_quantity=6, order_multiple=6)
    shop.product_terms(scarce, backorders=False)
    order = shop.place(accounts.alice, {boxes: 12, scarce: 2})
    box_line, scarce_line = shop.line(order.id, boxes), shop.line(order.id, scarce)

    assert 'sold per 6: 6 or 12' in refused(shop, accounts.alice, order, quantities={box_line.id: 10})
    assert '3' in refused(shop, accounts.alice, order, quantities={scarce_line.id: 5})  # only 3 can be had
    assert refused(shop, accounts.alice, order, quantities={box_line.id: 'a dozen'}).startswith('Enter a whole number')
    shop.customer_terms(accounts.customer_a.id, minimum_order_cents=5000)
    assert 'minimum order value' in refused(shop, accounts.alice, order, quantities={box_line.id: 6})
    change(accounts.alice, order, quantities={scarce_line.id: 3})  # all 3 of the scarce one: allowed
    assert shop.line(order.id, scarce).allocated == 3


def test_a_changed_line_is_priced_for_its_new_quantity(accounts, shop):
    from app.models import PriceListCreate
    from app.pricing import prices

    nails = shop.product('NAIL', price=100, on_hand=500)
    with db.write_session() as s:
        trade = prices.create_price_list(s, actor=accounts.admin, data=PriceListCreate(name='Trade'))
        prices.set_product_prices(
            s, actor=accounts.admin, price_list_id=trade.id, product_id=nails, entries=[(1, 90), (50, 70)]
        )
    shop.customer_terms(accounts.customer_a.id, price_list_id=trade.id)
    order = shop.place(accounts.alice, {nails: 10})
    assert shop.line(order.id, nails).unit_price_cents == 90
    changed = change(accounts.alice, order, quantities={shop.line(order.id, nails).id: 60})
    assert shop.line(order.id, nails).unit_price_cents == 70
    assert changed.subtotal_cents == 60 * 70


def test_refused_once_the_supplier_has_checked_it(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    order = shop.place(accounts.alice, {hammer: 1})
    shop.run(orders.check_order, order_id=order.id)
    message = refused(shop, accounts.alice, order, quantities={shop.line(order.id, hammer).id: 2})
    assert message.startswith('The supplier has checked this order in the meantime (processing)')
    with pytest.raises(ValidationError), db.write_session() as s:
        order_changes.cancel_own_order(s, actor=accounts.alice, number=order.number, version=order.version + 1)
    assert shop.order(order.id).status == OrderStatus.PROCESSING


def test_a_page_showing_an_older_version_is_refused(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    order = shop.place(accounts.alice, {hammer: 1})
    line = shop.line(order.id, hammer)
    change(accounts.alice, order, quantities={line.id: 2})  # in another window
    assert 'another window' in refused(shop, accounts.alice, order, quantities={line.id: 3})  # the old version
    assert shop.line(order.id, hammer).quantity == 2


def test_scoped_to_the_customer(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    alices = shop.place(accounts.alice, {hammer: 1})
    bobs = shop.place(accounts.bob, {hammer: 1})
    with pytest.raises(NotFound), db.write_session() as s:  # another customer's order by its number
        order_changes.change_order(s, actor=accounts.bob, number=alices.number, version=alices.version, comment='x')
    with pytest.raises(NotFound), db.write_session() as s:  # another order's line in one's own order
        order_changes.change_order(
            s,
            actor=accounts.bob,
            number=bobs.number,
            version=bobs.version,
            quantities={shop.line(alices.id, hammer).id: 3},
        )
    with pytest.raises(NotFound), db.write_session() as s:  # another customer's address
        order_changes.change_order(
            s, actor=accounts.bob, number=bobs.number, version=bobs.version, address_id=accounts.address_a.id
        )
    with pytest.raises(AccessDenied), db.write_session() as s:
        order_changes.change_order(s, actor=accounts.admin, number=alices.number, version=alices.version)
    assert shop.line(alices.id, hammer).quantity == 1


def test_the_customer_cancels_its_own_order_with_a_reason(accounts, shop, ticking_clock):
    hammer = shop.product('HAM', on_hand=3)
    mine = shop.place(accounts.alice, {hammer: 3})
    waiting = shop.place(accounts.bob, {hammer: 2})
    with db.write_session() as s:
        order_changes.cancel_own_order(
            s, actor=accounts.alice, number=mine.number, version=mine.version, reason='Ordered twice'
        )
    cancelled = shop.order(mine.id)
    assert (cancelled.status, cancelled.cancel_reason) == (OrderStatus.CANCELLED, 'Ordered twice')
    assert cancelled.cancelled_by_user_id == accounts.alice.user_id
    assert shop.line(waiting.id, hammer).allocated == 2


def test_changing_and_checking_the_same_order_at_once_from_two_sides(accounts, shop):
    """Two threads, two connections: the customer doubles every line while the supplier checks. Either the change
    comes first (and is checked as changed) or the check does (and the change is refused, changing nothing); the
    stock adds up either way."""
    hammer = shop.product('HAM', on_hand=30)
    gloves = shop.product('GLV', on_hand=2)
    outcomes = []
    for _round in range(8):
        order = shop.place(accounts.alice, {hammer: 2, gloves: 1})
        lines = {line.id: line.quantity * 2 for line in shop.lines(order.id)}
        barrier = threading.Barrier(2)
        results: dict[str, object] = {}

        def customer(order=order, lines=lines, results=results, barrier=barrier):
            barrier.wait(timeout=10)
            try:
                change(accounts.alice, order, quantities=lines)
                results['change'] = 'done'
            except ValidationError as error:
                results['change'] = error.message

        def supplier(order=order, results=results, barrier=barrier):
            barrier.wait(timeout=10)
            shop.run(orders.check_order, order_id=order.id)
            results['check'] = 'done'

        threads = [threading.Thread(target=customer), threading.Thread(target=supplier)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert results['check'] == 'done'
        quantities = sorted(line.quantity for line in shop.lines(order.id))
        if results['change'] == 'done':
            assert quantities == [2, 4]
        else:
            assert results['change'].startswith('The supplier has checked this order')
            assert quantities == [1, 2]
        assert shop.order(order.id).status == OrderStatus.PROCESSING
        outcomes.append(results['change'] == 'done')
        invariants.assert_stock_ok()
    on_hand, allocated = shop.stock_of(gloves)
    assert (on_hand, allocated) == (2, 2)  # never more reserved than on hand, whoever won each round


def holding_a_transaction(first, second):
    """`first(session)` runs in a write transaction of one thread that stays open until `second` (another thread,
    its own connection) has been started against the same order; returns what `second` gave or raised."""
    inside, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def hold():
        with db.write_session() as s:
            first(s)
            inside.set()
            release.wait(timeout=10)

    def other():
        try:
            outcome['result'] = second()
        except ValidationError as error:
            outcome['error'] = error.message

    holder = threading.Thread(target=hold)
    holder.start()
    assert inside.wait(timeout=10)
    challenger = threading.Thread(target=other)
    challenger.start()
    release.set()
    holder.join(timeout=30)
    challenger.join(timeout=30)
    return outcome


def test_a_change_waiting_behind_the_suppliers_check_is_refused(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    order = shop.place(accounts.alice, {hammer: 2})
    line = shop.line(order.id, hammer)
    outcome = holding_a_transaction(
        lambda s: orders.check_order(s, actor=accounts.admin, order_id=order.id),
        lambda: change(accounts.alice, order, quantities={line.id: 4}),
    )
    assert outcome['error'].startswith('The supplier has checked this order in the meantime')
    assert (shop.line(order.id, hammer).quantity, shop.stock_of(hammer)) == (2, (5, 2))


def test_a_check_waiting_behind_the_customers_change_checks_the_changed_order(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    order = shop.place(accounts.alice, {hammer: 2})
    line = shop.line(order.id, hammer)
    outcome = holding_a_transaction(
        lambda s: order_changes.change_order(
            s, actor=accounts.alice, number=order.number, version=order.version, quantities={line.id: 7}
        ),
        lambda: shop.run(orders.check_order, order_id=order.id),
    )
    assert 'error' not in outcome
    checked = shop.line(order.id, hammer)
    assert (checked.quantity, checked.allocated, checked.backorder) == (7, 5, 2)
    assert shop.order(order.id).status == OrderStatus.PROCESSING
