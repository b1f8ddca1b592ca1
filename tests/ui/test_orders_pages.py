"""The customer's order history, order page and backorders, on the seeded demo portal."""

from __future__ import annotations

from nicegui.testing import User
from sqlmodel import select

from app.core import db
from app.core.i18n import _
from app.identity.access import SYSTEM
from app.models import Customer, Order, OrderStatus, Product
from app.orders import stock
from tests.rows import order_with
from tests.ui.conftest import read_in, signed_in


def customer_orders(code: str) -> list[Order]:
    with db.read_session() as s:
        customer = s.exec(select(Customer).where(Customer.code == code)).one()
        return list(s.exec(select(Order).where(Order.customer_id == customer.id)))


async def test_orders_page_lists_only_this_customers_orders(user: User) -> None:
    await signed_in(user, at='/orders')
    for order in customer_orders('DEMO'):
        await user.should_see(marker=f'order-{order.number}')
    for order in customer_orders('OTHER'):
        await user.should_not_see(marker=f'order-{order.number}')
    await user.should_not_see('OW-7781')


async def test_an_order_the_supplier_placed_is_marked_as_such(user: User) -> None:
    await signed_in(user, at='/orders?q=PHONE-0502')
    await user.should_see(marker='placed-by-supplier')
    await user.open(f'/orders/{order_with("PHONE-0502").number}')
    await user.should_see('Sam Supplier (supplier), on your behalf')


async def test_orders_filter_by_status_and_search_by_reference(user: User) -> None:
    await signed_in(user)
    completed = order_with('PO-2026-0412')
    processing = order_with('PO-2026-0431')
    await user.open('/orders?status=completed')
    await user.should_see(marker=f'order-{completed.number}')
    await user.should_not_see(marker=f'order-{processing.number}')

    await user.open('/orders?q=0431')
    await user.should_see(marker=f'order-{processing.number}')
    await user.should_not_see(marker=f'order-{completed.number}')

    await user.open('/orders?q=nothing-like-this')
    await user.should_see('No orders match')


async def test_order_page_shows_lines_deliveries_comment_and_address(user: User) -> None:
    await signed_in(user)
    order = order_with('PO-2026-0431')
    await user.open(f'/orders/{order.number}')
    await user.should_see('Partially delivered')
    await user.should_see('Tracking code: 3SDEMO0005678')
    await user.should_see('Please deliver before noon, the loading dock closes at 12:00.')
    await user.should_see('Harbour Street 12')
    table = user.find(marker='order-lines').elements.pop()
    by_code = {row['product'].rsplit('(', 1)[1].rstrip(')'): row for row in table.rows}
    assert by_code['FA-1003']['backorder'] == '6'
    assert by_code['PT-1001']['delivered'] == '3'
    assert by_code['FA-1002']['allocated'] == '10'


async def test_another_customers_order_number_gives_not_found(user: User) -> None:
    other = customer_orders('OTHER')[0]
    await signed_in(user, at=f'/orders/{other.number}')
    await user.should_see(marker='not-found')
    await user.should_not_see('OW-7781')
    await user.should_not_see('Other Wholesale')
    await user.open('/orders/SO-99999')
    await user.should_see(marker='not-found')


async def test_backorders_page_lists_what_waits_and_updates_when_stock_arrives(user: User) -> None:
    order = order_with('PO-2026-0431')
    await signed_in(user, at='/backorders')
    await user.should_see(marker=f'backorder-{order.number}-FA-1003')
    await user.should_see('6 waiting for stock')

    with db.read_session() as s:
        product_id = s.exec(select(Product.id).where(Product.code == 'FA-1003')).one()
    with db.write_session() as s:
        assert stock.receive_stock(s, actor=SYSTEM, product_id=product_id, quantity=4) == 4
    await user.should_see(marker=f'reserved-{order.number}-FA-1003')  # live, without a reload
    await user.should_see('4 reserved')
    await user.should_see('2 waiting for stock')


async def test_backorders_page_has_an_empty_state(user: User) -> None:
    await signed_in(user, 'customer2')  # reads Dutch
    await user.open('/backorders')
    await user.should_see(read_in('nl', lambda: _('No backorders')))


async def test_orders_list_updates_live_when_the_supplier_checks_an_order(user: User) -> None:
    from app.orders import orders

    order = order_with('PO-2026-0458')
    assert order.status == OrderStatus.CONCEPT
    await signed_in(user, at=f'/orders/{order.number}')
    await user.should_see('Awaiting check')
    with db.write_session() as s:
        orders.check_order(s, actor=SYSTEM, order_id=order.id)
    await user.should_see('Processing')


async def test_a_cancelled_order_says_when_who_and_why(user: User) -> None:
    await signed_in(user, at=f'/orders/{order_with("PO-2026-0440").number}')
    await user.should_see(marker='order-cancelled')
    await user.should_see('by Sam Supplier', retries=1)
    await user.should_see('Cancelled at your request on the phone: ordered twice.')
