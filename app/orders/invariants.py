"""The stock invariant: what must hold between products, order lines, deliveries and stock movements,
and between an order's lines and its subtotal, VAT and total.

Tests run it after every test that touches stock; it can also be run against a live database as a
health check. Each check is one aggregate query.
"""

from __future__ import annotations

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

    held = (
        select(OrderLine.product_id, func.sum(OrderLine.allocated).label('units'))
        .group_by(col(OrderLine.product_id))
        .subquery()
    )
    for code, allocated, units in session.exec(
        select(Product.code, Product.allocated, func.coalesce(held.c.units, 0))
        .outerjoin(held, held.c.product_id == Product.id)
        .where(col(Product.allocated) != func.coalesce(held.c.units, 0))
    ):
        problems.append(f'Product {code}: {allocated} allocated, but its order lines hold {units}.')

    moved = (
        select(StockMovement.product_id, func.sum(StockMovement.change).label('units'))
        .group_by(col(StockMovement.product_id))
        .subquery()
    )
    for code, on_hand, units in session.exec(
        select(Product.code, Product.on_hand, func.coalesce(moved.c.units, 0))
        .outerjoin(moved, moved.c.product_id == Product.id)
        .where(col(Product.on_hand) != func.coalesce(moved.c.units, 0))
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

    shipped = (
        select(DeliveryLine.order_line_id, func.sum(DeliveryLine.quantity).label('units'))
        .group_by(col(DeliveryLine.order_line_id))
        .subquery()
    )
    for line_id, delivered, units in session.exec(
        select(OrderLine.id, OrderLine.delivered, func.coalesce(shipped.c.units, 0))
        .outerjoin(shipped, shipped.c.order_line_id == OrderLine.id)
        .where(col(OrderLine.delivered) != func.coalesce(shipped.c.units, 0))
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
    line_totals = select(OrderLine.order_id, func.sum(net).label('cents')).group_by(col(OrderLine.order_id)).subquery()
    for number, subtotal, cents in session.exec(
        select(Order.number, Order.subtotal_cents, func.coalesce(line_totals.c.cents, 0))
        .outerjoin(line_totals, line_totals.c.order_id == Order.id)
        .where(col(Order.subtotal_cents) != func.coalesce(line_totals.c.cents, 0))
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


def assert_stock_ok() -> None:
    """Raise AssertionError listing every violation (for tests and health checks)."""
    with db.read_session() as session:
        problems = check_stock(session)
    if problems:
        raise AssertionError('Stock invariant violated:\n' + '\n'.join(problems))
