"""Shared fixtures: fresh settings and an empty database per test, and a few ready-made accounts.

The database is a copy of an empty, fully migrated SQLite file made once per run; with
STOCKFRONT_TEST_DATABASE_URL set (a PostgreSQL database that may be emptied, see `make test-postgres`) the service
tests run against that database instead, emptied per test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.core import clock, config, db, events
from app.identity import auth
from app.identity.access import SYSTEM
from app.models import AddressCreate, CustomerCreate, PortalUserCreate, Role


def _own_database(url: str) -> str:
    """Under pytest-xdist (`make test`) each worker has a database of its own on the test server, made when missing."""
    worker = os.environ.get('PYTEST_XDIST_WORKER')
    if not url or not worker:
        return url
    from sqlalchemy import create_engine, make_url, text

    own = make_url(url).set(database=f'stockfront_{worker}')
    engine = create_engine(url, isolation_level='AUTOCOMMIT')
    try:
        with engine.connect() as conn:
            if (
                conn.execute(text('SELECT 1 FROM pg_database WHERE datname = :name'), {'name': own.database}).first()
                is None
            ):
                conn.execute(text(f'CREATE DATABASE "{own.database}"'))
    finally:
        engine.dispose()
    return own.render_as_string(hide_password=False)


TEST_DATABASE_URL = _own_database(os.environ.get('STOCKFRONT_TEST_DATABASE_URL', ''))


def empty_database(url: str) -> None:
    """Drop every table of a throw-away PostgreSQL test database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text('DROP SCHEMA public CASCADE'))
        conn.execute(text('CREATE SCHEMA public'))
    engine.dispose()


sqlite_only = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason='about the SQLite file itself')
postgres_only = pytest.mark.skipif(not TEST_DATABASE_URL, reason='PostgreSQL only (make test-postgres)')


TEST_ENV = {
    'STOCKFRONT_BCRYPT_ROUNDS': '4',  # cost 12 in production; tests check that default separately
    'STOCKFRONT_STORAGE_SECRET': 'test-secret-' + 'x' * 40,
    'STOCKFRONT_DEMO_DATA': 'false',
}


def emptied_postgres(url: str) -> None:
    """The PostgreSQL test database without rows, at the newest revision: when the last test left it with exactly
    the portal's tables at the newest revision, their rows go (TRUNCATE, some 30 ms); otherwise (a migration test
    changed the schema) it is dropped and the portal's start makes it again (the revisions, ~0.25 s)."""
    from sqlalchemy import create_engine, text
    from sqlmodel import SQLModel

    from app.core import migrations

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            tables = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
            if tables == set(SQLModel.metadata.tables) | {'alembic_version'}:
                versions = set(conn.execute(text('SELECT version_num FROM alembic_version')).scalars())
                if versions == {migrations.head_revision()}:
                    listed = ', '.join(f'"{table}"' for table in sorted(tables - {'alembic_version'}))
                    conn.execute(text(f'TRUNCATE {listed} RESTART IDENTITY CASCADE'))
                    return
    finally:
        engine.dispose()
    empty_database(url)


_empty_sqlite: Path | None = None


def made_data_folder(prefix: str, fill: Callable[[], object] | None = None) -> Path:
    """A data folder of its own whose SQLite database the revisions made (and `fill` filled), for tests to copy."""
    import tempfile

    directory = Path(tempfile.mkdtemp(prefix=prefix)) / 'data'
    directory.mkdir()
    saved = dict(os.environ)
    os.environ.update(TEST_ENV, STOCKFRONT_DATA_DIR=str(directory))
    os.environ.pop('STOCKFRONT_DATABASE_URL', None)
    try:
        config.set_settings(config.load())
        db.configure(config.get().database_url)
        if fill is not None:
            fill()
        with db.get_engine().connect() as conn:
            conn.exec_driver_sql('PRAGMA wal_checkpoint(TRUNCATE)')
        db.dispose()
        config.set_settings(None)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return directory


def empty_sqlite_database() -> Path:
    """A SQLite database file with every revision applied and no rows, made once per test run: applying the
    revisions takes ~0.16 s, copying the file ~1 ms, and most service tests start from an empty database."""
    global _empty_sqlite
    if _empty_sqlite is None:
        _empty_sqlite = made_data_folder('stockfront-empty-') / 'stockfront.db'
    return _empty_sqlite


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Settings pointing at a new data folder with an empty database (every revision applied, no rows)."""
    directory = tmp_path / 'data'
    directory.mkdir()
    monkeypatch.setenv('STOCKFRONT_DATA_DIR', str(directory))
    monkeypatch.delenv('STOCKFRONT_DATABASE_URL', raising=False)
    if TEST_DATABASE_URL:
        emptied_postgres(TEST_DATABASE_URL)
        monkeypatch.setenv('STOCKFRONT_DATABASE_URL', TEST_DATABASE_URL)
    else:
        shutil.copyfile(empty_sqlite_database(), directory / 'stockfront.db')
    for key, value in TEST_ENV.items():
        monkeypatch.setenv(key, value)
    with configured():
        yield directory


@contextmanager
def configured() -> Iterator[None]:
    """The settings read from the environment and the engine on their database, ready for service calls; dropped
    afterwards, and the events and the clock reset."""
    config.set_settings(config.load())  # main.py does the same when the portal starts
    db.configure(config.get().database_url)
    try:
        yield
    finally:
        db.dispose()
        config.set_settings(None)
        events.reset()
        clock.reset()


def identity_of(user_id: int) -> auth.Identity:
    """The identity a signed-in page would have for this user (without going through sign-in)."""
    from app.models import PortalUser

    with db.read_session() as session:
        user = session.get(PortalUser, user_id)
        assert user is not None
        return auth.Identity.of(user)


def identity(username: str = 'customer') -> auth.Identity:
    """The identity a signed-in page would have for this user name (the demo's users: 'customer', 'admin', ...)."""
    from sqlmodel import select

    from app.models import PortalUser

    with db.read_session() as session:
        return auth.Identity.of(session.exec(select(PortalUser).where(PortalUser.username == username)).one())


def change_portal_terms(session, *, actor: auth.Identity, **changes: object):
    """Save the portal's terms with `changes`, every other term as it stands (save_portal_terms takes all six)."""
    from dataclasses import asdict

    from app.pricing import terms

    return terms.save_portal_terms(session, actor=actor, **{**asdict(terms.portal_terms(session)), **changes})


def change_product(session, *, actor: auth.Identity, product_id: int, **changes: object):
    """The supplier's product form saved with `changes` (active=False, price_cents=..., ...), the rest as stored."""
    from app.catalogue import products
    from app.models import Product, ProductCreate

    stored = session.get(Product, product_id)
    data = ProductCreate.model_validate({**stored.model_dump(), **changes})
    return products.update_product(session, actor=actor, product_id=product_id, data=data)


class Accounts:
    """Two customers with one user each and a supplier admin."""

    def __init__(self) -> None:
        from app.identity import accounts

        with db.write_session() as s:
            self.customer_a = accounts.create_customer(
                s, actor=SYSTEM, data=CustomerCreate(name='Alpha BV', code='ALPHA')
            )
            self.customer_b = accounts.create_customer(
                s, actor=SYSTEM, data=CustomerCreate(name='Beta Ltd', code='BETA')
            )
            self.address_a = accounts.add_address(
                s,
                actor=SYSTEM,
                customer_id=self.customer_a.id,
                data=AddressCreate(
                    recipient='Alpha Receiving', street='Main Street 1', postal_code='1000 AA', city='Amsterdam'
                ),
            )
            self.address_b = accounts.add_address(
                s,
                actor=SYSTEM,
                customer_id=self.customer_b.id,
                data=AddressCreate(
                    recipient='Beta Goods In', street='High Road 9', postal_code='SW1 1AA', city='London'
                ),
            )
            user_a = accounts.create_user(
                s,
                actor=SYSTEM,
                data=PortalUserCreate(username='alice', password='alice-password', customer_id=self.customer_a.id),
            )
            user_b = accounts.create_user(
                s,
                actor=SYSTEM,
                data=PortalUserCreate(username='bob', password='bob-password', customer_id=self.customer_b.id),
            )
            admin = accounts.create_user(
                s, actor=SYSTEM, data=PortalUserCreate(username='admin', password='admin-password', role=Role.ADMIN)
            )
        self.alice = identity_of(user_a.id)
        self.bob = identity_of(user_b.id)
        self.admin = identity_of(admin.id)


@pytest.fixture
def accounts(data_dir: Path) -> Accounts:
    return Accounts()


@pytest.fixture(autouse=True)
def _no_leaking_env() -> Iterator[None]:
    before = {k: v for k, v in os.environ.items() if k.startswith('STOCKFRONT_')}
    yield
    for key in [k for k in os.environ if k.startswith('STOCKFRONT_')]:
        if key not in before:
            del os.environ[key]


def _patient(method):
    """NiceGUI's `User.should_see` waits 0.3 s by default; live updates on a busy 2-core CI machine may take longer.

    The wait ends as soon as the page matches, so passing tests are not slower.
    """

    def wrapper(self, *args, retries: int = 50, **kwargs):
        return method(self, *args, retries=retries, **kwargs)

    return wrapper


from nicegui.testing import User  # noqa: E402

User.should_see = _patient(User.should_see)
User.should_not_see = _patient(User.should_not_see)
