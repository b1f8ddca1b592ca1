"""What a page build reads once: db.kept (a row not read again by the next service in the same session) and
portal_settings.one_reading (the settings read once for the whole build)."""

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


def test_within_one_reading_the_settings_are_read_once_and_after_it_afresh(accounts) -> None:
    from app.core import portal_settings
    from app.pricing import terms

    def reads() -> None:
        for _ in range(2):
            with db.read_session() as s:
                assert portal_settings.currency(s) == 'EUR'
                assert terms.portal_terms(s).prices_shown is True
                assert portal_settings.get_value(s, key='stock_display') == 'exact'

    with portal_settings.one_reading():
        setting_reads = [q for q in statements_during(reads) if 'FROM setting' in q]
        assert len(setting_reads) == 1
        with db.write_session() as s:
            portal_settings.set_value(s, key='currency', value='GBP')
        with db.read_session() as s:
            assert portal_settings.currency(s) == 'EUR'  # what was read for this page
    with db.read_session() as s:
        assert portal_settings.currency(s) == 'GBP'


async def test_a_task_started_within_one_reading_reads_afresh_once_it_has_ended(accounts) -> None:
    import asyncio

    from app.core import portal_settings

    started = asyncio.Event()

    async def later() -> str:
        await started.wait()
        with db.read_session() as s:
            return portal_settings.currency(s)

    with portal_settings.one_reading():
        with db.read_session() as s:
            assert portal_settings.currency(s) == 'EUR'
        task = asyncio.create_task(later())  # inherits the context, as a page's timer would
    with db.write_session() as s:
        portal_settings.set_value(s, key='currency', value='GBP')
    started.set()
    assert await task == 'GBP'
