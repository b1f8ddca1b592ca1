"""Start-up brings an existing database up to this version's tables without losing a row (app/migrations.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, inspect, text
from sqlmodel import select

from app.core import config, db, migrations
from app.models import Order, OrderLine
from app.orders import ordering


@contextmanager
def raw_database() -> Iterator[Connection]:
    """The database behind the portal's back (the portal's engine closed), as another program would see it."""
    db.dispose()
    engine = create_engine(config.get().database_url)
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def make_version_0(conn: Connection) -> None:
    """The tables as the first releases made them: no schemaversion, order lines without `backordered`,
    and an index that came later missing."""
    conn.execute(text('DROP TABLE schemaversion'))
    conn.execute(text('DROP INDEX ix_orderline_product_backorder'))
    conn.execute(text('ALTER TABLE orderline DROP COLUMN backordered'))


def start() -> None:
    db.configure(config.get().database_url)


def version() -> int:
    with raw_database() as conn:
        return conn.execute(text('SELECT version FROM schemaversion')).scalar_one()


def test_a_new_database_is_marked_with_the_latest_step(data_dir: Path) -> None:
    assert version() == migrations.LATEST
    start()  # starting again runs nothing
    assert version() == migrations.LATEST


def test_an_old_database_gets_the_missing_column_and_index_and_keeps_its_rows(accounts, shop) -> None:
    product = shop.product('OLD-1', on_hand=2)
    key = shop.fill(accounts.alice, {product: 5})
    with db.write_session() as s:
        number = ordering.place_current_order(s, actor=accounts.alice, placement_key=key).number
    with raw_database() as conn:
        make_version_0(conn)

    start()

    assert version() == migrations.LATEST
    with raw_database() as conn:
        indexes = {index['name'] for index in inspect(conn).get_indexes('orderline')}
    assert 'ix_orderline_product_backorder' in indexes
    start()
    with db.read_session() as s:
        line = s.exec(select(OrderLine).where(OrderLine.product_code == 'OLD-1')).one()
        assert s.exec(select(Order.id).where(Order.number == number)).one() == line.order_id
    assert (line.quantity, line.allocated, line.backorder, line.backordered) == (5, 2, 3, 3)  # backfilled


def test_a_step_that_fails_changes_nothing_and_stops_the_start(data_dir: Path, monkeypatch) -> None:
    with raw_database() as conn:
        make_version_0(conn)

    def broken(conn: Connection) -> None:
        migrations._add_backordered(conn)
        raise RuntimeError('disk full')

    monkeypatch.setattr(migrations, 'STEPS', [migrations.Step(1, 'broken', broken)])
    with pytest.raises(RuntimeError, match='disk full'):
        start()
    with raw_database() as conn:
        columns = {column['name'] for column in inspect(conn).get_columns('orderline')}
        assert 'backordered' not in columns  # the step's transaction was rolled back
        assert conn.execute(text('SELECT version FROM schemaversion')).all() == []


def test_a_database_from_a_newer_version_is_refused(data_dir: Path) -> None:
    with raw_database() as conn:
        conn.execute(text('UPDATE schemaversion SET version = :v'), {'v': migrations.LATEST + 1})
    with pytest.raises(migrations.SchemaError, match='newer version'):
        start()


def test_a_column_no_step_adds_is_named_at_start(data_dir: Path) -> None:
    with raw_database() as conn:
        conn.execute(text('ALTER TABLE delivery DROP COLUMN tracking_code'))
    with pytest.raises(migrations.SchemaError, match=r'delivery\.tracking_code'):
        start()


def test_every_step_has_the_next_number() -> None:
    assert [step.version for step in migrations.STEPS] == list(range(1, len(migrations.STEPS) + 1))
