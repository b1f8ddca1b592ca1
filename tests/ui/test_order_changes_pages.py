"""Issue 16 on the pages: a customer changes an order awaiting the check, the supplier sees it; expected
deliveries recorded by the supplier and read by the customer on the backorders, order, product and current-order
pages."""

from __future__ import annotations

from datetime import timedelta

from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

from app.core import clock, db, i18n
from app.identity.access import SYSTEM
from app.models import ExpectedDelivery, Order, OrderStatus
from app.orders import expected, order_changes, orders, stock
from tests.rows import line_of, order_with, product
from tests.security.support import identity
from tests.ui.conftest import eventually, signed_in


def rows_by_code(user: User) -> dict[str, dict]:
    table = user.find(marker='order-lines').elements.pop()
    return {row['product'].rsplit('(', 1)[1].rstrip(')'): row for row in table.rows}


async def editing(user: User) -> Order:
    """The demo customer on its order awaiting the check (PO-2026-0458), the editor open; returns the order."""
    awaiting = order_with('PO-2026-0458')
    await signed_in(user, at=f'/orders/{awaiting.number}')
    user.find(marker='change-order').click()
    await user.should_see(marker='order-editor')
    return awaiting


async def test_the_customer_changes_a_quantity_of_an_awaiting_order_and_the_reservation_follows(user: User) -> None:
    awaiting = await editing(user)  # HT-1002: 1 ordered, 22 on hand
    user.find(marker='change-qty-HT-1002').clear().type('30')
    user.find(marker='change-reference').clear().type('PO-2026-0458-B')
    user.find(marker='save-order-changes').click()
    await user.should_see('Your changes are saved; the reservations follow them.')
    await user.should_not_see(marker='order-editor')
    row = rows_by_code(user)['HT-1002']
    assert (row['ordered'], row['allocated'], row['backorder']) == ('30', '22', '8')
    line = line_of(awaiting.id, 'HT-1002')
    assert (line.quantity, line.allocated, line.backorder) == (30, 22, 8)
    assert order_with('PO-2026-0458-B').customer_changed_at is not None


async def test_removing_a_line_and_refused_input_changes_nothing(user: User) -> None:
    awaiting = await editing(user)
    user.find(marker='change-qty-SG-1001').clear().type('ten')
    user.find(marker='save-order-changes').click()
    await user.should_see('Enter a whole number between 1 and 100,000.')
    assert line_of(awaiting.id, 'SG-1001').quantity == 10
    user.find(marker='change-qty-SG-1001').clear().type('10')
    user.find(marker='change-remove-HT-1002').click()
    user.find(marker='save-order-changes').click()
    await user.should_see('Your changes are saved; the reservations follow them.')
    assert set(rows_by_code(user)) == {'SG-1001'}
    assert product('HT-1002').allocated == 0


async def test_a_change_after_the_supplier_checked_it_is_refused_and_the_page_shows_the_checked_order(
    user: User,
) -> None:
    awaiting = await editing(user)
    user.find(marker='change-qty-HT-1002').clear().type('2')
    with db.write_session() as s:  # meanwhile, in the supplier's office
        orders.check_order(s, actor=SYSTEM, order_id=awaiting.id)
    user.find(marker='save-order-changes').click()
    await user.should_see('The supplier has checked this order in the meantime (processing)')
    await user.should_not_see(marker='order-editor')
    await user.should_not_see(marker='change-order')
    assert line_of(awaiting.id, 'HT-1002').quantity == 1


async def test_the_customer_cancels_its_awaiting_order(user: User) -> None:
    awaiting = await editing(user)
    user.find(marker='cancel-my-order').click()
    user.find(kind=ui.textarea, content='').type('Found it elsewhere')  # the reason field in the question
    user.find(marker='confirm-cancel-my-order').click()
    await user.should_see(f'{awaiting.number} is cancelled.')
    await user.should_see('Found it elsewhere')
    with db.read_session() as s:
        assert s.get(Order, awaiting.id).status == OrderStatus.CANCELLED


async def test_only_an_order_awaiting_the_check_offers_changing(user: User) -> None:
    await signed_in(user)
    await user.open(f'/orders/{order_with("PO-2026-0431").number}')  # processing
    await user.should_see('Lines')
    await user.should_not_see(marker='change-order')


async def test_the_supplier_sees_that_and_when_the_customer_changed_it(user: User) -> None:
    awaiting = order_with('PO-2026-0458')
    with db.write_session() as s:  # as the customer's page does it
        order_changes.change_order(
            s, actor=identity('customer'), number=awaiting.number, version=awaiting.version, comment='Two more'
        )
    changed_at = order_with('PO-2026-0458').customer_changed_at
    await signed_in(user, 'supplier', at='/admin/orders')
    await user.should_see(f'Changed by the customer {i18n.moment(changed_at)}')
    await user.open(f'/admin/orders/{awaiting.id}')
    await user.should_see(f'Casey Customer changed this order on {i18n.moment(changed_at)}.')


# --- expected deliveries ----------------------------------------------------------------------------------------


def without_demo_dates() -> None:
    """Close the demo's expected deliveries (an overdue one and one next week for FA-1003)."""
    with db.write_session() as s:
        for item in expected.open_expected_deliveries(s, actor=SYSTEM):
            expected.close_expected_delivery(s, actor=SYSTEM, expected_delivery_id=item.id)


async def test_the_demo_shows_an_overdue_date_on_a_backorder(user: User) -> None:
    partly = order_with('PO-2026-0431')
    with db.read_session() as s:
        overdue = min(e.expected_on for e in s.exec(select(ExpectedDelivery)).all())
    await signed_in(user, at='/backorders')
    await user.should_see(f'Overdue: was expected {i18n.day_month(overdue)}')
    await user.open(f'/orders/{partly.number}')
    assert rows_by_code(user)['FA-1003']['expected'] == f'Overdue: was expected {i18n.day_month(overdue)}'


def expect(code: str, quantity: int, days: int) -> ExpectedDelivery:
    with db.write_session() as s:
        return expected.record_expected_delivery(
            s,
            actor=SYSTEM,
            product_id=product(code).id,
            quantity=quantity,
            expected_on=clock.now().date() + timedelta(days=days),
        )


async def test_the_expected_date_shows_on_the_backorders_and_the_order_page(user: User) -> None:
    partly = order_with('PO-2026-0431')  # FA-1003: 6 on backorder, none on hand
    without_demo_dates()
    expect('FA-1003', 20, 5)
    day = i18n.day_month(clock.now().date() + timedelta(days=5))
    await signed_in(user, at='/backorders')
    await user.should_see(f'Expected around {day}')
    await user.open(f'/orders/{partly.number}')
    assert rows_by_code(user)['FA-1003']['expected'] == f'Expected around {day}'


async def test_a_date_that_passed_shows_as_overdue(user: User) -> None:
    without_demo_dates()
    expect('FA-1003', 6, 1)
    passed = clock.now().date() + timedelta(days=1)
    later = clock.now() + timedelta(days=3)
    clock.set_now(lambda: later)
    await signed_in(user, at='/backorders')
    await user.should_see(f'Overdue: was expected {i18n.day_month(passed)}')
    await user.should_not_see(f'Expected around {i18n.day_month(passed)}')


async def test_backorders_and_order_page_show_the_same_figure_for_the_same_line(user: User) -> None:
    """Today's '6 on backorder' on one page and '4' on the other: 2 received since are reserved, not waiting."""
    partly = order_with('PO-2026-0431')
    with db.write_session() as s:
        stock.receive_stock(s, actor=SYSTEM, product_id=product('FA-1003').id, quantity=2)
    await signed_in(user, at='/backorders')
    waiting = user.find(marker=f'waiting-{partly.number}-FA-1003').elements.pop().text
    await user.should_see(marker=f'reserved-{partly.number}-FA-1003')
    await user.open(f'/orders/{partly.number}')
    assert rows_by_code(user)['FA-1003']['backorder'] == waiting == '4'


async def test_the_supplier_records_an_expected_delivery_and_receives_it(user: User) -> None:
    await signed_in(user, 'supplier', at='/admin/expected-deliveries')
    user.find(marker='expected-product').type('FA-1003')
    user.find(marker='expected-quantity').type('1,000')
    user.find(marker='expected-date').type((clock.now().date() + timedelta(days=7)).isoformat())
    user.find(marker='record-expected').click()
    day = i18n.day_month(clock.now().date() + timedelta(days=7))
    await user.should_see(f'1,000 units expected around {day} recorded.')
    with db.read_session() as s:
        (coming,) = s.exec(select(ExpectedDelivery).where(ExpectedDelivery.quantity == 1000)).all()
    assert coming.quantity == 1000
    user.find(marker=f'receive-expected-{coming.id}').click()
    user.find(marker='receive-expected-quantity').clear().type('10')
    user.find(marker='receive-expected-confirm').click()
    await eventually(lambda: product('FA-1003').on_hand == 10)
    with db.read_session() as s:
        assert s.get(ExpectedDelivery, coming.id).quantity == 990
    assert line_of(order_with('PO-2026-0431').id, 'FA-1003').allocated == 6  # the backorder got it first


async def test_the_admin_product_page_shows_what_is_expected_and_leads_to_expected_deliveries(user: User) -> None:
    """The demo's two deliveries of FA-1003 on its Stock card and on Admin > Backorders (whose product links to its
    page); the link opens Expected deliveries with the code filled in; a product with nothing expected offers to
    record a delivery."""
    decking, gloves = product('FA-1003'), product('SG-1001')
    with db.read_session() as s:
        overdue, later = sorted(s.exec(select(ExpectedDelivery)).all(), key=lambda e: e.expected_on)
    said = f'Expected: 4 on {i18n.day_month(overdue.expected_on)} (overdue) · 30 on {i18n.day_month(later.expected_on)}'
    await signed_in(user, 'supplier', at='/admin/backorders')
    await user.should_see(said, marker='backorder-expected-FA-1003')
    assert user.find(marker='backorder-product-FA-1003').elements.pop().props['href'] == f'/admin/products/{decking.id}'
    await user.open(f'/admin/products/{decking.id}')
    await user.should_see(said, marker='stock-expected')
    link = user.find(marker='stock-expected-link').elements.pop()
    assert (link.text, link.props['href']) == ('Expected deliveries', '/admin/expected-deliveries?code=FA-1003')
    await user.open(link.props['href'])
    assert user.find(marker='expected-product').elements.pop().value == 'FA-1003'
    await user.open(f'/admin/products/{gloves.id}')
    link = user.find(marker='stock-expected-link').elements.pop()
    assert (link.text, link.props['href']) == ('Record an expected delivery', '/admin/expected-deliveries?code=SG-1001')


async def test_the_product_page_and_the_current_order_line_say_when_a_backorder_is_expected(user: User) -> None:
    decking = product('FA-1003')  # none on hand; Demo Retail's older order waits for 6
    without_demo_dates()
    expect('FA-1003', 26, 9)  # 6 for that backorder, 20 for new orders
    day = i18n.day_month(clock.now().date() + timedelta(days=9))
    await signed_in(user, at=f'/products/{decking.id}')
    await user.should_see(f'Expected around {day}')
    user.find(marker='qty').clear().type('5')
    user.find(marker='add-to-order').click()
    await user.should_see('5 will go on backorder.')  # said in the message of the Add itself
    await user.open('/current-order')
    await user.should_see(f'All 5 go on backorder · Expected around {day}')


async def test_a_thousand_typed_with_a_separator_is_a_thousand(user: User) -> None:
    gloves = product('SG-1001')
    await signed_in(user, at=f'/products/{gloves.id}')
    user.find(marker='qty').clear().type('1,000')
    user.find(marker='add-to-order').click()
    waiting = i18n.number(1000 - gloves.free)
    await user.should_see(f'Added to your current order (1,000 in order) — {waiting} will go on backorder.')
