"""Start-up brings an existing database up to this version's tables without losing a row (app/migrations.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from app import config, db, migrations, ordering
from app.models import Order, OrderLine


def make_version_0(path: Path) -> None:
    """The tables as the first releases made them: no schemaversion, order lines without `backordered`,
    and an index that came later missing."""
    with sqlite3.connect(path) as conn:
        conn.execute('DROP TABLE schemaversion')
        conn.execute('DROP INDEX ix_orderline_product_backorder')
        conn.execute('ALTER TABLE orderline DROP COLUMN backordered')


def database_file() -> Path:
    return Path(config.get().database_url.removeprefix('sqlite:///'))


def version_of(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute('SELECT version FROM schemaversion').fetchone()[0]


def test_a_new_database_is_marked_with_the_latest_step(data_dir: Path) -> None:
    assert version_of(database_file()) == migrations.LATEST
    db.configure(config.get().database_url)  # starting again runs nothing
    assert version_of(database_file()) == migrations.LATEST


def test_an_old_database_gets_the_missing_column_and_index_and_keeps_its_rows(accounts, shop) -> None:
    product = shop.product('OLD-1', on_hand=2)
    key = shop.fill(accounts.alice, {product: 5})
    with db.write_session() as s:
        number = ordering.place_current_order(s, actor=accounts.alice, placement_key=key).number
    path = database_file()
    db.dispose()
    make_version_0(path)

    db.configure(config.get().database_url)

    assert version_of(path) == migrations.LATEST
    with sqlite3.connect(path) as conn:
        indexes = {row[1] for row in conn.execute("PRAGMA index_list('orderline')")}
    assert 'ix_orderline_product_backorder' in indexes
    with db.read_session() as s:
        line = s.exec(select(OrderLine).where(OrderLine.product_code == 'OLD-1')).one()
    assert (line.quantity, line.allocated, line.backorder, line.backordered) == (5, 2, 3, 3)  # backfilled
    with db.read_session() as s:
        assert s.get(OrderLine, line.id).order_id == s.exec(select(Order.id).where(Order.number == number)).one()


def test_a_step_that_fails_changes_nothing_and_stops_the_start(data_dir: Path, monkeypatch) -> None:
    path = database_file()
    db.dispose()
    make_version_0(path)

    def broken(conn) -> None:
        migrations._add_backordered(conn)
        raise RuntimeError('disk full')

    monkeypatch.setattr(migrations, 'STEPS', [migrations.Step(1, 'broken', broken)])
    with pytest.raises(RuntimeError, match='disk full'):
        db.configure(config.get().database_url)
    with sqlite3.connect(path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info('orderline')")}
        assert 'backordered' not in columns  # the step's transaction was rolled back
        assert conn.execute('SELECT version FROM schemaversion').fetchall() == []


def test_a_database_from_a_newer_version_is_refused(data_dir: Path) -> None:
    path = database_file()
    db.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute('UPDATE schemaversion SET version = ?', (migrations.LATEST + 1,))
    with pytest.raises(migrations.SchemaError, match='newer version'):
        db.configure(config.get().database_url)


def test_a_column_no_step_adds_is_named_at_start(data_dir: Path) -> None:
    path = database_file()
    db.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute('ALTER TABLE delivery DROP COLUMN tracking_code')
    with pytest.raises(migrations.SchemaError, match=r'delivery\.tracking_code'):
        db.configure(config.get().database_url)


def test_every_step_has_the_next_number() -> None:
    assert [step.version for step in migrations.STEPS] == list(range(1, len(migrations.STEPS) + 1))
