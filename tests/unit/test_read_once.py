"""What a page build reads once: db.kept (a row not read again by the next service in the same session) and
db.one_reading (the build's reads in one session, the settings read once for all of it)."""

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

    with db.one_reading():
        setting_reads = [q for q in statements_during(reads) if 'FROM setting' in q]
        assert len(setting_reads) == 1
        with db.write_session() as s:
            portal_settings.set_value(s, key='currency', value='GBP')
        with db.read_session() as s:
            assert portal_settings.currency(s) == 'GBP'  # read after the write: a new session, read anew
    with db.read_session() as s:
        assert portal_settings.currency(s) == 'GBP'


async def test_a_task_started_within_one_reading_reads_the_settings_afresh_once_it_has_ended(accounts) -> None:
    import asyncio

    from app.core import portal_settings

    started = asyncio.Event()

    async def later() -> str:
        await started.wait()
        with db.read_session() as s:
            return portal_settings.currency(s)

    with db.one_reading():
        with db.read_session() as s:
            assert portal_settings.currency(s) == 'EUR'
        task = asyncio.create_task(later())  # inherits the context, as a page's timer would
    with db.write_session() as s:
        portal_settings.set_value(s, key='currency', value='GBP')
    started.set()
    assert await task == 'GBP'


# --- db.one_reading: a page build's reads in one session ------------------------------------------------------------


def product_named(name: str, actor) -> int:
    from app.catalogue import products
    from app.models import ProductCreate

    with db.write_session() as s:
        return products.create_product(
            s, actor=actor, data=ProductCreate(code='HAM', name=name, price_cents=100, unit='piece')
        ).id


def test_within_one_reading_the_reads_share_one_session_and_a_row_is_read_once(accounts) -> None:
    def two_reads() -> tuple[object, object]:
        with db.read_session() as first:
            db.kept(first, Customer, accounts.alice.customer_id)
        with db.read_session() as second:
            db.kept(second, Customer, accounts.alice.customer_id)
        return first, second

    apart: list[tuple[object, object]] = []
    separate = statements_during(lambda: apart.append(two_reads()))
    together: list[tuple[object, object]] = []
    with db.one_reading():
        shared = statements_during(lambda: together.append(two_reads()))
    assert apart[0][0] is not apart[0][1] and len([q for q in separate if q.startswith('SELECT')]) == 2
    assert together[0][0] is together[0][1] and len([q for q in shared if q.startswith('SELECT')]) == 1


def test_what_is_read_after_a_write_within_one_reading_sees_it_and_what_was_read_before_stays_usable(
    accounts,
) -> None:
    from app.catalogue import products
    from app.models import Product, ProductCreate

    product_id = product_named('Hammer', accounts.admin)
    with db.one_reading():
        with db.read_session() as s:
            before = s.get(Product, product_id)
            assert before is not None and before.name == 'Hammer'
        with db.write_session() as s:
            products.update_product(
                s,
                actor=accounts.admin,
                product_id=product_id,
                data=ProductCreate(code='HAM', name='Claw hammer', price_cents=100, unit='piece'),
            )
        with db.read_session() as s:
            after = s.get(Product, product_id)
            assert after is not None and after.name == 'Claw hammer'
    assert before.name == 'Hammer' and before.code == 'HAM'  # (as read: not expired, not detached unloaded)
    assert after.name == 'Claw hammer'


def test_another_thread_and_a_task_started_within_one_reading_read_in_sessions_of_their_own(accounts) -> None:
    import threading

    seen: dict[str, object] = {}
    with db.one_reading():
        with db.read_session() as s:
            seen['page'] = s

        def elsewhere() -> None:
            with db.read_session() as s:
                seen['thread'] = s

        worker = threading.Thread(target=elsewhere)
        worker.start()
        worker.join()
        with db.read_session() as s:
            assert s is seen['page']
    with db.read_session() as s:
        seen['after'] = s
    assert seen['thread'] is not seen['page'] and seen['after'] is not seen['page']


async def test_a_task_started_within_db_one_reading_reads_afresh_once_it_has_ended(accounts) -> None:
    import asyncio

    from app.models import Product

    product_id = product_named('Hammer', accounts.admin)
    started, renamed = asyncio.Event(), asyncio.Event()

    def name() -> str:
        with db.read_session() as s:
            product = s.get(Product, product_id)
            return product.name if product else ''

    async def later() -> list[str]:
        await started.wait()
        first = name()
        await renamed.wait()
        return [first, name()]

    def rename(to: str) -> None:
        with db.write_session() as s:
            row = s.get(Product, product_id)
            assert row is not None
            row.name = to

    with db.one_reading():
        assert name() == 'Hammer'
        task = asyncio.create_task(later())  # inherits the context, as a page's timer would
    rename('Claw hammer')
    started.set()
    await asyncio.sleep(0.01)
    rename('Sledge hammer')  # (on this task: its write does not tell the other task's reads)
    renamed.set()
    assert await task == ['Claw hammer', 'Sledge hammer']  # each read on its own, not one session kept open


def test_a_page_builds_session_check_holds_the_user_for_the_services_after_it(accounts) -> None:
    from app.catalogue import browsing
    from app.identity import auth

    token = auth.sign_in(username='alice', password='alice-password', client_address='127.0.0.1')

    def build() -> None:
        who = auth.resolve(token)
        assert who is not None
        with db.read_session() as s:
            assert browsing.catalogue_view(s, actor=who) == 'grid'

    with db.one_reading():
        asked = statements_during(build)
    assert len([q for q in asked if q.lstrip().startswith('SELECT') and 'FROM portaluser' in q]) == 0
    assert len([q for q in asked if q.lstrip().startswith('SELECT')]) == 1  # the session check's one query
