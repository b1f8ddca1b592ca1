"""Catalogue: product documents, related products, and what typo-tolerant search needs (issue 15).

Revision 0010, after 0009; written 2026-12-01.

New tables: `productdocument`, a PDF the supplier uploaded for a product (app/catalogue/documents.py: a generated
file name under the upload folder, the cleaned title it is shown and downloaded as, its size and place);
`relatedproduct`, a product the supplier linked to another as an alternative or an accessory
(app/catalogue/related.py), keyed (product, related) with an index on the related product, as alternatives are
read both ways.

The search index (app/catalogue/search.py): on SQLite `product_fts` is made again with a fifth column, the code and
barcode without separators ("FA-1008" also as "fa1008"), contentless because no column of `product` holds that
text (the triggers hand FTS5 every value), and filled from the products there; fts5vocab tables over both
full-text tables list the indexed words that typo-tolerant search corrects to. On PostgreSQL a trigram index over
the same codes without separators (pg_trgm's similarity serves the typos over the existing search-text index).

Rows already there: products have no documents and no related products until the supplier adds them; every
product is indexed again, codes and all (about 3 s at 100,000 products on SQLite).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.core.migrations import search_index
from app.core.migrations.shapes import create_table, drop_index, index, integer, moment, string

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

TRIGGERS = ('product_fts_ai', 'product_fts_ad', 'product_fts_au')


def upgrade() -> None:
    create_table(
        'productdocument',
        integer('id'),
        integer('product_id'),
        string('filename', 80),
        string('title', 120),
        integer('size_bytes'),
        integer('position'),
        moment('created_at'),
        references={'product_id': 'product'},
    )
    index('productdocument', 'product_id')
    create_table(
        'relatedproduct',
        integer('product_id'),
        integer('related_id'),
        sa.Column('kind', sa.Enum('ALTERNATIVE', 'ACCESSORY', name='relationkind'), nullable=False),
        integer('position'),
        references={'product_id': 'product', 'related_id': 'product'},
        key=['product_id', 'related_id'],
    )
    index('relatedproduct', 'related_id')

    if op.get_context().dialect.name == 'sqlite':
        _product_fts(
            search_index.PRODUCT_FTS_0010, search_index.PRODUCT_TRIGGERS_0010, search_index.PRODUCT_FTS_FILL_0010
        )
        for statement in search_index.VOCABULARIES_0010:
            op.execute(statement)
    else:
        for statement in search_index.PRODUCT_CODES_TRIGRAM_0010:
            op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == 'sqlite':
        op.execute('DROP TABLE IF EXISTS producttranslation_fts_vocab')
        op.execute('DROP TABLE IF EXISTS product_fts_vocab')
        rebuild = "INSERT INTO product_fts(product_fts) VALUES ('rebuild')"
        _product_fts(search_index.PRODUCT_FTS_0001, search_index.PRODUCT_TRIGGERS_0001, rebuild)
    else:
        op.execute('DROP INDEX IF EXISTS ix_product_search_codes')
    drop_index('relatedproduct', 'related_id')
    op.drop_table('relatedproduct')
    drop_index('productdocument', 'product_id')
    op.drop_table('productdocument')
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP TYPE IF EXISTS relationkind')


def _product_fts(table: str, triggers: list[str], fill: str) -> None:
    """SQLite's `product_fts` and its triggers made again as `table` with `triggers`, and filled by `fill`."""
    for trigger in TRIGGERS:
        op.execute(f'DROP TRIGGER IF EXISTS {trigger}')
    op.execute('DROP TABLE IF EXISTS product_fts')
    for statement in [table, *triggers, fill]:
        op.execute(statement)
