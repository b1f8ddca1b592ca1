"""The start brings every database to the models' tables through the Alembic revisions, and keeps every row.

Runs on SQLite and, with tests/with_postgres.py, on PostgreSQL. A database made before Alembic is built from
tests/unit/before_alembic/<dialect>.sql: the statements the portal ran on an empty database then.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, MetaData, create_engine, inspect, text

from app.catalogue import catalogue, products
from app.core import config, db, migrations
from app.core.migrations import search_index as search_index_sql
from app.identity.auth import Identity
from app.models import PortalUser, ProductCreate
from app.orders import invariants, ordering, orders
from tests.conftest import empty_database

ROOT = Path(__file__).resolve().parents[2]
BEFORE_ALEMBIC = Path(__file__).parent / 'before_alembic'
WHEN = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def url() -> str:
    return config.get().database_url


@contextmanager
def raw_database() -> Iterator[Connection]:
    """The database behind the portal's back (the portal's engine closed), as another program would see it."""
    db.dispose()
    engine = create_engine(url())
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def start() -> None:
    db.configure(url())


def emptied() -> None:
    """Nothing left of the database the test fixture made."""
    db.dispose()
    if url().startswith('sqlite:///'):
        path = Path(url().removeprefix('sqlite:///'))
        for leftover in [path, path.with_name(path.name + '-wal'), path.with_name(path.name + '-shm')]:
            leftover.unlink(missing_ok=True)
    else:
        empty_database(url())


def made_before_alembic(*, step: int | None = 1) -> dict[str, int]:
    """A database as the portal made it before Alembic (at numbered step `step`, or without the table), with a
    customer's order partly delivered and partly on backorder, a current order and a selection."""
    emptied()
    sql = (BEFORE_ALEMBIC / f'{"sqlite" if url().startswith("sqlite") else "postgresql"}.sql').read_text()
    sql = '\n'.join(line for line in sql.splitlines() if not line.startswith('--'))
    with raw_database() as conn:
        for statement in re.split(r';\n\s*\n', sql):
            if statement.strip():
                conn.exec_driver_sql(statement)
        if step is None:
            conn.execute(text('DROP TABLE schemaversion'))
        else:
            conn.execute(text('UPDATE schemaversion SET version = :step'), {'step': step})
        tables = MetaData()
        tables.reflect(conn)

        def add(table: str, **row: object) -> int:
            return conn.execute(tables.tables[table].insert().values(**row)).inserted_primary_key[0]

        add('setting', key='currency', value='EUR')
        alpha = add('customer', name='Alpha BV', code='ALPHA', language='en', catalogue_mode='ALL', created_at=WHEN)
        beta = add('customer', name='Beta Ltd', code='BETA', language='nl', catalogue_mode='SELECTION', created_at=WHEN)
        add('address', label='', recipient='Alpha Receiving', street='Main Street 1', postal_code='1000 AA',
            city='Amsterdam', country='', customer_id=alpha, is_default=True)  # fmt: skip
        user = dict(full_name='', active=True, password_hash='$2b$04$' + 'x' * 53, created_at=WHEN)
        alice = add('portaluser', username='alice', role='CUSTOMER', customer_id=alpha, **user)
        admin = add('portaluser', username='admin', role='ADMIN', customer_id=None, **user)
        product = dict(description='', barcode='', unit='piece', active=True, created_at=WHEN, updated_at=WHEN)
        hammer = add('product', code='HAM-1', name='Claw hammer', price_cents=1250, on_hand=2, allocated=2, **product)
        saw = add('product', code='SAW-1', name='Hand saw', price_cents=2000, on_hand=10, allocated=0, **product)
        add('customerproduct', customer_id=beta, product_id=saw)
        moved = dict(note='', created_at=WHEN, user_id=admin)
        add('stockmovement', product_id=hammer, change=2, on_hand_after=2, kind='receipt', **moved)
        add('stockmovement', product_id=saw, change=13, on_hand_after=13, kind='receipt', **moved)
        order = add('salesorder', number='SO-10001', customer_id=alpha, placed_by_user_id=alice,
                    placed_by_supplier=False, placement_key='placed-key', status='PARTIALLY_DELIVERED', comment='',
                    reference='PO-7', ship_recipient='Alpha Receiving', ship_street='Main Street 1',
                    ship_postal_code='1000 AA', ship_city='Amsterdam', ship_country='', total_cents=5 * 1250 + 3 * 2000,
                    created_at=WHEN, checked_at=WHEN)  # fmt: skip
        line = dict(order_id=order, cancelled=0)
        add('orderline', product_id=hammer, product_code='HAM-1', product_name='Claw hammer', unit_price_cents=1250,
            quantity=5, delivered=0, allocated=2, backorder=3, backordered=3, **line)  # fmt: skip
        sawn = add('orderline', product_id=saw, product_code='SAW-1', product_name='Hand saw', unit_price_cents=2000,
                   quantity=3, delivered=3, allocated=0, backorder=0, backordered=0, **line)  # fmt: skip
        delivery = add('delivery', order_id=order, tracking_code='TRACK-1', created_at=WHEN, created_by_user_id=admin)
        add('deliveryline', delivery_id=delivery, order_line_id=sawn, quantity=3)
        add('stockmovement', product_id=saw, change=-3, on_hand_after=10, kind='delivery', **moved)
        add('currentorder', user_id=alice, placement_key='current-key', comment='', reference='', updated_at=WHEN)
        add('currentorderline', user_id=alice, product_id=saw, quantity=4, added_at=WHEN)
    return {'alice': alice, 'admin': admin, 'hammer': hammer, 'saw': saw}


def rows(conn: Connection) -> dict[str, list[dict]]:
    """Every row of every portal table, in key order."""
    tables = MetaData()
    tables.reflect(conn)
    return {
        name: [dict(row._mapping) for row in conn.execute(table.select().order_by(*table.primary_key.columns))]
        for name, table in tables.tables.items()
        if migrations.include_name(name, 'table', {}) and name not in {'alembic_version', 'schemaversion'}
    }


def in_old_columns(before: dict[str, list[dict]], after: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """`after`, each row in the columns its table had `before` (a later revision may add columns with defaults)."""
    return {
        name: [{column: row[column] for column in old_row} for old_row, row in zip(old, after[name], strict=True)]
        for name, old in before.items()
    }


def names(conn: Connection) -> dict[str, set]:
    """The names of every index and constraint."""
    found = inspect(conn)
    tables = [name for name in found.get_table_names() if migrations.include_name(name, 'table', {})]
    return {
        'index': {(t, i['name']) for t in tables for i in found.get_indexes(t)},
        'unique': {(t, u['name']) for t in tables for u in found.get_unique_constraints(t)},
        'foreign key': {(t, f['name']) for t in tables for f in found.get_foreign_keys(t)},
        'primary key': {(t, found.get_pk_constraint(t)['name']) for t in tables},
    }


def search_index(conn: Connection) -> set[str]:
    if conn.dialect.name == 'sqlite':
        query = "SELECT name FROM sqlite_master WHERE name LIKE 'product_fts%' AND type IN ('table', 'trigger')"
    else:
        query = "SELECT indexname FROM pg_indexes WHERE indexname = 'ix_product_search_text'"
    return set(conn.execute(text(query)).scalars())


def identity(user_id: int) -> Identity:
    with db.read_session() as s:
        user = s.get(PortalUser, user_id)
        assert user is not None
        return Identity.of(user)


def test_a_new_database_is_made_by_the_revisions_and_agrees_with_the_models(data_dir: Path) -> None:
    assert migrations.current_revision(url()) == migrations.head_revision()
    with raw_database() as conn:
        assert migrations.differences(conn) == []
        assert not inspect(conn).has_table('schemaversion')
        assert search_index(conn) >= (
            {'product_fts', 'product_fts_ai', 'product_fts_ad', 'product_fts_au'}
            if conn.dialect.name == 'sqlite'
            else {'ix_product_search_text'}
        )
    assert migrations.upgrade(url()) == []  # the next start has nothing to do


def test_the_check_fails_when_a_model_has_what_no_revision_made(data_dir: Path) -> None:
    with raw_database() as conn:
        conn.execute(text('ALTER TABLE delivery DROP COLUMN tracking_code'))
        found = migrations.differences(conn)
    assert [(kind, table, column.name) for kind, _schema, table, column in found] == [
        ('add_column', 'delivery', 'tracking_code')
    ]


def test_a_database_made_before_alembic_starts_with_every_row_and_works(data_dir: Path) -> None:
    with raw_database() as conn:
        new_names = names(conn)
    made = made_before_alembic()
    with raw_database() as conn:
        before = rows(conn)
    assert sum(len(table) for table in before.values()) == 19

    start()

    assert migrations.current_revision(url()) == migrations.head_revision()
    with raw_database() as conn:
        assert in_old_columns(before, rows(conn)) == before
        assert not inspect(conn).has_table('schemaversion')
        assert migrations.differences(conn) == []
        assert names(conn) == new_names  # a later revision finds every index and constraint by its name
    start()
    invariants.assert_stock_ok()
    alice, admin = identity(made['alice']), identity(made['admin'])
    with db.read_session() as s:
        assert [p.code for p in catalogue.search_products(s, actor=alice, query='hamm').items] == ['HAM-1']
        [order] = orders.list_orders(s, actor=alice).items
        assert (order.number, order.reference) == ('SO-10001', 'PO-7')
    with db.write_session() as s:  # the next order, from the current order kept across the upgrade
        placed = ordering.place_current_order(s, actor=alice, placement_key='current-key')
        products.create_product(s, actor=admin, data=ProductCreate(code='NEW-1', name='Spirit level', price_cents=1))
    assert placed.number != 'SO-10001'
    invariants.assert_stock_ok()
    with db.read_session() as s:
        assert [p.code for p in catalogue.search_products(s, actor=alice, query='spirit').items] == ['NEW-1']


@pytest.mark.parametrize('made_by', ['a newer version', 'a newer version of the numbered steps'])
def test_a_database_from_a_newer_version_is_refused_and_left_as_it_was(data_dir: Path, made_by: str) -> None:
    if made_by == 'a newer version':
        with raw_database() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
        shown = 'schema 0999'
    else:
        made_before_alembic(step=2)
        shown = 'schema step 2'
    with raw_database() as conn:
        before = rows(conn), names(conn)

    with pytest.raises(db.DatabaseUnavailable, match='newer version of Stockfront') as refused:
        start()

    assert isinstance(refused.value, migrations.SchemaError)
    assert f'({shown}, this version knows up to {migrations.head_revision()})' in str(refused.value)
    with pytest.raises(RuntimeError, match='not configured'):
        db.get_engine()
    with raw_database() as conn:
        assert (rows(conn), names(conn)) == before


def test_portal_tables_without_a_version_are_refused(data_dir: Path) -> None:
    made_before_alembic(step=None)
    with pytest.raises(migrations.SchemaError, match='no record of their version'):
        start()
    with raw_database() as conn:
        assert not inspect(conn).has_table('alembic_version')


@pytest.fixture
def a_broken_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The revisions of this version and one more after them, which fails half-way."""
    scripts = shutil.copytree(migrations.HERE, tmp_path / 'migrations', ignore=shutil.ignore_patterns('__pycache__'))
    head = migrations.head_revision()
    (scripts / 'versions' / '9999_broken.py').write_text(
        f"from alembic import op\n\nrevision = '9999'\ndown_revision = {head!r}\n\n\n"  # noqa: S608 - not SQL
        'def upgrade():\n'
        "    op.execute('CREATE TABLE half_done (id INTEGER PRIMARY KEY)')\n"
        "    op.execute('UPDATE no_such_table SET x = 1')\n"
    )
    monkeypatch.setattr(migrations, 'HERE', scripts)
    migrations.scripts.cache_clear()
    yield
    migrations.scripts.cache_clear()


def test_a_revision_that_fails_changes_nothing_and_stops_the_start(data_dir: Path, a_broken_revision: None) -> None:
    made_before_alembic()  # to be stamped, to lose its schemaversion table, then to fail
    with raw_database() as conn:
        before = rows(conn)
    with pytest.raises(migrations.SchemaError, match='Could not bring the database up to date, nothing was changed'):
        start()
    with raw_database() as conn:
        assert conn.execute(text('SELECT version FROM schemaversion')).scalar_one() == 1
        assert not inspect(conn).has_table('alembic_version')  # the stamp went with the rest
        assert not inspect(conn).has_table('half_done')
        assert rows(conn) == before


def test_the_last_revision_can_be_undone_and_done_again(data_dir: Path) -> None:
    engine = migrations.migration_engine(url())
    with engine.begin() as conn:
        command.downgrade(migrations.alembic_config(conn), '-1')
    engine.dispose()
    assert migrations.upgrade(url()) == [migrations.head_revision()]
    with raw_database() as conn:
        assert migrations.differences(conn) == []


def test_every_revision_can_be_undone_down_to_the_baseline_and_done_again(data_dir: Path) -> None:
    with raw_database() as conn:
        made = names(conn), search_index(conn)
    engine = migrations.migration_engine(url())
    with engine.begin() as conn:
        command.downgrade(migrations.alembic_config(conn), migrations.BASELINE)
    engine.dispose()
    with raw_database() as conn:
        assert inspect(conn).has_table('schemaversion')  # 0002 undone
        assert not inspect(conn).has_table('expecteddelivery')  # 0012 undone
    assert migrations.upgrade(url())[-1] == migrations.head_revision()
    with raw_database() as conn:
        assert migrations.differences(conn) == []
        assert (names(conn), search_index(conn)) == made


def test_the_revisions_are_numbered_one_after_the_other() -> None:
    script = migrations.scripts()
    assert script.get_heads() == [migrations.head_revision()]
    chain = list(reversed(list(script.walk_revisions())))
    assert [r.revision for r in chain] == [f'{n:04d}' for n in range(1, len(chain) + 1)]
    assert [r.down_revision for r in chain] == [None, *(r.revision for r in chain[:-1])]
    assert chain[0].revision == migrations.BASELINE


SHIPPED_SEARCH_INDEX = {  # the SHA-256 (first 16 digits) of each text, as the revisions that use it shipped
    'PRODUCT_FTS_0001': '19ada52ab04d3c48',
    'PRODUCT_TRIGGERS_0001': '544fefabbbf909dc',
    'PRODUCT_TRIGRAM_0001': '49ad0a16aeb8285e',
    'PRODUCT_FTS_0010': '4f0deef1b0722efa',
    'PRODUCT_TRIGGERS_0010': '718a7b2601213864',
    'PRODUCT_FTS_FILL_0010': '54fabbc25b77d799',
    'VOCABULARIES_0010': 'f9f2335a41566b3d',
    'PRODUCT_CODES_EXPRESSION_0010': 'aaa60e0049fe7916',
    'PRODUCT_CODES_TRIGRAM_0010': '3fd96baa6ef83a40',
}


def test_the_search_index_texts_of_shipped_revisions_never_change() -> None:
    """A database upgraded by a shipped revision has its search index from these texts: a new one must match it."""
    texts = {name: getattr(search_index_sql, name) for name in SHIPPED_SEARCH_INDEX}
    assert {name: hashlib.sha256(repr(sql).encode()).hexdigest()[:16] for name, sql in texts.items()} == (
        SHIPPED_SEARCH_INDEX
    )


@pytest.mark.slow
def test_the_portal_stops_with_one_line_on_a_database_from_a_newer_version(data_dir: Path) -> None:
    with raw_database() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    env = {'PATH': '/usr/bin:/bin', 'STOCKFRONT_DATA_DIR': str(data_dir), 'STOCKFRONT_DATABASE_URL': url()}
    done = subprocess.run(
        [sys.executable, 'main.py'], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1
    assert (
        done.stderr.strip()
        .splitlines()[-1]
        .startswith('Stockfront cannot start: This database was made by a newer version of Stockfront (schema 0999')
    )
    assert 'Traceback' not in done.stderr


@pytest.mark.slow
def test_the_developers_command_checks_the_models_against_the_database(data_dir: Path) -> None:
    env = {**os.environ, 'STOCKFRONT_DATABASE_URL': url()}
    check = [sys.executable, '-m', 'app.core.migrations', 'check']
    agreed = subprocess.run(check, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert agreed.returncode == 0, agreed.stderr
    assert 'No new upgrade operations detected' in agreed.stdout + agreed.stderr
    with raw_database() as conn:
        conn.execute(text('DROP INDEX ix_salesorder_reference'))
    differed = subprocess.run(check, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert differed.returncode != 0
    assert 'ix_salesorder_reference' in differed.stdout + differed.stderr
