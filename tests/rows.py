"""Rows a test looks up by what a person calls them (a product code, an order reference, a user name, a customer
code), and row counts; each read in a read session of its own, after the page or service has written."""

from __future__ import annotations

from sqlmodel import func, select

from app.core import db
from app.models import Customer, Order, PortalUser, Product


def product(code: str) -> Product:
    with db.read_session() as s:
        return s.exec(select(Product).where(Product.code == code)).one()


def order_with(reference: str) -> Order:
    with db.read_session() as s:
        return s.exec(select(Order).where(Order.reference == reference)).one()


def user_named(username: str) -> PortalUser:
    with db.read_session() as s:
        return s.exec(select(PortalUser).where(PortalUser.username == username)).one()


def customer_of(code: str) -> Customer:
    with db.read_session() as s:
        return s.exec(select(Customer).where(Customer.code == code)).one()


def count(model: type) -> int:
    with db.read_session() as s:
        return s.exec(select(func.count()).select_from(model)).one()
