"""The current order page: lines and what ships, changing and removing lines, details, address, placing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

from app.catalogue import catalogue, products
from app.core import db
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _, ngettext
from app.identity import accounts
from app.identity.access import SYSTEM
from app.models import Address, CurrentOrder, Customer, Order, OrderLine, ProductCreate
from app.orders import current_order, ordering, stock
from components import order_lines, theme
from pages import current_order as current_order_page
from tests.conftest import identity
from tests.rows import count, product
from tests.ui.conftest import eventually, in_current_order, read_in, signed_in

WAIT = 50  # retries of 0.1 s: a page reacting to a click or an event can be slow on a busy machine


def stored_details(username: str = 'customer') -> tuple[str, str]:
    """(comment, reference) kept with the current order."""
    with db.read_session() as s:
        current = s.get(CurrentOrder, identity(username).user_id)
        assert current is not None
        return current.comment, current.reference


def add(code: str, quantity: int, username: str = 'customer') -> None:
    with db.write_session() as s:
        current_order.add(s, actor=identity(username), product_id=product(code).id, quantity=quantity)


def set_price(code: str, cents: int) -> None:
    """The supplier changes a product's price."""
    item = product(code)
    with db.write_session() as s:
        fields = {name: getattr(item, name) for name in ProductCreate.model_fields}
        products.update_product(
            s, actor=SYSTEM, product_id=item.id, data=ProductCreate(**{**fields, 'price_cents': cents})
        )


def addresses(code: str = 'DEMO') -> list[Address]:
    with db.read_session() as s:
        customer = s.exec(select(Customer).where(Customer.code == code)).one()
        return list(s.exec(select(Address).where(Address.customer_id == customer.id).order_by(Address.id)))


def placed_order(number: str) -> tuple[Order, dict[str, OrderLine]]:
    with db.read_session() as s:
        order = s.exec(select(Order).where(Order.number == number)).one()
        lines = s.exec(select(OrderLine).where(OrderLine.order_id == order.id)).all()
        return order, {line.product_code: line for line in lines}


def text_of(user: User, marker: str) -> str:
    return user.find(marker=marker).elements.pop().text


def line_of(user: User, product_id: int) -> order_lines.OrderLine:
    """A line of the current order: what it shows is in its props."""
    found = user.find(marker=f'line-{product_id}').elements
    assert len(found) == 1, found
    return found.pop()


def on_line(user: User, product_id: int, event: str = 'quantity', typed: str = '') -> None:
    """What the browser sends from a line: a quantity typed (Enter, or leaving the field changed), a step
    ('step-up', 'step-down') or Remove."""
    args: dict[str, object] = {'do': event, 'quantity': typed}
    if event.startswith('step'):
        args['do'], args['direction'] = 'step', 1 if event == 'step-up' else -1
    user.find(marker=f'line-{product_id}').trigger('act', args)


def field(user: User, *, marker: str | None = None, label: str | None = None, kind: type = ui.input) -> ui.input:
    found = user.find(marker=marker) if marker else user.find(kind=kind, content=label)
    elements = found.elements
    assert len(elements) == 1, elements
    return elements.pop()


async def landed_on_order(user: User) -> str:
    """Wait for the page's navigation to a placed order; returns the order number."""
    await eventually(lambda: bool(user.back_history) and user.back_history[-1].startswith('/orders/SO-'))
    return user.back_history[-1].removeprefix('/orders/').split('?')[0]


async def place(user: User) -> str:
    user.find(marker='place-order').click()
    number = await landed_on_order(user)
    await user.should_see(marker='order-placed-confirmation', retries=WAIT)
    return number


# --- lines ----------------------------------------------------------------------------------------------


async def test_lines_show_what_ships_from_stock_and_what_goes_on_backorder(user: User) -> None:
    screwdrivers, decking = product('HT-1003'), product('FA-1003')  # 2 free; none free
    add('FA-1003', 3)
    await signed_in(user, at='/current-order')
    await user.should_see(marker=f'line-{screwdrivers.id}', retries=WAIT)
    assert line_of(user, screwdrivers.id).props['outcome'] == '2 ship from stock'
    # the demo expects decking screws next week (and some overdue ones are already promised to older backorders)
    assert line_of(user, decking.id).props['outcome'].startswith('All 3 go on backorder · Expected around ')
    # Demo Retail buys on the Trade list (10 % off): 2 x 22.46 + 3 x 25.88 = 122.56, and 21 % VAT (25.74) on top
    assert text_of(user, 'order-total') == '€148.30'
    await user.should_see('5 units', retries=WAIT)
    await user.should_see(screwdrivers.name, retries=WAIT)


async def test_changing_a_quantity_updates_the_line_and_the_database(user: User) -> None:
    screwdrivers = product('HT-1003')
    await signed_in(user, at='/current-order')
    on_line(user, screwdrivers.id, typed='5')
    await user.should_see(content='2 ship from stock, 3 go on backorder', retries=WAIT)
    assert in_current_order() == {'HT-1003': 5}
    assert text_of(user, 'order-total') == '€135.88'  # 5 x 22.46 (Trade) = 112.30, plus 21 % VAT (23.58)
    with user.scope(marker='current-order-summary'):
        await user.should_see('1 line · 5 units', retries=WAIT)

    on_line(user, screwdrivers.id, typed='1')  # leaving the field changed saves too
    await user.should_see(content='1 ship from stock', retries=WAIT)
    assert in_current_order() == {'HT-1003': 1}


@pytest.mark.parametrize('typed', ['abc', '0', '-3', '2.5', '1000000', ''])
async def test_a_bad_quantity_on_a_line_shows_a_message_and_changes_nothing(user: User, typed: str) -> None:
    screwdrivers = product('HT-1003')
    await signed_in(user, at='/current-order')
    on_line(user, screwdrivers.id, typed=typed)
    await user.should_see('Enter a whole number between 1 and 100,000.', retries=WAIT)
    assert in_current_order() == {'HT-1003': 2}
    assert line_of(user, screwdrivers.id).props['outcome'] == '2 ship from stock'
    assert line_of(user, screwdrivers.id).props['quantity'] == '2'  # the field is told what still holds
    assert line_of(user, screwdrivers.id).props['reset'] == 1  # also where the customer typed something else


async def test_removing_a_line_and_putting_it_back_with_its_quantity(user: User) -> None:
    screwdrivers, bolts = product('HT-1003'), product('FA-1004')
    add('FA-1004', 3)
    await signed_in(user, at='/current-order')
    on_line(user, bolts.id, 'remove')
    await user.should_see(f'Line removed: {bolts.name} × 3', retries=WAIT)
    await user.should_not_see(marker=f'line-{bolts.id}', retries=WAIT)
    assert in_current_order() == {'HT-1003': 2}

    user.find(marker='undo').click()
    await user.should_see(marker=f'line-{bolts.id}', retries=WAIT)
    await user.should_see('Line back in your current order', retries=WAIT)
    await user.should_not_see(marker='undo-remove', retries=WAIT)
    assert in_current_order() == {'HT-1003': 2, 'FA-1004': 3}
    assert line_of(user, bolts.id).props['quantity'] == '3'
    assert line_of(user, screwdrivers.id).props['outcome'] == '2 ship from stock'


async def test_undo_clicked_again_or_replayed_puts_the_line_back_once(user: User) -> None:
    bolts = product('FA-1004')
    add('FA-1004', 3)
    await signed_in(user, at='/current-order')
    on_line(user, bolts.id, 'remove')
    await user.should_see(f'Line removed: {bolts.name} × 3', retries=WAIT)
    undo = user.find(marker='undo')
    undo.click()
    undo.click()  # a double click, and a third: all three reach the server before the first is answered
    undo.click()
    await user.should_see(marker=f'line-{bolts.id}', retries=WAIT)
    assert in_current_order() == {'HT-1003': 2, 'FA-1004': 3}
    with user.client, user.client.content:  # the Undo event replayed to the server later
        await current_order_page.restore_line(bolts.id, 3)
    assert in_current_order() == {'HT-1003': 2, 'FA-1004': 3}
    await eventually(lambda: line_of(user, bolts.id).props['quantity'] == '3')


async def test_undo_of_a_product_that_left_the_catalogue_meanwhile_adds_nothing(user: User) -> None:
    screws = product('FA-1001')
    add('FA-1001', 4, username='customer2')
    await signed_in(user, 'customer2')  # reads Dutch
    await user.open('/current-order')
    on_line(user, screws.id, 'remove')
    removed = read_in('nl', lambda: _('Line removed: {name} × {quantity}').format(name=screws.name, quantity='4'))
    await user.should_see(removed, retries=WAIT)
    with db.write_session() as s:
        other = s.exec(select(Customer.id).where(Customer.code == 'OTHER')).one()
        catalogue.remove_from_selection(s, actor=SYSTEM, customer_id=other, product_ids=[screws.id])
    user.find(marker='undo').click()
    await user.should_see(read_in('nl', lambda: NotFound('This product').message), retries=WAIT)
    assert 'FA-1001' not in in_current_order('customer2')


async def test_changes_made_elsewhere_update_the_lines_in_place_and_a_typed_quantity_is_saved_after_them(
    user: User,
) -> None:
    """The lines are updated, not drawn again, so a field being typed in keeps its text in the browser
    (tests/browser/test_customer_flow.py types while another tab changes the order); what is typed is saved after."""
    screwdrivers, bolts, screws = product('HT-1003'), product('FA-1004'), product('FA-1001')
    add('FA-1004', 2)
    add('FA-1001', 1)
    await signed_in(user, at='/current-order')
    line_before, bolts_before = line_of(user, screwdrivers.id), line_of(user, bolts.id)

    add('HT-1003', 1)  # another tab: 3 screwdrivers, 2 of them free
    await user.should_see(content='2 ship from stock, 1 go on backorder', retries=WAIT)
    with db.write_session() as s:  # the supplier receives stock for the line being typed in
        stock.receive_stock(s, actor=SYSTEM, product_id=bolts.id, quantity=5)
    with db.write_session() as s:  # another tab removes a line
        current_order.remove(s, actor=identity(), product_id=screws.id)
    await user.should_not_see(marker=f'line-{screws.id}', retries=WAIT)

    assert line_of(user, screwdrivers.id) is line_before  # updated, not rebuilt
    assert line_of(user, bolts.id) is bolts_before and bolts_before.props['reset'] == 0  # its field not reset
    on_line(user, bolts.id, typed='7')  # leaving the field it was typed in
    await eventually(lambda: in_current_order() == {'HT-1003': 3, 'FA-1004': 7})
    # on the Trade list 3 x 22.46 + 7 x 11.16 = 145.50, plus 21 % VAT (30.555, rounded half up to 30.56)
    await eventually(lambda: text_of(user, 'order-total') == '€176.06')


async def test_a_lines_steps_and_remove_and_a_forged_event(user: User) -> None:
    glue = product('AD-1001')  # Demo Retail: sold per 6
    add('AD-1001', 6)
    await signed_in(user, at='/current-order')
    await user.should_see(marker=f'line-{glue.id}', retries=WAIT)
    assert line_of(user, glue.id).props['stepped'] is True
    on_line(user, glue.id, 'step-up', typed='6')
    await eventually(lambda: in_current_order().get('AD-1001') == 12)
    await eventually(lambda: line_of(user, glue.id).props['quantity'] == '12')
    on_line(user, glue.id, 'step-down', typed='7')  # typed off the steps: the next one down
    await eventually(lambda: in_current_order().get('AD-1001') == 6)
    for args in (None, 'not a dict', {'do': 'quantity', 'quantity': ['3']}, {'do': 'explode'}):
        user.find(marker=f'line-{glue.id}').trigger('act', args)
    await user.should_see('Enter a whole number between 1 and 100,000.', retries=WAIT)
    assert in_current_order().get('AD-1001') == 6
    on_line(user, glue.id, 'remove')
    await user.should_not_see(marker=f'line-{glue.id}', retries=WAIT)
    assert 'AD-1001' not in in_current_order()


async def test_an_empty_current_order_shows_an_empty_state_and_cannot_be_placed(user: User) -> None:
    screwdrivers = product('HT-1003')
    before = count(Order)
    await signed_in(user, at='/current-order')
    await user.should_see(marker='place-order', retries=WAIT)
    on_line(user, screwdrivers.id, 'remove')
    await user.should_see('Your current order is empty', retries=WAIT)
    assert in_current_order() == {}
    await user.should_not_see(marker='place-order', retries=WAIT)  # no order form for an empty order
    await user.should_not_see(kind=ui.button, content='Place order', retries=WAIT)
    await user.should_not_see(marker='save-order-as-list', retries=WAIT)  # nothing to save as a list either
    await user.should_see(marker='to-quick-order')
    assert user.back_history[-1] == '/current-order'
    assert count(Order) == before
    with db.write_session() as s, pytest.raises(ValidationError, match='empty'):  # the service refuses as well
        key = current_order.get_or_create(s, actor=identity()).placement_key
        ordering.place_current_order(s, actor=identity(), placement_key=key)


async def test_lines_follow_changes_made_elsewhere(user: User) -> None:
    bolts = product('FA-1004')
    await signed_in(user, at='/current-order')
    add('FA-1004', 3)  # e.g. from the catalogue in another tab
    await user.should_see(marker=f'line-{bolts.id}', retries=WAIT)
    assert line_of(user, bolts.id).props['outcome'] == '3 ship from stock'


async def test_stock_arriving_changes_the_outcome_live(user: User) -> None:
    screwdrivers = product('HT-1003')  # 2 free, no open backorders
    add('HT-1003', 3)
    await signed_in(user, at='/current-order')
    assert line_of(user, screwdrivers.id).props['outcome'] == '2 ship from stock, 3 go on backorder'
    with db.write_session() as s:
        stock.receive_stock(s, actor=SYSTEM, product_id=screwdrivers.id, quantity=1)
    await user.should_see(content='3 ship from stock, 2 go on backorder', retries=WAIT)


async def test_a_line_whose_product_leaves_the_catalogue_is_flagged_and_blocks_placing(user: User) -> None:
    screws, nuts = product('FA-1001'), product('FA-1005')
    add('FA-1001', 7, username='customer2')
    add('FA-1005', 1, username='customer2')
    before = count(Order)
    await signed_in(user, 'customer2')  # reads Dutch
    await user.open('/current-order')
    ships = read_in('nl', lambda: ngettext('{n} ship from stock', '{n} ship from stock', 7))
    assert line_of(user, screws.id).props['outcome'] == ships
    with db.write_session() as s:
        other = s.exec(select(Customer.id).where(Customer.code == 'OTHER')).one()
        catalogue.remove_from_selection(s, actor=SYSTEM, customer_id=other, product_ids=[screws.id])
    gone = read_in('nl', lambda: _('No longer available — remove this line'))
    await user.should_see(content=gone, retries=WAIT)  # live, without a reload
    with user.scope(marker='current-order-summary'):
        counts = read_in('nl', lambda: f'{theme.count(1, "line")} · {theme.count(1, "unit")}')
        await user.should_see(counts, retries=WAIT)
    user.find(marker='place-order').click()
    refused = read_in(
        'nl',
        lambda: _('{products} can no longer be ordered. Remove it from the order and place it again.').format(
            products=f'{screws.name} ({screws.code})'
        ),
    )
    await user.should_see(refused, retries=WAIT)
    assert count(Order) == before
    assert in_current_order('customer2') == {'FA-1001': 7, 'FA-1005': 1}

    on_line(user, screws.id, 'remove')
    await user.should_not_see(marker=f'line-{screws.id}', retries=WAIT)
    number = await place(user)
    assert set(placed_order(number)[1]) == {nuts.code}


# --- details and placing ---------------------------------------------------------------------------------


async def test_reference_and_comment_are_saved_when_leaving_the_field(user: User) -> None:
    await signed_in(user, at='/current-order')
    reference = field(user, label='Your reference')
    reference.value = '  PO-7788  '
    user.find(kind=ui.input, content='Your reference').trigger('blur')
    await eventually(lambda: stored_details() == ('', 'PO-7788'))

    field(user, label='Comment for the supplier', kind=ui.textarea).value = 'Ring twice.'
    user.find(kind=ui.textarea, content='Comment for the supplier').trigger('blur')
    await eventually(lambda: stored_details() == ('Ring twice.', 'PO-7788'))

    await user.open('/current-order')  # shown again on the next visit
    assert field(user, label='Your reference').value == 'PO-7788'
    assert field(user, label='Comment for the supplier', kind=ui.textarea).value == 'Ring twice.'


async def test_a_too_long_reference_shows_a_message_and_is_not_saved(user: User) -> None:
    await signed_in(user, at='/current-order')
    field(user, label='Your reference').value = 'R' * 61  # the browser's maxlength can be bypassed
    user.find(kind=ui.input, content='Your reference').trigger('blur')
    await user.should_see('Your reference can be at most 60 characters.', retries=WAIT)
    assert stored_details() == ('', '')


async def test_placing_the_order_with_the_default_address(user: User) -> None:
    screwdrivers = product('HT-1003')
    default = addresses()[0]
    assert default.is_default
    await signed_in(user, at='/current-order')
    assert field(user, marker='address-choice', kind=ui.radio).value == default.id
    field(user, label='Your reference').value = 'PO-9001'
    number = await place(user)

    order, lines = placed_order(number)
    assert order.reference == 'PO-9001'
    assert (order.ship_street, order.ship_city) == (default.street, default.city)
    assert set(lines) == {'HT-1003'}
    assert (lines['HT-1003'].quantity, lines['HT-1003'].allocated, lines['HT-1003'].backorder) == (2, 2, 0)
    after = product('HT-1003')
    assert after.allocated == screwdrivers.allocated + 2  # the stock is reserved for the order
    assert in_current_order() == {}
    assert stored_details() == ('', '')
    with user.scope(marker='current-order-summary'):
        await user.should_see('Empty', retries=WAIT)
    await user.should_see(f'Thank you — order {number} is placed.', retries=WAIT)


async def test_a_stale_tab_places_the_lines_it_shows_not_the_earlier_order(
    user: User, create_user: Callable[[], User]
) -> None:
    """Tab X is open; tab Y places the order; new lines are added and X shows them live: X's Place places those
    lines and lands on their order, never on the earlier order's thank-you page with the new lines left unordered."""
    screwdrivers, bolts = product('HT-1003'), product('FA-1004')
    tab_y = create_user()
    await signed_in(tab_y)  # both sign in before either page listens live
    await signed_in(user, at='/current-order')
    await tab_y.open('/current-order')
    first = await place(tab_y)
    await user.should_not_see(marker=f'line-{screwdrivers.id}', retries=WAIT)  # X follows: placed elsewhere
    add('FA-1004', 3)  # from the catalogue, in a third tab
    await user.should_see(marker=f'line-{bolts.id}', retries=WAIT)

    second = await place(user)
    assert second != first
    assert {code: line.quantity for code, line in placed_order(second)[1].items()} == {'FA-1004': 3}
    assert {code: line.quantity for code, line in placed_order(first)[1].items()} == {'HT-1003': 2}
    assert in_current_order() == {}


async def test_a_price_raised_while_the_page_is_open_is_placed_only_after_the_customer_agrees(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    screwdrivers = product('HT-1003')  # 2 in the current order at 22.46 (24.95 on the Trade list: 10 % off)
    before = count(Order)
    refusals: list[ordering.PricesChanged] = []
    place_current_order = ordering.place_current_order

    def placing(*args: object, **kwargs: object) -> Order:  # to know when a click's placement is over
        try:
            return place_current_order(*args, **kwargs)
        except ordering.PricesChanged as refused:
            refusals.append(refused)
            raise

    monkeypatch.setattr(ordering, 'place_current_order', placing)
    await signed_in(user, at='/current-order')
    await user.should_see(marker=f'line-{screwdrivers.id}', retries=WAIT)
    set_price('HT-1003', 24_950)  # the supplier raises the price tenfold meanwhile

    for attempt in (1, 2):  # Place, and Place once more without agreeing: asked again, nothing placed
        user.find(marker='place-order').click()
        await eventually(lambda: len(refusals) == attempt)  # noqa: B023 (awaited within the iteration)
        await eventually(lambda: not field(user, marker='place-order', kind=ui.button).props.get('loading'))
        await user.should_see(marker=f'price-change-{screwdrivers.id}', retries=WAIT)
        assert count(Order) == before
        assert user.back_history[-1] == '/current-order'
    assert [(c.product_id, c.shown_cents, c.today_cents) for c in refusals[-1].changes] == [
        (screwdrivers.id, 2246, 22_455)
    ]
    assert (
        text_of(user, f'price-change-{screwdrivers.id}') == f'{screwdrivers.name} (HT-1003): €22.46 → €224.55 per set'
    )
    assert in_current_order() == {'HT-1003': 2}

    user.find(marker='place-at-new-prices').click()
    number = await landed_on_order(user)
    order, lines = placed_order(number)
    assert (lines['HT-1003'].list_price_cents, lines['HT-1003'].unit_price_cents) == (24_950, 22_455)
    assert (order.subtotal_cents, order.total_cents) == (2 * 22_455, 44_910 + 9431)  # 21 % VAT: 9431.10
    assert count(Order) == before + 1


async def test_a_quantity_typed_and_placed_straight_away_is_placed_as_typed(user: User) -> None:
    screwdrivers = product('HT-1003')
    await signed_in(user, at='/current-order')
    on_line(
        user, screwdrivers.id, typed='5'
    )  # Enter, or leaving the field changed  # clicking Place leaves the field first
    number = await place(user)
    assert placed_order(number)[1]['HT-1003'].quantity == 5


async def test_placing_with_backorder_and_another_saved_address(user: User) -> None:
    warehouse = addresses()[1]
    add('HT-1003', 3)  # 5 wanted, 2 free
    await signed_in(user, at='/current-order')
    field(user, marker='address-choice', kind=ui.radio).value = warehouse.id
    number = await place(user)
    order, lines = placed_order(number)
    assert order.ship_city == 'Utrecht'
    assert (lines['HT-1003'].allocated, lines['HT-1003'].backorder) == (2, 3)
    assert product('HT-1003').free == 0


async def test_placing_with_a_new_address_saved_in_the_address_book(user: User) -> None:
    before = addresses()
    await signed_in(user, at='/current-order')
    field(user, marker='address-choice', kind=ui.radio).value = 'new'
    await user.should_see('Recipient / company', retries=WAIT)
    field(user, label='Recipient / company').value = 'Pop-up store'
    field(user, label='Street and number').value = 'Market Square 1'
    field(user, label='Postal code').value = '2511 AA'
    field(user, label='City').value = 'The Hague'
    user.find(kind=ui.checkbox, content='Save this address').click()
    number = await place(user)
    order, _ = placed_order(number)
    assert (order.ship_recipient, order.ship_street, order.ship_city) == (
        'Pop-up store',
        'Market Square 1',
        'The Hague',
    )
    after = addresses()
    assert len(after) == len(before) + 1
    assert after[-1].street == 'Market Square 1' and not after[-1].is_default


async def test_a_new_address_not_saved_stays_out_of_the_address_book(user: User) -> None:
    before = addresses()
    await signed_in(user, at='/current-order')
    field(user, marker='address-choice', kind=ui.radio).value = 'new'
    field(user, label='Recipient / company').value = 'Site office'
    field(user, label='Street and number').value = 'Canal Road 7'
    field(user, label='Postal code').value = '1234 AB'
    field(user, label='City').value = 'Delft'
    number = await place(user)
    assert placed_order(number)[0].ship_city == 'Delft'
    assert len(addresses()) == len(before)


@pytest.mark.parametrize(
    ('recipient', 'street'),
    [('', ''), ('Somebody', 'S' * 201)],  # nothing typed; longer than the browser's maxlength allows
)
async def test_a_bad_new_address_shows_a_message_and_places_nothing(user: User, recipient: str, street: str) -> None:
    before = count(Order)
    await signed_in(user, at='/current-order')
    field(user, marker='address-choice', kind=ui.radio).value = 'new'
    field(user, label='Recipient / company').value = recipient
    field(user, label='Street and number').value = street
    field(user, label='Postal code').value = '1234 AB'
    field(user, label='City').value = 'Delft'
    user.find(marker='place-order').click()
    await user.should_see('The recipient' if not recipient else 'The street and number', retries=WAIT)
    assert count(Order) == before
    assert in_current_order() == {'HT-1003': 2}
    assert user.back_history[-1] == '/current-order'
    assert not field(user, marker='place-order', kind=ui.button).props.get('loading')


async def test_html_in_the_comment_is_kept_and_shown_as_text(user: User) -> None:
    evil = '<img src=x onerror=alert(1)>'
    await signed_in(user, at='/current-order')
    field(user, label='Comment for the supplier', kind=ui.textarea).value = evil
    number = await place(user)
    order, _ = placed_order(number)
    assert order.comment == evil
    shown = user.find(marker='order-comment').elements.pop()
    assert isinstance(shown, ui.label)
    assert shown.text == evil
    html_elements = [e for e in user.current_layout.descendants() if isinstance(e, ui.html)]
    assert not [e for e in html_elements if 'onerror' in e.content]


async def test_the_current_order_survives_signing_out_and_in(user: User) -> None:
    screwdrivers = product('HT-1003')
    add('FA-1004', 4)
    await signed_in(user, at='/current-order')
    user.find(marker='menu-Sign out').click()
    await user.should_see('Sign in to the portal', retries=WAIT)
    await signed_in(user, at='/current-order')
    await user.should_see(marker=f'line-{screwdrivers.id}', retries=WAIT)
    await user.should_see(marker=f'line-{product("FA-1004").id}', retries=WAIT)
    assert in_current_order() == {'HT-1003': 2, 'FA-1004': 4}
    with user.scope(marker='current-order-summary'):
        await user.should_see('2 lines · 6 units', retries=WAIT)


async def test_another_users_current_order_is_not_shown(user: User) -> None:
    add('FA-1001', 7, username='customer2')
    await signed_in(user, 'customer2', at='/current-order')
    await user.should_see(marker=f'line-{product("FA-1001").id}', retries=WAIT)
    await user.should_not_see(marker=f'line-{product("HT-1003").id}', retries=WAIT)
    assert [a.city for a in addresses('OTHER')] == ['London']
    radio = field(user, marker='address-choice', kind=ui.radio)
    assert set(radio.options) == {addresses('OTHER')[0].id, 'new'}


async def test_an_address_deleted_while_the_page_is_open_gives_a_message(user: User) -> None:
    before = count(Order)
    warehouse = addresses()[1]
    await signed_in(user, at='/current-order')
    field(user, marker='address-choice', kind=ui.radio).value = warehouse.id
    with db.write_session() as s:  # the supplier tidies the address book meanwhile
        accounts.delete_address(s, actor=SYSTEM, address_id=warehouse.id)
    user.find(marker='place-order').click()
    await user.should_see('This address was not found.', retries=WAIT)
    assert count(Order) == before
    assert in_current_order() == {'HT-1003': 2}
    assert user.back_history[-1] == '/current-order'
