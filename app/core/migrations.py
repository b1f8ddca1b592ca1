"""Bringing an existing database up to the tables this version of the portal expects.

`create_all` makes tables that are missing but never changes a table that exists. Every change to an
existing table is a numbered step below, and the database keeps the number of the last step it has had
(table `schemaversion`). At start-up, before anyone is served:

- a new database is made complete by `create_all` and marked with the latest step;
- an existing one runs the steps it lacks, in order, each in one transaction with its version mark, so a
  step is either done and recorded or not done at all;
- indexes added to the models later are created where missing;
- a database marked with a step this version does not know (made by a newer portal) is refused, and so is
  one that still lacks a column afterwards: a clear message at start instead of errors on some page later.

Adding a column to a model means adding a step here (and a test in tests/unit/test_migrations.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from app.models import SchemaVersion


class SchemaError(RuntimeError):
    """The database cannot be used by this version of the portal; nothing was changed by the failing step."""


@dataclass(frozen=True)
class Step:
    version: int
    what: str
    run: Callable[[Connection], None]


def _columns(conn: Connection, table: str) -> set[str]:
    return {column['name'] for column in inspect(conn).get_columns(table)}


def _add_backordered(conn: Connection) -> None:
    if 'backordered' in _columns(conn, 'orderline'):
        return
    conn.execute(text('ALTER TABLE orderline ADD COLUMN backordered INTEGER NOT NULL DEFAULT 0'))
    # What went on backorder at placement was not recorded before; what is on backorder now is the part of it
    # that is known for certain (units received for it since are shown as reserved, not as backorder).
    conn.execute(text('UPDATE orderline SET backordered = backorder'))


STEPS: list[Step] = [
    Step(1, 'order lines remember how many units went on backorder when placed', _add_backordered),
]
LATEST = STEPS[-1].version


def is_new(engine: Engine) -> bool:
    """Whether the database has none of the portal's tables yet (call before creating them)."""
    return not inspect(engine).has_table('product')


def current_version(conn: Connection) -> int:
    row = conn.execute(text('SELECT version FROM schemaversion WHERE id = 1')).first()
    return int(row[0]) if row else 0


def _mark(conn: Connection, version: int) -> None:
    table = SchemaVersion.__table__
    if conn.execute(text('SELECT 1 FROM schemaversion WHERE id = 1')).first():
        conn.execute(table.update().where(table.c.id == 1).values(version=version))
    else:
        conn.execute(table.insert().values(id=1, version=version))


def upgrade(engine: Engine, *, new: bool) -> list[Step]:
    """Run the steps this database lacks (after `create_all`); returns the steps that ran."""
    with engine.begin() as conn:
        if new:
            _mark(conn, LATEST)
            return []
        version = current_version(conn)
    if version > LATEST:
        raise SchemaError(
            f'This database was made by a newer version of Stockfront (schema {version}, this version knows up to '
            f'{LATEST}). Start the newer version, or restore a backup made for this one.'
        )
    done = []
    for step in STEPS:
        if step.version > version:
            with engine.begin() as conn:  # the step and its mark commit together
                step.run(conn)
                _mark(conn, step.version)
            done.append(step)
    with engine.begin() as conn:
        for table in SQLModel.metadata.sorted_tables:
            for index in table.indexes:
                index.create(conn, checkfirst=True)
        _check_columns(conn)
    return done


def _check_columns(conn: Connection) -> None:
    missing = []
    for table in SQLModel.metadata.sorted_tables:
        present = _columns(conn, table.name)
        missing += [f'{table.name}.{column.name}' for column in table.columns if column.name not in present]
    if missing:
        raise SchemaError(f'The database lacks columns this version needs and no migration step adds: {missing}')
