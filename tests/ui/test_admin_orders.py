"""The supplier's order pages on the seeded demo portal: overview, list, one order, ordering for a customer, backorders.

The demo (demo/portal.py) has, for Demo Retail: PO-2026-0412 completed, PO-2026-0431 partly delivered (10 of FA-1002
reserved, 6 of FA-1003 on backorder), PO-2026-0440 cancelled, PHONE-0502 placed by the supplier and PO-2026-0458
awaiting check; for Other Wholesale: OW-7781 awaiting check.
"""

from __future__ import annotations

import pytest
from nicegui.testing import User
from sqlmodel import col, select

from app.core import db
from app.identity.access import SYSTEM
from app.models import Delivery, DeliveryLine, Order, OrderLine, OrderStatus, PortalUser
from app.orders import orders
from pages.admin import order as order_page
from tests.conftest import identity_of
from tests.rows import count, customer_of, order_with, product
from tests.ui.conftest import signed_in
from tests.ui.forms import send_values, set_value


def lines_of(order_id: int) -> dict[str, OrderLine]:
    with db.read_session() as s:
        return {line.product_code: line for line in s.exec(select(OrderLine).where(OrderLine.order_id == order_id))}


WAIT = 30  # attempts, 0.1 s apart: a busy test machine can take a while for a write and the refresh after it


# --- overview and list ---------------------------------------------------------------------------------


async def test_overview_counts_the_work_and_lists_the_latest_orders(user: User) -> None:
    await signed_in(user, 'supplier', at='/admin')
    await user.should_see('Awaiting your check', retries=WAIT)
    assert user.find(marker='card-awaiting-check-count').elements.pop().text == '3'
    assert user.find(marker='card-open-orders-count').elements.pop().text == '4'
    assert user.find(marker='card-backorders-count').elements.pop().text == '1'
    await user.should_see(marker=f'order-{order_with("OW-7781").number}', retries=WAIT)
    await user.should_see('Other Wholesale', retries=WAIT)


async def test_the_list_shows_every_customers_orders_and_filters_them(user: User) -> None:
    completed, waiting, theirs = order_with('PO-2026-0412'), order_with('PO-2026-0458'), order_with('OW-7781')
    await signed_in(user, 'supplier', at='/admin/orders')
    for order in (completed, waiting, theirs):
        await user.should_see(marker=f'order-{order.number}', retries=WAIT)

    await user.open('/admin/orders?status=completed')
    await user.should_see(marker=f'order-{completed.number}', retries=WAIT)
    await user.should_not_see(marker=f'order-{waiting.number}', retries=WAIT)

    await user.open(f'/admin/orders?customer={customer_of("OTHER").id}')
    await user.should_see(marker=f'order-{theirs.number}', retries=WAIT)
    await user.should_not_see(marker=f'order-{completed.number}', retries=WAIT)

    await user.open('/admin/orders?q=other+wholesale')
    await user.should_see(marker=f'order-{theirs.number}', retries=WAIT)
    await user.should_not_see(marker=f'order-{waiting.number}', retries=WAIT)

    await user.open('/admin/orders?q=nothing-like-this')
    await user.should_see('No orders match', retries=WAIT)


async def test_choosing_a_status_puts_it_in_the_url(user: User) -> None:
    await signed_in(user, 'supplier', at='/admin/orders')
    user.find(marker='status-filter').elements.pop().set_value('concept')
    await user.should_not_see(marker=f'order-{order_with("PO-2026-0412").number}', retries=WAIT)
    await user.should_see(marker=f'order-{order_with("PO-2026-0458").number}', retries=WAIT)
    assert 'status=concept' in user.back_history[-1]


# --- one order -----------------------------------------------------------------------------------------


async def test_checking_an_order_moves_it_to_processing(user: User) -> None:
    order = order_with('PO-2026-0458')
    await signed_in(user, 'supplier', at=f'/admin/orders/{order.id}')
    await user.should_see('This order awaits your check', retries=WAIT)
    user.find(marker='check-order').click()
    await user.should_see(marker='record-delivery', retries=WAIT)
    await user.should_not_see(marker='check-order', retries=WAIT)
    assert order_with('PO-2026-0458').status == OrderStatus.PROCESSING


async def delivering(user: User) -> tuple[Order, OrderLine]:
    """The supplier on PO-2026-0431 (10 of FA-1002 reserved) with the delivery dialog open; the order and that line."""
    order = order_with('PO-2026-0431')
    fa1002 = lines_of(order.id)['FA-1002']
    await signed_in(user, 'supplier', at=f'/admin/orders/{order.id}')
    user.find(marker='record-delivery').click()
    await user.should_see(marker=f'deliver-qty-{fa1002.id}', retries=WAIT)
    return order, fa1002


async def test_a_partial_delivery_with_a_tracking_code(user: User) -> None:
    on_hand = product('FA-1002').on_hand
    order, fa1002 = await delivering(user)
    set_value(user, f'deliver-qty-{fa1002.id}', 4)
    user.find(marker='tracking-code').type('TRACK-42')
    user.find(marker='deliver-confirm').click()
    await user.should_see('Tracking code: TRACK-42', retries=WAIT)

    line = lines_of(order.id)['FA-1002']
    assert (line.delivered, line.allocated) == (4, 6)
    assert product('FA-1002').on_hand == on_hand - 4
    with db.read_session() as s:
        delivery = s.exec(select(Delivery).order_by(col(Delivery.id).desc())).first()
        shipped = s.exec(
            select(DeliveryLine.order_line_id, DeliveryLine.quantity).where(DeliveryLine.delivery_id == delivery.id)
        ).all()
    assert (delivery.order_id, delivery.tracking_code) == (order.id, 'TRACK-42')
    assert shipped == [(fa1002.id, 4)]


async def test_delivering_more_than_reserved_is_refused_and_changes_nothing(user: User) -> None:
    deliveries_before = count(Delivery)
    order, fa1002 = await delivering(user)
    await send_values(
        user, {f'deliver-qty-{fa1002.id}': 11}, 'deliver-confirm', 'You can deliver at most 10 of', retries=WAIT
    )
    assert count(Delivery) == deliveries_before
    line = lines_of(order.id)['FA-1002']
    assert (line.delivered, line.allocated) == (0, 10)
    assert order_with('PO-2026-0431').status == OrderStatus.PARTIALLY_DELIVERED


async def test_deliver_everything_reserved(user: User) -> None:
    order = order_with('PO-2026-0431')
    await signed_in(user, 'supplier', at=f'/admin/orders/{order.id}')
    user.find(marker='record-delivery').click()
    user.find(marker='deliver-all').click()
    await user.should_see('Deliver all 10 reserved units of', retries=WAIT)  # one click asks first
    user.find(marker='confirm-deliver-all-cancel').click()
    await user.should_not_see(marker='confirm-deliver-all', retries=WAIT)
    assert lines_of(order.id)['FA-1002'].delivered == 0  # 'Back' delivered nothing
    user.find(marker='deliver-all').click()
    user.find(marker='confirm-deliver-all').click()
    await user.should_see('Everything reserved is delivered.', retries=WAIT)
    lines = lines_of(order.id)
    assert (lines['FA-1002'].delivered, lines['FA-1002'].allocated) == (10, 0)
    assert lines['FA-1003'].backorder == 6


async def test_cancelling_a_line_releases_its_reservation(user: User) -> None:
    order = order_with('PO-2026-0431')
    fa1002 = lines_of(order.id)['FA-1002']
    allocated = product('FA-1002').allocated
    await signed_in(user, 'supplier', at=f'/admin/orders/{order.id}')
    user.find(marker=f'cancel-line-{fa1002.id}').click()
    await user.should_see('Cancel the rest of', retries=WAIT)
    user.find(marker='confirm').click()
    await user.should_not_see(marker=f'cancel-line-{fa1002.id}', retries=WAIT)
    assert lines_of(order.id)['FA-1002'].cancelled == 10
    assert product('FA-1002').allocated == allocated - 10


async def test_cancelling_an_order_releases_every_reservation(user: User) -> None:
    order = order_with('PHONE-0502')
    before = {code: product(code).allocated for code in ('AD-1001', 'PK-1001')}
    await signed_in(user, 'supplier', at=f'/admin/orders/{order.id}')
    user.find(marker='cancel-order').click()
    user.find(marker='cancel-reason-input').type('The customer phoned: the shop closes for renovation.')
    user.find(marker='confirm').click()
    await user.should_not_see(marker='cancel-order', retries=WAIT)
    cancelled = order_with('PHONE-0502')
    assert cancelled.status == OrderStatus.CANCELLED
    assert cancelled.cancel_reason == 'The customer phoned: the shop closes for renovation.'
    assert product('AD-1001').allocated == before['AD-1001'] - 12
    assert product('PK-1001').allocated == before['PK-1001'] - 5
    await user.should_see('The customer phoned: the shop closes for renovation.', retries=WAIT)  # on the page
    await user.should_see('by Sam Supplier')


async def test_an_unknown_order_shows_not_found(user: User) -> None:
    await signed_in(user, 'supplier', at='/admin/orders/999999')
    await user.should_see(marker='not-found', retries=WAIT)
    await user.open('/admin/orders/99999999999999999999999')
    await user.should_see(marker='not-found', retries=WAIT)


# --- ordering for a customer ---------------------------------------------------------------------------


async def place_for_demo_retail(user: User, *, code: str, quantity: str) -> None:
    await user.open(f'/admin/orders/new?customer={customer_of("DEMO").id}')
    user.find(marker='product-search').type(code)
    user.find(marker='product-search-go').click()
    await user.should_see(marker=f'add-{code}', retries=WAIT)
    await send_values(user, {f'add-qty-{code}': quantity}, f'add-{code}', marker=f'line-{code}', retries=WAIT)
    user.find(marker='reference').type('PHONE-0777')


async def test_placing_an_order_for_a_customer(user: User) -> None:
    allocated = product('FA-1002').allocated
    await signed_in(user, 'supplier')
    await place_for_demo_retail(user, code='FA-1002', quantity='3')
    user.find(marker='place-for-customer').click()
    await user.should_see('Placed by supplier', retries=WAIT)

    placed = order_with('PHONE-0777')
    assert placed.placed_by_supplier
    assert placed.customer_id == customer_of('DEMO').id
    assert [(line.product_code, line.quantity) for line in lines_of(placed.id).values()] == [('FA-1002', 3)]
    assert product('FA-1002').allocated == allocated + 3
    assert user.back_history[-1] == f'/admin/orders/{placed.id}'

    with db.read_session() as s:
        casey = s.exec(select(PortalUser.id).where(PortalUser.username == 'customer')).one()
        theirs = orders.list_orders(s, actor=identity_of(casey), search='PHONE-0777')
    assert [(o.number, o.placed_by_supplier) for o in theirs.items] == [(placed.number, True)]


async def test_a_product_the_customer_may_not_order_is_refused_by_the_service(user: User) -> None:
    before = count(Order)
    await signed_in(user, 'supplier')
    await place_for_demo_retail(user, code='SG-1001', quantity='2')
    user.find(marker='customer-select').elements.pop().set_value(customer_of('OTHER').id)
    await user.should_see("Not in this customer's catalogue — remove this line", retries=WAIT)
    user.find(marker='place-for-customer').click()
    await user.should_see('can no longer be ordered', retries=WAIT)
    assert count(Order) == before


async def test_a_bad_quantity_is_not_added(user: User) -> None:
    await signed_in(user, 'supplier', at=f'/admin/orders/new?customer={customer_of("DEMO").id}')
    user.find(marker='product-search').type('FA-1002')
    user.find(marker='product-search-go').click()
    await user.should_see(marker='add-FA-1002', retries=WAIT)
    await send_values(
        user, {'add-qty-FA-1002': 'lots'}, 'add-FA-1002', 'Enter a whole number between 1 and 100,000.', retries=WAIT
    )
    await user.should_not_see(marker='line-FA-1002', retries=WAIT)


# --- backorders ----------------------------------------------------------------------------------------


async def test_backorders_list_the_seeded_backorder(user: User) -> None:
    order = order_with('PO-2026-0431')
    await signed_in(user, 'supplier', at='/admin/backorders')
    await user.should_see(marker='backorder-FA-1003', retries=WAIT)
    await user.should_see(marker=f'backorder-line-{order.number}-FA-1003', retries=WAIT)
    assert user.find(marker='needed-FA-1003').elements.pop().text == '6'


# --- who may do this -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    'path', ['/admin', '/admin/orders', '/admin/orders/1', '/admin/orders/new', '/admin/backorders']
)
async def test_a_customer_gets_no_access(user: User, path: str) -> None:
    await signed_in(user, at=path)
    await user.should_see('No access', retries=WAIT)
    await user.should_not_see('Demo Retail', retries=WAIT)


async def test_an_admin_handler_clicked_by_a_customer_changes_nothing(user: User) -> None:
    order = order_with('PO-2026-0458')
    await signed_in(user, at='/orders')
    with user.client:
        await order_page.check(order.id, lambda: None)
        await order_page.cancel_order(order.id, lambda: None)
    await user.should_see('You do not have access to this.', retries=WAIT)
    assert order_with('PO-2026-0458').status == OrderStatus.CONCEPT
    with db.read_session() as s:
        assert orders.admin_get_order(s, actor=SYSTEM, order_id=order.id).lines[0].cancelled == 0
