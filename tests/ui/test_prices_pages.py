"""Prices, VAT and ordering rules on the pages: each customer's own prices from grid to placed order, the tier
table, pack sizes that step and refuse, VAT per rate on the current order and the orders, and the supplier's
price lists, product and customer terms and portal terms (issue 14)."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

from app.core import db, i18n
from app.identity.access import SYSTEM
from app.models import Customer, Order, OrderLine, PortalUser, PriceList, PriceListItem
from app.orders import current_order
from app.pricing import prices, terms
from app.pricing.prices import Tier
from components import theme
from tests.conftest import change_portal_terms, identity
from tests.rows import customer_of, product
from tests.ui.conftest import catalogue_card, eventually, in_current_order, signed_in

WAIT = 50


def language_of(username: str) -> str:
    """The language the user reads the pages in: its own choice, else its customer's."""
    with db.read_session() as s:
        user = s.exec(select(PortalUser).where(PortalUser.username == username)).one()
        customer = s.get(Customer, user.customer_id) if user.customer_id else None
        return i18n.supported(user.language or (customer.language if customer else None))


def money(cents: int, username: str = 'customer') -> str:
    """An amount as `username` reads it on a page."""
    with i18n.speaking(language_of(username)):
        return theme.price(cents, 'EUR')


def text_of(user: User, marker: str) -> str:
    return user.find(marker=marker).elements.pop().text


def value_of(user: User, marker: str) -> object:
    return user.find(marker=marker).elements.pop().value


def set_value(user: User, marker: str, value: object) -> None:
    user.find(marker=marker).elements.pop().value = value


def summary(username: str = 'customer') -> current_order.Summary:
    with db.read_session() as s:
        return current_order.summary(s, actor=identity(username))


def portal_terms(**changes: object) -> None:
    with db.write_session() as s:
        change_portal_terms(s, actor=SYSTEM, **changes)


# --- what customers see ----------------------------------------------------------------------------------------


async def test_each_customer_sees_its_own_price_on_the_grid_with_the_list_price_struck_through(
    user: User, create_user
) -> None:
    glue = product('AD-1001')  # 6.95; Demo Retail's Trade list: 6.20 from 6, sold per 6
    await signed_in(user, at='/products?q=AD-1001')
    await user.should_see(marker=f'product-{glue.id}', retries=WAIT)
    card = catalogue_card(user, glue.id).props
    assert (card['price'], card['list_price'], card['rules']) == (money(620), money(695), 'Sold per 6')
    assert card['value'] == '6'  # the field starts at what may be ordered

    other = create_user()
    await signed_in(other, 'customer2', at='/products?q=AD-1001')
    await other.should_see(marker=f'product-{glue.id}', retries=WAIT)
    card = catalogue_card(other, glue.id).props
    assert card['price'] == money(695, 'customer2')  # list prices, nothing struck through
    assert 'list_price' not in card
    assert money(620, 'customer2') not in {e.text for e in other.find(kind=ui.label).elements}


async def test_the_product_page_shows_the_tier_table_vat_and_the_pack_size(user: User) -> None:
    glue = product('AD-1001')
    await signed_in(user, at=f'/products/{glue.id}')
    await user.should_see(marker='tier-table', retries=WAIT)
    assert text_of(user, 'price') == money(620)
    assert text_of(user, 'price-list') == money(695)
    for quantity, cents in [(6, 620), (24, 585), (48, 560)]:
        with user.scope(marker=f'tier-{quantity}'):
            await user.should_see(f'{money(cents)} per piece')
    assert text_of(user, 'vat-note') == 'Prices excluding VAT (21%)'
    assert text_of(user, 'rules') == 'Sold per 6'


async def test_a_product_sold_per_6_steps_by_6_refuses_7_and_accepts_12(user: User) -> None:
    glue = product('AD-1001')
    await signed_in(user, at=f'/products/{glue.id}')
    await user.should_see(marker='qty', retries=WAIT)
    assert value_of(user, 'qty') == '6'
    user.find(marker='step-up').click()
    assert value_of(user, 'qty') == '12'
    user.find(marker='step-down').click()
    user.find(marker='step-down').click()  # never below the least that may be ordered
    assert value_of(user, 'qty') == '6'

    set_value(user, 'qty', '7')
    user.find(marker='add-to-order').click()
    await user.should_see('Sold per 6: 6 or 12?', retries=WAIT)
    assert 'AD-1001' not in in_current_order()
    set_value(user, 'qty', '12')
    user.find(marker='add-to-order').click()
    await eventually(lambda: in_current_order().get('AD-1001') == 12)
    assert value_of(user, 'qty') == '6'


async def test_the_current_order_shows_the_subtotal_vat_per_rate_and_the_total_including_vat(user: User) -> None:
    with db.write_session() as s:  # paper at the reduced rate next to the demo's screwdrivers at the standard one
        current_order.add(s, actor=identity('customer'), product_id=product('PK-1007').id, quantity=2)
    shown = summary()
    assert [amount.rate_bp for amount in shown.vat] == [2100, 900]
    await signed_in(user, at='/current-order')
    await user.should_see(marker='order-vat-900', retries=WAIT)
    assert text_of(user, 'order-subtotal') == money(shown.subtotal_cents)
    assert text_of(user, 'order-vat-2100') == money(shown.vat[0].vat_cents)
    assert text_of(user, 'order-vat-900') == money(shown.vat[1].vat_cents)
    assert text_of(user, 'order-total') == money(shown.subtotal_cents + shown.vat_cents)
    assert shown.total_cents == shown.subtotal_cents + shown.vat_cents
    screwdrivers = product('HT-1003')
    await user.should_see(f'(list price {money(screwdrivers.price_cents)})', retries=WAIT)  # beside its Trade price


async def test_a_vat_exempt_customer_reads_why_no_vat_is_charged(user: User) -> None:
    with db.write_session() as s:
        current_order.add(s, actor=identity('customer2'), product_id=product('FA-1001').id, quantity=3)
    await signed_in(user, 'customer2', at='/current-order')
    await user.should_see(marker='order-vat-exempt', retries=WAIT)
    assert 'Export outside the EU (United Kingdom)' in text_of(user, 'order-vat-exempt')
    await user.should_not_see(marker='order-vat-2100')
    assert text_of(user, 'order-total') == money(3 * 895, 'customer2') == text_of(user, 'order-subtotal')


async def test_below_the_minimum_order_value_the_page_says_what_is_missing_and_does_not_place(user: User) -> None:
    portal_terms(minimum_order_cents=50_000)
    await signed_in(user, at='/current-order')
    await user.should_see(marker='minimum-missing', retries=WAIT)
    missing = 50_000 - summary().subtotal_cents
    assert money(missing) in text_of(user, 'minimum-missing')
    assert not user.find(marker='place-order').elements.pop().enabled


async def test_a_placed_order_shows_the_prices_it_was_placed_at_and_its_vat(user: User) -> None:
    await signed_in(user, at='/current-order')
    await user.should_see(marker='place-order', retries=WAIT)
    user.find(marker='place-order').click()
    await eventually(lambda: bool(user.back_history) and user.back_history[-1].startswith('/orders/SO-'))
    number = user.back_history[-1].removeprefix('/orders/').split('?')[0]
    with db.read_session() as s:
        order = s.exec(select(Order).where(Order.number == number)).one()
        (line,) = s.exec(select(OrderLine).where(OrderLine.order_id == order.id)).all()
    assert (line.unit_price_cents, line.list_price_cents, line.discount_bp) == (2246, 2495, 998)  # Trade: 10 % off
    await user.should_see(marker='order-total', retries=WAIT)
    assert text_of(user, 'order-subtotal') == money(order.subtotal_cents)
    assert text_of(user, 'order-vat-2100') == money(order.vat_cents)
    assert text_of(user, 'order-total') == money(order.total_cents)
    (row,) = user.find(marker='order-lines').elements.pop().rows
    assert (row['price'], row['vat']) == (f'{money(2246)} (list price {money(2495)}, 9.98% off)', '21%')

    with db.write_session() as s:  # the list changes afterwards: the order page still says what was charged
        trade = s.exec(select(PriceList).where(PriceList.name == 'Trade')).one()
        prices.update_price_list(
            s, actor=SYSTEM, price_list_id=trade.id, data=prices.PriceListCreate(name='Trade', discount_bp=5000)
        )
    await user.open(f'/orders/{number}')
    await user.should_see(marker='order-total', retries=WAIT)
    assert text_of(user, 'order-total') == money(order.total_cents)


async def test_with_prices_hidden_and_availability_only_the_catalogue_shows_neither_price_nor_number(
    user: User,
) -> None:
    portal_terms(prices_shown=False, stock_display='availability')
    screws = product('FA-1001')  # 340 in stock
    await signed_in(user, at='/products?q=FA-1001')
    await user.should_see(marker=f'product-{screws.id}', retries=WAIT)
    card = catalogue_card(user, screws.id).props
    assert card['stock'] == 'In stock'
    assert 'price' not in card
    await user.open(f'/products/{screws.id}')
    await user.should_see(marker='stock', retries=WAIT)
    await user.should_not_see(marker='price')
    await user.should_not_see(marker='vat-note')


# --- what the supplier does -----------------------------------------------------------------------------------


async def test_the_supplier_makes_a_price_list_and_gives_a_product_prices_and_tiers(user: User) -> None:
    nuts = product('FA-1005')
    await signed_in(user, 'supplier', at='/admin/price-lists')
    await user.should_see(marker='price-list-Trade', retries=WAIT)
    set_value(user, 'new-name', 'Export')
    set_value(user, 'new-discount', '5')
    user.find(marker='create-price-list').click()
    await user.should_see(marker='price-list-heading', retries=WAIT)
    with db.read_session() as s:
        export = s.exec(select(PriceList).where(PriceList.name == 'Export')).one()
    assert export.discount_bp == 500

    await user.open(f'/admin/price-lists/{export.id}?find=FA-1005')
    await user.should_see(marker='price-FA-1005', retries=WAIT)
    user.find(marker='price-FA-1005').click()
    await user.should_see(marker='tier-quantity-0', retries=WAIT)
    for index, (quantity, price) in enumerate([('1', '5.50'), ('10', '5.20'), ('10', '5.00')]):
        set_value(user, f'tier-quantity-{index}', quantity)
        set_value(user, f'tier-price-{index}', price)
    user.find(marker='save-prices').click()
    await user.should_see('Two prices from 10: each quantity can have one price.', retries=WAIT)
    with db.read_session() as s:
        assert s.exec(select(PriceListItem).where(PriceListItem.price_list_id == export.id)).all() == []
    set_value(user, 'tier-quantity-2', '50')
    user.find(marker='save-prices').click()
    await user.should_see(marker='listed-FA-1005', retries=WAIT)
    with db.read_session() as s:
        assert prices.product_prices(s, actor=SYSTEM, product_id=nuts.id)[0].entries == (
            Tier(1, 550),
            Tier(10, 520),
            Tier(50, 500),
        )


async def test_the_supplier_sets_a_products_pack_size_and_a_customers_price_list(user: User) -> None:
    rod = product('FA-1009')
    await signed_in(user, 'supplier', at=f'/admin/products/{rod.id}')
    await user.should_see(marker='pricing-card', retries=WAIT)
    await user.should_see(marker='list-Trade', retries=WAIT)
    set_value(user, 'order-multiple', '10')
    set_value(user, 'min-quantity', '1')
    user.find(marker='save-product-terms').click()
    await user.should_see('Prices and ordering saved', retries=WAIT)
    assert (product('FA-1009').order_multiple, product('FA-1009').min_quantity) == (10, 10)
    assert value_of(user, 'min-quantity') == '10'

    with db.read_session() as s:
        other = s.exec(select(Customer).where(Customer.code == 'OTHER')).one()
        trade = s.exec(select(PriceList).where(PriceList.name == 'Trade')).one()
    await user.open(f'/admin/customers/{other.id}')
    await user.should_see(marker='customer-price-list', retries=WAIT)
    set_value(user, 'customer-price-list', trade.id)
    set_value(user, 'customer-discount', '101')
    user.find(marker='save-customer-terms').click()
    await user.should_see("The customer's discount must be from 0 to 100 %.", retries=WAIT)
    with db.read_session() as s:
        assert s.get(Customer, other.id).price_list_id is None  # nothing changed
    set_value(user, 'customer-discount', '2.5')
    user.find(marker='save-customer-terms').click()
    await user.should_see('Prices and terms saved', retries=WAIT)
    with db.read_session() as s:
        saved = s.get(Customer, other.id)
        assert (saved.price_list_id, saved.discount_bp) == (trade.id, 250)


async def test_the_suppliers_new_order_is_priced_at_the_customers_prices(user: User) -> None:
    demo = customer_of('DEMO')
    await signed_in(user, 'supplier', at=f'/admin/orders/new?customer={demo.id}')
    await user.should_see(marker='product-search', retries=WAIT)
    set_value(user, 'product-search', 'AD-1001')
    user.find(marker='product-search').trigger('keydown.enter')
    await user.should_see(marker='result-AD-1001', retries=WAIT)
    assert money(620) in text_of(user, 'result-price-AD-1001')
    set_value(user, 'add-qty-AD-1001', '24')
    user.find(marker='add-AD-1001').click()
    await user.should_see(marker='new-order-total', retries=WAIT)
    assert text_of(user, 'new-order-subtotal') == money(24 * 585)  # the tier from 24
    assert text_of(user, 'new-order-total') == money(24 * 585 + 2948)  # 21 % VAT: 2948.40


async def test_the_portal_terms_are_saved_from_the_price_lists_page(user: User) -> None:
    await signed_in(user, 'supplier', at='/admin/price-lists')
    await user.should_see(marker='terms-card', retries=WAIT)
    set_value(user, 'vat-standard', '19')
    set_value(user, 'stock-display', 'hidden')
    set_value(user, 'minimum-order', '25.00')
    user.find(marker='save-terms').click()
    await user.should_see('Terms saved', retries=WAIT)
    with db.read_session() as s:
        saved = terms.portal_terms(s)
    assert (saved.vat_standard_bp, saved.stock_display, saved.minimum_order_cents) == (1900, 'hidden', 2500)
    set_value(user, 'vat-reduced', '101')
    user.find(marker='save-terms').click()
    await user.should_see('The reduced VAT rate must be from 0 to 100 %.', retries=WAIT)
    with db.read_session() as s:
        assert terms.portal_terms(s) == saved
