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

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

TRIGGERS = ('product_fts_ai', 'product_fts_ad', 'product_fts_au')


def upgrade() -> None:
    op.create_table(
        'productdocument',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=80), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('size_bytes', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('productdocument_product_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('productdocument_pkey')),
    )
    op.create_index(op.f('ix_productdocument_product_id'), 'productdocument', ['product_id'], unique=False)
    op.create_table(
        'relatedproduct',
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('related_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('ALTERNATIVE', 'ACCESSORY', name='relationkind'), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('relatedproduct_product_id_fkey')),
        sa.ForeignKeyConstraint(['related_id'], ['product.id'], name=op.f('relatedproduct_related_id_fkey')),
        sa.PrimaryKeyConstraint('product_id', 'related_id', name=op.f('relatedproduct_pkey')),
    )
    op.create_index(op.f('ix_relatedproduct_related_id'), 'relatedproduct', ['related_id'], unique=False)

    if op.get_context().dialect.name == 'sqlite':
        for trigger in TRIGGERS:
            op.execute(f'DROP TRIGGER IF EXISTS {trigger}')
        op.execute('DROP TABLE IF EXISTS product_fts')
        op.execute(search_index.PRODUCT_FTS_0010)
        for statement in search_index.PRODUCT_TRIGGERS_0010:
            op.execute(statement)
        op.execute(search_index.PRODUCT_FTS_FILL_0010)
        for statement in search_index.VOCABULARIES_0010:
            op.execute(statement)
    else:
        for statement in search_index.PRODUCT_CODES_TRIGRAM_0010:
            op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == 'sqlite':
        op.execute('DROP TABLE IF EXISTS producttranslation_fts_vocab')
        op.execute('DROP TABLE IF EXISTS product_fts_vocab')
        for trigger in TRIGGERS:
            op.execute(f'DROP TRIGGER IF EXISTS {trigger}')
        op.execute('DROP TABLE IF EXISTS product_fts')
        op.execute(search_index.PRODUCT_FTS_0001)
        for statement in search_index.PRODUCT_TRIGGERS_0001:
            op.execute(statement)
        op.execute("INSERT INTO product_fts(product_fts) VALUES ('rebuild')")
    else:
        op.execute('DROP INDEX IF EXISTS ix_product_search_codes')
    op.drop_index(op.f('ix_relatedproduct_related_id'), table_name='relatedproduct')
    op.drop_table('relatedproduct')
    op.drop_index(op.f('ix_productdocument_product_id'), table_name='productdocument')
    op.drop_table('productdocument')
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP TYPE IF EXISTS relationkind')
