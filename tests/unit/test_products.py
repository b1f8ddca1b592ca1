"""The supplier's product administration: validation, unique codes, changes and the product list."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app.catalogue import products
from app.core import clock, db, events
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.core.money import MAX_PRICE_CENTS
from app.models import Product, ProductCreate


def data(**changes) -> ProductCreate:
    """Form data as a page builds it; model_construct lets tests send what a form could, unchecked."""
    fields = {
        'code': 'HAM-500',
        'name': 'Claw hammer',
        'description': 'Fibreglass handle.',
        'barcode': '',
        'unit': 'piece',
        'price_cents': 1995,
        'active': True,
    }
    return ProductCreate.model_construct(**{**fields, **changes})


def create(who, **changes) -> Product:
    with db.write_session() as s:
        return products.create_product(s, actor=who, data=data(**changes))


def update(who, product_id, **changes) -> Product:
    with db.write_session() as s:
        return products.update_product(s, actor=who, product_id=product_id, data=data(**changes))


def all_products():
    with db.read_session() as s:
        return s.exec(select(Product).order_by(Product.id)).all()


def test_create_cleans_the_input(accounts):
    product = create(
        accounts.admin,
        code='  ham-500/b ',
        name='  Claw \n hammer\t 500 g ',
        unit=' box ',
        description='\n  Line one\r\nLine two  \n',
        barcode=' 8712345000011 ',
        price_cents=0,
    )
    assert (product.code, product.name, product.unit) == ('HAM-500/B', 'Claw hammer 500 g', 'box')
    assert (product.description, product.barcode, product.price_cents) == ('Line one\nLine two', '8712345000011', 0)
    assert (product.on_hand, product.allocated, product.active) == (0, 0, True)


def test_codes_are_unique_whatever_the_case(accounts):
    create(accounts.admin, code='HAM-500')
    with pytest.raises(ValidationError) as caught:
        create(accounts.admin, code='ham-500', name='Another hammer')
    assert (caught.value.field, caught.value.message) == ('code', 'Product code HAM-500 is already in use.')
    assert [p.name for p in all_products()] == ['Claw hammer']


@pytest.mark.parametrize(
    ('changes', 'field', 'message'),
    [
        ({'code': ''}, 'code', 'The product code is required.'),
        ({'code': '   '}, 'code', 'The product code is required.'),
        ({'code': 'HAM 500'}, 'code', 'The product code may use letters, digits, dot, dash, underscore and slash.'),
        ({'code': 'HAM#5'}, 'code', 'The product code may use letters, digits, dot, dash, underscore and slash.'),
        ({'code': 'HÄM'}, 'code', 'The product code may use letters, digits, dot, dash, underscore and slash.'),
        ({'code': 'C' * 41}, 'code', 'The product code can be at most 40 characters.'),
        ({'name': ''}, 'name', 'The name is required.'),
        ({'name': None}, 'name', 'The name is required.'),
        ({'name': 'n' * 201}, 'name', 'The name can be at most 200 characters.'),
        ({'description': 'd' * 5001}, 'description', 'The description can be at most 5,000 characters.'),
        ({'barcode': '87123-45'}, 'barcode', 'A barcode has only digits, at most 40.'),
        ({'barcode': 'ABC'}, 'barcode', 'A barcode has only digits, at most 40.'),
        ({'barcode': '1' * 41}, 'barcode', 'A barcode has only digits, at most 40.'),
        ({'unit': ''}, 'unit', 'The unit is required.'),
        ({'unit': 'u' * 21}, 'unit', 'The unit can be at most 20 characters.'),
        ({'price_cents': -1}, 'price_cents', 'The price cannot be negative.'),
        ({'price_cents': MAX_PRICE_CENTS + 1}, 'price_cents', 'That price is too high.'),
        ({'price_cents': '12.50'}, 'price_cents', 'Enter the price as a number, for example 12.50.'),
        ({'price_cents': 12.5}, 'price_cents', 'Enter the price as a number, for example 12.50.'),
        ({'price_cents': None}, 'price_cents', 'Enter the price as a number, for example 12.50.'),
        ({'price_cents': True}, 'price_cents', 'Enter the price as a number, for example 12.50.'),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(accounts, changes, field, message):
    with pytest.raises(ValidationError) as caught:
        create(accounts.admin, **changes)
    assert (caught.value.field, caught.value.message) == (field, message)
    assert all_products() == []


def test_limits_themselves_are_fine(accounts):
    product = create(
        accounts.admin,
        code='C' * 40,
        name='n' * 200,
        description='d' * 5000,
        barcode='1' * 40,
        unit='u' * 20,
        price_cents=MAX_PRICE_CENTS,
    )
    assert (len(product.code), len(product.name), product.price_cents) == (40, 200, MAX_PRICE_CENTS)
    assert create(accounts.admin, code='a.b_c-d/e').code == 'A.B_C-D/E'


def test_products_are_for_the_supplier_only(accounts):
    product = create(accounts.admin)
    for who in (accounts.alice, accounts.bob, None):
        with pytest.raises(AccessDenied):
            create(who, code='OTHER')
        with pytest.raises(AccessDenied):
            update(who, product.id, name='Taken over')
        with pytest.raises(AccessDenied), db.read_session() as s:
            products.list_products(s, actor=who)
    assert [p.name for p in all_products()] == ['Claw hammer']


def test_update_changes_the_product_but_not_its_stock(accounts):
    class Later:
        now = clock.now() + timedelta(hours=1)

        def __call__(self):
            return self.now

    product = create(accounts.admin)
    with db.write_session() as s:
        stored = s.get(Product, product.id)
        stored.on_hand, stored.allocated = 40, 5
    clock.set_now(Later())
    changed = update(
        accounts.admin, product.id, code='ham-500', name='Claw hammer, steel', price_cents=2100, active=False
    )
    assert (changed.code, changed.name, changed.price_cents, changed.active) == (
        'HAM-500',
        'Claw hammer, steel',
        2100,
        False,
    )
    [stored] = all_products()
    assert (stored.name, stored.on_hand, stored.allocated) == ('Claw hammer, steel', 40, 5)
    assert stored.updated_at.replace(tzinfo=None) == Later.now.replace(tzinfo=None)
    assert stored.created_at < stored.updated_at


def test_update_refuses_another_products_code(accounts):
    create(accounts.admin, code='HAM-500')
    other = create(accounts.admin, code='GLV-9', name='Gloves')
    with pytest.raises(ValidationError) as caught:
        update(accounts.admin, other.id, code='Ham-500', name='Gloves')
    assert caught.value.field == 'code'
    with pytest.raises(ValidationError):
        update(accounts.admin, other.id, code='GLV-9', name='')
    assert [(p.code, p.name) for p in all_products()] == [('HAM-500', 'Claw hammer'), ('GLV-9', 'Gloves')]


def test_update_of_a_missing_product(accounts):
    with pytest.raises(NotFound):
        update(accounts.admin, 999)


def test_changes_are_announced_after_commit(accounts):
    heard = []
    events.subscribe(('catalogue',), heard.append)
    product = create(accounts.admin)
    events.subscribe(('stock', product.id), heard.append)
    update(accounts.admin, product.id, name='Claw hammer XL')
    assert heard[0] == ('catalogue',)
    assert sorted(heard[1:], key=str) == [('catalogue',), ('stock', product.id)]
    with pytest.raises(ValidationError):
        update(accounts.admin, product.id, price_cents=-5)
    assert len(heard) == 3


def test_the_product_list_searches_sorts_and_pages(accounts):
    for code, name, price, active in [
        ('SCR-4', 'Wood screw', 12, True),
        ('BLT-8', 'Hex bolt', 45, True),
        ('BLT-10', 'Hex bolt large', 80, False),
        ('HAM-1', 'Claw hammer', 1995, True),
    ]:
        create(accounts.admin, code=code, name=name, price_cents=price, active=active)
    with db.read_session() as s:
        everything = products.list_products(s, actor=accounts.admin)
        assert [p.code for p in everything.items] == ['BLT-10', 'BLT-8', 'HAM-1', 'SCR-4']  # inactive too
        assert all(isinstance(p, Product) for p in everything.items)
        bolts = products.list_products(s, actor=accounts.admin, query='bolt', sort='price_desc')
        assert [p.code for p in bolts.items] == ['BLT-10', 'BLT-8']
        assert [p.code for p in products.list_products(s, actor=accounts.admin, query='blt-1').items] == ['BLT-10']
        second = products.list_products(s, actor=accounts.admin, page=2, page_size=3)
        assert ([p.code for p in second.items], second.total, second.pages, second.page) == (['SCR-4'], 4, 2, 2)
        assert products.list_products(s, actor=accounts.admin, page=7, page_size=3).page == 2
        assert products.list_products(s, actor=accounts.admin, query='"NEAR(').total == 0
