"""Bad input everywhere: every form field a service takes, fed empty, too long, the wrong type, negative, huge,
Unicode and HTML. Bad values get a ValidationError with a clear message and leave every table as it was;
Unicode and HTML in free text are kept verbatim, as text (the XSS tests show they stay harmless)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import Session, col, select

from app.catalogue import products, translations
from app.core import db, i18n, money, portal_settings
from app.core.errors import ValidationError
from app.identity import accounts, passwords
from app.identity.access import SYSTEM
from app.identity.auth import Identity
from app.models import (
    Address,
    AddressCreate,
    Customer,
    CustomerCreate,
    Order,
    OrderLine,
    OrderStatus,
    PortalUserCreate,
    Product,
    ProductCreate,
    Role,
)
from app.orders import current_order, deliveries, ordering, orders, stock
from tests.security.support import identity, snapshot

HTML = '<img src=x onerror=alert(1)>'
UNICODE = 'Zoë Łódź 東京 🙂'
WRONG_TYPES = [['a list'], {'a': 'dict'}, 12345, 12.5, True]
NUMBER_JUNK = [
    '',
    ' ',
    'abc',
    '1.5',
    '1,5',
    '1e3',
    '0x10',
    '+5',
    '5 5',
    '١٢',
    '１２',
    HTML,
    '1; DROP TABLE product',
    None,
]
NUMBER_WRONG_TYPES = [[], {}, [1], True, 1.5, float('nan'), float('inf')]


def text_junk(max_len: int, *, required: bool) -> list[Any]:
    """The bad values of a free-text field: blank (when required), one character too long, the wrong type."""
    blank = ['', '   ', '\t\n', None] if required else []
    return [*blank, 'x' * (max_len + 1), 'é' * (max_len + 1), '\x00' + 'x', 'bell\x07', *WRONG_TYPES]


@dataclass(frozen=True)
class Field:
    """A form field: how to submit a value through its service, and the values that must be refused."""

    call: Callable[[Session, Any], Any]
    bad: list[Any]


@dataclass(frozen=True)
class Ids:
    customer: Identity
    product_id: int  # in the customer's current order
    line_product_id: int
    customer_id: int
    user_id: int
    address_id: int
    order_id: int  # processing, with a reserved line
    line_id: int
    reserved: int


def ids() -> Ids:
    who = identity('customer')
    with db.write_session() as s:  # a processing order with reserved units, for the delivery form
        concept = s.exec(select(Order).where(Order.reference == 'PO-2026-0458')).one()
        orders.check_order(s, actor=SYSTEM, order_id=concept.id)
        line = s.exec(select(OrderLine).where(OrderLine.order_id == concept.id, col(OrderLine.allocated) > 0)).first()
        address = s.exec(select(Address).where(Address.customer_id == who.customer_id)).first()
        product_id = s.exec(select(Product.id).where(Product.code == 'HT-1001')).one()
        line_product = current_order.lines(s, actor=who)[0].product_id
    return Ids(
        customer=who,
        product_id=product_id,
        line_product_id=line_product,
        customer_id=who.customer_id,
        user_id=who.user_id,
        address_id=address.id,
        order_id=concept.id,
        line_id=line.id,
        reserved=line.allocated,
    )


def product_data(s: Session, product_id: int, **changes: Any) -> ProductCreate:
    item = s.get(Product, product_id)
    fields = {name: getattr(item, name) for name in ProductCreate.model_fields}
    return ProductCreate.model_construct(**{**fields, **changes})


def save_product(s: Session, product_id: int, **changes: Any) -> Product:
    """The supplier's product form saved with `changes`, every other field as stored."""
    return products.update_product(s, actor=SYSTEM, product_id=product_id, data=product_data(s, product_id, **changes))


def customer_data(**changes: Any) -> CustomerCreate:
    return CustomerCreate.model_construct(**{'name': 'Gamma GmbH', 'code': 'GAMMA', 'language': 'en', **changes})


def user_data(ids: Ids, **changes: Any) -> PortalUserCreate:
    base = {'username': 'newbuyer', 'password': 'a-good-password', 'full_name': 'New Buyer', 'role': Role.CUSTOMER}
    return PortalUserCreate.model_construct(**{**base, 'customer_id': ids.customer_id, **changes})


def address_data(**changes: Any) -> AddressCreate:
    base = {'label': '', 'recipient': 'Goods In', 'street': 'Quay 1', 'postal_code': '1234 AB', 'city': 'Delft'}
    return AddressCreate.model_construct(**{**base, 'country': '', **changes})


def place_with(s: Session, who: Identity, **options: Any) -> Order:
    key = current_order.get_or_create(s, actor=who).placement_key
    return ordering.place_current_order(s, actor=who, placement_key=key, **options)


QUANTITY_BAD = ['0', '-1', -1, 0, '100001', 100_001, '9' * 60, 10**30, *NUMBER_JUNK, *NUMBER_WRONG_TYPES]
ADDRESS_LIMITS = {'recipient': 120, 'street': 200, 'postal_code': 20, 'city': 100, 'label': 60, 'country': 60}


def fields(i: Ids) -> dict[str, Field]:
    """Every form field, by the form it is on."""
    c = i.customer
    table = {
        # the customer's current order and placing it
        'current order: add quantity': Field(
            lambda s, v: current_order.add(s, actor=c, product_id=i.product_id, quantity=v), QUANTITY_BAD
        ),
        'current order: line quantity': Field(
            lambda s, v: current_order.set_quantity(s, actor=c, product_id=i.line_product_id, quantity=v), QUANTITY_BAD
        ),
        'current order: comment': Field(
            lambda s, v: current_order.update_details(s, actor=c, comment=v, reference=''),
            text_junk(current_order.MAX_COMMENT_CHARS, required=False),
        ),
        'current order: reference': Field(
            lambda s, v: current_order.update_details(s, actor=c, comment='', reference=v),
            text_junk(current_order.MAX_REFERENCE_CHARS, required=False),
        ),
        'place order: comment': Field(
            lambda s, v: place_with(s, c, comment=v), text_junk(current_order.MAX_COMMENT_CHARS, required=False)
        ),
        'place order: reference': Field(
            lambda s, v: place_with(s, c, reference=v), text_junk(current_order.MAX_REFERENCE_CHARS, required=False)
        ),
        # the supplier's product form, stock and price text
        'product: code': Field(
            lambda s, v: save_product(s, i.product_id, code=v),
            [*text_junk(40, required=True), 'has space', HTML, 'ÄÖÜ', 'FA-1002', 'fa-1002'],
        ),
        'product: name': Field(
            lambda s, v: save_product(s, i.product_id, name=v),
            text_junk(200, required=True),
        ),
        'product: description': Field(
            lambda s, v: save_product(s, i.product_id, description=v),
            text_junk(5000, required=False),
        ),
        'product: barcode': Field(
            lambda s, v: save_product(s, i.product_id, barcode=v),
            ['abc', '1' * 41, '12 34', '１２３', HTML, '-1', *WRONG_TYPES],
        ),
        'product: unit': Field(
            lambda s, v: save_product(s, i.product_id, unit=v),
            text_junk(20, required=True),
        ),
        'product: price (cents)': Field(
            lambda s, v: save_product(s, i.product_id, price_cents=v),
            [-1, money.MAX_PRICE_CENTS + 1, 10**30, '12', None, *NUMBER_WRONG_TYPES],
        ),
        'product: price as typed': Field(
            lambda s, v: money.parse_price(v),
            [
                '',
                ' ',
                'abc',
                '-1',
                '-0.01',
                '1.234',
                '1e5',
                '99999999999',
                '10000000.01',
                'NaN',
                'Infinity',
                '1,2,3',
                '12.5.1',
                '1_000',
                '½',
                HTML,
                '€12',
                None,
                [],
                {},
            ],
        ),
        'product (new): code': Field(
            lambda s, v: products.create_product(
                s, actor=SYSTEM, data=ProductCreate.model_construct(code=v, name='New', unit='piece', price_cents=1)
            ),
            [*text_junk(40, required=True), 'has space', HTML, 'FA-1002'],
        ),
        'stock: received quantity': Field(
            lambda s, v: stock.receive_stock(s, actor=SYSTEM, product_id=i.product_id, quantity=v),
            [0, -1, '0', '-1', stock.MAX_RECEIPT + 1, '99999999999', 10**30, *NUMBER_JUNK, *NUMBER_WRONG_TYPES],
        ),
        'stock: received note': Field(
            lambda s, v: stock.receive_stock(s, actor=SYSTEM, product_id=i.product_id, quantity=1, note=v),
            text_junk(stock.MAX_NOTE_CHARS, required=False),
        ),
        'stock: counted quantity': Field(
            lambda s, v: stock.count_stock(s, actor=SYSTEM, product_id=i.product_id, counted=v),
            [-1, '-1', stock.MAX_COUNT + 1, 10**30, 1e20, *NUMBER_JUNK, *NUMBER_WRONG_TYPES],
        ),
        'stock: count note': Field(
            lambda s, v: stock.count_stock(s, actor=SYSTEM, product_id=i.product_id, counted=5, note=v),
            text_junk(stock.MAX_NOTE_CHARS, required=False),
        ),
        # deliveries
        'delivery: quantity': Field(
            lambda s, v: deliveries.record_delivery(s, actor=SYSTEM, order_id=i.order_id, quantities={i.line_id: v}),
            [-1, '-1', 0, i.reserved + 1, 10**30, *NUMBER_JUNK, *NUMBER_WRONG_TYPES],
        ),
        'delivery: line': Field(
            lambda s, v: deliveries.record_delivery(s, actor=SYSTEM, order_id=i.order_id, quantities={v: 1}),
            [i.line_id + 10_000, -1, 'abc', None, 1.5],
        ),
        'delivery: tracking code': Field(
            lambda s, v: deliveries.record_delivery(
                s, actor=SYSTEM, order_id=i.order_id, quantities={i.line_id: 1}, tracking_code=v
            ),
            text_junk(deliveries.MAX_TRACKING_CHARS, required=False),
        ),
        # the supplier's order for a customer
        'supplier order: lines': Field(
            lambda s, v: ordering.place_order_for_customer(s, actor=SYSTEM, customer_id=i.customer_id, lines=v),
            [
                [],
                [(i.product_id, 0)],
                [(i.product_id, 'abc')],
                [('x', 1)],
                [(None, 1)],
                [(True, 1)],
                [(i.product_id, 60_000), (i.product_id, 60_000)],
            ],
        ),
        # customers and portal users
        'customer: name': Field(
            lambda s, v: accounts.create_customer(s, actor=SYSTEM, data=customer_data(name=v)),
            text_junk(120, required=True),
        ),
        'customer: code': Field(
            lambda s, v: accounts.create_customer(s, actor=SYSTEM, data=customer_data(code=v)),
            [*text_junk(32, required=True), 'A B', HTML, 'ÄBC', 'demo', '-DEMO'],
        ),
        'customer: language': Field(
            lambda s, v: accounts.create_customer(s, actor=SYSTEM, data=customer_data(language=v)),
            ['', 'xx', 'EN', None, HTML, *WRONG_TYPES],
        ),
        'customer: catalogue mode': Field(
            lambda s, v: accounts.create_customer(s, actor=SYSTEM, data=customer_data(catalogue_mode=v)),
            ['', 'everything', None, HTML, *WRONG_TYPES],
        ),
        'user: user name': Field(
            lambda s, v: accounts.create_user(s, actor=SYSTEM, data=user_data(i, username=v)),
            ['', 'ab', 'x' * 65, 'a b', HTML, 'jürgen', 'customer', 'CUSTOMER', None, *WRONG_TYPES],
        ),
        'user: password': Field(
            lambda s, v: accounts.create_user(s, actor=SYSTEM, data=user_data(i, password=v)),
            ['', 'short', 'é' * 7, ' ' * 12, 'x' * 129, '\u00e9' * 129, None, 12345678, ['a-good-password']],
        ),
        'user: full name': Field(
            lambda s, v: accounts.create_user(s, actor=SYSTEM, data=user_data(i, full_name=v)),
            text_junk(120, required=False),
        ),
        'user: role': Field(
            lambda s, v: accounts.create_user(s, actor=SYSTEM, data=user_data(i, role=v)),
            ['', 'root', 'ADMIN ', None, HTML, *WRONG_TYPES],
        ),
        'user: customer': Field(
            lambda s, v: accounts.create_user(s, actor=SYSTEM, data=user_data(i, customer_id=v)),
            [None, -1, 0, 99_999, 10**30, 'abc', [], True],
        ),
        'user: new password': Field(
            lambda s, v: accounts.reset_password(s, actor=SYSTEM, user_id=i.user_id, password=v),
            ['', 'short', ' ' * 12, 'x' * 129, None, 12345678],
        ),
        # the product's name and description in another language
        'product translation: name': Field(
            lambda s, v: translations.set_product_translation(
                s, actor=SYSTEM, product_id=i.product_id, language='de', name=v, description=''
            ),
            text_junk(translations.MAX_NAME_CHARS, required=False),
        ),
        'product translation: description': Field(
            lambda s, v: translations.set_product_translation(
                s, actor=SYSTEM, product_id=i.product_id, language='de', name='', description=v
            ),
            text_junk(translations.MAX_DESCRIPTION_CHARS, required=False),
        ),
        'product translation: language': Field(
            lambda s, v: translations.set_product_translation(
                s, actor=SYSTEM, product_id=i.product_id, language=v, name='Klauenhammer', description=''
            ),
            ['', 'xx', 'DE', 'de ', 'en', None, HTML, *WRONG_TYPES],  # 'en', the default: the product's own texts
        ),
        # the dashboard text
        'dashboard text': Field(
            lambda s, v: portal_settings.save_dashboard_text(s, actor=SYSTEM, text=v),
            ['x' * (portal_settings.MAX_DASHBOARD_CHARS + 1), None, 123, ['# list'], {'a': 1}],
        ),
        'dashboard text: language': Field(
            lambda s, v: portal_settings.save_dashboard_text(s, actor=SYSTEM, text='# Hallo', language=v),
            ['', 'xx', 'NL', 'nl ', HTML, *WRONG_TYPES],
        ),
        # filters
        'orders: status filter': Field(
            lambda s, v: orders.list_orders(s, actor=c, status=v), ['bogus', HTML, 'OPEN', 'Concept ']
        ),
    }
    for name, limit in ADDRESS_LIMITS.items():
        required = name not in {'label', 'country'}
        table[f'address book: {name}'] = Field(
            lambda s, v, name=name: accounts.add_address(
                s, actor=c, customer_id=i.customer_id, data=address_data(**{name: v})
            ),
            text_junk(limit, required=required),
        )
        table[f'place order, new address: {name}'] = Field(
            lambda s, v, name=name: place_with(s, c, new_address=address_data(**{name: v}), save_address=True),
            text_junk(limit, required=required),
        )
    return table


def refusal(call: Callable[[Session, Any], Any], value: Any) -> str | None:
    """The message a value is refused with, or None when it was accepted (the transaction is rolled back).

    Any other exception is a crash: the person at the screen would get no message at all.
    """
    try:
        with db.write_session() as s:
            call(s, value)
            s.rollback()
    except ValidationError as error:
        return error.message
    except Exception as error:
        return f'CRASH {type(error).__name__}: {error}'
    return None


def clear(message: str) -> bool:
    """A message for a person: a sentence, short, without Python's words for things."""
    return (
        message[:1].isupper()
        and message.endswith('.')
        and len(message) <= 160
        and not any(word in message for word in ['Traceback', 'Error', 'None', '[', '{', '\\x'])
    )


FORMS = [
    'current order',
    'place order',
    'place order, new address',
    'product',
    'product (new)',
    'product translation',
    'stock',
    'delivery',
    'supplier order',
    'customer',
    'user',
    'dashboard text',
    'orders',
    'address book',
]


def form_of(field_name: str) -> str:
    return field_name.split(':')[0]


@pytest.mark.parametrize('form', FORMS)
def test_every_bad_value_in_every_field_gets_a_clear_message_and_changes_nothing(form: str) -> None:
    """ASVS 2.2.1 (input validated to the expected type, length and range) / 2.2.2 (on the server) / 15.3.5 (no
    type juggling) / 16.5.3 (no crash): each field of the form, each bad value: a ValidationError a person can
    read, and no table changed."""
    table = {name: f for name, f in fields(ids()).items() if form_of(name) == form}
    assert table, form
    before = snapshot()
    failures = []
    for name, field in table.items():
        for value in field.bad:
            message = refusal(field.call, value)
            if message is None:
                failures.append(f'{name}: {value!r:.40} was accepted')
            elif not clear(message):
                failures.append(f'{name}: {value!r:.40} gave an unclear message: {message!r}')
    assert failures == []
    assert snapshot() == before


def test_every_form_of_the_table_is_checked() -> None:
    assert {form_of(name) for name in fields(ids())} == set(FORMS)


# --- what is not bad: Unicode and HTML are text like any other -------------------------------------------


def test_unicode_and_html_in_free_text_are_kept_verbatim() -> None:
    """ASVS 2.2.1: text is not 'sanitised' into something else; it is stored as typed (and shown as text)."""
    c = identity('customer')
    text = f'{UNICODE} {HTML}'
    with db.write_session() as s:
        current_order.update_details(s, actor=c, comment=text, reference=HTML)
        address = accounts.add_address(
            s, actor=c, customer_id=c.customer_id, data=address_data(recipient=text, street=HTML, city=UNICODE)
        )
        product = products.create_product(
            s,
            actor=SYSTEM,
            data=ProductCreate.model_construct(code='XSS-1', name=text, description=text, unit='stück', price_cents=1),
        )
        customer = accounts.create_customer(s, actor=SYSTEM, data=customer_data(name=text))
    with db.read_session() as s:
        current = current_order.get_or_create(s, actor=c)
        assert (current.comment, current.reference) == (text, HTML)
        assert (s.get(Address, address.id).recipient, s.get(Address, address.id).city) == (text, UNICODE)
        assert (s.get(Product, product.id).name, s.get(Product, product.id).description) == (text, text)
        assert s.get(Customer, customer.id).name == text


def test_long_multibyte_passwords_count_in_full() -> None:
    """ASVS 6.2.1 / 6.2.8 / 6.2.9: passwords of up to 128 characters of any script work, and every byte counts
    (bcrypt alone would silently ignore everything after the 72nd byte)."""
    long = 'é' * 36 + 'ü' * 40  # 152 bytes in UTF-8, 76 characters
    assert len(long.encode()) > 72
    with db.write_session() as s:
        user = accounts.create_user(
            s, actor=SYSTEM, data=PortalUserCreate.model_construct(username='longpass', password=long, role=Role.ADMIN)
        )
    assert passwords.verify(long, user.password_hash)
    assert not passwords.verify('é' * 36 + 'ü' * 39 + 'x', user.password_hash)  # same first 72 bytes
    assert not passwords.verify('é' * 36, user.password_hash)


@pytest.mark.parametrize(
    'query',
    [
        '"',
        "'",
        'NEAR(a b)',
        '*',
        'a OR b',
        '-x',
        '^',
        'name:x',
        "'; DROP TABLE product; --",
        '%',
        '_',
        '\\',
        '東京',
        HTML,
        'x' * 10_000,
        '\x00',
    ],
)
def test_search_boxes_take_anything_without_an_error(query: str) -> None:
    """ASVS 1.2.4 (injection): search text never becomes query syntax (FTS5 or LIKE), whatever it holds."""
    from app.catalogue import catalogue

    with db.read_session() as s:
        catalogue.search_products(s, actor=identity('customer'), query=query)
        with i18n.speaking('nl'):  # a language with translated product texts: searched through their index too
            catalogue.search_products(s, actor=identity('customer2'), query=query)
        orders.list_orders(s, actor=identity('customer'), search=query)
        orders.admin_list_orders(s, actor=SYSTEM, search=query)
        accounts.list_customers(s, actor=SYSTEM, search=query)
        products.list_products(s, actor=SYSTEM, query=query)
    assert OrderStatus.CONCEPT
