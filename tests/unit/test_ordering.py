"""Placing orders: reserving stock and backordering, snapshots, addresses, idempotency and the checks before it."""

import pytest
from sqlmodel import select

from app.catalogue import catalogue
from app.core import db, events
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.identity import accounts as account_service
from app.identity.access import SYSTEM
from app.models import (
    Address,
    AddressCreate,
    CatalogueMode,
    CurrentOrder,
    CurrentOrderLine,
    Order,
    OrderStatus,
)
from app.orders import current_order, ordering
from app.orders.current_order import ShownLine
from tests.rows import count

pytestmark = pytest.mark.usefixtures('stock_invariant')


def place(who, key, **options):
    with db.write_session() as s:
        return ordering.place_current_order(s, actor=who, placement_key=key, **options)


def current_lines(who):
    with db.read_session() as s:
        return s.exec(select(CurrentOrderLine).where(CurrentOrderLine.user_id == who.user_id)).all()


def current_of(who):
    with db.read_session() as s:
        return s.get(CurrentOrder, who.user_id)


def shown_now(who, **prices):
    """What the current-order page shows now (with `prices` by product id overriding the shown price)."""
    with db.read_session() as s:
        lines = current_order.lines(s, actor=who)
    return current_order.shown_of(lines, {int(pid): cents for pid, cents in prices.items()})


def refused(who, key, **options):
    """Placing is refused, and nothing at all changed."""
    before = (count(Order), len(current_lines(who)), current_of(who).placement_key)
    with pytest.raises(ValidationError) as info:
        place(who, key, **options)
    assert (count(Order), len(current_lines(who)), current_of(who).placement_key) == before
    return info.value.message


# --- reserving and backordering ---------------------------------------------------------------------


def test_placing_reserves_what_is_free_and_backorders_the_rest(accounts, shop):
    hammer = shop.product('HAM', price=1995, on_hand=10)
    gloves = shop.product('GLV', price=350, on_hand=3)
    nails = shop.product('NAIL', price=5, on_hand=0)
    order = shop.place(accounts.alice, {hammer: 4, gloves: 5, nails: 100}, comment='Ring the bell', reference='PO-7')

    assert order.number == f'SO-{10000 + order.id}'
    assert order.status == OrderStatus.CONCEPT
    assert order.customer_id == accounts.customer_a.id
    assert order.placed_by_user_id == accounts.alice.user_id
    assert not order.placed_by_supplier
    assert (order.comment, order.reference) == ('Ring the bell', 'PO-7')
    # prices exclude VAT; the standard 21 % comes on top of the subtotal: 10230 * 0.21 = 2148.30
    assert order.subtotal_cents == 4 * 1995 + 5 * 350 + 100 * 5
    assert (order.vat_cents, order.total_cents) == (2148, 10230 + 2148)
    got = {line.product_code: (line.quantity, line.allocated, line.backorder) for line in shop.lines(order.id)}
    assert got == {'HAM': (4, 4, 0), 'GLV': (5, 3, 2), 'NAIL': (100, 0, 100)}
    assert shop.stock_of(hammer) == (10, 4)
    assert shop.stock_of(gloves) == (3, 3)
    assert shop.stock_of(nails) == (0, 0)


def test_free_stock_already_reserved_by_an_earlier_order_goes_to_backorder(accounts, shop):
    hammer = shop.product('HAM', on_hand=5)
    first = shop.place(accounts.alice, {hammer: 3})
    second = shop.place(accounts.bob, {hammer: 3})
    assert (shop.line(first.id, hammer).allocated, shop.line(first.id, hammer).backorder) == (3, 0)
    assert (shop.line(second.id, hammer).allocated, shop.line(second.id, hammer).backorder) == (2, 1)
    assert shop.stock_of(hammer) == (5, 5)


def test_order_keeps_the_price_code_and_name_of_the_moment_it_was_placed(accounts, shop):
    hammer = shop.product('HAM', price=1995, on_hand=10)
    order = shop.place(accounts.alice, {hammer: 2})
    shop.change_product(hammer, code='HAM2', name='Renamed', price_cents=9999)
    line = shop.line(order.id, hammer)
    assert (line.unit_price_cents, line.product_code, line.product_name) == (1995, 'HAM', 'Product HAM')
    assert (shop.order(order.id).subtotal_cents, shop.order(order.id).total_cents) == (2 * 1995, 3990 + 838)  # 837.9


def test_the_price_is_read_when_placing_not_when_adding(accounts, shop):
    hammer = shop.product('HAM', price=1000, on_hand=10)
    key = shop.fill(accounts.alice, {hammer: 1})
    shop.change_product(hammer, name='Hammer', price_cents=1250)
    order = place(accounts.alice, key)
    assert shop.line(order.id, hammer).unit_price_cents == 1250
    assert (order.subtotal_cents, order.total_cents) == (1250, 1250 + 263)  # 21 % VAT: 262.50, rounded half up


def test_placing_empties_the_current_order_and_gives_it_a_new_key(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    key = shop.fill(accounts.alice, {hammer: 1}, comment='stored comment', reference='stored ref')
    order = place(accounts.alice, key)
    assert (order.comment, order.reference) == ('stored comment', 'stored ref')
    assert current_lines(accounts.alice) == []
    current = current_of(accounts.alice)
    assert (current.comment, current.reference) == ('', '')
    assert current.placement_key not in ('', key)


def test_comment_and_reference_given_when_placing_win_over_the_stored_ones(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    key = shop.fill(accounts.alice, {hammer: 1}, comment='old', reference='old')
    order = place(accounts.alice, key, comment='  Deliver\r\nat the back  ', reference='  PO   12 ')
    assert (order.comment, order.reference) == ('Deliver\nat the back', 'PO 12')


def test_placing_announces_the_changes(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    gloves = shop.product('GLV', on_hand=0)
    heard = []
    key = shop.fill(accounts.alice, {hammer: 1, gloves: 1})
    topics = [
        ('orders', accounts.customer_a.id),
        ('admin_orders',),
        ('stock', hammer),
        ('stock', gloves),
        ('current_order', accounts.alice.user_id),
    ]
    for topic in topics:
        events.subscribe(topic, heard.append)
    order = place(accounts.alice, key)
    assert sorted(heard) == sorted(topics)
    assert shop.order(order.id).number == order.number


# --- idempotency ------------------------------------------------------------------------------------


def test_placing_the_same_key_twice_gives_one_order(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    key = shop.fill(accounts.alice, {hammer: 2})
    first = place(accounts.alice, key)
    again = place(accounts.alice, key)
    assert again.id == first.id
    assert count(Order) == 1
    assert shop.stock_of(hammer) == (10, 2)


def test_a_used_key_never_answers_for_lines_added_since(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    key = shop.fill(accounts.alice, {hammer: 2})
    place(accounts.alice, key)
    shop.fill(accounts.alice, {hammer: 5})  # the customer goes on in another tab
    assert refused(accounts.alice, key) == ordering.ORDER_CHANGED_MESSAGE
    assert count(Order) == 1
    assert shop.stock_of(hammer) == (10, 2)


def test_a_stale_page_gets_its_own_order_or_a_refusal_never_the_earlier_order(accounts, shop):
    """Tab X shows 2 hammers; tab Y places them; 5 gloves are added and X shows them live: X's Place with the
    old key must not land on Y's order, and must not leave the gloves unordered as if placed."""
    hammer, gloves = shop.product('HAM', on_hand=10), shop.product('GLV', on_hand=10)
    old_key = shop.fill(accounts.alice, {hammer: 2})
    shown_first = shown_now(accounts.alice)
    first = place(accounts.alice, old_key, shown=shown_first)  # tab Y
    new_key = shop.fill(accounts.alice, {gloves: 5})
    shown_new = shown_now(accounts.alice)

    assert refused(accounts.alice, old_key, shown=shown_new) == ordering.ORDER_CHANGED_MESSAGE
    assert place(accounts.alice, old_key, shown=shown_first).id == first.id  # a retry of what Y showed: Y's order
    second = place(accounts.alice, new_key, shown=shown_new)  # X with the key it read with the new lines
    assert second.id != first.id
    assert [line.product_id for line in shop.lines(second.id)] == [gloves]
    assert place(accounts.alice, new_key, shown=shown_new).id == second.id  # and its own retry is its own order
    assert count(Order) == 2
    assert shop.stock_of(hammer) == (10, 2) and shop.stock_of(gloves) == (10, 5)


@pytest.mark.parametrize(
    'change',
    [
        lambda shown: [ShownLine(shown[0].product_id, 3, shown[0].unit_price_cents), *shown[1:]],  # another quantity
        lambda shown: shown[:1],  # a line the page did not show
        lambda shown: [*shown, ShownLine(shown[0].product_id + 100, 1, 1)],  # a line no longer there
        lambda shown: [],
    ],
)
def test_placing_lines_other_than_the_current_order_holds_is_refused(accounts, shop, change):
    hammer, gloves = shop.product('HAM', on_hand=10), shop.product('GLV', on_hand=10)
    key = shop.fill(accounts.alice, {hammer: 2, gloves: 1})
    assert refused(accounts.alice, key, shown=change(shown_now(accounts.alice))) == ordering.ORDER_CHANGED_MESSAGE
    assert shop.stock_of(hammer) == (10, 0)


def test_a_price_changed_since_the_page_showed_it_is_refused_naming_the_line(accounts, shop):
    hammer = shop.product('HAM', price=1000, on_hand=10)
    gloves = shop.product('GLV', price=350, on_hand=10)
    key = shop.fill(accounts.alice, {hammer: 2, gloves: 1})
    shown = shown_now(accounts.alice)  # the page opens
    shop.change_product(hammer, price_cents=10_000)  # the supplier raises the price tenfold meanwhile

    with pytest.raises(ordering.PricesChanged) as info:
        place(accounts.alice, key, shown=shown)
    assert info.value.changes == [ordering.PriceChange(hammer, 'Product HAM', 'HAM', 1000, 10_000)]
    assert 'Product HAM (HAM): €10.00 → €100.00' in info.value.message
    assert count(Order) == 0 and len(current_lines(accounts.alice)) == 2
    assert shop.stock_of(hammer) == (10, 0)

    order = place(accounts.alice, key, shown=shown_now(accounts.alice, **{str(hammer): 10_000}))  # agreed
    assert {line.product_id: line.unit_price_cents for line in shop.lines(order.id)} == {hammer: 10_000, gloves: 350}
    assert (order.subtotal_cents, order.total_cents) == (2 * 10_000 + 350, 20350 + 4274)  # 21 % of it: 4273.50


def test_a_price_shown_lower_or_higher_than_todays_is_never_used(accounts, shop):
    hammer = shop.product('HAM', price=1000, on_hand=10)
    key = shop.fill(accounts.alice, {hammer: 1})
    for forged in (1, 5000):
        with pytest.raises(ordering.PricesChanged):
            place(accounts.alice, key, shown=shown_now(accounts.alice, **{str(hammer): forged}))
    assert place(accounts.alice, key, shown=shown_now(accounts.alice)).subtotal_cents == 1000


def test_a_stale_key_is_refused(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    shop.fill(accounts.alice, {hammer: 2})
    message = refused(accounts.alice, 'a-key-from-an-old-window')
    assert message == 'Your order changed in another window. Please review it and place it again.'


def test_someone_elses_key_does_not_give_their_order(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    key = shop.fill(accounts.alice, {hammer: 2})
    place(accounts.alice, key)
    shop.fill(accounts.bob, {hammer: 1})
    with pytest.raises(ValidationError, match='already used'):
        place(accounts.bob, key)


def test_a_user_without_a_current_order_cannot_place(accounts):
    with pytest.raises(ValidationError, match='changed in another window'):
        place(accounts.alice, 'anything')


# --- refused before anything is written -------------------------------------------------------------


def test_an_empty_current_order_cannot_be_placed(accounts, shop):
    key = shop.fill(accounts.alice, {})
    assert refused(accounts.alice, key) == 'Your current order is empty.'


def test_too_long_comment_or_reference_is_refused(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    key = shop.fill(accounts.alice, {hammer: 1})
    assert refused(accounts.alice, key, comment='x' * 2001) == 'The comment can be at most 2,000 characters.'
    assert refused(accounts.alice, key, reference='r' * 61) == 'Your reference can be at most 60 characters.'
    assert shop.stock_of(hammer) == (10, 0)
    order = place(accounts.alice, key, comment='x' * 2000, reference='r' * 60)
    assert (len(order.comment), len(order.reference)) == (2000, 60)


def test_a_product_no_longer_active_stops_the_whole_order(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    old = shop.product('OLD', on_hand=10)
    key = shop.fill(accounts.alice, {hammer: 1, old: 1})
    shop.change_product(old, name='Old drill', price_cents=1, active=False)
    assert 'Old drill (OLD)' in refused(accounts.alice, key)
    assert shop.stock_of(hammer) == (10, 0)


def test_a_product_taken_out_of_the_customers_selection_stops_the_order(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    gloves = shop.product('GLV', on_hand=10)
    key = shop.fill(accounts.alice, {hammer: 1, gloves: 1})
    with db.write_session() as s:
        catalogue.set_catalogue_mode(
            s, actor=accounts.admin, customer_id=accounts.customer_a.id, mode=CatalogueMode.SELECTION
        )
        catalogue.add_to_selection(s, actor=accounts.admin, customer_id=accounts.customer_a.id, product_ids=[hammer])
    message = refused(accounts.alice, key)
    assert 'Product GLV (GLV)' in message
    assert 'HAM' not in message
    with db.write_session() as s:
        catalogue.add_to_selection(s, actor=accounts.admin, customer_id=accounts.customer_a.id, product_ids=[gloves])
    assert place(accounts.alice, key).number


def test_only_customer_users_place_current_orders(accounts, shop):
    with pytest.raises(AccessDenied):
        place(accounts.admin, 'key')


# --- the delivery address ---------------------------------------------------------------------------


def test_without_a_choice_the_default_address_is_used(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    order = shop.place(accounts.alice, {hammer: 1})
    assert (order.ship_recipient, order.ship_street, order.ship_postal_code, order.ship_city) == (
        'Alpha Receiving',
        'Main Street 1',
        '1000 AA',
        'Amsterdam',
    )


def test_a_chosen_address_from_the_book_is_copied_onto_the_order(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    with db.write_session() as s:
        other = account_service.add_address(
            s,
            actor=SYSTEM,
            customer_id=accounts.customer_a.id,
            data=AddressCreate(
                recipient='Alpha Warehouse', street='Dock 4', postal_code='2000 BB', city='Rotterdam', country='NL'
            ),
        )
    order = shop.place(accounts.alice, {hammer: 1}, address_id=other.id)
    with db.write_session() as s:
        address = s.get(Address, other.id)
        address.street = 'Moved Street 9'
    assert (order.ship_recipient, order.ship_street, order.ship_city, order.ship_country) == (
        'Alpha Warehouse',
        'Dock 4',
        'Rotterdam',
        'NL',
    )
    assert shop.order(order.id).ship_street == 'Dock 4'


def test_another_customers_address_is_not_found(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    key = shop.fill(accounts.alice, {hammer: 1})
    with pytest.raises(NotFound):
        place(accounts.alice, key, address_id=accounts.address_b.id)
    with pytest.raises(NotFound):
        place(accounts.alice, key, address_id=999_999)
    assert count(Order) == 0
    assert shop.stock_of(hammer) == (10, 0)


def new_address(**changes):
    fields = {'recipient': ' Site  office ', 'street': 'Building Lot 7', 'postal_code': '3000 CC', 'city': 'Utrecht'}
    return AddressCreate(**(fields | changes))


def address_book(customer_id):
    with db.read_session() as s:
        return s.exec(select(Address.recipient).where(Address.customer_id == customer_id).order_by(Address.id)).all()


def test_a_new_address_is_validated_and_used_without_saving_it(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    order = shop.place(accounts.alice, {hammer: 1}, new_address=new_address())
    assert (order.ship_recipient, order.ship_street, order.ship_city) == ('Site office', 'Building Lot 7', 'Utrecht')
    assert address_book(accounts.customer_a.id) == ['Alpha Receiving']


def test_a_new_address_can_be_saved_in_the_address_book(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    shop.place(accounts.alice, {hammer: 1}, new_address=new_address(), save_address=True)
    assert address_book(accounts.customer_a.id) == ['Alpha Receiving', 'Site office']


def test_an_incomplete_new_address_is_refused(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    key = shop.fill(accounts.alice, {hammer: 1})
    assert refused(accounts.alice, key, new_address=new_address(city=' '), save_address=True) == 'The city is required.'
    assert address_book(accounts.customer_a.id) == ['Alpha Receiving']


def test_without_any_address_placing_asks_for_one(accounts, shop):
    hammer = shop.product('HAM', on_hand=10)
    with db.write_session() as s:
        s.delete(s.get(Address, accounts.address_a.id))
    key = shop.fill(accounts.alice, {hammer: 1})
    assert refused(accounts.alice, key) == 'Enter a delivery address.'


# --- the supplier orders on a customer's behalf -----------------------------------------------------


def test_the_supplier_orders_for_a_customer_with_the_same_reserving(accounts, shop):
    hammer = shop.product('HAM', price=200, on_hand=4)
    gloves = shop.product('GLV', price=50, on_hand=1)
    order = shop.order_for(accounts.customer_b.id, [(hammer, 3), (gloves, 2), (hammer, 2)], reference='phone')
    assert order.placed_by_supplier
    assert order.placed_by_user_id == accounts.admin.user_id
    assert order.customer_id == accounts.customer_b.id
    assert order.ship_city == 'London'
    assert order.reference == 'phone'
    got = {line.product_code: (line.quantity, line.allocated, line.backorder) for line in shop.lines(order.id)}
    assert got == {'HAM': (5, 4, 1), 'GLV': (2, 1, 1)}
    assert (order.subtotal_cents, order.total_cents) == (5 * 200 + 2 * 50, 1100 + 231)  # with 21 % VAT


def test_ordering_for_a_customer_leaves_the_customers_current_order_alone(accounts, shop):
    hammer = shop.product('HAM', on_hand=4)
    key = shop.fill(accounts.alice, {hammer: 1})
    shop.order_for(accounts.customer_a.id, [(hammer, 1)])
    assert len(current_lines(accounts.alice)) == 1
    assert current_of(accounts.alice).placement_key == key


@pytest.mark.parametrize('quantity', [0, -1, 100_001, 1.5, True, None])
def test_the_supplier_orders_whole_quantities_only(accounts, shop, quantity):
    hammer = shop.product('HAM', on_hand=4)
    with pytest.raises(ValidationError, match='whole number between 1 and 100,000'):
        shop.order_for(accounts.customer_a.id, [(hammer, quantity)])
    assert count(Order) == 0


def test_merged_lines_may_not_exceed_the_largest_quantity(accounts, shop):
    hammer = shop.product('HAM', on_hand=4)
    with pytest.raises(ValidationError, match='100,000'):
        shop.order_for(accounts.customer_a.id, [(hammer, 60_000), (hammer, 40_001)])
    assert count(Order) == 0


def test_the_supplier_order_needs_lines_a_customer_and_a_known_address(accounts, shop):
    hammer = shop.product('HAM', on_hand=4)
    with pytest.raises(ValidationError, match='at least one product'):
        shop.order_for(accounts.customer_a.id, [])
    with pytest.raises(NotFound):
        shop.order_for(999_999, [(hammer, 1)])
    with pytest.raises(NotFound):
        shop.order_for(accounts.customer_a.id, [(hammer, 1)], address_id=accounts.address_b.id)
    with pytest.raises(ValidationError, match='no longer be ordered'):
        shop.order_for(accounts.customer_a.id, [(999_999, 1)])
    assert count(Order) == 0


def test_a_supplier_order_with_a_placement_key_is_placed_once(accounts, shop):
    hammer = shop.product('HAM', on_hand=4)
    first = shop.order_for(accounts.customer_a.id, [(hammer, 1)], placement_key='admin-form-1')
    again = shop.order_for(accounts.customer_a.id, [(hammer, 1)], placement_key='admin-form-1')
    assert again.id == first.id
    assert shop.stock_of(hammer) == (4, 1)


def test_a_supplier_placement_key_with_other_lines_is_refused(accounts, shop):
    hammer, gloves = shop.product('HAM', on_hand=4), shop.product('GLV', on_hand=4)
    shop.order_for(accounts.customer_a.id, [(hammer, 1)], placement_key='admin-form-1')
    for lines in ([(hammer, 1), (gloves, 1)], [(hammer, 2)]):  # a line added or changed after a lost answer
        with pytest.raises(ValidationError, match='already used'):
            shop.order_for(accounts.customer_a.id, lines, placement_key='admin-form-1')
    assert count(Order) == 1
    assert shop.stock_of(gloves) == (4, 0)


def test_customers_cannot_order_on_behalf_of_anyone(accounts, shop):
    hammer = shop.product('HAM', on_hand=4)
    with db.write_session() as s, pytest.raises(AccessDenied):
        ordering.place_order_for_customer(
            s, actor=accounts.alice, customer_id=accounts.customer_a.id, lines=[(hammer, 1)]
        )
    assert count(Order) == 0
