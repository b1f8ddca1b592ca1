"""Categories on the pages: the supplier's categories page and product section; customers browsing a category with
filters in the URL, the list view, Enter in a quantity field, the specification table and the way back."""

from __future__ import annotations

from urllib.parse import quote

from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

from app.catalogue import browsing, categories
from app.core import db
from app.identity.access import SYSTEM
from app.models import Category, PortalUser, Product, ProductCategory
from tests.conftest import identity
from tests.rows import product
from tests.ui.conftest import catalogue_card, eventually, in_current_order, on_card, signed_in
from tests.ui.test_catalogue_pages import cards_on_screen, landed_on

WAIT = 50


def category(name: str) -> int:
    with db.read_session() as s:
        return s.exec(select(Category.id).where(Category.name == name)).one()


def codes_in(name: str, username: str = 'customer', **filters: object) -> list[str]:
    with db.read_session() as s:
        page = browsing.browse(
            s,
            actor=identity(username),
            filters=browsing.Filters(category_id=category(name), **filters),
            page_size=100,
        )
    return [card.code for card in page.items]


def rows_on_screen(user: User) -> list[int]:
    listing = user.find(marker='product-list').elements.pop()
    return [
        int(m.removeprefix('row-'))
        for row in listing.default_slot.children
        for m in row._markers
        if m.startswith('row-') and m.removeprefix('row-').isdigit()
    ]


# --- the supplier ------------------------------------------------------------------------------------------------


async def test_supplier_makes_renames_and_orders_categories(user: User) -> None:
    await signed_in(user, 'supplier', at='/admin/categories')
    await user.should_see(marker='category-row-Fasteners', retries=WAIT)
    await user.should_see('Wood screws')
    await user.should_see('0 products of its own · Attributes: Material, Size')  # its products sit in subcategories
    await user.should_see('8 products · Attributes: Contents')  # Cleaning supplies, no subcategories
    user.find(marker='new-category-name').type('Garden').trigger('keydown.enter')
    await user.should_see(marker='category-row-Garden', retries=WAIT)
    with db.read_session() as s:
        garden = s.exec(select(Category).where(Category.name == 'Garden')).one()
    assert garden.parent_id is None and garden.position == 8  # the last of the eight demo categories and itself
    user.find(marker='up-Garden').click()
    await eventually(lambda: read_position('Garden') == 7)
    user.find(marker='edit-Garden').click()
    user.find(marker='category-name-en').clear().type('Garden and outdoor')
    user.find(marker='category-name-nl').type('Tuin')
    user.find(marker='category-attributes').type('Material\nLength')
    user.find(marker='save-category').click()
    await user.should_see(marker='category-row-Garden and outdoor', retries=WAIT)
    await user.should_see('Attributes: Material, Length')
    with db.read_session() as s:
        assert categories.category_names(s, actor=SYSTEM, category_id=garden.id)['nl'] == 'Tuin'
    # a name already there is refused at its field, nothing changes
    user.find(marker='new-category-name').type('fasteners').trigger('keydown.enter')
    await user.should_see('There is already a category Fasteners there.', retries=WAIT)


def read_position(name: str) -> int:
    with db.read_session() as s:
        return s.exec(select(Category.position).where(Category.name == name)).one()


async def test_deleting_says_what_happens_to_the_products_and_refuses_with_subcategories(user: User) -> None:
    await signed_in(user, 'supplier', at='/admin/categories')
    tapes = category('Tapes')
    user.find(marker='delete-Fasteners').click()
    await user.should_see('Fasteners has 4 subcategories: move or delete them first.', retries=WAIT)
    user.find(marker='delete-Tapes').click()
    await user.should_see(
        '2 products are in this category; they stay in the catalogue and leave this category.', retries=WAIT
    )
    user.find(marker='confirm-delete-category').click()
    await user.should_not_see(marker='category-row-Tapes', retries=WAIT)
    with db.read_session() as s:
        assert s.get(Category, tapes) is None
        assert s.exec(select(Product).where(Product.code == 'AD-1007')).one().active


async def test_supplier_puts_a_product_in_a_category_and_fills_its_attributes(user: User) -> None:
    hammer = product('HT-1001')
    await signed_in(user, 'supplier', at=f'/admin/products/{hammer.id}')
    await user.should_see(marker='product-categories', retries=WAIT)
    picker = user.find(marker='product-categories').elements.pop()
    assert picker.value == [category('Striking and cutting')]
    picker.value = [category('Striking and cutting'), category('Tapes')]
    await user.should_see(marker='attribute-Width', retries=WAIT)  # Tapes lists Width and Colour
    user.find(marker='attribute-Colour').type('Yellow')
    user.find(marker='save-categories').click()
    await user.should_see('Categories and attributes saved', retries=WAIT)
    with db.read_session() as s:
        assert sorted(s.exec(select(ProductCategory.category_id).where(ProductCategory.product_id == hammer.id))) == (
            sorted([category('Striking and cutting'), category('Tapes')])
        )
        assert categories.product_attributes(s, actor=SYSTEM, product_id=hammer.id)['Colour'] == 'Yellow'


# --- customers ---------------------------------------------------------------------------------------------------


async def test_a_category_from_the_chips_with_breadcrumbs_and_its_subcategories(user: User) -> None:
    await signed_in(user, at='/products')
    fasteners = category('Fasteners')
    await user.should_see(marker=f'category-{fasteners}', retries=WAIT)
    await user.should_see('Fasteners (10)')
    user.find(marker=f'category-{fasteners}').click()
    await landed_on(user, f'/products?sort=name&category={fasteners}')
    await user.should_see(marker='breadcrumbs', retries=WAIT)
    assert sorted(product_codes(cards_on_screen(user))) == sorted(codes_in('Fasteners'))
    assert len(cards_on_screen(user)) == 10
    await user.should_see('Screws (3)')  # its subcategories as chips
    await user.open(f'/products?category={category("Wood screws")}')
    with user.scope(marker='breadcrumbs'):
        await user.should_see('Fasteners')
        await user.should_see('Screws')
    assert sorted(product_codes(cards_on_screen(user))) == ['FA-1001', 'FA-1002']


def product_codes(ids: list[int]) -> list[str]:
    with db.read_session() as s:
        return [s.get(Product, i).code for i in ids]


async def test_filters_in_the_url_combine_and_bad_ones_show_everything_with_a_message(user: User) -> None:
    await signed_in(user)
    fasteners = category('Fasteners')
    await user.open(f'/products?category={fasteners}&stock=1&attr={quote("Material:Zinc plated steel")}')
    expected = codes_in('Fasteners', in_stock=True, attributes=(('Material', 'Zinc plated steel'),))
    assert sorted(product_codes(cards_on_screen(user))) == sorted(expected)
    assert 'FA-1009' not in expected and len(expected) == 6  # threaded rod is out of stock
    facet = user.find(marker='facet-Material').elements.pop()
    assert facet.value == 'Zinc plated steel'
    assert 'Zinc plated steel (7)' in facet.options.values()
    for bad in ['?category=abc', '?stock=yes', f'?category={fasteners}&attr=Colour:Red', '?category=999999']:
        await user.open(f'/products{bad}')
        await user.should_see(marker='filter-notice', retries=WAIT)
        assert len(cards_on_screen(user)) == 24  # the unfiltered first page


async def test_a_category_hidden_from_a_customer_is_not_offered_or_reachable(user: User) -> None:
    await signed_in(user, 'customer2')
    safety = category('Safety gear')
    await user.open('/products')
    await user.should_see(marker=f'category-{category("Fasteners")}', retries=WAIT)
    await user.should_not_see(marker=f'category-{safety}')
    await user.open(f'/products?category={safety}')
    await user.should_see(marker='filter-notice', retries=WAIT)
    await user.should_not_see('Veiligheidsuitrusting')


async def test_list_view_is_remembered_and_adds_in_a_row_and_a_card(user: User) -> None:
    await signed_in(user, at='/products')
    user.find(marker='view-switch').elements.pop().value = 'list'
    await user.should_see(marker='product-list', retries=WAIT)
    rows = rows_on_screen(user)
    assert len(rows) == 50  # a list page holds more than a grid page
    with db.read_session() as s:
        assert s.exec(select(PortalUser.catalogue_view).where(PortalUser.username == 'customer')).one() == 'list'
    bolts = product('FA-1004')
    await user.open(f'/products?category={category("Fasteners")}')
    await user.should_see(marker=f'row-{bolts.id}', retries=WAIT)  # the choice is kept for the next page
    on_card(user, bolts.id, typed='3', row=True)  # Enter in the field sends what Add sends
    await eventually(lambda: in_current_order().get('FA-1004') == 3)
    user.find(marker='view-switch').elements.pop().value = 'grid'
    await user.should_see(marker='product-grid', retries=WAIT)
    on_card(user, bolts.id, typed='2')
    await eventually(lambda: in_current_order().get('FA-1004') == 5)


async def test_a_product_moved_into_the_open_category_shows_without_a_reload(user: User) -> None:
    await signed_in(user)
    tapes = category('Tapes')
    await user.open(f'/products?category={tapes}')
    hammer = product('HT-1001')
    assert hammer.id not in cards_on_screen(user)
    with db.write_session() as s:
        categories.set_product_categories(s, actor=SYSTEM, product_id=hammer.id, category_ids=[tapes])
    await eventually(lambda: hammer.id in cards_on_screen(user))


async def test_a_value_the_supplier_gives_a_product_shows_in_the_open_filter_without_a_reload(user: User) -> None:
    await signed_in(user, at=f'/products?category={category("Fasteners")}')
    facet = user.find(marker='facet-Material').elements.pop()
    assert not any(text.startswith('Titanium') for text in facet.options.values())
    with db.write_session() as s:  # (only the values change: the counts of the categories are kept)
        categories.set_product_attributes(
            s, actor=SYSTEM, product_id=product('FA-1004').id, values={'Material': 'Titanium'}
        )

    def offered() -> bool:
        facet = user.find(marker='facet-Material').elements.pop()
        return 'Titanium (1)' in facet.options.values()

    await eventually(offered)


async def test_product_page_shows_specifications_and_returns_to_the_search_it_came_from(user: User) -> None:
    await signed_in(user)
    screws = product('FA-1003')
    where = f'category={category("Fasteners")}&stock=&q=screws&page=1'
    await user.open(f'/products/{screws.id}?back={quote(where)}')
    await user.should_see(marker='specifications', retries=WAIT)
    await user.should_see('Stainless steel A2')
    await user.should_see('Torx TX20')
    back = user.find(kind=ui.link, content='← All products').elements.pop()
    assert back.props['href'] == f'/products?category={category("Fasteners")}&q=screws&page=1'
    for raw, kept in [('//evil.example/x?q=1', '/products'), ('q=1&next=http://evil.example', '/products?q=1')]:
        await user.open(f'/products/{screws.id}?back={quote(raw)}')  # only the products page's own parameters
        assert user.find(kind=ui.link, content='← All products').elements.pop().props['href'] == kept
    # the cards' links carry the page's own URL
    await user.open(f'/products?q=screws&category={category("Fasteners")}')
    await user.should_see(marker=f'product-{screws.id}', retries=WAIT)
    link = catalogue_card(user, screws.id).props['href']
    assert link.startswith(f'/products/{screws.id}?back=q%3Dscrews')
