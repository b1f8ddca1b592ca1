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

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'category',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['parent_id'], ['category.id'], name=op.f('category_parent_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('category_pkey')),
    )
    op.create_index('ix_category_parent_id_position', 'category', ['parent_id', 'position'], unique=False)
    op.create_table(
        'categorytranslation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('categorytranslation_category_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('categorytranslation_pkey')),
        sa.UniqueConstraint('category_id', 'language', name=op.f('categorytranslation_category_id_language_key')),
    )
    op.create_table(
        'categoryattribute',
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('categoryattribute_category_id_fkey')),
        sa.PrimaryKeyConstraint('category_id', 'name', name=op.f('categoryattribute_pkey')),
    )
    op.create_table(
        'productcategory',
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('productcategory_category_id_fkey')),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('productcategory_product_id_fkey')),
        sa.PrimaryKeyConstraint('category_id', 'product_id', name=op.f('productcategory_pkey')),
    )
    op.create_index(
        'ix_productcategory_product_id_category_id', 'productcategory', ['product_id', 'category_id'], unique=False
    )
    op.create_table(
        'productattribute',
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('productattribute_product_id_fkey')),
        sa.PrimaryKeyConstraint('product_id', 'name', name=op.f('productattribute_pkey')),
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
