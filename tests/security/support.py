"""What the security and reliability suites share: a fresh demo portal per test, who is who in it, and
a snapshot of every table to prove that a refused request changed nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel, col, select

from app.core import db
from app.models import (
    Address,
    CurrentOrder,
    CurrentOrderLine,
    Customer,
    Order,
    PortalUser,
    Product,
    ProductImage,
)
from tests.conftest import configured, identity
from tests.portal import fresh_portal

# the sign-in's bookkeeping changes with every request; everything else must stay put when a request is refused
VOLATILE_TABLES = {'authsession', 'loginthrottle'}


@pytest.fixture(autouse=True)
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test starts on its own copy of the seeded demo portal, ready for service calls too."""
    directory = fresh_portal(tmp_path, monkeypatch)
    with configured():
        yield directory


@dataclass(frozen=True)
class Victim:
    """Everything of Demo Retail (user `customer`) that Other Wholesale (user `customer2`) must never reach."""

    customer_id: int
    user_id: int
    order_id: int
    order_number: str
    order_reference: str
    order_placement_key: str
    address_id: int
    address_street: str
    current_line_product_id: int  # a product in `customer`'s current order that customer2 may see too
    hidden_product_id: int  # SG-1001: in Demo Retail's catalogue, not in Other Wholesale's selection
    hidden_product_name: str
    hidden_image_id: int
    visible_image_id: int  # an image customer2 may see (to prove the refusals are not blanket ones)


def victim() -> Victim:
    with db.read_session() as s:
        customer = s.exec(select(Customer).where(Customer.code == 'DEMO')).one()
        user = s.exec(select(PortalUser).where(PortalUser.username == 'customer')).one()
        order = s.exec(select(Order).where(Order.customer_id == customer.id, Order.reference == 'PO-2026-0458')).one()
        address = s.exec(select(Address).where(Address.customer_id == customer.id).order_by(col(Address.id))).first()
        line = s.exec(select(CurrentOrderLine).where(CurrentOrderLine.user_id == user.id)).first()
        hidden = s.exec(select(Product).where(Product.code == 'SG-1001')).one()
        visible = s.exec(select(Product).where(Product.code == 'FA-1001')).one()
        hidden_image = s.exec(select(ProductImage).where(ProductImage.product_id == hidden.id)).first()
        visible_image = s.exec(select(ProductImage).where(ProductImage.product_id == visible.id)).first()
    assert address and line and hidden_image and visible_image and order.placement_key
    return Victim(
        customer_id=customer.id,
        user_id=user.id,
        order_id=order.id,
        order_number=order.number,
        order_reference=order.reference,
        order_placement_key=order.placement_key,
        address_id=address.id,
        address_street=address.street,
        current_line_product_id=line.product_id,
        hidden_product_id=hidden.id,
        hidden_product_name=hidden.name,
        hidden_image_id=hidden_image.id,
        visible_image_id=visible_image.id,
    )


def snapshot(*, include_volatile: bool = False) -> dict[str, list[tuple]]:
    """Every row of every table (the rows of `authsession`/`loginthrottle` only when asked)."""
    tables = [t for t in SQLModel.metadata.sorted_tables if include_volatile or t.name not in VOLATILE_TABLES]
    with db.get_engine().connect() as conn:
        return {
            t.name: [tuple(row) for row in conn.execute(text(f'SELECT * FROM "{t.name}" ORDER BY rowid'))]  # noqa: S608
            for t in tables
        }


def current_order_of(username: str) -> tuple[str, list[tuple[int, int]]]:
    """(placement key, [(product id, quantity)]) of a user's current order."""
    who = identity(username)
    with db.read_session() as s:
        current = s.get(CurrentOrder, who.user_id)
        lines = s.exec(
            select(CurrentOrderLine.product_id, CurrentOrderLine.quantity)
            .where(CurrentOrderLine.user_id == who.user_id)
            .order_by(col(CurrentOrderLine.id))
        ).all()
    return (current.placement_key if current else ''), [tuple(line) for line in lines]
