"""Rows a test looks up by what a person calls them (a product code, an order reference, an order line by its
product code, a user name, a customer code), and row counts; each read in a read session of its own."""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import SQLModel, func, select

from app.core import db
from app.models import Customer, Order, OrderLine, PortalUser, Product

Row = TypeVar('Row', bound=SQLModel)


def one(model: type[Row], **where: object) -> Row:
    """The one row of `model` with these column values (fails when there is none or more than one)."""
    with db.read_session() as s:
        return s.exec(select(model).filter_by(**where)).one()


def product(code: str) -> Product:
    return one(Product, code=code)


def order_with(reference: str) -> Order:
    return one(Order, reference=reference)


def line_of(order_id: int, code: str) -> OrderLine:
    return one(OrderLine, order_id=order_id, product_code=code)


def user_named(username: str) -> PortalUser:
    return one(PortalUser, username=username)


def customer_of(code: str) -> Customer:
    return one(Customer, code=code)


def count(model: type[SQLModel]) -> int:
    with db.read_session() as s:
        return s.exec(select(func.count()).select_from(model)).one()
