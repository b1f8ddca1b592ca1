"""The supplier's overview counts: orders to check, open orders, backorders and products short of stock."""

import pytest

from app.core import db
from app.core.errors import AccessDenied
from app.orders import deliveries, orders, overview

pytestmark = pytest.mark.usefixtures('stock_invariant')


def counts(actor) -> overview.Overview:
    with db.read_session() as s:
        return overview.admin_overview(s, actor=actor)


def test_an_empty_portal_has_nothing_waiting(accounts):
    assert counts(accounts.admin) == overview.Overview(0, 0, 0, 0, 0, 0)


def test_the_overview_counts_the_work_waiting(accounts, shop):
    plenty = shop.product('PLENTY', on_hand=100)
    few = shop.product('FEW', on_hand=8)
    gone = shop.product('GONE', on_hand=0)
    shop.product('OLD', on_hand=0, active=False)  # inactive products are nobody's worry
    to_check = shop.place(accounts.alice, {plenty: 1, gone: 2})
    checked = shop.place(accounts.bob, {few: 4, gone: 1})
    shop.run(orders.check_order, order_id=checked.id)
    completed = shop.order_for(accounts.customer_a.id, [(plenty, 1)])
    shop.run(orders.check_order, order_id=completed.id)
    shop.run(deliveries.deliver_all_reserved, order_id=completed.id)
    cancelled = shop.place(accounts.alice, {gone: 5})
    shop.run(orders.cancel_order, order_id=cancelled.id)

    got = counts(accounts.admin)
    assert (got.awaiting_check, got.open_orders) == (1, 2)
    assert (got.backorder_lines, got.backorder_products) == (2, 1)  # both wait for GONE
    assert (got.out_of_stock, got.low_stock) == (1, 1)  # GONE has none free, FEW has 4
    assert to_check.id != checked.id
    # what the open orders come to, excluding VAT: 3 units to check and 5 checked, at the default 10.00
    assert (got.awaiting_check_cents, got.open_orders_cents) == (3 * 1000, 3 * 1000 + 5 * 1000)

    shop.run(orders.cancel_order, order_id=checked.id)
    got = counts(accounts.admin)
    assert (got.open_orders, got.backorder_lines, got.low_stock) == (1, 1, 0)  # FEW has 8 free again
    assert got.open_orders_cents == 3 * 1000


def test_only_the_supplier_sees_the_overview(accounts):
    with pytest.raises(AccessDenied):
        counts(accounts.alice)
