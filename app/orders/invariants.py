"""The stock invariant: what must hold between products, order lines, deliveries and stock movements,
and between an order's lines and its subtotal, VAT and total.

Tests run it after every test that touches stock; it can also be run against a live database as a
health check. Each check is one aggregate query.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import case, exists
from sqlmodel import Session, col, func, or_, select

from app.core import db
from app.models import DeliveryLine, Order, OrderLine, Product, StockMovement
from app.orders import stock


def check_stock(session: Session) -> list[str]:
    """Every violation found, in words; an empty list means the stock is consistent."""
    problems: list[str] = []

    for code, on_hand, allocated in session.exec(
        select(Product.code, Product.on_hand, Product.allocated).where(
            or_(col(Product.on_hand) < 0, col(Product.allocated) < 0, col(Product.allocated) > col(Product.on_hand))
        )
    ):
        problems.append(f'Product {code}: {on_hand} on hand and {allocated} allocated.')

    for code, allocated, units in _not_their_sum(
        session, Product.code, Product.allocated, Product.id, OrderLine.product_id, OrderLine.allocated
    ):
        problems.append(f'Product {code}: {allocated} allocated, but its order lines hold {units}.')

    for code, on_hand, units in _not_their_sum(
        session, Product.code, Product.on_hand, Product.id, StockMovement.product_id, StockMovement.change
    ):
        problems.append(f'Product {code}: {on_hand} on hand, but its stock movements add up to {units}.')

    backordered = exists().where(
        col(OrderLine.product_id) == Product.id,
        col(OrderLine.backorder) > 0,
        col(OrderLine.order_id) == Order.id,
        col(Order.status).in_(stock.OPEN_STATUSES),
    )
    for code, free in session.exec(
        select(Product.code, col(Product.on_hand) - col(Product.allocated)).where(
            col(Product.on_hand) > col(Product.allocated), backordered
        )
    ):
        problems.append(f'Product {code}: {free} free while open orders wait for it on backorder.')

    for line_id, quantity, delivered, allocated, backorder, cancelled in session.exec(
        select(
            OrderLine.id,
            OrderLine.quantity,
            OrderLine.delivered,
            OrderLine.allocated,
            OrderLine.backorder,
            OrderLine.cancelled,
        ).where(
            or_(
                col(OrderLine.quantity)
                != col(OrderLine.delivered)
                + col(OrderLine.allocated)
                + col(OrderLine.backorder)
                + col(OrderLine.cancelled),
                col(OrderLine.quantity) < 1,
                col(OrderLine.delivered) < 0,
                col(OrderLine.allocated) < 0,
                col(OrderLine.backorder) < 0,
                col(OrderLine.cancelled) < 0,
            )
        )
    ):
        problems.append(
            f'Order line {line_id}: {quantity} ordered, but {delivered} delivered + {allocated} allocated'
            f' + {backorder} on backorder + {cancelled} cancelled.'
        )

    for line_id, delivered, units in _not_their_sum(
        session, OrderLine.id, OrderLine.delivered, OrderLine.id, DeliveryLine.order_line_id, DeliveryLine.quantity
    ):
        problems.append(f'Order line {line_id}: {delivered} delivered, but its deliveries hold {units}.')

    for line_id, number, allocated, backorder in session.exec(
        select(OrderLine.id, Order.number, OrderLine.allocated, OrderLine.backorder)
        .join(Order, col(Order.id) == OrderLine.order_id)
        .where(
            col(Order.status).not_in(stock.OPEN_STATUSES),
            or_(col(OrderLine.allocated) != 0, col(OrderLine.backorder) != 0),
        )
    ):
        problems.append(
            f'Order {number} is closed, yet line {line_id} holds {allocated} allocated and {backorder} on backorder.'
        )

    net = col(OrderLine.unit_price_cents) * (col(OrderLine.quantity) - col(OrderLine.cancelled))
    for number, subtotal, cents in _not_their_sum(
        session, Order.number, Order.subtotal_cents, Order.id, OrderLine.order_id, net
    ):
        problems.append(f'Order {number}: subtotal {subtotal}, but its lines add up to {cents}.')

    # VAT per rate: the rate times the lines at that rate, rounded half up (app/pricing/vat.py; never negative)
    per_rate = (
        select(
            OrderLine.order_id,
            ((func.sum(net) * col(OrderLine.vat_rate_bp) + 5000) // 10000).label('vat'),
        )
        .group_by(col(OrderLine.order_id), col(OrderLine.vat_rate_bp))
        .subquery()
    )
    vat_totals = select(per_rate.c.order_id, func.sum(per_rate.c.vat).label('vat')).group_by(per_rate.c.order_id)
    vat_totals = vat_totals.subquery()
    expected_vat = case((Order.vat_exempt_reason != '', 0), else_=func.coalesce(vat_totals.c.vat, 0))
    for number, vat, expected in session.exec(
        select(Order.number, Order.vat_cents, expected_vat)
        .outerjoin(vat_totals, vat_totals.c.order_id == Order.id)
        .where(col(Order.vat_cents) != expected_vat)
    ):
        problems.append(f'Order {number}: VAT {vat}, but its lines come to {expected} VAT.')

    for number, subtotal, vat, total in session.exec(
        select(Order.number, Order.subtotal_cents, Order.vat_cents, Order.total_cents).where(
            col(Order.total_cents) != col(Order.subtotal_cents) + col(Order.vat_cents)
        )
    ):
        problems.append(f'Order {number}: total {total}, but subtotal {subtotal} + VAT {vat} is {subtotal + vat}.')

    return problems


def _not_their_sum(session: Session, name: Any, stored: Any, row_id: Any, part_of: Any, part: Any) -> Iterable[tuple]:
    """(name, stored, sum) of each row whose `stored` figure is not the sum of `part` over the rows whose `part_of`
    is its `row_id` (0 when it has none)."""
    parts = select(part_of.label('row_id'), func.sum(part).label('total')).group_by(col(part_of)).subquery()
    total = func.coalesce(parts.c.total, 0)
    return session.exec(
        select(name, stored, total).outerjoin(parts, parts.c.row_id == row_id).where(col(stored) != total)
    )


def assert_stock_ok() -> None:
    """Raise AssertionError listing every violation (for tests and health checks)."""
    with db.read_session() as session:
        problems = check_stock(session)
    if problems:
        raise AssertionError('Stock invariant violated:\n' + '\n'.join(problems))
