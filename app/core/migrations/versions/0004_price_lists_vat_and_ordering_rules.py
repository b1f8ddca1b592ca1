"""Price lists, VAT and ordering rules (app/pricing).

Revision 0004, after 0003; written 2026-12-01.

New tables `pricelist` and `pricelistitem` (a list's fixed prices and quantity tiers per product). Customers get a
price list, an own discount, a VAT exemption reason and a minimum order value; products a VAT class, a minimum
order quantity, an order multiple and a backorder override; order lines keep their list price, discount and VAT
rate, orders their subtotal, VAT and exemption reason.

Rows already there: every product becomes standard VAT, minimum 1, multiple 1, backorders as the portal says;
every customer list prices, no discount, VAT charged. Orders placed before knew no VAT, so they keep what they
were: their subtotal is their total, their VAT and their lines' VAT rates 0, each line's list price its unit
price and its discount 0.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.core.migrations import search_index
from app.core.migrations.shapes import create_table, integer, moment, string

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

VAT_CLASS = sa.Enum('STANDARD', 'REDUCED', 'ZERO', name='vatclass')

SEARCH_INDEX_TRIGGERS = search_index.PRODUCT_TRIGGERS_0001  # copying `product` (batch mode) drops them


def upgrade() -> None:
    create_table(
        'pricelist',
        integer('discount_bp'),
        integer('id'),
        string('name', 80),
        moment('created_at'),
        moment('updated_at'),
        unique=[['name']],
    )
    create_table(
        'pricelistitem',
        integer('product_id'),
        integer('min_quantity'),
        integer('price_cents'),
        integer('id'),
        integer('price_list_id'),
        references={'price_list_id': 'pricelist', 'product_id': 'product'},
        unique=[['price_list_id', 'product_id', 'min_quantity']],
    )
    with op.batch_alter_table('pricelistitem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pricelistitem_product_id'), ['product_id'], unique=False)

    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('price_list_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('discount_bp', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('vat_exempt_reason', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('minimum_order_cents', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_customer_price_list_id'), ['price_list_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('customer_price_list_id_fkey'), 'pricelist', ['price_list_id'], ['id'])

    with op.batch_alter_table('orderline', schema=None) as batch_op:
        batch_op.add_column(sa.Column('list_price_cents', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('discount_bp', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('vat_rate_bp', sa.Integer(), nullable=False, server_default='0'))
    op.execute('UPDATE orderline SET list_price_cents = unit_price_cents')

    VAT_CLASS.create(op.get_bind(), checkfirst=True)  # PostgreSQL's enum type (a no-op elsewhere)
    # only columns added: SQLite adds them in place, the table and its search-index triggers stay
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vat_class', VAT_CLASS, nullable=False, server_default='STANDARD'))
        batch_op.add_column(sa.Column('min_quantity', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('order_multiple', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('backorders', sa.Boolean(), nullable=True))

    with op.batch_alter_table('salesorder', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subtotal_cents', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('vat_cents', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('vat_exempt_reason', sa.String(length=200), nullable=False, server_default=''))
    op.execute('UPDATE salesorder SET subtotal_cents = total_cents')


def downgrade() -> None:
    with op.batch_alter_table('salesorder', schema=None) as batch_op:
        batch_op.drop_column('vat_exempt_reason')
        batch_op.drop_column('vat_cents')
        batch_op.drop_column('subtotal_cents')

    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_column('backorders')
        batch_op.drop_column('order_multiple')
        batch_op.drop_column('min_quantity')
        batch_op.drop_column('vat_class')
    VAT_CLASS.drop(op.get_bind(), checkfirst=True)
    if op.get_context().dialect.name == 'sqlite':
        for trigger in ('product_fts_ai', 'product_fts_ad', 'product_fts_au'):
            op.execute(f'DROP TRIGGER IF EXISTS {trigger}')  # SQLite may have dropped the columns in place
        for statement in SEARCH_INDEX_TRIGGERS:
            op.execute(statement)

    with op.batch_alter_table('orderline', schema=None) as batch_op:
        batch_op.drop_column('vat_rate_bp')
        batch_op.drop_column('discount_bp')
        batch_op.drop_column('list_price_cents')

    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('customer_price_list_id_fkey'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_customer_price_list_id'))
        batch_op.drop_column('minimum_order_cents')
        batch_op.drop_column('vat_exempt_reason')
        batch_op.drop_column('discount_bp')
        batch_op.drop_column('price_list_id')

    with op.batch_alter_table('pricelistitem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pricelistitem_product_id'))

    op.drop_table('pricelistitem')
    op.drop_table('pricelist')
