"""Prices, VAT and ordering rules (app/pricing): the precedence of a customer's price case by case, rounding, VAT
per rate and exemption, snapshots that later changes leave alone, and the ordering rules on every path that
changes an order, each refusal saying what would be accepted and changing nothing."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from app.core import db
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.models import (
    CurrentOrderLine,
    Customer,
    Order,
    PriceList,
    PriceListCreate,
    PriceListItem,
    VatClass,
)
from app.orders import current_order, ordering, orders
from app.pricing import prices, terms
from app.pricing.prices import PriceBasis, Tier, decide_price
from app.pricing.rules import OrderingRules
from app.pricing.terms import StockDisplay
from app.pricing.vat import VatAmount, half_up, totals
from tests.conftest import change_portal_terms
from tests.services import read, write

pytestmark = pytest.mark.usefixtures('stock_invariant')


# --- helpers --------------------------------------------------------------------------------------------------------


def price_list(shop, name='Trade', discount_bp=0, entries=None):
    """A price list with `entries` {product id: [(from quantity, cents), ...]}; returns its id."""
    made = shop.run(prices.create_price_list, data=PriceListCreate(name=name, discount_bp=discount_bp))
    for product_id, rows in (entries or {}).items():
        shop.run(prices.set_product_prices, price_list_id=made.id, product_id=product_id, entries=rows)
    return made.id


def portal(shop, **changes):
    return shop.run(change_portal_terms, **changes)


def db_read(function, **kwargs):
    with db.read_session() as s:
        return function(s, **kwargs)


def unit_price(who, product_id):
    return {line.product_id: line.unit_price_cents for line in read(current_order.lines, who)}[product_id]


def refused(call, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value


def place_current(who):
    with db.write_session() as s:
        key = current_order.get_or_create(s, actor=who).placement_key
    with db.write_session() as s:
        return ordering.place_current_order(s, actor=who, placement_key=key)


def rows_of(model):
    with db.read_session() as s:
        return [row.model_dump() for row in s.exec(select(model))]


# --- the one function: precedence case by case --------------------------------------------------------------------

TIERS = [(1, 800), (10, 700), (50, 600)]  # a fixed price from 1, tiers from 10 and 50


@pytest.mark.parametrize(
    ('case', 'quantity', 'entries', 'list_discount', 'own_discount', 'unit', 'basis'),
    [
        ('no price list: the list price', 3, [], 0, 0, 1000, PriceBasis.LIST),
        ("the list's discount off the list price", 3, [], 1000, 0, 900, PriceBasis.LIST_DISCOUNT),
        ('a fixed price wins over the discount', 3, [(1, 850)], 1000, 0, 850, PriceBasis.FIXED),
        ('the fixed price at 1..9', 9, TIERS, 1000, 0, 800, PriceBasis.FIXED),
        ('a tier from its own quantity', 10, TIERS, 1000, 0, 700, PriceBasis.TIER),
        ('between tiers: the lower one', 49, TIERS, 1000, 0, 700, PriceBasis.TIER),
        ('above the highest: the highest', 5000, TIERS, 1000, 0, 600, PriceBasis.TIER),
        ('below every tier: the discount', 4, [(5, 700)], 1000, 0, 900, PriceBasis.LIST_DISCOUNT),
        ('below every tier, no discount: the list price', 4, [(5, 700)], 0, 0, 1000, PriceBasis.LIST),
        ("the customer's discount on the list price", 1, [], 0, 500, 950, PriceBasis.LIST),
        ("the customer's discount on the list's: compounded", 1, [], 1000, 500, 855, PriceBasis.LIST_DISCOUNT),
        ("the customer's discount on a fixed price", 1, TIERS, 1000, 500, 760, PriceBasis.FIXED),
        ("the customer's discount on a tier", 50, TIERS, 1000, 500, 570, PriceBasis.TIER),
        ('100 % off is free', 1, [], 10_000, 0, 0, PriceBasis.LIST_DISCOUNT),
    ],
)
def test_a_customers_price_follows_the_precedence(case, quantity, entries, list_discount, own_discount, unit, basis):
    price = decide_price(
        list_price_cents=1000,
        quantity=quantity,
        entries=entries,
        list_discount_bp=list_discount,
        customer_discount_bp=own_discount,
    )
    assert (price.unit_cents, price.basis, price.list_price_cents) == (unit, basis, 1000), case
    assert price.discount_bp == (1000 - unit) * 10, case  # against the list price of 10.00
    assert price.reduced == (unit != 1000)


@pytest.mark.parametrize(
    ('list_price', 'list_discount', 'own_discount', 'unit'),
    [
        (895, 1000, 0, 806),  # 805.5: a half goes up
        (2495, 1000, 0, 2246),  # 2245.5
        (1004, 1500, 0, 853),  # 853.4: down
        (1005, 1000, 0, 905),  # 904.5
        (895, 1000, 500, 765),  # 765.225, rounded once (rounding 805.5 first would give 806 * 0.95 = 765.7 -> 766)
        (1, 5000, 0, 1),  # half a cent is a cent
        (1, 5100, 0, 0),  # less than half is nothing
    ],
)
def test_a_unit_price_is_rounded_once_half_up_to_whole_cents(list_price, list_discount, own_discount, unit):
    price = decide_price(
        list_price_cents=list_price, quantity=1, list_discount_bp=list_discount, customer_discount_bp=own_discount
    )
    assert price.unit_cents == unit


def test_half_up_rounds_halves_away_from_zero():
    assert [half_up(n, 2) for n in (1, 3, 5, -1, -3)] == [1, 2, 3, -1, -2]
    assert [half_up(n, 10) for n in (14, 15, 16, -15)] == [1, 2, 2, -2]


def test_the_services_price_each_customer_by_its_own_list(accounts, shop):
    """The same product: A on a list with a tier and its own 2 % discount, B on list prices."""
    screws = shop.product('SCR', price=1000, on_hand=500)
    trade = price_list(shop, discount_bp=1000, entries={screws: [(10, 700)]})
    shop.customer_terms(accounts.customer_a.id, price_list_id=trade, discount_bp=200)
    write(current_order.add, accounts.alice, product_id=screws, quantity=9)
    write(current_order.add, accounts.bob, product_id=screws, quantity=9)
    assert unit_price(accounts.alice, screws) == 882  # 10 % then 2 % off 10.00
    assert unit_price(accounts.bob, screws) == 1000
    write(current_order.set_quantity, accounts.alice, product_id=screws, quantity=10)
    assert unit_price(accounts.alice, screws) == 686  # the tier from 10 (7.00), less A's own 2 %

    shown_a = read(prices.shown_prices, accounts.alice, product_ids=[screws])[screws]
    shown_b = read(prices.shown_prices, accounts.bob, product_ids=[screws])[screws]
    assert (shown_a.price.unit_cents, shown_a.price.list_price_cents, shown_a.price.reduced) == (882, 1000, True)
    assert shown_a.tiers == (Tier(1, 882), Tier(10, 686))
    assert (shown_b.price.unit_cents, shown_b.price.reduced, shown_b.tiers) == (1000, False, ())
    assert shown_a.vat_rate_bp == shown_b.vat_rate_bp == 2100

    a_order = place_current(accounts.alice)
    b_order = place_current(accounts.bob)
    assert (shop.line(a_order.id, screws).unit_price_cents, shop.line(b_order.id, screws).unit_price_cents) == (
        686,
        1000,
    )


def test_the_supplier_ordering_on_a_customers_behalf_uses_its_prices(accounts, shop):
    screws = shop.product('SCR', price=1000, on_hand=500)
    trade = price_list(shop, discount_bp=1000, entries={screws: [(1, 800), (20, 750)]})
    shop.customer_terms(accounts.customer_a.id, price_list_id=trade)
    order = shop.order_for(accounts.customer_a.id, [(screws, 25)])
    line = shop.line(order.id, screws)
    assert (line.unit_price_cents, line.list_price_cents, line.discount_bp) == (750, 1000, 2500)
    assert shop.line(shop.order_for(accounts.customer_b.id, [(screws, 25)]).id, screws).unit_price_cents == 1000
    quoted = read(
        prices.customer_product_prices, accounts.admin, customer_id=accounts.customer_a.id, product_ids=[screws]
    )
    assert quoted[screws].tiers == (Tier(1, 800), Tier(20, 750))
    # the new-order page's figures are placing's: 25 x 7.50, with 21 % VAT (3937.50, rounded half up)
    shown = read(prices.quote, accounts.admin, customer_id=accounts.customer_a.id, lines=[(screws, 25), (999, 1)])
    assert set(shown.lines) == {screws}
    assert (shown.lines[screws].price.unit_cents, shown.totals.subtotal_cents, shown.totals.total_cents) == (
        750,
        18_750,
        18_750 + 3938,
    )
    assert shown.totals.total_cents == order.total_cents


def test_a_customer_sees_no_prices_of_products_outside_its_catalogue_nor_while_the_portal_hides_them(accounts, shop):
    screws = shop.product('SCR', price=1000)
    hidden = shop.product('OLD', price=500, active=False)
    assert set(read(prices.shown_prices, accounts.alice, product_ids=[screws, hidden, 999])) == {screws}
    portal(shop, prices_shown=False)
    shown = read(prices.shown_prices, accounts.alice, product_ids=[screws])[screws]
    assert (shown.price, shown.tiers) == (None, ())
    assert shown.rules == OrderingRules()  # the quantity fields still know how to step


# --- VAT --------------------------------------------------------------------------------------------------------------


def test_vat_is_reckoned_per_rate_over_the_lines_and_rounded_half_up_once_per_rate():
    ten_small = totals([(2100, 5)] * 10)  # ten lines of 0.05: 0.105 VAT at 21 %, not ten times 0.0105
    assert (ten_small.subtotal_cents, ten_small.vat_cents, ten_small.total_cents) == (50, 11, 61)
    mixed = totals([(2100, 1000), (900, 333), (2100, 250), (0, 400)])
    assert mixed.vat == (
        VatAmount(rate_bp=2100, base_cents=1250, vat_cents=263),  # 262.50
        VatAmount(rate_bp=900, base_cents=333, vat_cents=30),  # 29.97
        VatAmount(rate_bp=0, base_cents=400, vat_cents=0),
    )
    assert (mixed.subtotal_cents, mixed.vat_cents, mixed.total_cents) == (1983, 293, 2276)
    exempt = totals([(2100, 1000), (900, 333)], vat_exempt_reason='Reverse charge')
    assert (exempt.vat, exempt.vat_cents, exempt.total_cents, exempt.vat_exempt_reason) == (
        (),
        0,
        1333,
        'Reverse charge',
    )


def test_an_order_shows_vat_per_rate_and_the_total_including_it(accounts, shop):
    tools = shop.product('HAM', price=1000, on_hand=10)
    paper = shop.product('PAP', price=333, on_hand=10)
    shop.product_terms(paper, vat_class=VatClass.REDUCED)
    write(current_order.add, accounts.alice, product_id=tools, quantity=2)
    write(current_order.add, accounts.alice, product_id=paper, quantity=3)
    summary = read(current_order.summary, accounts.alice)
    assert summary.vat == (VatAmount(2100, 2000, 420), VatAmount(900, 999, 90))  # 89.91 -> 90
    assert (summary.subtotal_cents, summary.vat_cents, summary.total_cents) == (2999, 510, 3509)

    order = place_current(accounts.alice)
    assert (order.subtotal_cents, order.vat_cents, order.total_cents, order.vat_exempt_reason) == (2999, 510, 3509, '')
    assert shop.line(order.id, paper).vat_rate_bp == 900
    view = read(orders.get_order, accounts.alice, number=order.number)
    assert view.totals.vat == summary.vat and view.totals.total_cents == 3509


def test_the_vat_rates_are_portal_settings(accounts, shop):
    tools = shop.product('HAM', price=1000, on_hand=10)
    portal(shop, vat_standard_bp=1900)
    write(current_order.add, accounts.alice, product_id=tools, quantity=1)
    assert read(current_order.summary, accounts.alice).vat == (VatAmount(1900, 1000, 190),)
    shop.product_terms(tools, vat_class=VatClass.ZERO)
    assert read(current_order.summary, accounts.alice).vat == (VatAmount(0, 1000, 0),)


def test_a_vat_exempt_customer_is_charged_none_and_its_orders_say_why(accounts, shop):
    tools = shop.product('HAM', price=1000, on_hand=10)
    shop.customer_terms(accounts.customer_a.id, vat_exempt_reason='Export outside the EU')
    write(current_order.add, accounts.alice, product_id=tools, quantity=3)
    summary = read(current_order.summary, accounts.alice)
    assert (summary.vat, summary.vat_cents, summary.total_cents, summary.vat_exempt_reason) == (
        (),
        0,
        3000,
        'Export outside the EU',
    )
    order = place_current(accounts.alice)
    assert (order.vat_cents, order.total_cents, order.vat_exempt_reason) == (0, 3000, 'Export outside the EU')
    assert shop.line(order.id, tools).vat_rate_bp == 2100  # the product's rate is kept; the customer was exempt
    supplier_order = shop.order_for(accounts.customer_a.id, [(tools, 1)])
    assert (supplier_order.vat_cents, supplier_order.vat_exempt_reason) == (0, 'Export outside the EU')


# --- snapshots ------------------------------------------------------------------------------------------------------


def test_a_placed_order_keeps_its_prices_whatever_changes_later(accounts, shop):
    screws = shop.product('SCR', price=1000, on_hand=100)
    hammer = shop.product('HAM', price=2000, on_hand=100)
    trade = price_list(shop, discount_bp=1000, entries={screws: [(1, 800), (10, 700)]})
    shop.customer_terms(accounts.customer_a.id, price_list_id=trade, discount_bp=500)
    order = shop.place(accounts.alice, {screws: 10, hammer: 2})
    kept = [
        (line.unit_price_cents, line.list_price_cents, line.discount_bp, line.vat_rate_bp)
        for line in shop.lines(order.id)
    ]
    assert kept == [(665, 1000, 3350, 2100), (1710, 2000, 1450, 2100)]  # 7.00 less 5 %; 20.00 less 10 % then 5 %
    placed = shop.order(order.id)
    assert (placed.subtotal_cents, placed.vat_cents, placed.total_cents) == (10070, 2115, 12185)

    shop.run(prices.set_product_prices, price_list_id=trade, product_id=screws, entries=[(1, 500)])
    shop.run(prices.update_price_list, price_list_id=trade, data=PriceListCreate(name='Trade 2027', discount_bp=3000))
    shop.customer_terms(accounts.customer_a.id, discount_bp=0, vat_exempt_reason='Reverse charge')
    shop.change_product(hammer, price_cents=9999)
    portal(shop, vat_standard_bp=2500)
    shop.product_terms(screws, vat_class=VatClass.REDUCED)

    after = [
        (line.unit_price_cents, line.list_price_cents, line.discount_bp, line.vat_rate_bp)
        for line in shop.lines(order.id)
    ]
    assert after == kept
    assert shop.order(order.id).model_dump() == placed.model_dump()
    # cancelling a line later reckons with the prices and rates it was placed at
    cancelled = shop.run(orders.cancel_line, order_id=order.id, line_id=shop.line(order.id, hammer).id)
    assert (cancelled.subtotal_cents, cancelled.vat_cents, cancelled.total_cents) == (6650, 1397, 8047)  # 1396.50


# --- ordering rules: pack size on every path -----------------------------------------------------------------------


@pytest.fixture
def per_six(accounts, shop):
    glue = shop.product('GLUE', price=500, on_hand=1000)
    shop.product_terms(glue, order_multiple=6)
    return glue


def test_a_pack_size_is_refused_on_add_with_what_would_be_accepted(accounts, shop, per_six):
    error = refused(write, function=current_order.add, actor=accounts.alice, product_id=per_six, quantity=7)
    assert (error.message, error.field) == ('Sold per 6: 6 or 12?', 'quantity')
    assert refused(write, function=current_order.add, actor=accounts.alice, product_id=per_six, quantity=1).message == (
        'Sold per 6: 6?'
    )
    assert rows_of(CurrentOrderLine) == []
    assert write(current_order.add, accounts.alice, product_id=per_six, quantity=12) == 12
    error = refused(write, function=current_order.add, actor=accounts.alice, product_id=per_six, quantity=7)
    assert error.message == 'Sold per 6, and your current order has 12: add 6 or 12?'  # to 18 or 24
    error = refused(write, function=current_order.add, actor=accounts.alice, product_id=per_six, quantity=1)
    assert error.message == 'Sold per 6, and your current order has 12: add 6?'
    assert write(current_order.add, accounts.alice, product_id=per_six, quantity=6) == 18


def test_a_pack_size_is_refused_when_changing_a_quantity_and_undoing_a_removal(accounts, shop, per_six):
    write(current_order.add, accounts.alice, product_id=per_six, quantity=6)
    error = refused(write, function=current_order.set_quantity, actor=accounts.alice, product_id=per_six, quantity=7)
    assert error.message == 'Sold per 6: 6 or 12?'
    assert read(current_order.quantities, accounts.alice, product_ids=[per_six]) == {per_six: 6}
    write(current_order.set_quantity, accounts.alice, product_id=per_six, quantity=12)
    assert write(current_order.remove, accounts.alice, product_id=per_six) == 12
    error = refused(write, function=current_order.restore, actor=accounts.alice, product_id=per_six, quantity=13)
    assert error.message == 'Sold per 6: 12 or 18?'
    assert write(current_order.restore, accounts.alice, product_id=per_six, quantity=12)


def test_a_pack_size_is_checked_again_when_placing_and_by_the_supplier(accounts, shop, per_six):
    hammer = shop.product('HAM', price=100, on_hand=10)
    key = shop.fill(accounts.alice, {hammer: 1, per_six: 7})  # a line from before the rule (or a forged one)
    with pytest.raises(ValidationError) as caught, db.write_session() as s:
        ordering.place_current_order(s, actor=accounts.alice, placement_key=key)
    assert caught.value.message == 'Product GLUE (GLUE) is sold per 6: 6 or 12?'
    assert rows_of(Order) == [] and shop.stock_of(per_six) == (1000, 0)
    with pytest.raises(ValidationError) as caught:
        shop.order_for(accounts.customer_a.id, [(per_six, 5), (per_six, 2)])  # one line of 7
    assert caught.value.message == 'Product GLUE (GLUE) is sold per 6: 6 or 12?'
    assert rows_of(Order) == []
    assert shop.line(shop.order_for(accounts.customer_a.id, [(per_six, 12)]).id, per_six).quantity == 12


def test_a_minimum_quantity_is_refused_below_it_on_every_path(accounts, shop):
    nuts = shop.product('NUT', price=100, on_hand=100)
    shop.product_terms(nuts, min_quantity=10)
    error = refused(write, function=current_order.add, actor=accounts.alice, product_id=nuts, quantity=4)
    assert error.message == 'The minimum order for this product is 10.'
    write(current_order.add, accounts.alice, product_id=nuts, quantity=10)
    error = refused(write, function=current_order.set_quantity, actor=accounts.alice, product_id=nuts, quantity=9)
    assert error.message == 'The minimum order for this product is 10.'
    with pytest.raises(ValidationError, match=r'^Product NUT \(NUT\): the minimum order is 10\.$'):
        shop.order_for(accounts.customer_a.id, [(nuts, 3)])
    assert place_current(accounts.alice).id


def test_a_minimum_is_a_multiple_of_the_pack_size(accounts, shop):
    glue = shop.product('GLUE', price=500)
    error = refused(shop.product_terms, product_id=glue, min_quantity=10, order_multiple=6)
    assert (error.message, error.field) == (
        'The minimum must be a multiple of the pack size (6): 6 or 12?',
        'min_quantity',
    )
    made = shop.product_terms(glue, min_quantity=1, order_multiple=6)  # no minimum beyond one pack
    assert (made.min_quantity, made.order_multiple) == (6, 6)
    for bad in [0, -1, 100_001, '6', 1.5, True, None]:
        with pytest.raises(ValidationError):
            shop.product_terms(glue, order_multiple=bad)
    with pytest.raises(ValidationError, match=r'^Choose one of the offered VAT classes\.$'):
        shop.product_terms(glue, vat_class='luxury')


@pytest.mark.parametrize(
    ('minimum', 'multiple', 'quantity', 'around'),
    [
        (1, 6, 7, (6, 12)),
        (1, 6, 5, (None, 6)),
        (12, 6, 7, (None, 12)),
        (1, 6, 99_999, (99_996, None)),
        (1, 1, 3, (None, None)),
    ],
)
def test_the_accepted_quantities_around_a_wanted_one(minimum, multiple, quantity, around):
    assert OrderingRules(minimum=minimum, multiple=multiple).around(quantity) == around


# --- backorders -----------------------------------------------------------------------------------------------------


def test_with_backorders_off_nobody_orders_more_than_is_free(accounts, shop):
    hammer = shop.product('HAM', price=100, on_hand=5)
    portal(shop, backorders_allowed=False)
    error = refused(write, function=current_order.add, actor=accounts.alice, product_id=hammer, quantity=6)
    assert error.message == 'Only 5 in stock, and this product cannot be backordered: order 5 or fewer.'
    write(current_order.add, accounts.alice, product_id=hammer, quantity=3)
    error = refused(write, function=current_order.add, actor=accounts.alice, product_id=hammer, quantity=3)
    assert error.message == (
        'Only 5 in stock, and this product cannot be backordered: your current order has 3, add 2 at most.'
    )
    error = refused(write, function=current_order.set_quantity, actor=accounts.alice, product_id=hammer, quantity=6)
    assert error.message == 'Only 5 in stock, and this product cannot be backordered: order 5 or fewer.'
    shop.place(accounts.bob, {hammer: 4})  # the stock goes meanwhile: placing checks again, under the lock
    with pytest.raises(ValidationError) as caught:
        place_current(accounts.alice)
    assert caught.value.message == 'Product HAM (HAM): only 1 in stock, and it cannot be backordered: order 1 or fewer.'
    with pytest.raises(ValidationError, match=r'^Product HAM \(HAM\): only 1 in stock, .* order 1 or fewer\.$'):
        shop.order_for(accounts.customer_a.id, [(hammer, 2)])
    shop.place(accounts.bob, {hammer: 1})
    error = refused(write, function=current_order.set_quantity, actor=accounts.alice, product_id=hammer, quantity=1)
    assert error.message == 'Out of stock, and this product cannot be backordered.'


def test_a_product_can_override_the_portals_backorder_setting(accounts, shop):
    hammer = shop.product('HAM', price=100, on_hand=1)
    gloves = shop.product('GLV', price=100, on_hand=1)
    portal(shop, backorders_allowed=False)
    shop.product_terms(hammer, backorders=True)
    order = shop.place(accounts.alice, {hammer: 3})
    assert shop.line(order.id, hammer).backorder == 2
    portal(shop, backorders_allowed=True)
    shop.product_terms(gloves, backorders=False)
    with pytest.raises(ValidationError, match='cannot be backordered'):
        write(current_order.add, accounts.alice, product_id=gloves, quantity=2)
    assert shop.line(shop.place(accounts.bob, {gloves: 1}).id, gloves).backorder == 0


# --- minimum order value --------------------------------------------------------------------------------------------


def test_an_order_below_the_minimum_order_value_is_refused_with_the_amount_missing(accounts, shop):
    hammer = shop.product('HAM', price=1000, on_hand=100)
    portal(shop, minimum_order_cents=5000)
    write(current_order.add, accounts.alice, product_id=hammer, quantity=4)
    assert read(current_order.summary, accounts.alice).missing_cents == 1000
    with pytest.raises(ValidationError) as caught:
        place_current(accounts.alice)
    assert caught.value.message == (
        'The minimum order value is €50.00 excluding VAT: add €10.00 more to place this order.'
    )
    assert rows_of(Order) == [] and shop.stock_of(hammer) == (100, 0)
    with pytest.raises(ValidationError, match=r'add €40\.00 more'):
        shop.order_for(accounts.customer_a.id, [(hammer, 1)])
    shop.customer_terms(accounts.customer_a.id, minimum_order_cents=0)  # its own: none
    assert read(current_order.summary, accounts.alice).missing_cents == 0
    assert place_current(accounts.alice).subtotal_cents == 4000
    shop.customer_terms(accounts.customer_b.id, minimum_order_cents=20_000)  # its own, above the portal's
    with pytest.raises(ValidationError, match=r'is €200\.00 excluding VAT: add €150\.00 more'):
        shop.place(accounts.bob, {hammer: 5})


# --- the supplier's price lists: bad input changes nothing ---------------------------------------------------------


def test_price_lists_are_made_changed_and_listed(accounts, shop):
    screws = shop.product('SCR', price=1000)
    trade = price_list(shop, discount_bp=1250, entries={screws: [(1, 900), (10, 800)]})
    price_list(shop, name='Export')
    shop.customer_terms(accounts.customer_a.id, price_list_id=trade)
    listed = read(prices.list_price_lists, accounts.admin)
    assert [(p.name, p.discount_bp, p.products, p.customers) for p in listed] == [
        ('Export', 0, 0, 0),
        ('Trade', 1250, 1, 1),
    ]
    page = read(prices.price_list_products, accounts.admin, price_list_id=trade, query='scr')
    assert [(p.code, p.list_price_cents, p.entries) for p in page.items] == [
        ('SCR', 1000, (Tier(1, 900), Tier(10, 800)))
    ]
    assert read(prices.price_list_products, accounts.admin, price_list_id=trade, query='hammer').items == []
    per_list = read(prices.product_prices, accounts.admin, product_id=screws)
    assert [(p.name, p.discounted_cents, p.entries) for p in per_list] == [
        ('Export', 1000, ()),
        ('Trade', 875, (Tier(1, 900), Tier(10, 800))),
    ]
    assert shop.run(prices.set_product_prices, price_list_id=trade, product_id=screws, entries=[]) == ()
    terms_a = read(prices.customer_terms, accounts.admin, customer_id=accounts.customer_a.id)
    assert (terms_a.price_list_name, terms_a.discount_bp, terms_a.minimum_order_cents) == ('Trade', 0, None)


@pytest.mark.parametrize(
    ('entries', 'message'),
    [
        ([(1, -1)], 'The price cannot be negative.'),
        ([(1, 100_000_001)], 'The price is too high.'),
        ([(1, '9.00')], 'The price: enter an amount, for example 12.50.'),
        ([(12, 700), (12, 650)], 'Two prices from 12: each quantity can have one price.'),
        ([(0, 700)], 'A price applies from a whole number of units, 1 to 100,000.'),
        ([(3, 700)], 'A price from 3 is below the minimum order of 6 for this product.'),
        ([(6, 700), (10, 650)], 'This product is sold per 6: a price from 6 or 12?'),
        ([(6 * n, 700) for n in range(1, 22)], 'A product can have at most 20 prices in one list.'),
        ([(6,)], 'Give each price with the quantity it applies from.'),
    ],
)
def test_bad_fixed_prices_and_tiers_are_refused_and_change_nothing(accounts, shop, entries, message):
    glue = shop.product('GLUE', price=500)
    shop.product_terms(glue, order_multiple=6)
    trade = price_list(shop, entries={glue: [(6, 450), (24, 400)]})
    before = rows_of(PriceListItem)
    error = refused(shop.run, function=prices.set_product_prices, price_list_id=trade, product_id=glue, entries=entries)
    assert error.message == message
    assert rows_of(PriceListItem) == before


@pytest.mark.parametrize(
    ('name', 'discount', 'message'),
    [
        ('', 0, 'Give the price list a name.'),
        ('x' * 81, 0, 'The name can be at most 80 characters.'),
        ('trade', 0, 'There is a price list named trade already.'),
        ('Export', 10_001, "The list's discount must be from 0 to 100 %."),
        ('Export', -1, "The list's discount must be from 0 to 100 %."),
        ('Export', '10', "The list's discount: enter a percentage from 0 to 100, for example 12.5."),
    ],
)
def test_bad_price_lists_are_refused_and_change_nothing(accounts, shop, name, discount, message):
    trade = price_list(shop, discount_bp=1000)
    before = rows_of(PriceList)
    data = PriceListCreate.model_construct(name=name, discount_bp=discount)  # as a page hands it over, unchecked
    error = refused(shop.run, function=prices.create_price_list, data=data)
    assert error.message == message
    if name != 'trade':  # Trade renamed trade keeps its own name: allowed
        error = refused(shop.run, function=prices.update_price_list, price_list_id=trade, data=data)
        assert error.message == message
    assert rows_of(PriceList) == before


def test_bad_customer_terms_are_refused_and_change_nothing(accounts, shop):
    before = rows_of(Customer)
    for changes, message in [
        ({'discount_bp': 10_001}, "The customer's discount must be from 0 to 100 %."),
        ({'price_list_id': 999}, 'This price list was not found.'),
        ({'vat_exempt_reason': 'x' * 201}, 'The reason for VAT exemption can be at most 200 characters.'),
        ({'minimum_order_cents': -5}, 'The minimum order value cannot be negative.'),
    ]:
        with pytest.raises((ValidationError, NotFound)) as caught:
            shop.customer_terms(accounts.customer_a.id, **changes)
        assert caught.value.message == message
    with pytest.raises(NotFound):
        shop.customer_terms(999)
    assert rows_of(Customer) == before


@pytest.mark.parametrize(
    ('typed', 'bp'), [('10', 1000), ('12.5', 1250), ('12,5', 1250), (' 7 % ', 700), ('0', 0), ('100', 10_000), ('', 0)]
)
def test_percentages_are_read_as_typed(typed, bp):
    assert terms.parse_percent(typed) == bp


@pytest.mark.parametrize(
    ('typed', 'message'),
    [
        ('101', 'The discount must be from 0 to 100 %.'),
        ('-1', 'The discount must be from 0 to 100 %.'),
        ('12.345', 'The discount has at most two decimals.'),
        ('ten', 'The discount: enter a percentage from 0 to 100, for example 12.5.'),
        ('NaN', 'The discount must be from 0 to 100 %.'),
        (['10'], 'The discount: enter a percentage from 0 to 100, for example 12.5.'),
    ],
)
def test_bad_percentages_are_refused(typed, message):
    assert refused(terms.parse_percent, raw=typed).message == message


def test_a_price_list_in_use_is_not_deleted_and_rules_never_strand_a_tier(accounts, shop):
    glue = shop.product('GLUE', price=500)
    trade = price_list(shop, entries={glue: [(1, 450), (10, 400)]})
    shop.customer_terms(accounts.customer_a.id, price_list_id=trade)
    error = refused(shop.run, function=prices.delete_price_list, price_list_id=trade)
    assert error.message == 'Price list Trade is given to 1 customers: give them another price list first.'
    error = refused(shop.product_terms, product_id=glue, order_multiple=6)
    assert error.message == (
        'Price list Trade has a price from 1, which these rules would not accept: change that price first.'
    )
    shop.customer_terms(accounts.customer_a.id)
    shop.run(prices.delete_price_list, price_list_id=trade)
    assert rows_of(PriceList) == [] and rows_of(PriceListItem) == []


def test_portal_terms_are_checked_and_stored(accounts, shop):
    saved = portal(shop, vat_reduced_bp=600, stock_display='availability', prices_shown=False, minimum_order_cents=2500)
    assert (saved.vat_reduced_bp, saved.stock_display, saved.prices_shown, saved.minimum_order_cents) == (
        600,
        StockDisplay.AVAILABILITY,
        False,
        2500,
    )
    assert db_read(terms.portal_terms) == saved
    for changes, message in [
        ({'vat_standard_bp': 10_001}, 'The standard VAT rate must be from 0 to 100 %.'),
        ({'stock_display': 'fuzzy'}, 'Choose one of the offered ways to show stock.'),
        ({'prices_shown': 'yes'}, 'Choose yes or no.'),
        ({'minimum_order_cents': 10**12}, 'The minimum order value is too high.'),
    ]:
        with pytest.raises(ValidationError) as caught:
            portal(shop, **changes)
        assert caught.value.message == message
    assert db_read(terms.portal_terms) == saved


@pytest.mark.parametrize(
    ('display', 'free', 'backorders', 'shown'),
    [
        (StockDisplay.EXACT, 120, True, ('120 in stock', 'positive')),
        (StockDisplay.EXACT, 3, True, ('Only 3 left', 'warning')),
        (StockDisplay.EXACT, 0, True, ('Out of stock — will be backordered', 'negative')),
        (StockDisplay.EXACT, 0, False, ('Out of stock', 'negative')),
        (StockDisplay.AVAILABILITY, 120, True, ('In stock', 'positive')),
        (StockDisplay.AVAILABILITY, 3, True, ('Low stock', 'warning')),
        (StockDisplay.AVAILABILITY, 0, True, ('Out of stock — will be backordered', 'negative')),
    ],
)
def test_what_customers_read_about_stock(display, free, backorders, shown):
    label = terms.stock_label(free, display=display, backorders=backorders)
    assert (label.text, label.tone) == shown
    assert terms.stock_label(free, display=StockDisplay.HIDDEN, backorders=backorders) is None


def test_a_price_list_changed_while_the_page_is_open_refuses_the_shown_price(accounts, shop):
    screws = shop.product('SCR', price=1000, on_hand=100)
    trade = price_list(shop, discount_bp=1000)
    shop.customer_terms(accounts.customer_a.id, price_list_id=trade)
    key = shop.fill(accounts.alice, {screws: 2})
    with db.read_session() as s:
        shown = current_order.shown_of(current_order.lines(s, actor=accounts.alice))
    assert shown[0].unit_price_cents == 900
    shop.run(prices.update_price_list, price_list_id=trade, data=PriceListCreate(name='Trade', discount_bp=2000))
    with pytest.raises(ordering.PricesChanged) as caught, db.write_session() as s:
        ordering.place_current_order(s, actor=accounts.alice, placement_key=key, shown=shown)
    assert caught.value.changes == [ordering.PriceChange(screws, 'Product SCR', 'SCR', 900, 800)]
    with db.read_session() as s:
        assert s.exec(select(func.count()).select_from(Order)).one() == 0


def test_customers_get_no_access_to_the_suppliers_price_services(accounts, shop):
    trade = price_list(shop)
    for call in [
        lambda s: prices.list_price_lists(s, actor=accounts.alice),
        lambda s: prices.get_price_list(s, actor=accounts.alice, price_list_id=trade),
        lambda s: prices.customer_terms(s, actor=accounts.alice, customer_id=accounts.customer_a.id),
        lambda s: prices.set_customer_terms(
            s, actor=accounts.alice, customer_id=accounts.customer_a.id, price_list_id=None, discount_bp=10_000,
            vat_exempt_reason='', minimum_order_cents=None,
        ),
    ]:  # fmt: skip
        with pytest.raises(AccessDenied), db.write_session() as s:
            call(s)
    with pytest.raises(AccessDenied), db.read_session() as s:
        prices.shown_prices(s, actor=accounts.admin, product_ids=[1])  # the supplier has no customer prices of its own
