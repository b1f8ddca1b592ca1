"""A locked database: another connection holds the write lock for longer than the busy timeout while a customer
places an order. The customer is told to try again, nothing is half-written, and the retry goes through."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from nicegui.testing import User

from app.core import config, db
from app.core.db import DatabaseBusy
from app.models import Order
from app.orders import current_order, invariants, ordering
from tests.rows import count
from tests.security.support import current_order_of, identity, snapshot
from tests.ui.conftest import signed_in

SHORT_TIMEOUT_MS = 300  # the portal waits 8 s; the test need not


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, 'BUSY_TIMEOUT_MS', SHORT_TIMEOUT_MS)
    db.configure(config.get().database_url)


@contextmanager
def write_lock_held_elsewhere(database: Path) -> Iterator[None]:
    """Another connection (a backup tool, a second process, a stuck transaction) holds the write lock."""
    other = sqlite3.connect(database, isolation_level=None)
    try:
        other.execute('BEGIN IMMEDIATE')
        other.execute("UPDATE setting SET value = value WHERE key = 'currency'")
        yield
        other.execute('ROLLBACK')
    finally:
        other.close()


def place(username: str) -> Order:
    who = identity(username)
    with db.write_session() as s:
        key = current_order.get_or_create(s, actor=who).placement_key
        return ordering.place_current_order(s, actor=who, placement_key=key)


def test_placing_while_the_database_is_locked_says_try_again_and_the_retry_works(
    portal: Path, short_busy_timeout: None
) -> None:
    """ASVS 16.5.2 (fail gracefully on an unavailable resource): a clear message, no partial write."""
    before, current = snapshot(), current_order_of('customer')
    with write_lock_held_elsewhere(portal / 'stockfront.db'), pytest.raises(DatabaseBusy) as busy:
        place('customer')
    assert 'please try again' in str(busy.value) and 'Nothing was saved' in str(busy.value)
    assert snapshot() == before and current_order_of('customer') == current

    order = place('customer')  # the lock is gone: the same current order, the same key, one order
    assert count(Order) == len(before['salesorder']) + 1
    assert order.placement_key == current[0]
    assert db.integrity_check() == 'ok'
    invariants.assert_stock_ok()


async def test_customer_sees_try_again_on_the_page_and_the_second_click_places_the_order(
    user: User, portal: Path
) -> None:
    """ASVS 16.5.2: at the screen, the busy database is a warning to try again, not an error page."""
    await signed_in(user, at='/current-order')
    await user.should_see(marker='place-order')
    db.BUSY_TIMEOUT_MS, saved = SHORT_TIMEOUT_MS, db.BUSY_TIMEOUT_MS
    try:
        db.configure(config.get().database_url)  # as main.py did at start, with the short timeout
        before = snapshot()
        with write_lock_held_elsewhere(portal / 'stockfront.db'):
            user.find(marker='place-order').click()
            await user.should_see('The system is busy right now. Nothing was saved, please try again.', retries=50)
        assert snapshot() == before
        user.find(marker='place-order').click()
        await user.should_see('is placed', retries=50)
    finally:
        db.BUSY_TIMEOUT_MS = saved
    assert count(Order) == len(before['salesorder']) + 1
    invariants.assert_stock_ok()


async def test_the_current_order_opens_while_another_connection_holds_the_write_lock(user: User, portal: Path) -> None:
    """Showing the current order only reads: a long write elsewhere does not turn the page into an error."""
    await signed_in(user)
    db.BUSY_TIMEOUT_MS, saved = SHORT_TIMEOUT_MS, db.BUSY_TIMEOUT_MS
    try:
        db.configure(config.get().database_url)
        with write_lock_held_elsewhere(portal / 'stockfront.db'):
            await user.open('/current-order')
            await user.should_see(marker='place-order')
            await user.should_see('2 ship from stock')
    finally:
        db.BUSY_TIMEOUT_MS = saved
