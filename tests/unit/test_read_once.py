"""db.kept: a row read once in a session is not read again by the next service in the same session."""

from __future__ import annotations

from sqlalchemy import event

from app.catalogue import catalogue
from app.core import db
from app.models import Customer
from app.pricing import prices


def statements_during(action) -> list[str]:
    seen: list[str] = []

    def log(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(db.get_engine(), 'before_cursor_execute', log)
    try:
        action()
    finally:
        event.remove(db.get_engine(), 'before_cursor_execute', log)
    return seen


def test_a_customer_is_read_once_per_session_by_the_catalogue_and_the_prices(accounts) -> None:
    alice = accounts.alice
    with db.read_session() as s:

        def browse_and_price() -> None:
            for _ in range(3):
                page = catalogue.search_products(s, actor=alice)
                prices.shown_prices(s, actor=alice, product_ids=[p.id for p in page.items])

        customer_reads = [q for q in statements_during(browse_and_price) if 'FROM customer' in q]
    assert len(customer_reads) == 1


def test_a_kept_row_is_the_sessions_own_object_with_its_changes_and_none_is_not_kept(accounts) -> None:
    with db.write_session() as s:
        customer = db.kept(s, Customer, accounts.customer_a.id)
        customer.name = 'Alpha Renamed BV'
        assert db.kept(s, Customer, accounts.customer_a.id) is customer
        assert db.kept(s, Customer, 999_999) is None
    with db.read_session() as s:
        assert db.kept(s, Customer, accounts.customer_a.id).name == 'Alpha Renamed BV'  # a new session reads anew
