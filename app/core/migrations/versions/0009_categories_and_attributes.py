"""Catalogue: categories (a tree), products in categories, attributes per product (issue 15).

Revision 0009, after 0008; written 2026-12-01.

New tables (app/catalogue/categories.py): `category`, the supplier's tree (a parent, a name in the default
language and a position among its siblings; an index on (parent, position) reads a level in order);
`categorytranslation`, a category's name in another language; `categoryattribute`, the attribute names a
category's products are described by; `productcategory`, a product in a category, keyed (category, product) with
an index on (product, category), so a category's products and a product's categories are each one index range
(covering, no row read); `productattribute`, a product's value of an attribute, with an index on (name, value,
product) that serves the attribute filters and one on (product, name, value) that serves their counts per
category (read from the category's products, no row read each). `portaluser.catalogue_view`: a customer's choice
of the products page as a grid or a list.

Rows already there: products are in no category and have no attributes until the supplier puts them there; every
user sees the grid ('grid', the column's server default) until it chooses the list.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.core.migrations.shapes import create_table, integer, string

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        'category',
        integer('id'),
        integer('parent_id', nullable=True),
        string('name', 80),
        integer('position'),
        references={'parent_id': 'category'},
    )
    op.create_index('ix_category_parent_id_position', 'category', ['parent_id', 'position'], unique=False)
    create_table(
        'categorytranslation',
        integer('id'),
        integer('category_id'),
        string('language', 8),
        string('name', 80),
        references={'category_id': 'category'},
        unique=[['category_id', 'language']],
    )
    create_table(
        'categoryattribute',
        integer('category_id'),
        string('name', 40),
        integer('position'),
        references={'category_id': 'category'},
        key=['category_id', 'name'],
    )
    create_table(
        'productcategory',
        integer('category_id'),
        integer('product_id'),
        references={'category_id': 'category', 'product_id': 'product'},
        key=['category_id', 'product_id'],
    )
    op.create_index(
        'ix_productcategory_product_id_category_id', 'productcategory', ['product_id', 'category_id'], unique=False
    )
    create_table(
        'productattribute',
        integer('product_id'),
        string('name', 40),
        string('value', 80),
        references={'product_id': 'product'},
        key=['product_id', 'name'],
    )
    op.create_index('ix_productattribute_name_value', 'productattribute', ['name', 'value', 'product_id'], unique=False)
    op.create_index(
        'ix_productattribute_product_id_name_value', 'productattribute', ['product_id', 'name', 'value'], unique=False
    )
    with op.batch_alter_table('portaluser', schema=None) as batch_op:
        batch_op.add_column(sa.Column('catalogue_view', sa.String(length=8), nullable=False, server_default='grid'))


def downgrade() -> None:
    with op.batch_alter_table('portaluser', schema=None) as batch_op:
        batch_op.drop_column('catalogue_view')
    op.drop_index('ix_productattribute_product_id_name_value', table_name='productattribute')
    op.drop_index('ix_productattribute_name_value', table_name='productattribute')
    op.drop_table('productattribute')
    op.drop_index('ix_productcategory_product_id_category_id', table_name='productcategory')
    op.drop_table('productcategory')
    op.drop_table('categoryattribute')
    op.drop_table('categorytranslation')
    op.drop_index('ix_category_parent_id_position', table_name='category')
    op.drop_table('category')
