"""The catalogue: who sees what, searching, sorting, paging, and the supplier's choice per customer."""

import re

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlmodel import select

from app.catalogue import catalogue, products
from app.core import db, events
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.models import CatalogueMode, CustomerProduct, Product, ProductCreate, ProductImage
from tests.conftest import postgres_only

ITEMS = [
    # code, name, price_cents, description, barcode
    ('BLT-M8-40', 'Hex bolt M8 x 40', 45, 'Zinc plated steel bolt for construction.', '8712345000011'),
    ('BLT-M10-60', 'Hex bolt M10 x 60', 80, 'Galvanised steel bolt.', '8712345000028'),
    ('SCR-4-40', 'Wood screw 4 x 40', 12, 'Countersunk head, for pine and oak.', ''),
    ('HAM-500', 'Claw hammer', 1995, 'Fibreglass handle, 500 g head.', ''),
    ('GLV-9', 'Safety gloves', 350, 'Cut resistant, size 9.', '5012345678900'),
]


@pytest.fixture
def items(accounts):
    """Five active products and one inactive one; returns {code: id}."""
    with db.write_session() as s:
        ids = {}
        for code, name, price, description, barcode in ITEMS:
            ids[code] = products.create_product(
                s,
                actor=accounts.admin,
                data=ProductCreate(code=code, name=name, price_cents=price, description=description, barcode=barcode),
            ).id
        ids['DRL-OLD'] = products.create_product(
            s,
            actor=accounts.admin,
            data=ProductCreate(code='DRL-OLD', name='Discontinued drill', price_cents=5000, active=False),
        ).id
    return ids


def choose_for_bob(accounts, product_ids):
    with db.write_session() as s:
        catalogue.set_catalogue_mode(s, actor=accounts.admin, customer_id=accounts.customer_b.id, mode='selection')
        catalogue.add_to_selection(s, actor=accounts.admin, customer_id=accounts.customer_b.id, product_ids=product_ids)


def search(who, query='', **kwargs):
    with db.read_session() as s:
        return catalogue.search_products(s, actor=who, query=query, **kwargs)


def codes(page):
    return [card.code for card in page.items]


# --- visibility -------------------------------------------------------------------------------------


def test_a_customer_in_all_mode_sees_every_active_product(accounts, items):
    page = search(accounts.alice, sort='code')
    assert codes(page) == sorted(code for code, *_ in ITEMS)
    assert page.total == 5


def test_the_supplier_sees_inactive_products_too(accounts, items):
    page = search(accounts.admin, sort='code')
    assert 'DRL-OLD' in codes(page)
    assert page.total == 6
    with db.read_session() as s:
        assert catalogue.get_product(s, actor=accounts.admin, product_id=items['DRL-OLD']).active is False


def test_a_customer_in_selection_mode_sees_only_its_chosen_active_products(accounts, items):
    choose_for_bob(accounts, [items['HAM-500'], items['GLV-9'], items['DRL-OLD']])
    assert codes(search(accounts.bob, sort='code')) == ['GLV-9', 'HAM-500']
    assert search(accounts.bob).total == 2
    assert search(accounts.alice).total == 5  # another customer's choice changes nothing for alice


def test_a_hidden_product_is_not_found_exactly_like_a_missing_one(accounts, items):
    choose_for_bob(accounts, [items['HAM-500']])
    with db.read_session() as s:
        assert catalogue.get_product(s, actor=accounts.bob, product_id=items['HAM-500']).code == 'HAM-500'
        errors = []
        for product_id in (items['GLV-9'], items['DRL-OLD'], 999_999):
            with pytest.raises(NotFound) as caught:
                catalogue.get_product(s, actor=accounts.bob, product_id=product_id)
            errors.append(str(caught.value))
        with pytest.raises(NotFound):
            catalogue.get_product(s, actor=accounts.alice, product_id=items['DRL-OLD'])
    assert len(set(errors)) == 1


def test_can_order_only_what_is_visible_and_active(accounts, items):
    choose_for_bob(accounts, [items['HAM-500'], items['DRL-OLD']])
    with db.read_session() as s:
        bob, alice = accounts.customer_b.id, accounts.customer_a.id
        assert catalogue.can_order(s, customer_id=bob, product_id=items['HAM-500'])
        assert not catalogue.can_order(s, customer_id=bob, product_id=items['GLV-9'])
        assert not catalogue.can_order(s, customer_id=bob, product_id=items['DRL-OLD'])
        assert catalogue.can_order(s, customer_id=alice, product_id=items['GLV-9'])
        assert not catalogue.can_order(s, customer_id=alice, product_id=items['DRL-OLD'])
        assert not catalogue.can_order(s, customer_id=alice, product_id=999_999)


def test_a_user_without_a_customer_cannot_read_the_customer_catalogue(accounts, items):
    with db.read_session() as s, pytest.raises(AccessDenied):
        catalogue.search_products(s, actor=None)


# --- product details and cards --------------------------------------------------------------------


def add_images(product_id, positions):
    with db.write_session() as s:
        rows = [
            ProductImage(product_id=product_id, filename=f'{p}.webp', thumb_filename=f'{p}-t.webp', position=p)
            for p in positions
        ]
        s.add_all(rows)
        s.flush()
        return {row.position: row.id for row in rows}


def set_stock(product_id, on_hand, allocated=0):
    with db.write_session() as s:
        product = s.get(Product, product_id)
        product.on_hand, product.allocated = on_hand, allocated
        s.add(product)


def test_a_card_shows_the_first_image_by_position_and_free_stock(accounts, items):
    image_ids = add_images(items['HAM-500'], [3, 1, 2])
    set_stock(items['HAM-500'], on_hand=10, allocated=4)
    set_stock(items['GLV-9'], on_hand=2, allocated=5)  # more held than on hand must never show as negative
    cards = {card.code: card for card in search(accounts.alice).items}
    assert cards['HAM-500'].image_id == image_ids[1]
    assert (cards['HAM-500'].on_hand, cards['HAM-500'].allocated, cards['HAM-500'].free) == (10, 4, 6)
    assert cards['GLV-9'].free == 0
    assert cards['BLT-M8-40'].image_id is None


def test_product_detail_has_every_image_in_order(accounts, items):
    image_ids = add_images(items['HAM-500'], [2, 0, 1])
    set_stock(items['HAM-500'], on_hand=7, allocated=2)
    with db.read_session() as s:
        detail = catalogue.get_product(s, actor=accounts.alice, product_id=items['HAM-500'])
    assert detail.image_ids == [image_ids[0], image_ids[1], image_ids[2]]
    assert (detail.name, detail.description, detail.price_cents, detail.free) == (
        'Claw hammer',
        'Fibreglass handle, 500 g head.',
        1995,
        5,
    )


def test_free_stock_for_ids_on_screen(accounts, items):
    set_stock(items['HAM-500'], on_hand=9, allocated=3)
    set_stock(items['GLV-9'], on_hand=1, allocated=4)
    with db.read_session() as s:
        free = catalogue.free_stock(s, product_ids=[items['HAM-500'], items['GLV-9'], 999_999])
    assert free == {items['HAM-500']: 6, items['GLV-9']: 0}


@pytest.mark.parametrize(
    ('free', 'expected'),
    [
        (42, ('42 in stock', 'positive')),
        (1500, ('1,500 in stock', 'positive')),
        (6, ('6 in stock', 'positive')),
        (5, ('Only 5 left', 'warning')),
        (1, ('Only 1 left', 'warning')),
        (0, ('Out of stock — will be backordered', 'negative')),
        (-3, ('Out of stock — will be backordered', 'negative')),
    ],
)
def test_stock_status(free, expected):
    assert catalogue.stock_status(free) == expected


def test_stock_status_threshold_can_be_changed():
    assert catalogue.stock_status(8, low_threshold=10) == ('Only 8 left', 'warning')


# --- searching ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ('query', 'expected'),
    [
        ('hex', {'BLT-M8-40', 'BLT-M10-60'}),  # part of a name
        ('ham', {'HAM-500'}),  # the start of a word
        ('HAMMER', {'HAM-500'}),  # any case
        ('blt-m8', {'BLT-M8-40'}),  # a code prefix
        ('BLT', {'BLT-M8-40', 'BLT-M10-60'}),
        ('SCR-4-40', {'SCR-4-40'}),  # a whole code
        ('871234500002', {'BLT-M10-60'}),  # the start of a barcode
        ('5012345678900', {'GLV-9'}),  # a whole barcode
        ('countersunk', {'SCR-4-40'}),  # a word of the description
        ('steel bolt', {'BLT-M8-40', 'BLT-M10-60'}),  # every word must match
        ('oak screw', {'SCR-4-40'}),
        ('galvanised m10', {'BLT-M10-60'}),
        ('  hex   bolt  ', {'BLT-M8-40', 'BLT-M10-60'}),
        ('drill', set()),  # inactive: not for customers
        ('xyzzy', set()),
    ],
)
def test_search_finds_by_name_code_barcode_and_description(accounts, items, query, expected):
    page = search(accounts.alice, query)
    assert set(codes(page)) == expected
    assert page.total == len(expected)


@pytest.mark.parametrize(
    'query',
    [
        '"',
        '""',
        '"bolt',
        'bolt"',
        '*',
        'bolt*',
        '**',
        'OR',
        'bolt OR hammer',
        'AND',
        'NOT',
        'NEAR(',
        'NEAR(bolt hex)',
        'hex NEAR/2 bolt',
        '(',
        ')',
        '-',
        '-bolt',
        '^',
        '^hex',
        ':',
        'name:hex',
        'code : x',
        '{name}: hex',
        '+',
        '%',
        '_',
        '\\',
        "'",
        "'; DROP TABLE product; --",
        '🔩',
        'x' * 500,
        'a ' * 50,
    ],
)
def test_search_input_with_syntax_never_errors(accounts, items, query):
    page = search(accounts.alice, query)
    assert page.total == len(page.items) <= 5
    assert page.page == 1


def test_search_treats_operators_as_words(accounts, items):
    assert codes(search(accounts.alice, 'bolt OR hammer')) == []  # no product has all three words
    assert set(codes(search(accounts.alice, '"hex" bolt*'))) == {'BLT-M8-40', 'BLT-M10-60'}
    assert codes(search(accounts.alice, 'claw:')) == ['HAM-500']
    assert codes(search(accounts.alice, 'name:claw')) == []  # not a column filter: no product has the word 'name'


def test_an_empty_result_is_one_empty_page(accounts, items):
    page = search(accounts.alice, 'nothing-like-this', page=5)
    assert (page.items, page.total, page.page, page.pages) == ([], 0, 1, 1)


def test_search_in_a_selection(accounts, items):
    choose_for_bob(accounts, [items['BLT-M8-40'], items['HAM-500']])
    assert codes(search(accounts.bob, 'bolt')) == ['BLT-M8-40']
    assert codes(search(accounts.bob, 'gloves')) == []


def test_search_in_a_selection_longer_or_shorter_than_the_hits(accounts, items):
    # one chosen product and two hits, then four chosen and one hit: both ways round give the same answer
    choose_for_bob(accounts, [items['BLT-M10-60']])
    assert codes(search(accounts.bob, 'bolt')) == ['BLT-M10-60']
    choose_for_bob(accounts, [items['BLT-M8-40'], items['SCR-4-40'], items['GLV-9']])
    assert codes(search(accounts.bob, 'bolt', sort='code')) == ['BLT-M10-60', 'BLT-M8-40']
    assert codes(search(accounts.bob, 'cut')) == ['GLV-9']


def test_a_search_matching_most_of_the_catalogue(accounts, items):
    # most products have a word starting with 's': the search walks the price order instead of sorting the hits
    matching = {
        code
        for code, name, _, description, barcode in ITEMS
        if any(word.startswith('s') for word in re.findall(r'\w+', f'{code} {name} {description}'.lower()))
    }
    page = search(accounts.alice, 's', sort='price')
    assert set(codes(page)) == matching and len(matching) >= 3
    prices = [card.price_cents for card in page.items]
    assert prices == sorted(prices)
    assert codes(search(accounts.alice, 's', sort='price', page=2, page_size=2)) == codes(page)[2:4]


def test_the_supplier_searches_inactive_products_too(accounts, items):
    assert codes(search(accounts.admin, 'drill')) == ['DRL-OLD']
    assert codes(search(accounts.admin, 'bolt', sort='code')) == ['BLT-M10-60', 'BLT-M8-40']


@postgres_only
def test_a_search_on_postgresql_can_use_the_trigram_index(accounts, items):
    """The query's search text must be the indexed expression, or every search reads the whole table."""
    with db.read_session() as s:
        stmt = catalogue._matching(s, select(Product.id), 'hex bolt')
        sql = str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={'literal_binds': True}))
        s.exec(text('SET LOCAL enable_seqscan = off'))  # a table this small is read whole otherwise
        plan = '\n'.join(row[0] for row in s.exec(text(f'EXPLAIN {sql}')))
    assert 'ix_product_search_text' in plan


# --- sorting and paging ---------------------------------------------------------------------------


def test_sort_keys(accounts, items):
    by_price = [code for code, _, price, *_ in sorted(ITEMS, key=lambda item: item[2])]
    assert codes(search(accounts.alice, sort='price')) == by_price
    assert codes(search(accounts.alice, sort='price_desc')) == by_price[::-1]
    assert codes(search(accounts.alice, sort='code')) == sorted(code for code, *_ in ITEMS)
    by_name = [code for code, name, *_ in sorted(ITEMS, key=lambda item: item[1])]
    assert codes(search(accounts.alice, sort='name')) == by_name
    assert codes(search(accounts.alice, sort='nonsense')) == by_name
    assert codes(search(accounts.alice, sort='name; DROP TABLE product')) == by_name


def test_ties_are_broken_by_id(accounts, items):
    with db.write_session() as s:
        twins = [
            products.create_product(
                s, actor=accounts.admin, data=ProductCreate(code=f'TWIN-{n}', name='Twin', price_cents=45)
            ).id
            for n in (2, 1, 3)
        ]
    page = search(accounts.alice, 'twin', sort='price')
    assert [card.id for card in page.items] == sorted(twins)
    page = search(accounts.alice, 'twin', sort='price_desc')
    assert [card.id for card in page.items] == sorted(twins, reverse=True)  # the exact reverse of 'price'
    cheapest = [card.price_cents for card in search(accounts.alice, sort='price', page_size=4).items]
    assert cheapest == [12, 45, 45, 45]


def test_pages_cover_everything_once_and_clamp(accounts, items):
    seen = []
    for number in (1, 2, 3):
        page = search(accounts.alice, sort='name', page=number, page_size=2)
        assert (page.total, page.pages, page.page, page.page_size) == (5, 3, number, 2)
        seen += codes(page)
    assert sorted(seen) == sorted(code for code, *_ in ITEMS)
    assert search(accounts.alice, page=99, page_size=2).page == 3
    assert codes(search(accounts.alice, page=99, page_size=2)) == seen[4:]
    assert search(accounts.alice, page=0, page_size=2).page == 1
    assert search(accounts.alice, page=-5, page_size=2).page == 1
    assert search(accounts.alice, page_size=100_000).page_size == catalogue.MAX_PAGE_SIZE
    assert search(accounts.alice, page_size=0).page_size == 1


# --- the supplier chooses what each customer sees --------------------------------------------------


def test_adding_to_a_selection_ignores_duplicates(accounts, items):
    bob = accounts.customer_b.id
    with db.write_session() as s:
        assert (
            catalogue.add_to_selection(
                s,
                actor=accounts.admin,
                customer_id=bob,
                product_ids=[items['HAM-500'], items['HAM-500'], items['GLV-9']],
            )
            == 2
        )
        assert (
            catalogue.add_to_selection(
                s, actor=accounts.admin, customer_id=bob, product_ids=[items['GLV-9'], items['SCR-4-40']]
            )
            == 1
        )
        assert catalogue.add_to_selection(s, actor=accounts.admin, customer_id=bob, product_ids=[]) == 0
    with db.read_session() as s:
        assert catalogue.selection_ids(s, actor=accounts.admin, customer_id=bob) == {
            items['HAM-500'],
            items['GLV-9'],
            items['SCR-4-40'],
        }


def test_removing_from_a_selection(accounts, items):
    bob = accounts.customer_b.id
    choose_for_bob(accounts, [items['HAM-500'], items['GLV-9']])
    with db.write_session() as s:
        assert (
            catalogue.remove_from_selection(
                s, actor=accounts.admin, customer_id=bob, product_ids=[items['HAM-500'], items['SCR-4-40'], 999_999]
            )
            == 1
        )
    with db.read_session() as s:
        assert catalogue.selection_ids(s, actor=accounts.admin, customer_id=bob) == {items['GLV-9']}
    assert codes(search(accounts.bob)) == ['GLV-9']


def test_a_large_selection_in_one_go(accounts, items):
    with db.write_session() as s:
        many = [
            products.create_product(
                s, actor=accounts.admin, data=ProductCreate(code=f'BULK-{n}', name=f'Bulk item {n}', price_cents=n)
            ).id
            for n in range(1200)
        ]
        assert (
            catalogue.add_to_selection(s, actor=accounts.admin, customer_id=accounts.customer_b.id, product_ids=many)
            == 1200
        )
        catalogue.set_catalogue_mode(
            s, actor=accounts.admin, customer_id=accounts.customer_b.id, mode=CatalogueMode.SELECTION
        )
    assert search(accounts.bob).total == 1200
    with db.write_session() as s:
        assert (
            catalogue.remove_from_selection(
                s, actor=accounts.admin, customer_id=accounts.customer_b.id, product_ids=many[:700]
            )
            == 700
        )
    assert search(accounts.bob).total == 500


def test_unknown_products_are_refused_and_nothing_is_added(accounts, items):
    with pytest.raises(ValidationError) as caught, db.write_session() as s:
        catalogue.add_to_selection(
            s, actor=accounts.admin, customer_id=accounts.customer_b.id, product_ids=[items['HAM-500'], 999_999]
        )
    assert caught.value.field == 'product_ids'
    with pytest.raises(ValidationError), db.write_session() as s:
        catalogue.add_to_selection(
            s, actor=accounts.admin, customer_id=accounts.customer_b.id, product_ids=['1; DROP TABLE product']
        )
    with db.read_session() as s:
        assert s.exec(select(CustomerProduct)).all() == []


def test_catalogue_mode_is_validated(accounts):
    with pytest.raises(ValidationError), db.write_session() as s:
        catalogue.set_catalogue_mode(s, actor=accounts.admin, customer_id=accounts.customer_a.id, mode='some')
    with pytest.raises(NotFound), db.write_session() as s:
        catalogue.set_catalogue_mode(s, actor=accounts.admin, customer_id=999, mode='all')


def test_selection_is_for_the_supplier_only(accounts, items):
    calls = [
        lambda s: catalogue.set_catalogue_mode(s, actor=accounts.bob, customer_id=accounts.customer_b.id, mode='all'),
        lambda s: catalogue.add_to_selection(
            s, actor=accounts.bob, customer_id=accounts.customer_b.id, product_ids=[items['DRL-OLD']]
        ),
        lambda s: catalogue.remove_from_selection(
            s, actor=accounts.alice, customer_id=accounts.customer_b.id, product_ids=[items['HAM-500']]
        ),
        lambda s: catalogue.selection_ids(s, actor=accounts.alice, customer_id=accounts.customer_a.id),
    ]
    for call in calls:
        with pytest.raises(AccessDenied), db.write_session() as s:
            call(s)


def test_selection_changes_are_announced_after_commit(accounts, items):
    heard = []
    events.subscribe(('catalogue', accounts.customer_b.id), heard.append)
    choose_for_bob(accounts, [items['HAM-500']])
    assert heard == [('catalogue', accounts.customer_b.id)]
    with pytest.raises(RuntimeError), db.write_session() as s:
        catalogue.add_to_selection(
            s, actor=accounts.admin, customer_id=accounts.customer_b.id, product_ids=[items['GLV-9']]
        )
        raise RuntimeError('rolled back')
    assert len(heard) == 1
