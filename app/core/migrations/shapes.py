"""The shapes the revisions build tables from: columns, a table with its named constraints, an index by its column.

FROZEN. The shipped revisions (0001 on) make their tables with these functions, and a database a supplier upgraded
then must stay exactly like one made now: changing what an existing function makes (a type, a nullability, a
default, a constraint's name or order) changes every shipped revision that calls it. Never change one; when a
revision needs something else, add a new function (or write the `sa.Column` in the revision).

The names are the ones the naming convention of app/models.py gave when the revisions were written, spelled out
with `op.f` so that a later convention cannot rename them: `<table>_pkey`, `<table>_<column>_fkey`,
`<table>_<column>_<column>..._key`, `ix_<table>_<column>`. Constraints come in the order autogenerate wrote
them: the foreign keys, the primary key, the unique constraints.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


def integer(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def string(name: str, length: int | None = None, *, nullable: bool = False) -> sa.Column:
    """A VARCHAR of `length` characters; without one, of any length."""
    return sa.Column(name, sa.String(length=length), nullable=nullable)


def moment(name: str, *, nullable: bool = False) -> sa.Column:
    """A point in time, with its time zone (SQLModel's UTCDateTime)."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def flag(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Boolean(), nullable=nullable)


def create_table(
    name: str,
    *columns: sa.Column,
    key: Sequence[str] = ('id',),
    references: dict[str, str] | None = None,
    unique: Sequence[Sequence[str]] = (),
) -> sa.Table:
    """The table `name` with `columns`, `references` (column -> the table whose `id` it holds), its primary `key`
    and its `unique` column groups, each constraint under its conventional name, all in the order given (SQLite
    keeps the order in the table's SQL)."""
    return op.create_table(
        name,
        *columns,
        *(
            sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'{name}_{column}_fkey'))
            for column, target in (references or {}).items()
        ),
        sa.PrimaryKeyConstraint(*key, name=op.f(f'{name}_pkey')),
        *(sa.UniqueConstraint(*group, name=op.f(f'{name}_{"_".join(group)}_key')) for group in unique),
    )


def index(table: str, column: str, *, unique: bool = False) -> None:
    """The index `ix_<table>_<column>` on that one column."""
    op.create_index(op.f(f'ix_{table}_{column}'), table, [column], unique=unique)


def drop_index(table: str, column: str) -> None:
    """Drops what `index(table, column)` made."""
    op.drop_index(op.f(f'ix_{table}_{column}'), table_name=table)
