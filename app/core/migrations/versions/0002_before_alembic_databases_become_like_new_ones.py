"""A database from before Alembic becomes like a new one: `schemaversion` goes, SQLite's constraints get names.

Revision 0002, after 0001. Alembic's `alembic_version` records the schema now, so the numbered steps' table
goes. The constraints were made without names before the naming convention; PostgreSQL named them itself,
exactly as the convention does, but SQLite keeps them unnamed, and a later revision could not find them by
name. So on SQLite each table with an unnamed constraint is copied (batch mode) into one with the convention's
names, rows, ids and indexes unchanged; a table made by revision 0001 has its names already and is left
alone. Copying `product` drops its triggers, so those of the search index are made again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.core.migrations import search_index
from app.core.migrations.shapes import create_table, integer

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

NAMING_CONVENTION = {  # the convention of app/models.py when this was written
    'ix': 'ix_%(column_0_label)s',
    'uq': '%(table_name)s_%(column_0_N_name)s_key',
    'ck': '%(table_name)s_%(constraint_name)s_check',
    'fk': '%(table_name)s_%(column_0_N_name)s_fkey',
    'pk': '%(table_name)s_pkey',
}

SEARCH_INDEX_TRIGGERS = search_index.PRODUCT_TRIGGERS_0001  # copying `product` (batch mode) drops them


def upgrade() -> None:
    op.drop_table('schemaversion')
    if op.get_context().dialect.name == 'sqlite':
        for table in _with_unnamed_constraints():
            with op.batch_alter_table(table, recreate='always', naming_convention=NAMING_CONVENTION):
                pass
            if table == 'product':
                for statement in SEARCH_INDEX_TRIGGERS:
                    op.execute(statement)


def _with_unnamed_constraints() -> list[str]:
    found = sa.inspect(op.get_bind())
    unnamed = []
    for table in found.get_table_names():
        if table.startswith('product_fts') or table == 'alembic_version':
            continue
        constraints = [found.get_pk_constraint(table), *found.get_foreign_keys(table)]
        constraints += found.get_unique_constraints(table)
        if any(not constraint['name'] for constraint in constraints):
            unnamed.append(table)
    return unnamed


def downgrade() -> None:
    table = create_table('schemaversion', integer('id'), integer('version'))
    op.bulk_insert(table, [{'id': 1, 'version': 1}])
