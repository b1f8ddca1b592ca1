"""Quick order, order again and saved lists (issue 16): what a paste means, what the preview says of each line,
and that every path puts lines in the current order through Add's rules, scoped to the customer, once per key."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import event
from sqlmodel import select

from app.catalogue import catalogue
from app.core import db
from app.core.errors import NotFound, ValidationError
from app.identity import accounts as account_service
from app.identity.access import SYSTEM
from app.models import (
    CatalogueMode,
    CurrentOrderLine,
    PortalUserCreate,
    PriceListCreate,
    SavedListLine,
)
from app.orders import current_order, lists, order_again, quick_order
from app.orders.order_again import NoteKind
from app.orders.quick_order import Status
from app.pricing import prices
from tests.conftest import identity_of


def key() -> str:
    return secrets.token_urlsafe(16)


@pytest.fixture
def shelf(shop, accounts, stock_invariant):
    """Products for Alpha (catalogue 'all'): plain, a pack of 6, a minimum of 10, one never backordered, an
    inactive one; and Beta sees a selection without SAFE-01."""
    ids = {
        'HAM-01': shop.product('HAM-01', price=1000, on_hand=50),
        'BOX-06': shop.product('BOX-06', price=500, on_hand=100),
        'MIN-10': shop.product('MIN-10', price=200, on_hand=100),
        'RARE-1': shop.product('RARE-1', price=900, on_hand=3),
        'SAFE-01': shop.product('SAFE-01', price=700, on_hand=20),
        'OLD-01': shop.product('OLD-01', price=100, on_hand=5, active=False),
    }
    shop.product_terms(ids['BOX-06'], min_quantity=6, order_multiple=6)
    shop.product_terms(ids['MIN-10'], min_quantity=10)
    shop.product_terms(ids['RARE-1'], backorders=False)
    with db.write_session() as s:
        catalogue.set_catalogue_mode(s, actor=SYSTEM, customer_id=accounts.customer_b.id, mode=CatalogueMode.SELECTION)
        chosen = [pid for code, pid in ids.items() if code != 'SAFE-01']
        catalogue.add_to_selection(s, actor=SYSTEM, customer_id=accounts.customer_b.id, product_ids=chosen)
    return ids


def preview(who, text):
    with db.read_session() as s:
        return quick_order.preview(s, actor=who, text=text)


def in_order(who) -> dict[int, int]:
    with db.read_session() as s:
        rows = s.exec(
            select(CurrentOrderLine.product_id, CurrentOrderLine.quantity).where(
                CurrentOrderLine.user_id == who.user_id
            )
        )
        return dict(rows.all())


# --- reading what was pasted --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ('line', 'code', 'quantity'),
    [
        ('HAM-01\t5', 'HAM-01', '5'),  # Excel
        ('HAM-01;5', 'HAM-01', '5'),  # Dutch and German Excel's CSV
        ('HAM-01,5', 'HAM-01', '5'),
        ('HAM-01, 5', 'HAM-01', '5'),
        ('HAM-01 5', 'HAM-01', '5'),
        ('  HAM-01     12  ', 'HAM-01', '12'),
        ('HAM 01 5', 'HAM 01', '5'),  # a code with a space: the number at the end is the quantity
        ('HAM-01 1,000', 'HAM-01', '1,000'),
        ('HAM-01,1,000', 'HAM-01', '1,000'),
        ('"HAM-01";"5"', 'HAM-01', '5'),
        ('HAM-01', 'HAM-01', ''),
    ],
)
def test_a_line_is_read_with_every_kind_of_separator(line, code, quantity) -> None:
    parsed = quick_order.parse_text(line)
    assert [(typed.code, typed.quantity) for typed in parsed.lines] == [(code, quantity)]
    assert parsed.header == ''


@pytest.mark.parametrize(
    ('text', 'expected'),
    [
        ('Code\tQuantity\nHAM-01\t5\nBOX-06\t6', [('HAM-01', '5'), ('BOX-06', '6')]),
        ('Artikelnummer;Aantal\nHAM-01;5', [('HAM-01', '5')]),
        ('Menge;Artikel\n5;HAM-01', [('HAM-01', '5')]),  # the header says the quantity comes first
        ('Item, Qty\nHAM-01, 3', [('HAM-01', '3')]),
        ('SKU Qty\nHAM-01 3', [('HAM-01', '3')]),
        ('Qty Product code\n3 HAM-01', [('HAM-01', '3')]),
        ('Product code\tDescription\tQty\nHAM-01\tHammer\t4', [('HAM-01', '4')]),
    ],
)
def test_a_header_line_is_recognised_and_says_which_column_is_which(text, expected) -> None:
    parsed = quick_order.parse_text(text)
    assert [(typed.code, typed.quantity) for typed in parsed.lines] == expected
    assert parsed.header == text.split('\n')[0]


def test_a_first_line_with_a_quantity_is_no_header_and_empty_lines_are_skipped() -> None:
    parsed = quick_order.parse_text('CODE-1\t5\n\n   \nCODE-2\t7\r\n')
    assert parsed.header == ''
    assert [(line.number, line.code, line.quantity) for line in parsed.lines] == [
        (1, 'CODE-1', '5'),
        (4, 'CODE-2', '7'),
    ]


def test_too_much_or_not_text_is_refused() -> None:
    with pytest.raises(ValidationError):
        quick_order.parse_text(['HAM-01'])
    with pytest.raises(ValidationError):
        quick_order.parse_text('\n'.join(f'C{n}\t1' for n in range(quick_order.MAX_LINES + 1)))


# --- the preview ----------------------------------------------------------------------------------------------------


def test_the_preview_says_of_each_line_what_would_happen(accounts, shelf) -> None:
    with db.write_session() as s:
        current_order.add(s, actor=accounts.alice, product_id=shelf['HAM-01'], quantity=45)
    result = preview(
        accounts.alice,
        'HAM-01\t10\nNOPE-99\t1\nOLD-01\t1\nBOX-06\t7\nMIN-10\t4\nRARE-1\t5\nRARE-1\t2\nBOX-06\nHAM-01\tlots',
    )
    statuses = [(line.typed.code, line.status) for line in result.lines]
    assert statuses == [
        ('HAM-01', Status.FOUND),
        ('NOPE-99', Status.UNKNOWN),
        ('OLD-01', Status.NOT_IN_CATALOGUE),
        ('BOX-06', Status.ADJUSTED),
        ('MIN-10', Status.BELOW_MINIMUM),
        ('RARE-1', Status.REFUSED),  # 5 of 3 in stock, never backordered
        ('RARE-1', Status.FOUND),
        ('BOX-06', Status.ADJUSTED),  # no quantity: one more pack on top of the line above
        ('HAM-01', Status.BAD_QUANTITY),
    ]
    ham, _, _, box, minimum, rare, rare_ok, box_again, _ = result.lines
    # 45 in the current order already, 50 in stock: 5 of these 10 ship now, 5 go on backorder
    assert (ham.judged.quantity, ham.judged.ships_now, ham.judged.to_backorder) == (10, 5, 5)
    assert ham.judged.unit_price_cents == 1000 and ham.judged.line_total_cents == 10_000
    assert box.judged.quantity == 12 and box.note.message == 'Sold per 6: 7 became 12.'
    assert box_again.judged.quantity == 6
    assert minimum.note.message == 'The minimum order for this product is 10.'
    assert 'cannot be backordered' in rare.note.message
    assert rare_ok.judged.ships_now == 2
    assert [line.typed.code for line in result.valid] == ['HAM-01', 'BOX-06', 'RARE-1', 'BOX-06']
    assert result.problem_text() == 'NOPE-99\t1\nOLD-01\t1\nMIN-10\t4\nRARE-1\t5\nHAM-01\tlots'


def test_codes_match_without_regard_to_case_and_separators(accounts, shelf) -> None:
    result = preview(accounts.alice, 'ham-01 1\nHAM01 1\nham.01 1\nHam 01 1\nHAM_01\t1')
    assert {line.judged.product_id for line in result.lines} == {shelf['HAM-01']}
    assert all(line.status == Status.FOUND for line in result.lines)


def test_a_hidden_product_is_not_in_your_catalogue_and_shows_nothing_of_itself(accounts, shelf) -> None:
    """Beta's selection leaves SAFE-01 out: the code is 'not in your catalogue', its name and price are not read."""
    result = preview(accounts.bob, 'SAFE-01\t2\nsafe01\t2\nHAM-01\t1')
    hidden, hidden_again, ham = result.lines
    assert hidden.status == hidden_again.status == Status.NOT_IN_CATALOGUE
    assert hidden.judged is None and hidden_again.judged is None
    assert 'Product SAFE-01' not in repr(result)
    assert ham.status == Status.FOUND
    assert preview(accounts.alice, 'SAFE-01\t2').lines[0].status == Status.FOUND  # Alpha sees it


def test_the_preview_prices_each_line_as_the_current_order_will(accounts, shop, shelf) -> None:
    with db.write_session() as s:
        trade = prices.create_price_list(s, actor=SYSTEM, data=PriceListCreate(name='Trade', discount_bp=1000))
        prices.set_product_prices(
            s, actor=SYSTEM, price_list_id=trade.id, product_id=shelf['HAM-01'], entries=[(1, 800), (20, 700)]
        )
    shop.customer_terms(accounts.customer_a.id, price_list_id=trade.id)
    small, large, other = preview(accounts.alice, 'HAM-01 5\nHAM-01 15\nMIN-10 10').lines
    assert small.judged.unit_price_cents == 800
    assert large.judged.unit_price_cents == 700  # 5 + 15 = 20 in the order: the tier from 20
    assert other.judged.unit_price_cents == 180  # the list's 10 % off
    assert preview(accounts.bob, 'HAM-01 5').lines[0].judged.unit_price_cents == 1000  # Beta: list prices


def test_a_long_paste_is_previewed_with_as_many_queries_as_a_short_one(accounts, shop, shelf) -> None:
    for n in range(60):
        shop.product(f'BULK-{n:03d}', price=100 + n, on_hand=n)

    def queries(text: str) -> int:
        count = 0

        def counted(*_args) -> None:
            nonlocal count
            count += 1

        engine = db.get_engine()
        event.listen(engine, 'before_cursor_execute', counted)
        try:
            assert all(line.valid for line in preview(accounts.alice, text).lines)
        finally:
            event.remove(engine, 'before_cursor_execute', counted)
        return count

    few = queries('\n'.join(f'bulk{n:03d}\t2' for n in range(3)))
    many = queries('\n'.join(f'bulk{n:03d}\t2' for n in range(60)))
    assert many == few


# --- adding the valid lines ---------------------------------------------------------------------------------------


def test_adding_puts_the_valid_lines_in_at_once_and_keeps_the_problems(accounts, shelf) -> None:
    text = 'Code;Qty\nHAM-01;3\nNOPE;1\nBOX-06;7\nMIN-10;4'
    the_key = key()
    with db.write_session() as s:
        added, shown = quick_order.add_valid_lines(s, actor=accounts.alice, text=text, key=the_key)
    assert (added.lines, added.units, added.repeated) == (2, 15, False)
    assert in_order(accounts.alice) == {shelf['HAM-01']: 3, shelf['BOX-06']: 12}
    assert shown.problem_text() == 'Code;Qty\nNOPE;1\nMIN-10;4'
    # a double click sends the same key: nothing more goes in
    with db.write_session() as s:
        again, _ = quick_order.add_valid_lines(s, actor=accounts.alice, text=text, key=the_key)
    assert again.repeated and again.lines == 0
    assert in_order(accounts.alice) == {shelf['HAM-01']: 3, shelf['BOX-06']: 12}


def test_a_batch_that_a_rule_refuses_at_adding_adds_nothing(accounts, shelf) -> None:
    """All or nothing: the rules are those of Add, and a refused line rolls back the lines before it."""
    with pytest.raises(ValidationError), db.write_session() as s:
        quick_order.put_in(s, actor=accounts.alice, lines=[(shelf['HAM-01'], 2), (shelf['BOX-06'], 5)], key=key())
    with pytest.raises(NotFound), db.write_session() as s:
        quick_order.put_in(s, actor=accounts.bob, lines=[(shelf['HAM-01'], 2), (shelf['SAFE-01'], 1)], key=key())
    assert in_order(accounts.alice) == {} and in_order(accounts.bob) == {}


def test_a_key_is_checked(accounts, shelf) -> None:
    with pytest.raises(ValidationError), db.write_session() as s:
        quick_order.add_valid_lines(s, actor=accounts.alice, text='HAM-01 1', key='short')
    assert in_order(accounts.alice) == {}


def test_code_suggestions_come_from_the_customers_catalogue_only(accounts, shelf) -> None:
    with db.read_session() as s:
        assert [code for code, _name in quick_order.suggest_codes(s, actor=accounts.bob, typed='SAFE')] == []
        assert [code for code, _name in quick_order.suggest_codes(s, actor=accounts.alice, typed='SAFE')] == ['SAFE-01']
        assert quick_order.suggest_codes(s, actor=accounts.alice, typed='') == []


# --- order again --------------------------------------------------------------------------------------------------


def test_order_again_adds_the_ordered_quantities_with_a_note_for_each_change(accounts, shop, shelf) -> None:
    order = shop.place(accounts.alice, {shelf['HAM-01']: 4, shelf['SAFE-01']: 2, shelf['BOX-06']: 6})
    with db.write_session() as s:
        current_order.add(s, actor=accounts.alice, product_id=shelf['HAM-01'], quantity=1)
        catalogue.set_catalogue_mode(s, actor=SYSTEM, customer_id=accounts.customer_a.id, mode=CatalogueMode.SELECTION)
        catalogue.add_to_selection(
            s, actor=SYSTEM, customer_id=accounts.customer_a.id, product_ids=[shelf['HAM-01'], shelf['BOX-06']]
        )
    shop.change_product(shelf['BOX-06'], price_cents=550)
    with db.write_session() as s:
        outcome = order_again.order_again(s, actor=accounts.alice, number=order.number, key=key())
    assert in_order(accounts.alice) == {shelf['HAM-01']: 5, shelf['BOX-06']: 6}
    assert (outcome.lines, outcome.units) == (2, 10)
    notes = [(note.kind, note.code) for note in outcome.notes]
    assert notes == [(NoteKind.UNAVAILABLE, 'SAFE-01'), (NoteKind.PRICE, 'BOX-06')]
    assert (outcome.notes[1].old_cents, outcome.notes[1].new_cents) == (500, 550)


def test_order_again_is_once_per_key_and_only_for_the_customers_own_orders(accounts, shop, shelf) -> None:
    order = shop.place(accounts.alice, {shelf['HAM-01']: 4})
    the_key = key()
    for _ in range(2):
        with db.write_session() as s:
            order_again.order_again(s, actor=accounts.alice, number=order.number, key=the_key)
    assert in_order(accounts.alice) == {shelf['HAM-01']: 4}
    with pytest.raises(NotFound), db.write_session() as s:
        order_again.order_again(s, actor=accounts.bob, number=order.number, key=key())
    assert in_order(accounts.bob) == {}


# --- saved lists --------------------------------------------------------------------------------------------------


@pytest.fixture
def colleague(accounts):
    """A second portal user of Alpha."""
    with db.write_session() as s:
        user = account_service.create_user(
            s,
            actor=SYSTEM,
            data=PortalUserCreate(username='anna', password='anna-password', customer_id=accounts.customer_a.id),
        )
    return identity_of(user.id)


def test_a_list_is_shared_by_the_customers_users_and_no_one_else(accounts, shelf, colleague) -> None:
    with db.write_session() as s:
        friday = lists.create_list(s, actor=accounts.alice, name='Friday order')
        lists.add_to_list(s, actor=accounts.alice, list_id=friday.id, product_id=shelf['HAM-01'], quantity='4')
    with db.write_session() as s:
        assert lists.add_to_list(s, actor=colleague, list_id=friday.id, product_id=shelf['HAM-01'], quantity=2) == 6
        lists.rename_list(s, actor=colleague, list_id=friday.id, name='Friday')
    with db.read_session() as s:
        assert [(x.name, x.lines) for x in lists.list_lists(s, actor=accounts.alice)] == [('Friday', 1)]
        assert lists.list_lists(s, actor=accounts.bob) == []
    for attempt in [
        lambda s: lists.get_list(s, actor=accounts.bob, list_id=friday.id),
        lambda s: lists.rename_list(s, actor=accounts.bob, list_id=friday.id, name='Mine'),
        lambda s: lists.delete_list(s, actor=accounts.bob, list_id=friday.id),
        lambda s: lists.add_to_list(s, actor=accounts.bob, list_id=friday.id, product_id=shelf['HAM-01'], quantity=1),
        lambda s: lists.set_list_quantity(
            s, actor=accounts.bob, list_id=friday.id, product_id=shelf['HAM-01'], quantity=1
        ),
        lambda s: lists.remove_from_list(s, actor=accounts.bob, list_id=friday.id, product_id=shelf['HAM-01']),
        lambda s: lists.add_list_to_order(s, actor=accounts.bob, list_id=friday.id, key=key()),
    ]:
        with pytest.raises(NotFound), db.write_session() as s:
            attempt(s)
    with db.read_session() as s:
        view = lists.get_list(s, actor=colleague, list_id=friday.id)
    assert (view.name, [(line.product_id, line.quantity) for line in view.lines]) == ('Friday', [(shelf['HAM-01'], 6)])
    assert in_order(accounts.bob) == {}


def test_list_names_and_quantities_are_checked(accounts, shelf) -> None:
    with db.write_session() as s:
        friday = lists.create_list(s, actor=accounts.alice, name='  Friday   order ')
    assert friday.name == 'Friday order'
    for name in ['', '   ', 'x' * 81, 'FRIDAY ORDER', None]:
        with pytest.raises(ValidationError), db.write_session() as s:
            lists.create_list(s, actor=accounts.alice, name=name)
    with db.write_session() as s:
        lists.create_list(s, actor=accounts.bob, name='Friday order')  # another customer's names are its own
    for product, quantity in [('BOX-06', 4), ('MIN-10', 3), ('HAM-01', 'many'), ('HAM-01', 0)]:
        with pytest.raises(ValidationError), db.write_session() as s:
            lists.add_to_list(s, actor=accounts.alice, list_id=friday.id, product_id=shelf[product], quantity=quantity)
    with pytest.raises(NotFound), db.write_session() as s:
        lists.add_to_list(s, actor=accounts.bob, list_id=friday.id, product_id=shelf['OLD-01'], quantity=1)
    with db.read_session() as s:
        assert lists.get_list(s, actor=accounts.alice, list_id=friday.id).lines == []


def test_a_product_that_left_the_catalogue_shows_as_unavailable_without_its_details(accounts, shop, shelf) -> None:
    with db.write_session() as s:
        friday = lists.create_list(s, actor=accounts.alice, name='Friday')
        for code in ['SAFE-01', 'HAM-01']:
            lists.add_to_list(s, actor=accounts.alice, list_id=friday.id, product_id=shelf[code], quantity=2)
    shop.change_product(shelf['SAFE-01'], active=False)
    with db.read_session() as s:
        gone, ham = lists.get_list(s, actor=accounts.alice, list_id=friday.id).lines
    assert not gone.available and (gone.code, gone.name, gone.unit_price_cents, gone.free) == ('', '', 0, 0)
    assert ham.available and ham.code == 'HAM-01' and ham.unit_price_cents == 1000 and ham.free == 50
    with db.write_session() as s:
        outcome = lists.add_list_to_order(s, actor=accounts.alice, list_id=friday.id, key=key())
    assert in_order(accounts.alice) == {shelf['HAM-01']: 2}
    assert [(note.kind, note.code, note.name) for note in outcome.notes] == [(NoteKind.UNAVAILABLE, '', '')]
    with db.write_session() as s:
        assert lists.remove_from_list(s, actor=accounts.alice, list_id=friday.id, product_id=shelf['SAFE-01'])


def test_save_the_current_order_as_a_list_and_add_it_back_whole_or_in_part(accounts, shelf) -> None:
    with db.write_session() as s:
        for code, quantity in [('HAM-01', 3), ('BOX-06', 12), ('MIN-10', 10)]:
            current_order.add(s, actor=accounts.alice, product_id=shelf[code], quantity=quantity)
        saved = lists.save_current_order(s, actor=accounts.alice, name='Weekly')
    with db.write_session() as s:
        current_order.clear(s, actor=accounts.alice)
        lists.set_list_quantity(s, actor=accounts.alice, list_id=saved.id, product_id=shelf['MIN-10'], quantity='20')
        with pytest.raises(ValidationError):
            lists.set_list_quantity(s, actor=accounts.alice, list_id=saved.id, product_id=shelf['BOX-06'], quantity=7)
    with db.write_session() as s:
        chosen = lists.add_list_to_order(
            s, actor=accounts.alice, list_id=saved.id, key=key(), product_ids=[shelf['MIN-10'], shelf['BOX-06']]
        )
    assert chosen.notes == [] and in_order(accounts.alice) == {shelf['MIN-10']: 20, shelf['BOX-06']: 12}
    with db.write_session() as s:
        lists.add_list_to_order(s, actor=accounts.alice, list_id=saved.id, key=key())
    assert in_order(accounts.alice) == {shelf['MIN-10']: 40, shelf['BOX-06']: 24, shelf['HAM-01']: 3}
    with pytest.raises(ValidationError), db.write_session() as s:
        lists.add_list_to_order(s, actor=accounts.alice, list_id=saved.id, key=key(), product_ids=[])
    with db.write_session() as s:
        current_order.clear(s, actor=accounts.alice)
    with pytest.raises(ValidationError), db.write_session() as s:
        lists.save_current_order(s, actor=accounts.alice, name='Empty')


def test_deleting_a_list_takes_its_lines(accounts, shelf) -> None:
    with db.write_session() as s:
        friday = lists.create_list(s, actor=accounts.alice, name='Friday')
        lists.add_to_list(s, actor=accounts.alice, list_id=friday.id, product_id=shelf['HAM-01'], quantity=1)
    with db.write_session() as s:
        lists.delete_list(s, actor=accounts.alice, list_id=friday.id)
    with db.read_session() as s:
        assert lists.list_lists(s, actor=accounts.alice) == []
        assert s.exec(select(SavedListLine)).all() == []


@pytest.mark.parametrize('line', ['5 HAM-01', '5;HAM-01', '5\tHAM-01', '5, HAM-01'])
def test_a_quantity_written_before_the_code_is_understood(line) -> None:
    assert [(typed.code, typed.quantity) for typed in quick_order.parse_text(line).lines] == [('HAM-01', '5')]


def test_a_file_is_read_by_the_imports_reader_into_lines_of_the_box(tmp_path) -> None:
    from openpyxl import Workbook

    dutch = 'Artikelnummer;Aantal;Omschrijving\r\nHAM-01;5;Hamer groot\r\nBOX-06;12;Doos\r\n'.encode('cp1252')
    assert (
        quick_order.file_text(dutch, 'bestelling.csv')
        == 'Artikelnummer\tAantal\tOmschrijving\nHAM-01\t5\tHamer groot\nBOX-06\t12\tDoos'
    )
    workbook = Workbook()
    workbook.active.append(['Code', 'Qty'])
    workbook.active.append(['HAM-01', 3])
    workbook.active.append([None, None])
    workbook.active.append(['BOX-06', 6.0])
    workbook.save(tmp_path / 'order.xlsx')
    text = quick_order.file_text((tmp_path / 'order.xlsx').read_bytes(), 'order.xlsx')
    parsed = quick_order.parse_text(text)
    assert parsed.header == 'Code\tQty'
    assert [(line.code, line.quantity) for line in parsed.lines] == [('HAM-01', '3'), ('BOX-06', '6')]
    for refused in [b'', b'\x00\x01\x02binary', b'PK\x03\x04broken']:
        with pytest.raises(ValidationError):
            quick_order.file_text(refused, 'order.xlsx' if refused.startswith(b'PK') else 'order.csv')
