"""The current order: quantities, lines, totals and details, kept per portal user in the database."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app.catalogue import catalogue, products
from app.core import clock, config, db, events
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.identity import accounts as account_service
from app.identity.access import SYSTEM
from app.models import CurrentOrder, CurrentOrderLine, PortalUserCreate, ProductCreate, ProductImage
from app.orders import current_order
from app.orders.current_order import MAX_QUANTITY
from app.pricing.vat import VatAmount
from tests.conftest import identity_of
from tests.services import read


@pytest.fixture
def items(accounts):
    """{code: id} of three active products and an inactive one, with some stock."""
    stock = {'HAM': (10, 2), 'GLV': (3, 3), 'SCR': (500, 0), 'OLD': (5, 0)}
    prices = {'HAM': 1995, 'GLV': 350, 'SCR': 12, 'OLD': 100}
    with db.write_session() as s:
        ids = {}
        for code, price in prices.items():
            product = products.create_product(
                s,
                actor=accounts.admin,
                data=ProductCreate(
                    code=code, name=f'Product {code}', price_cents=price, unit='box', active=code != 'OLD'
                ),
            )
            product.on_hand, product.allocated = stock[code]
            ids[code] = product.id
    return ids


def add(who, product_id, quantity):
    with db.write_session() as s:
        return current_order.add(s, actor=who, product_id=product_id, quantity=quantity)


def line_rows():
    with db.read_session() as s:
        return [(row.user_id, row.product_id, row.quantity) for row in s.exec(select(CurrentOrderLine)).all()]


# --- quantities -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ('raw', 'expected'),
    [
        (1, 1),
        ('1', 1),
        (' 12 ', 12),
        ('007', 7),
        (MAX_QUANTITY, MAX_QUANTITY),
        ('100000', 100_000),
    ],
)
def test_whole_numbers_are_quantities(raw, expected):
    assert current_order.parse_quantity(raw) == expected


@pytest.mark.parametrize(
    'raw',
    [
        0,
        -1,
        '0',
        '-3',
        '+3',
        '1.5',
        '1,5',
        '1.0',
        '1e3',
        '1 000',
        'abc',
        '',
        '   ',
        None,
        True,
        False,
        1.0,
        2.5,
        MAX_QUANTITY + 1,
        '100001',
        '9' * 30,
        10**30,
        '１２',
        '٣',
        [],
        {},
        b'12',
    ],
)
def test_anything_else_is_refused_with_a_clear_message(raw):
    with pytest.raises(ValidationError) as caught:
        current_order.parse_quantity(raw)
    assert caught.value.message == 'Enter a whole number between 1 and 100,000.'
    assert caught.value.field == 'quantity'


@pytest.mark.parametrize('raw', ['0', '-1', '1.5', 'lots', None, True, '100001'])
def test_a_bad_quantity_changes_nothing(accounts, items, raw):
    add(accounts.alice, items['HAM'], 2)
    for action in (current_order.add, current_order.set_quantity):
        with pytest.raises(ValidationError), db.write_session() as s:
            action(s, actor=accounts.alice, product_id=items['HAM'], quantity=raw)
        with pytest.raises(ValidationError), db.write_session() as s:
            action(s, actor=accounts.alice, product_id=items['SCR'], quantity=raw)
    assert line_rows() == [(accounts.alice.user_id, items['HAM'], 2)]


# --- adding, changing, removing -------------------------------------------------------------------


def test_adding_twice_accumulates(accounts, items):
    assert add(accounts.alice, items['HAM'], 2) == 2
    assert add(accounts.alice, items['HAM'], '3') == 5
    assert read(current_order.quantities, accounts.alice, product_ids=[items['HAM'], items['SCR']]) == {items['HAM']: 5}
    # prices exclude VAT; the standard rate (21 % by default) is added once over the lines: 9975 * 0.21 = 2094.75
    assert read(current_order.summary, accounts.alice) == current_order.Summary(
        lines=1,
        units=5,
        subtotal_cents=5 * 1995,
        vat=(VatAmount(rate_bp=2100, base_cents=9975, vat_cents=2095),),
        vat_cents=2095,
        total_cents=9975 + 2095,
    )


def test_a_line_holds_at_most_the_maximum(accounts, items):
    assert add(accounts.alice, items['SCR'], MAX_QUANTITY - 1) == MAX_QUANTITY - 1
    with pytest.raises(ValidationError) as caught:
        add(accounts.alice, items['SCR'], 2)
    assert '99,999' in caught.value.message and '100,000' in caught.value.message
    assert add(accounts.alice, items['SCR'], 1) == MAX_QUANTITY
    assert line_rows() == [(accounts.alice.user_id, items['SCR'], MAX_QUANTITY)]


def test_only_orderable_products_can_be_added(accounts, items):
    with db.write_session() as s:
        catalogue.set_catalogue_mode(s, actor=accounts.admin, customer_id=accounts.customer_b.id, mode='selection')
        catalogue.add_to_selection(
            s, actor=accounts.admin, customer_id=accounts.customer_b.id, product_ids=[items['GLV'], items['OLD']]
        )
    for who, product_id in [
        (accounts.alice, items['OLD']),
        (accounts.alice, 999_999),
        (accounts.bob, items['HAM']),
        (accounts.bob, items['OLD']),
    ]:
        with pytest.raises(NotFound):
            add(who, product_id, 1)
    assert add(accounts.bob, items['GLV'], 1) == 1
    assert line_rows() == [(accounts.bob.user_id, items['GLV'], 1)]


def test_set_quantity_and_remove(accounts, items):
    add(accounts.alice, items['HAM'], 2)
    add(accounts.alice, items['SCR'], 9)
    with db.write_session() as s:
        current_order.set_quantity(s, actor=accounts.alice, product_id=items['HAM'], quantity='7')
        assert current_order.remove(s, actor=accounts.alice, product_id=items['SCR']) == 9  # for an undo
        assert current_order.remove(s, actor=accounts.alice, product_id=items['SCR']) == 0  # already gone: no error
    assert line_rows() == [(accounts.alice.user_id, items['HAM'], 7)]
    with pytest.raises(NotFound), db.write_session() as s:
        current_order.set_quantity(s, actor=accounts.alice, product_id=items['SCR'], quantity=1)


def restore(who, product_id, quantity):
    with db.write_session() as s:
        return current_order.restore(s, actor=who, product_id=product_id, quantity=quantity)


def test_undo_puts_a_removed_line_back_once_however_often_it_is_sent(accounts, items):
    add(accounts.alice, items['HAM'], 2)
    add(accounts.alice, items['SCR'], 3)
    with db.write_session() as s:
        removed = current_order.remove(s, actor=accounts.alice, product_id=items['SCR'])
    assert [restore(accounts.alice, items['SCR'], removed) for _ in range(3)] == [True, False, False]  # double click
    assert read(current_order.quantities, accounts.alice, product_ids=[items['SCR']]) == {items['SCR']: 3}
    assert [line.product_id for line in read(current_order.lines, accounts.alice)] == [items['HAM'], items['SCR']]


def test_undo_after_the_product_was_added_again_keeps_what_is_there(accounts, items):
    add(accounts.alice, items['SCR'], 3)
    with db.write_session() as s:
        current_order.remove(s, actor=accounts.alice, product_id=items['SCR'])
    add(accounts.alice, items['SCR'], 1)  # from the catalogue, in another tab
    assert restore(accounts.alice, items['SCR'], 3) is False
    assert line_rows() == [(accounts.alice.user_id, items['SCR'], 1)]


def test_undo_checks_the_product_and_the_quantity_like_adding(accounts, items):
    with pytest.raises(NotFound):
        restore(accounts.alice, items['OLD'], 1)
    with pytest.raises(ValidationError, match='whole number'):
        restore(accounts.alice, items['HAM'], 0)
    with pytest.raises(AccessDenied):
        restore(accounts.admin, items['HAM'], 1)
    assert line_rows() == []


def test_what_a_page_showed_carries_the_prices_the_customer_agreed_to(accounts, items):
    add(accounts.alice, items['HAM'], 2)
    add(accounts.alice, items['SCR'], 5)
    lines = read(current_order.lines, accounts.alice)
    assert current_order.shown_of(lines) == [
        current_order.ShownLine(items['HAM'], 2, 1995),
        current_order.ShownLine(items['SCR'], 5, 12),
    ]
    assert current_order.shown_of(lines, {items['SCR']: 10})[1] == current_order.ShownLine(items['SCR'], 5, 10)


def test_clear_keeps_the_details(accounts, items):
    add(accounts.alice, items['HAM'], 2)
    add(accounts.alice, items['SCR'], 3)
    with db.write_session() as s:
        current_order.update_details(s, actor=accounts.alice, comment='Deliver at the back door', reference='PO-1')
        current_order.clear(s, actor=accounts.alice)
    assert read(current_order.lines, accounts.alice) == []
    assert read(current_order.summary, accounts.alice) == current_order.Summary(lines=0, units=0, subtotal_cents=0)
    with db.write_session() as s:
        assert current_order.get_or_create(s, actor=accounts.alice).comment == 'Deliver at the back door'


# --- tenancy and persistence ----------------------------------------------------------------------


def test_bob_cannot_touch_alices_current_order(accounts, items):
    add(accounts.alice, items['HAM'], 4)
    assert read(current_order.lines, accounts.bob) == []
    assert read(current_order.quantities, accounts.bob, product_ids=[items['HAM']]) == {}
    with pytest.raises(NotFound), db.write_session() as s:
        current_order.set_quantity(s, actor=accounts.bob, product_id=items['HAM'], quantity=1)
    with db.write_session() as s:
        current_order.remove(s, actor=accounts.bob, product_id=items['HAM'])
        current_order.clear(s, actor=accounts.bob)
        current_order.update_details(s, actor=accounts.bob, comment='bob was here', reference='BOB')
    assert line_rows() == [(accounts.alice.user_id, items['HAM'], 4)]
    with db.write_session() as s:
        assert current_order.get_or_create(s, actor=accounts.alice).comment == ''


def test_two_users_of_one_customer_have_their_own_current_orders(accounts, items):
    with db.write_session() as s:
        colleague = account_service.create_user(
            s,
            actor=SYSTEM,
            data=PortalUserCreate(username='alice2', password='alice2-password', customer_id=accounts.customer_a.id),
        )
    colleague = identity_of(colleague.id)
    add(accounts.alice, items['HAM'], 1)
    add(colleague, items['HAM'], 6)
    assert read(current_order.quantities, accounts.alice, product_ids=[items['HAM']]) == {items['HAM']: 1}
    assert read(current_order.quantities, colleague, product_ids=[items['HAM']]) == {items['HAM']: 6}


def test_the_current_order_survives_signing_out(accounts, items):
    add(accounts.alice, items['HAM'], 3)
    with db.write_session() as s:
        current_order.update_details(s, actor=accounts.alice, comment='Call first', reference='PO 77')
        key = current_order.get_or_create(s, actor=accounts.alice).placement_key
    db.dispose()  # as after a restart: nothing kept in memory
    db.configure(config.get().database_url)
    again = identity_of(accounts.alice.user_id)  # signed in anew, another browser session
    assert [(line.product_id, line.quantity) for line in read(current_order.lines, again)] == [(items['HAM'], 3)]
    with db.write_session() as s:
        draft = current_order.get_or_create(s, actor=again)
    assert (draft.comment, draft.reference, draft.placement_key) == ('Call first', 'PO 77', key)


def test_only_customer_users_have_a_current_order(accounts, items):
    calls = [
        lambda s: current_order.get_or_create(s, actor=accounts.admin),
        lambda s: current_order.add(s, actor=accounts.admin, product_id=items['HAM'], quantity=1),
        lambda s: current_order.set_quantity(s, actor=accounts.admin, product_id=items['HAM'], quantity=1),
        lambda s: current_order.remove(s, actor=accounts.admin, product_id=items['HAM']),
        lambda s: current_order.clear(s, actor=accounts.admin),
        lambda s: current_order.lines(s, actor=accounts.admin),
        lambda s: current_order.summary(s, actor=accounts.admin),
        lambda s: current_order.quantities(s, actor=accounts.admin, product_ids=[items['HAM']]),
        lambda s: current_order.update_details(s, actor=accounts.admin, comment='', reference=''),
        lambda s: current_order.summary(s, actor=None),
    ]
    for call in calls:
        with pytest.raises(AccessDenied), db.write_session() as s:
            call(s)


def test_get_or_create_makes_one_with_a_placement_key(accounts):
    with db.write_session() as s:
        first = current_order.get_or_create(s, actor=accounts.alice)
    with db.write_session() as s:
        second = current_order.get_or_create(s, actor=accounts.alice)
        other = current_order.get_or_create(s, actor=accounts.bob)
    assert first.placement_key == second.placement_key != other.placement_key
    assert len(first.placement_key) >= 20
    with db.read_session() as s:
        assert len(s.exec(select(CurrentOrder)).all()) == 2


# --- lines and totals -----------------------------------------------------------------------------


class FakeClock:
    def __init__(self):
        self.now = clock.now()

    def __call__(self):
        self.now += timedelta(seconds=1)
        return self.now


def test_lines_show_stock_outcome_and_current_price(accounts, shop, items):
    clock.set_now(FakeClock())
    add(accounts.alice, items['SCR'], 20)
    add(accounts.alice, items['HAM'], 12)  # 8 free
    add(accounts.alice, items['GLV'], 2)  # none free
    add(accounts.alice, items['SCR'], 5)  # added to the first line: keeps its place
    with db.write_session() as s:
        image = ProductImage(product_id=items['HAM'], filename='h.webp', thumb_filename='h-t.webp')
        s.add(image)
        s.flush()
        image_id = image.id
    shop.change_product(items['HAM'], name='Claw hammer', price_cents=2100, unit='piece')
    lines = read(current_order.lines, accounts.alice)
    assert [line.product_id for line in lines] == [items['SCR'], items['HAM'], items['GLV']]
    scr, ham, glv = lines
    assert (scr.quantity, scr.free, scr.ships_now, scr.to_backorder, scr.line_total_cents) == (25, 500, 25, 0, 300)
    assert (ham.name, ham.unit, ham.unit_price_cents, ham.line_total_cents) == ('Claw hammer', 'piece', 2100, 25200)
    assert (ham.free, ham.ships_now, ham.to_backorder, ham.image_id) == (8, 8, 4, image_id)
    assert (glv.free, glv.ships_now, glv.to_backorder, glv.image_id) == (0, 0, 2, None)
    assert all(line.available for line in lines)
    subtotal = 300 + 25200 + 700  # excluding VAT; all three at the standard 21 %: 26200 * 0.21 = 5502
    assert read(current_order.summary, accounts.alice) == current_order.Summary(
        lines=3,
        units=39,
        subtotal_cents=subtotal,
        vat=(VatAmount(rate_bp=2100, base_cents=subtotal, vat_cents=5502),),
        vat_cents=5502,
        total_cents=subtotal + 5502,
    )


def test_lines_that_are_no_longer_orderable_are_flagged_and_left_out_of_totals(accounts, shop, items):
    add(accounts.alice, items['HAM'], 1)
    add(accounts.alice, items['SCR'], 10)
    add(accounts.bob, items['GLV'], 1)
    shop.change_product(items['SCR'], active=False)  # the supplier stops selling screws
    with db.write_session() as s:
        catalogue.set_catalogue_mode(s, actor=accounts.admin, customer_id=accounts.customer_b.id, mode='selection')
    lines = {line.product_id: line for line in read(current_order.lines, accounts.alice)}
    assert lines[items['HAM']].available and not lines[items['SCR']].available
    assert (lines[items['SCR']].line_total_cents, lines[items['SCR']].ships_now) == (0, 0)
    # only the hammer counts: 1995 + 21 % VAT (418.95, rounded half up to 419)
    assert read(current_order.summary, accounts.alice) == current_order.Summary(
        lines=1,
        units=1,
        subtotal_cents=1995,
        vat=(VatAmount(rate_bp=2100, base_cents=1995, vat_cents=419),),
        vat_cents=419,
        total_cents=1995 + 419,
    )
    assert not read(current_order.lines, accounts.bob)[0].available  # bob's catalogue is now an empty selection
    assert read(current_order.summary, accounts.bob) == current_order.Summary(lines=0, units=0, subtotal_cents=0)
    for who in (accounts.alice, accounts.bob):  # the page's summary from its lines says the same
        assert current_order.summary_of(read(current_order.lines, who)) == read(current_order.summary, who)


def test_quantities_for_a_page_of_cards(accounts, items):
    add(accounts.alice, items['HAM'], 2)
    add(accounts.alice, items['GLV'], 1)
    got = read(current_order.quantities, accounts.alice, product_ids=[items['HAM'], items['SCR'], items['GLV']])
    assert got == {items['HAM']: 2, items['GLV']: 1}
    assert read(current_order.quantities, accounts.alice, product_ids=[]) == {}


# --- comment and reference ------------------------------------------------------------------------


def test_details_are_cleaned_and_kept(accounts):
    with db.write_session() as s:
        current_order.update_details(
            s, actor=accounts.alice, comment='  Line one\r\nLine two  ', reference='  PO   2024-17 '
        )
    with db.write_session() as s:
        draft = current_order.get_or_create(s, actor=accounts.alice)
    assert (draft.comment, draft.reference) == ('Line one\nLine two', 'PO 2024-17')


@pytest.mark.parametrize(
    ('comment', 'reference', 'field', 'message'),
    [
        ('x' * 2001, 'PO', 'comment', 'The comment can be at most 2,000 characters.'),
        ('fine', 'R' * 61, 'reference', 'Your reference can be at most 60 characters.'),
    ],
)
def test_details_have_limits(accounts, comment, reference, field, message):
    with db.write_session() as s:
        current_order.update_details(s, actor=accounts.alice, comment='before', reference='BEFORE')
    with pytest.raises(ValidationError) as caught, db.write_session() as s:
        current_order.update_details(s, actor=accounts.alice, comment=comment, reference=reference)
    assert (caught.value.field, caught.value.message) == (field, message)
    with db.write_session() as s:
        draft = current_order.get_or_create(s, actor=accounts.alice)
    assert (draft.comment, draft.reference) == ('before', 'BEFORE')


def test_details_at_their_limits_are_fine(accounts):
    with db.write_session() as s:
        current_order.update_details(s, actor=accounts.alice, comment='c' * 2000, reference='r' * 60)
        assert len(current_order.get_or_create(s, actor=accounts.alice).comment) == 2000


# --- events ---------------------------------------------------------------------------------------


def test_every_change_is_announced_to_the_user_after_commit(accounts, items):
    heard = []
    events.subscribe(('current_order', accounts.alice.user_id), heard.append)
    add(accounts.alice, items['HAM'], 1)
    with db.write_session() as s:
        current_order.set_quantity(s, actor=accounts.alice, product_id=items['HAM'], quantity=3)
    with db.write_session() as s:
        current_order.update_details(s, actor=accounts.alice, comment='hi', reference='')
    with db.write_session() as s:
        current_order.remove(s, actor=accounts.alice, product_id=items['HAM'])
    with db.write_session() as s:
        current_order.clear(s, actor=accounts.alice)
    assert len(heard) == 5
    with pytest.raises(ValidationError):
        add(accounts.alice, items['HAM'], 0)
    add(accounts.bob, items['HAM'], 1)
    assert len(heard) == 5
