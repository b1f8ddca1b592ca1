"""Bringing a database to the tables this version of the portal expects: Alembic revisions in versions/.

At every start, before anyone is served, `upgrade` runs the revisions the database lacks, all of them in one
transaction (SQLite and PostgreSQL both change tables transactionally), so a failed upgrade leaves the
database as it was. A new database is made by the revisions from the first one on, so every database, new
or old, has been through the same steps.

- A database made before Alembic (it has the `schemaversion` table of the numbered steps, at step 1) is
  stamped with the baseline, which is exactly what those versions made, and then upgraded like any other.
- A database at a revision this version does not know (made by a newer portal) is refused, and so is one with
  the portal's tables but no record of their version (development builds from before the numbered steps):
  a clear message at start instead of errors on some page later.
- On SQLite the revisions run with foreign keys off (batch mode copies a table and drops the old one to change
  it, which foreign key checks would stop half-way); the foreign keys are checked before the commit.

Adding a migration, after changing app/models.py:

    .venv/bin/python -m app.core.migrations revision --autogenerate -m "order lines keep their VAT rate"

writes versions/NNNN_<message>.py from the difference between the models and a scratch database at the
latest revision; read it, fill in what autogenerate cannot know (data to carry over, renames), and run
tests/unit/test_migrations.py, which fails while the models and the revisions disagree. Autogenerate writes
plain `sa.Column`s and named constraints; the revisions write them with the frozen helpers of shapes.py
(`create_table`, `integer`, `string`, `moment`, `index`, ...), which make the very same, names and all. On
SQLite an `ALTER TABLE` that SQLite lacks is done in batch mode (`with op.batch_alter_table(...)`): it copies the
table, which drops the table's triggers, so a revision that batch-alters `product` re-creates the search index's
triggers (as 0002 does). Every constraint has the name the convention in app/models.py gives it, on every
database (0002 named those that SQLite had made without one), so a revision can drop one by its name.
`python -m app.core.migrations check` compares the models with the configured database.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, create_engine, event, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from sqlmodel import SQLModel

from app import models as _models  # noqa: F401 - registers the tables
from app.core import db

HERE = Path(__file__).resolve().parent
BASELINE = '0001'  # the tables as the portal made them before Alembic (numbered steps up to 1)
PRE_ALEMBIC_STEP = 1  # the last numbered step of the module that Alembic replaced
_UPGRADE_LOCK = 7_201_504  # PostgreSQL advisory lock: processes starting at once upgrade one after the other

log = logging.getLogger('stockfront.migrations')  # Alembic's own lines are quiet but at DEBUG (app/core/logging.py)


class SchemaError(db.DatabaseUnavailable):
    """This version of the portal cannot use the database as it is; the upgrade that was tried changed nothing."""


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, in code (no alembic.ini): the scripts in this package, the given connection."""
    config = Config()
    config.set_main_option('script_location', str(HERE))
    config.set_main_option('path_separator', 'os')
    config.set_main_option('file_template', '%%(rev)s_%%(slug)s')
    config.set_main_option('truncate_slug_length', '60')
    if connection is not None:
        config.attributes['connection'] = connection
    return config


@functools.cache
def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = scripts().get_current_head()
    assert head, 'no revisions in app/core/migrations/versions'
    return head


SEARCH_TABLES = ('product_fts', 'producttranslation_fts')  # and the tables FTS5 keeps for each
SEARCH_INDEXES = ('ix_product_search_text', 'ix_producttranslation_search_text', 'ix_product_search_codes')


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """What the comparison with the models leaves out: the search index, which no model describes.

    SQLite's full-text tables `product_fts` and `producttranslation_fts` (and the tables FTS5 keeps for them) and
    PostgreSQL's trigram indexes are made by the revisions and read with SQL (app/catalogue/search.py).
    """
    if type_ == 'table':
        return not (name or '').startswith(SEARCH_TABLES)
    if type_ == 'index':
        return name not in SEARCH_INDEXES
    return True


def differences(connection: Connection, metadata: MetaData | None = None) -> list:
    """What autogenerate would write into a new revision: empty when the models and the database agree."""
    context = MigrationContext.configure(connection, opts={'include_name': include_name, 'compare_type': True})
    return compare_metadata(context, metadata if metadata is not None else SQLModel.metadata)


def migration_engine(target: Engine | str | URL) -> Engine:
    """An engine of its own for the revisions: one connection, on SQLite with foreign keys off and the write
    lock taken at the start (BEGIN IMMEDIATE), so a second process starting at the same time waits its turn."""
    url = target.url if isinstance(target, Engine) else make_url(target)
    if url.get_backend_name() != 'sqlite':
        return create_engine(url, poolclass=NullPool)
    engine = create_engine(url, poolclass=NullPool, connect_args={'timeout': db.BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, 'connect')
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # the BEGIN below is the only one
        dbapi_connection.execute('PRAGMA foreign_keys=OFF')

    @event.listens_for(engine, 'begin')
    def _on_begin(conn) -> None:
        conn.exec_driver_sql('BEGIN IMMEDIATE')

    return engine


def current_revision(target: Engine | str | URL) -> str | None:
    """The revision the database is at; None for an empty one and for one made before Alembic."""
    engine = target if isinstance(target, Engine) else create_engine(target, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        if engine is not target:
            engine.dispose()


def upgrade(target: Engine | str | URL) -> list[str]:
    """Bring the database to the latest revision; returns the revisions that ran, oldest first (none when it was
    up to date). Raises `SchemaError` (a `DatabaseUnavailable`) for a database this version cannot use or whose
    upgrade failed, with nothing changed."""
    engine = migration_engine(target)
    try:
        with engine.connect() as conn:  # a database that cannot be reached says so here, as an OperationalError
            try:
                with conn.begin():
                    return _upgrade(conn)
            except DBAPIError as error:
                reason = str(error.orig or error).strip().splitlines()[0]
                raise SchemaError(f'Could not bring the database up to date, nothing was changed: {reason}') from error
    finally:
        engine.dispose()


def _upgrade(conn: Connection) -> list[str]:
    if conn.dialect.name == 'postgresql':
        conn.execute(text('SELECT pg_advisory_xact_lock(:key)'), {'key': _UPGRADE_LOCK})
    script = scripts()
    current = set(MigrationContext.configure(conn).get_current_heads())
    if not current:
        current = _stamp_if_made_before_alembic(conn)
    unknown = sorted(current - {known.revision for known in script.walk_revisions()})
    if unknown:
        raise _newer(', '.join(unknown))
    head = head_revision()
    if current == {head}:
        return []
    had = {older.revision for revision in current for older in script.iterate_revisions(revision, 'base')}
    ran = [r.revision for r in script.iterate_revisions(head, 'base') if r.revision not in had]
    command.upgrade(alembic_config(conn), 'head')
    if db.is_sqlite(conn):
        broken = conn.exec_driver_sql('PRAGMA foreign_key_check').all()
        if broken:
            tables = sorted({row[0] for row in broken})
            raise SchemaError(f'The upgrade would leave rows pointing at nothing in {tables}; nothing was changed.')
    log.info('database brought up to date: ran revision %s', ', '.join(ran[::-1]))
    return ran[::-1]


def _stamp_if_made_before_alembic(conn: Connection) -> set[str]:
    """A database of the numbered steps is stamped with the baseline; returns the revisions the database is at."""
    tables = set(inspect(conn).get_table_names())
    step = None
    if 'schemaversion' in tables:
        step = conn.execute(text('SELECT max(version) FROM schemaversion')).scalar()
    elif 'product' not in tables:
        return set()  # a new database
    if step is not None and step > PRE_ALEMBIC_STEP:
        raise _newer(f'step {step}')
    if step != PRE_ALEMBIC_STEP:
        raise SchemaError(
            "The database has Stockfront's tables but no record of their version (made by a development build "
            'from before versioned schemas, or by another program). It was not changed: start on a new database, '
            'or restore a backup.'
        )
    MigrationContext.configure(conn).stamp(scripts(), BASELINE)
    log.info('database from before Alembic (numbered step %s) stamped with revision %s', step, BASELINE)
    return {BASELINE}


def _newer(found: str) -> SchemaError:
    return SchemaError(
        f'This database was made by a newer version of Stockfront (schema {found}, this version knows up to '
        f'{head_revision()}). Start the newer version, or restore a backup made for this one.'
    )
