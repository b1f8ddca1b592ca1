"""Products' names and descriptions in several languages, and their search index.

Revision 0005, after 0004; written 2026-12-01.

A new table `producttranslation`: a product's name and description in a language besides the supplier's default
one (app/catalogue/translations.py), with an id of its own (a stable rowid for the search index) and an index on
(language, name) for the catalogue in the order of the names read. The search
index gets the translated texts beside the products' own (app/catalogue/search.py): on SQLite an FTS5 table over
`producttranslation`, kept in step by triggers like `product_fts` (a later revision that copies
`producttranslation` in batch mode drops them and must make them again); on PostgreSQL a trigram index over the
translation's search text, whose expression is the one the catalogue's queries use.

Rows already there: none to carry over; the dashboard texts per language are settings rows
(app/core/portal_settings.py), made when the supplier writes one.
"""

from __future__ import annotations

from alembic import op

from app.core.migrations.shapes import create_table, drop_index, index, integer, string

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

SQLITE_SEARCH_INDEX = [
    """CREATE VIRTUAL TABLE producttranslation_fts USING fts5(
        name, description,
        content='producttranslation', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER producttranslation_fts_ai AFTER INSERT ON producttranslation BEGIN
        INSERT INTO producttranslation_fts(rowid, name, description) VALUES (new.id, new.name, new.description);
    END""",
    """CREATE TRIGGER producttranslation_fts_ad AFTER DELETE ON producttranslation BEGIN
        INSERT INTO producttranslation_fts(producttranslation_fts, rowid, name, description)
        VALUES ('delete', old.id, old.name, old.description);
    END""",
    """CREATE TRIGGER producttranslation_fts_au AFTER UPDATE OF name, description ON producttranslation BEGIN
        INSERT INTO producttranslation_fts(producttranslation_fts, rowid, name, description)
        VALUES ('delete', old.id, old.name, old.description);
        INSERT INTO producttranslation_fts(rowid, name, description) VALUES (new.id, new.name, new.description);
    END""",
]

POSTGRES_SEARCH_INDEX = [
    'CREATE EXTENSION IF NOT EXISTS pg_trgm',
    """CREATE INDEX ix_producttranslation_search_text ON producttranslation
        USING gin ((lower(name || ' ' || description)) gin_trgm_ops)""",
]


def upgrade() -> None:
    create_table(
        'producttranslation',
        integer('id'),
        integer('product_id'),
        string('language', 8),
        string('name', 200),
        string('description', 5000),
        references={'product_id': 'product'},
        unique=[['language', 'product_id']],
    )
    index('producttranslation', 'product_id')
    op.create_index('ix_producttranslation_language_name', 'producttranslation', ['language', 'name'], unique=False)
    dialect = op.get_context().dialect.name
    for statement in {'sqlite': SQLITE_SEARCH_INDEX, 'postgresql': POSTGRES_SEARCH_INDEX}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == 'sqlite':
        for trigger in ('producttranslation_fts_ai', 'producttranslation_fts_ad', 'producttranslation_fts_au'):
            op.execute(f'DROP TRIGGER IF EXISTS {trigger}')
        op.execute('DROP TABLE IF EXISTS producttranslation_fts')
    else:
        op.execute('DROP INDEX IF EXISTS ix_producttranslation_search_text')
    op.drop_index('ix_producttranslation_language_name', table_name='producttranslation')
    drop_index('producttranslation', 'product_id')
    op.drop_table('producttranslation')
