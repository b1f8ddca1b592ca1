"""The customer's catalogue: the product grid (search, sort, pages, adding), one product's page and its images."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from urllib.parse import quote

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

from app.catalogue import catalogue
from app.core import db, i18n
from app.core.errors import NotFound
from app.core.paging import Page
from app.identity.access import SYSTEM
from app.models import ProductImage
from app.orders import current_order, stock
from tests.conftest import identity
from tests.rows import product
from tests.ui.conftest import catalogue_card, eventually, in_current_order, on_card, on_products, read_in, signed_in

WAIT = 50  # retries of 0.1 s: a page reacting to a click or an event can be slow on a busy machine
QUANTITY_MESSAGE = 'Enter a whole number between 1 and 100,000.'


def catalogue_page(username: str = 'customer', **kwargs: object) -> Page[catalogue.ProductCard]:
    with db.read_session() as s:
        return catalogue.search_products(s, actor=identity(username), **kwargs)


def cards_on_screen(user: User) -> list[int]:
    """The product ids of the cards in the grid, in the order shown."""
    grid = user.find(marker='product-grid').elements.pop()
    ids = []
    for card in grid.default_slot.children:
        marks = [m for m in card._markers if m.startswith('product-')]
        assert len(marks) == 1
        ids.append(int(marks[0].removeprefix('product-')))
    return ids


async def landed_on(user: User, path: str) -> None:
    """Wait for a navigation the page started (it runs in the background) to arrive at `path`."""
    for _ in range(250):
        if user.back_history and user.back_history[-1] == path:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f'expected to land on {path}, the last page opened is {user.back_history[-1:]}')


def value_of(user: User, marker: str) -> str:
    return user.find(marker=marker).elements.pop().text


def set_value(user: User, marker: str, value: str) -> None:
    user.find(marker=marker).elements.pop().value = value


# --- the grid -----------------------------------------------------------------------------------------


async def test_products_page_shows_one_page_of_cards_sorted_by_name(user: User) -> None:
    await signed_in(user, at='/products')
    expected = catalogue_page()
    assert expected.total == 60 and expected.pages == 3
    assert cards_on_screen(user) == [p.id for p in expected.items]
    assert len(expected.items) == 24
    await user.should_see('60 products', retries=WAIT)
    first = expected.items[0]
    for text in (first.name, first.code, f'per {first.unit}'):
        await user.should_see(marker=f'product-{first.id}', content=text, retries=WAIT)


async def test_page_two_comes_from_the_url(user: User) -> None:
    await signed_in(user, at='/products?page=2')
    assert cards_on_screen(user) == [p.id for p in catalogue_page(page=2).items]
    assert user.find(kind=ui.pagination).elements.pop().value == 2
    await user.open('/products?page=not-a-number')
    assert cards_on_screen(user) == [p.id for p in catalogue_page(page=1).items]
    await user.open('/products?page=999')  # past the end: the last page
    assert cards_on_screen(user) == [p.id for p in catalogue_page(page=3).items]


async def test_choosing_a_page_keeps_search_and_sort_in_the_url(user: User) -> None:
    await signed_in(user, at='/products?sort=price')
    user.find(kind=ui.pagination).elements.pop().value = 2
    await landed_on(user, '/products?sort=price&page=2')
    assert cards_on_screen(user) == [p.id for p in catalogue_page(sort='price', page=2).items]


@pytest.mark.parametrize(
    ('typed', 'code'),
    [
        ('decking', 'FA-1003'),  # a word of the name
        ('FA-1003', 'FA-1003'),  # the code
        ('barcode', 'HT-1006'),  # the barcode, read from the database below
    ],
)
async def test_search_by_name_code_and_barcode(user: User, typed: str, code: str) -> None:
    wanted = product(code)
    if typed == 'barcode':
        typed = wanted.barcode
        assert typed
    await signed_in(user, at='/products?sort=price')
    user.find(kind=ui.input, content='Search by name').type(typed)
    user.find(kind=ui.button, content='Search').click()
    await landed_on(user, f'/products?q={typed}&sort=price')  # the search and the sort stay in the URL
    shown = cards_on_screen(user)
    assert wanted.id in shown
    assert shown == [p.id for p in catalogue_page(query=typed, sort='price').items]
    assert len(shown) < 5
    assert user.find(kind=ui.input, content='Search by name').elements.pop().value == typed


async def test_search_with_enter_and_no_match_shows_an_empty_state(user: User) -> None:
    await signed_in(user, at='/products')
    user.find(kind=ui.input, content='Search by name').type('xyz').trigger('keydown.enter')
    await landed_on(user, '/products?q=xyz&sort=name')
    await user.should_see("No products match 'xyz'", retries=WAIT)
    await user.should_not_see(marker='product-grid', retries=WAIT)


@pytest.mark.parametrize('typed', ['"', '*', 'screws OR', 'NEAR(', '%', "'; drop table product; --", '<b>x</b>'])
async def test_search_syntax_in_what_is_typed_is_only_text(user: User, typed: str) -> None:
    await signed_in(user, at=f'/products?q={quote(typed)}')
    expected = catalogue_page(query=typed)
    if expected.items:
        assert cards_on_screen(user) == [p.id for p in expected.items]
    else:
        shown = user.find(content=f"No products match '{typed}'").elements.pop()
        assert isinstance(shown, ui.label)  # what was typed is shown as text
    assert catalogue_page().total == 60


async def test_sort_by_price_from_the_select(user: User) -> None:
    await signed_in(user, at='/products?q=screws')
    user.find(kind=ui.select).elements.pop().value = 'price'
    await landed_on(user, '/products?q=screws&sort=price')
    shown = cards_on_screen(user)
    prices = {p.id: p.price_cents for p in catalogue_page(query='screws', sort='price').items}
    assert shown == list(prices)
    assert [prices[i] for i in shown] == sorted(prices.values())
    assert len(shown) >= 3

    await user.open('/products?sort=price')
    assert cards_on_screen(user)[0] == product('FA-1009').id  # the cheapest product
    await user.open('/products?sort=price_desc')
    assert cards_on_screen(user)[0] == product('PK-1005').id  # the dearest
    await user.open('/products?sort=nonsense')  # an unknown sort is the name order
    assert cards_on_screen(user) == [p.id for p in catalogue_page().items]


async def test_the_other_customer_sees_its_selection_only(user: User) -> None:
    gloves = product('SG-1001')
    await signed_in(user, 'customer2')  # reads Dutch
    await user.open('/products')
    await user.should_see(read_in('nl', lambda: i18n.ngettext('{n} product', '{n} products', 52)), retries=WAIT)
    await user.open('/products?q=gloves')
    nothing = read_in('nl', lambda: i18n._("No products match '{query}'").format(query='gloves'))
    await user.should_see(nothing, retries=WAIT)
    await user.open('/products?q=SG-1001')
    await user.should_not_see(marker=f'product-{gloves.id}', retries=WAIT)


# --- adding from the grid -------------------------------------------------------------------------------


async def test_the_phones_header_cart_counts_units_and_hides_its_badge_when_empty(user: User) -> None:
    bolts, screwdrivers = product('FA-1004'), product('HT-1003')
    await signed_in(user, at='/products?q=FA-1004')
    await eventually(lambda: value_of(user, 'header-cart-units') == '2')  # the demo's HT-1003 x2
    on_card(user, bolts.id, typed='3')
    await eventually(lambda: value_of(user, 'header-cart-units') == '5')
    with db.write_session() as s:  # emptied in another tab
        for product_id in (bolts.id, screwdrivers.id):
            current_order.remove(s, actor=identity('customer'), product_id=product_id)
    await user.should_not_see(marker='header-cart-units', retries=WAIT)
    with user.scope(marker='current-order-summary'):
        await user.should_see('Empty — add products from the catalogue', retries=WAIT)
        await user.should_not_see('0 lines', retries=WAIT)


async def test_adding_from_a_card_shows_the_check_mark_and_updates_the_summary(user: User) -> None:
    bolts = await on_products(user, 'FA-1004')
    await user.should_not_see(marker=f'in-order-{bolts.id}', retries=WAIT)
    with user.scope(marker='current-order-summary'):
        await user.should_see('1 line · 2 units', retries=WAIT)  # the demo's HT-1003 x2

    on_card(user, bolts.id, typed='3')
    await user.should_see(marker=f'in-order-{bolts.id}', retries=WAIT)
    assert value_of(user, f'in-order-{bolts.id}') == '3 in order'
    await user.should_see('Added to your current order', retries=WAIT)
    assert in_current_order() == {'HT-1003': 2, 'FA-1004': 3}
    with user.scope(marker='current-order-summary'):
        await user.should_see('2 lines · 5 units', retries=WAIT)
        # on the Trade list (10 % off) 2 x 22.46 + 3 x 11.16 = 78.40; the total includes 21 % VAT (16.46)
        await user.should_see('€94.86', retries=WAIT)
    assert catalogue_card(user, bolts.id).props['value'] == '1'  # ready for the next add

    on_card(user, bolts.id, typed=' 4 ')
    await user.should_see(content='7 in order', retries=WAIT)
    assert value_of(user, f'in-order-{bolts.id}') == '7 in order'
    assert in_current_order() == {'HT-1003': 2, 'FA-1004': 7}
    with user.scope(marker='current-order-summary'):
        await user.should_see('2 lines · 9 units', retries=WAIT)


async def test_a_product_already_in_the_order_shows_its_quantity(user: User) -> None:
    screwdrivers = await on_products(user, 'HT-1003')
    await user.should_see(marker=f'in-order-{screwdrivers.id}', retries=WAIT)
    assert value_of(user, f'in-order-{screwdrivers.id}') == '2 in order'
    on_card(user, screwdrivers.id)
    await user.should_see(content='3 in order', retries=WAIT)
    assert in_current_order() == {'HT-1003': 3}


@pytest.mark.parametrize('typed', ['abc', '0', '-3', '2.5', '1000000', '', '1e3'])
async def test_a_bad_quantity_shows_a_message_and_changes_nothing(user: User, typed: str) -> None:
    bolts = await on_products(user, 'FA-1004')
    on_card(user, bolts.id, typed=typed)
    await user.should_see(QUANTITY_MESSAGE, retries=WAIT)
    assert in_current_order() == {'HT-1003': 2}
    await user.should_not_see(marker=f'in-order-{bolts.id}', retries=WAIT)
    with user.scope(marker='current-order-summary'):
        await user.should_see('1 line · 2 units', retries=WAIT)


async def test_a_cards_steps_move_by_the_pack_size_and_the_bookmark_saves_what_the_field_holds(user: User) -> None:
    glue = product('AD-1001')  # Demo Retail: sold per 6
    await signed_in(user, at='/products?q=AD-1001')
    await user.should_see(marker=f'product-{glue.id}', retries=WAIT)
    card = catalogue_card(user, glue.id)
    assert card.props['stepped'] is True and card.props['value'] == '6'
    on_card(user, glue.id, 'step-up', typed='6')
    assert card.props['value'] == '12'
    on_card(user, glue.id, 'step-up', typed='13')  # typed off the steps: the next one up
    assert card.props['value'] == '18'
    on_card(user, glue.id, 'step-down', typed='6')  # never below the least
    assert card.props['value'] == '6'
    on_card(user, glue.id, 'save', typed='12')
    await user.should_see(marker='new-list-name', retries=WAIT)
    await user.should_see(f'{glue.name}: 12')
    user.find(marker='new-list-name').type('Glue')
    user.find(marker='save-to-list').click()
    await user.should_see('Saved to Glue (12 in the list)', retries=WAIT)


async def test_events_sent_at_once_each_keep_what_they_brought(user: User) -> None:
    """A handler runs after the event came; the next event of the same card must not change what it adds."""
    bolts = await on_products(user, 'FA-1004')
    on_card(user, bolts.id, typed='3')
    on_card(user, bolts.id, typed='2')
    on_card(user, bolts.id, 'step-up', typed='7')
    await eventually(lambda: in_current_order().get('FA-1004') == 5)


async def test_a_forged_card_event_changes_nothing(user: User) -> None:
    bolts = await on_products(user, 'FA-1004')
    before = in_current_order()
    for args in (None, 'not a dict', {'quantity': ['3']}, {'quantity': '3' * 500}, {'do': 'step', 'quantity': {}}):
        user.find(marker=f'product-{bolts.id}').trigger('act', args)
    await user.should_see(QUANTITY_MESSAGE, retries=WAIT)
    assert in_current_order() == before


async def test_a_line_cannot_grow_past_the_maximum(user: User) -> None:
    screwdrivers = await on_products(user, 'HT-1003')
    on_card(user, screwdrivers.id, typed=str(current_order.MAX_QUANTITY))
    await user.should_see('Your current order already has 2 of this product', retries=WAIT)
    assert in_current_order() == {'HT-1003': 2}


async def test_adding_a_product_that_left_the_catalogue_meanwhile_is_refused(user: User) -> None:
    screws = product('FA-1001')
    await signed_in(user, 'customer2', at='/products?q=FA-1001')
    with db.write_session() as s:
        customer_id = identity('customer2').customer_id
        catalogue.remove_from_selection(s, actor=SYSTEM, customer_id=customer_id, product_ids=[screws.id])
    on_card(user, screws.id)
    await user.should_see(read_in('nl', lambda: NotFound('This product').message), retries=WAIT)  # customer2's Dutch
    assert in_current_order('customer2') == {}


async def test_the_check_mark_follows_changes_made_in_another_tab(user: User, create_user: Callable[[], User]) -> None:
    bolts = product('FA-1004')
    other_tab = create_user()
    await signed_in(other_tab)  # both sign in before either page listens live
    await signed_in(user, at='/products?q=FA-1004')
    await other_tab.open('/products?q=FA-1004')

    on_card(other_tab, bolts.id, typed='6')
    await other_tab.should_see(content='6 in order', retries=WAIT)
    await user.should_see(content='6 in order', retries=WAIT)  # the first tab, without a reload
    assert value_of(user, f'in-order-{bolts.id}') == '6 in order'
    with user.scope(marker='current-order-summary'):
        await user.should_see('2 lines · 8 units', retries=WAIT)


async def test_the_check_mark_follows_changes_made_through_the_service(user: User) -> None:
    bolts = product('FA-1004')
    screwdrivers = product('HT-1003')
    await signed_in(user, at='/products?q=M8')
    await user.should_see(marker=f'product-{bolts.id}', retries=WAIT)
    with db.write_session() as s:
        current_order.add(s, actor=identity('customer'), product_id=bolts.id, quantity=5)
    await user.should_see(marker=f'in-order-{bolts.id}', retries=WAIT)
    assert value_of(user, f'in-order-{bolts.id}') == '5 in order'
    with db.write_session() as s:
        current_order.remove(s, actor=identity('customer'), product_id=bolts.id)
    await user.should_not_see(marker=f'in-order-{bolts.id}', retries=WAIT)

    await user.open('/products?q=HT-1003')
    with db.write_session() as s:
        current_order.remove(s, actor=identity('customer'), product_id=screwdrivers.id)
    await user.should_not_see(marker=f'in-order-{screwdrivers.id}', retries=WAIT)
    with user.scope(marker='current-order-summary'):
        await user.should_see('Empty', retries=WAIT)


async def test_stock_on_the_cards_updates_live(user: User) -> None:
    screwdrivers = product('HT-1003')
    await signed_in(user, at='/products?q=screwdriver')
    assert catalogue_card(user, screwdrivers.id).props['stock'] == 'Only 2 left'
    with db.write_session() as s:
        stock.receive_stock(s, actor=SYSTEM, product_id=screwdrivers.id, quantity=10)
    await user.should_see(content='12 in stock', retries=WAIT)
    assert catalogue_card(user, screwdrivers.id).props['stock'] == '12 in stock'


# --- one product ----------------------------------------------------------------------------------------


def image_ids(code: str) -> list[int]:
    with db.read_session() as s:
        return list(s.exec(select(ProductImage.id).where(ProductImage.product_id == product(code).id)).all())


async def test_product_page_shows_everything_the_supplier_entered(user: User) -> None:
    level = product('HT-1006')
    await signed_in(user, at=f'/products/{level.id}')
    assert value_of(user, 'product-name') == level.name
    await user.should_see(f'Code: {level.code}', retries=WAIT)
    await user.should_see(f'Barcode: {level.barcode}', retries=WAIT)
    await user.should_see(f'Unit: {level.unit}', retries=WAIT)
    await user.should_see('€22.50', retries=WAIT)
    assert value_of(user, 'description') == level.description
    assert value_of(user, 'stock') == '38 in stock'
    sources = {image.source for image in user.find(kind=ui.image).elements}
    assert image_ids('HT-1006')
    assert f'/media/images/{image_ids("HT-1006")[0]}' in sources


async def test_adding_from_the_product_page(user: User) -> None:
    level = product('HT-1006')
    await signed_in(user, at=f'/products/{level.id}')
    await user.should_not_see(marker=f'in-order-{level.id}', retries=WAIT)
    set_value(user, 'qty', '4')
    user.find(marker='add-to-order').click()
    await user.should_see(marker=f'in-order-{level.id}', retries=WAIT)
    assert value_of(user, f'in-order-{level.id}') == '4 in order'
    assert in_current_order() == {'HT-1003': 2, 'HT-1006': 4}

    set_value(user, 'qty', 'many')
    user.find(marker='add-to-order').click()
    await user.should_see(QUANTITY_MESSAGE, retries=WAIT)
    assert in_current_order() == {'HT-1003': 2, 'HT-1006': 4}

    with db.write_session() as s:
        stock.receive_stock(s, actor=SYSTEM, product_id=level.id, quantity=2)
    await user.should_see(content='40 in stock', retries=WAIT)


async def test_a_product_outside_the_customers_catalogue_is_not_found(user: User) -> None:
    gloves = product('SG-1001')
    await signed_in(user, 'customer2', at=f'/products/{gloves.id}')
    await user.should_see(marker='not-found', retries=WAIT)
    for text in [gloves.name, gloves.code, gloves.barcode, gloves.description[:30], '€23.95']:
        await user.should_not_see(text, retries=WAIT)
    await user.should_not_see(marker='add-to-order', retries=WAIT)
    await user.should_not_see(kind=ui.image, retries=WAIT)


async def test_the_same_product_is_shown_to_a_customer_who_has_it(user: User) -> None:
    gloves = product('SG-1001')
    await signed_in(user, at=f'/products/{gloves.id}')
    assert value_of(user, 'product-name') == gloves.name
    await user.should_not_see(marker='not-found', retries=WAIT)


@pytest.mark.parametrize('raw', ['99999', 'abc', '-1', '99999999999999999999999999'])
async def test_a_product_id_that_does_not_exist_is_not_found(user: User, raw: str) -> None:
    await signed_in(user, at=f'/products/{raw}')
    await user.should_see(marker='not-found', retries=WAIT)
    await user.should_not_see(marker='add-to-order', retries=WAIT)


async def test_images_are_served_only_to_those_who_see_the_product(user: User) -> None:
    gloves_image = image_ids('SG-1001')[0]
    await signed_in(user, 'customer2')
    response = await user.http_client.get(f'/media/images/{gloves_image}')
    assert response.status_code == 404
    assert not response.content.startswith(b'\x89PNG')
    response = await user.http_client.get(f'/media/images/{gloves_image}?size=thumb')
    assert response.status_code == 404

    visible = await user.http_client.get(f'/media/images/{image_ids("FA-1001")[0]}')
    assert visible.status_code == 200
    assert visible.headers['content-type'].startswith('image/')

    for raw in ['99999', '99999999999999999999999999', 'abc']:
        assert (await user.http_client.get(f'/media/images/{raw}')).status_code in {404, 422}


async def test_images_are_not_served_to_anonymous_visitors(user: User) -> None:
    gloves_image = image_ids('SG-1001')[0]
    response = await user.http_client.get(f'/media/images/{gloves_image}', follow_redirects=True)
    assert response.status_code in {401, 403, 404} or 'Sign in' in response.text
    assert not response.content.startswith(b'\x89PNG')
    assert 'image' not in response.headers.get('content-type', '')
