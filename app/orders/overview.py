"""The supplier's overview: how much work is waiting, in a few counts.

Each count is one aggregate query over an index or a narrow scan, so the overview stays quick however
many orders and products there are; it is read again whenever an order changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import Order, OrderLine, OrderStatus, Product
from app.orders import stock

LOW_STOCK = 5  # 'only a few left', as app.catalogue.stock_status tells customers


@dataclass(frozen=True)
class Overview:
    awaiting_check: int  # orders placed and not yet checked
    open_orders: int  # every order not yet completed or cancelled, those awaiting check included
    backorder_lines: int  # order lines with units still waiting for stock
    backorder_products: int  # the products those lines wait for
    out_of_stock: int  # active products without free stock
    low_stock: int  # active products with 1 to LOW_STOCK free
    awaiting_check_cents: int = 0  # what those orders come to, excluding VAT (what is not cancelled)
    open_orders_cents: int = 0


def admin_overview(session: Session, *, actor: Identity) -> Overview:
    ensure_admin(actor)
    by_status = {
        status: (count, cents)
        for status, count, cents in session.exec(
            select(Order.status, func.count(), func.coalesce(func.sum(Order.subtotal_cents), 0))
            .where(col(Order.status).in_(stock.OPEN_STATUSES))
            .group_by(col(Order.status))
        ).all()
    }
    # units wait for stock only on open orders: completing or cancelling an order clears its backorders
    lines, products = session.exec(
        select(func.count(), func.count(func.distinct(OrderLine.product_id))).where(col(OrderLine.backorder) > 0)
    ).one()
    free = col(Product.on_hand) - col(Product.allocated)
    out, low = session.exec(
        select(
            func.coalesce(func.sum(case((free <= 0, 1), else_=0)), 0),
            func.coalesce(func.sum(case(((free > 0) & (free <= LOW_STOCK), 1), else_=0)), 0),
        ).where(col(Product.active).is_(True))
    ).one()
    return Overview(
        awaiting_check=by_status.get(OrderStatus.CONCEPT, (0, 0))[0],
        open_orders=sum(count for count, _ in by_status.values()),
        backorder_lines=lines,
        backorder_products=products,
        out_of_stock=out,
        low_stock=low,
        awaiting_check_cents=by_status.get(OrderStatus.CONCEPT, (0, 0))[1],
        open_orders_cents=sum(cents for _, cents in by_status.values()),
    )
