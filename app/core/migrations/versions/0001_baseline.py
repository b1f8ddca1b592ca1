"""The tables as the portal made them before Alembic (create_all, numbered step 1), and the catalogue's search index.

Revision 0001, the first. A database made by those versions has exactly this and is stamped with this revision
instead of running it (app/core/migrations). The search index's SQL is the one app/catalogue/search.py ran at
every start then, frozen in app/core/migrations/search_index.py: on SQLite an FTS5 table kept in step with
`product` by triggers (a later revision that copies `product` in batch mode drops them and must make them
again); on PostgreSQL a trigram index over the search text, whose expression is the one the catalogue's
queries use (app/catalogue/search.py), or the index serves no search.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.core.migrations import search_index

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

SQLITE_SEARCH_INDEX = [search_index.PRODUCT_FTS_0001, *search_index.PRODUCT_TRIGGERS_0001]
POSTGRES_SEARCH_INDEX = search_index.PRODUCT_TRIGRAM_0001


def upgrade() -> None:
    op.create_table(
        'customer',
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('catalogue_mode', sa.Enum('ALL', 'SELECTION', name='cataloguemode'), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('customer_pkey')),
    )
    op.create_index(op.f('ix_customer_code'), 'customer', ['code'], unique=True)

    op.create_table(
        'loginthrottle',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('key', name=op.f('loginthrottle_pkey')),
    )
    op.create_table(
        'product',
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('description', sa.String(length=5000), nullable=False),
        sa.Column('barcode', sa.String(length=40), nullable=False),
        sa.Column('unit', sa.String(length=20), nullable=False),
        sa.Column('price_cents', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('on_hand', sa.Integer(), nullable=False),
        sa.Column('allocated', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('product_pkey')),
        sa.UniqueConstraint('code', name=op.f('product_code_key')),
    )
    op.create_index('ix_product_active_code', 'product', ['active', 'code'], unique=False)
    op.create_index('ix_product_active_name', 'product', ['active', 'name'], unique=False)
    op.create_index('ix_product_active_price', 'product', ['active', 'price_cents'], unique=False)

    op.create_table(
        'schemaversion',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('schemaversion_pkey')),
    )
    op.create_table(
        'setting',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('value', sa.String(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('setting_pkey')),
    )
    op.create_table(
        'address',
        sa.Column('label', sa.String(length=60), nullable=False),
        sa.Column('recipient', sa.String(length=120), nullable=False),
        sa.Column('street', sa.String(length=200), nullable=False),
        sa.Column('postal_code', sa.String(length=20), nullable=False),
        sa.Column('city', sa.String(length=100), nullable=False),
        sa.Column('country', sa.String(length=60), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('is_default', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('address_customer_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('address_pkey')),
    )
    op.create_index(op.f('ix_address_customer_id'), 'address', ['customer_id'], unique=False)

    op.create_table(
        'customerproduct',
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('customerproduct_customer_id_fkey')),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('customerproduct_product_id_fkey')),
        sa.PrimaryKeyConstraint('customer_id', 'product_id', name=op.f('customerproduct_pkey')),
    )
    op.create_index(op.f('ix_customerproduct_product_id'), 'customerproduct', ['product_id'], unique=False)

    op.create_table(
        'portaluser',
        sa.Column('full_name', sa.String(length=120), nullable=False),
        sa.Column('role', sa.Enum('CUSTOMER', 'ADMIN', name='role'), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('password_hash', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('portaluser_customer_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('portaluser_pkey')),
    )
    op.create_index(op.f('ix_portaluser_customer_id'), 'portaluser', ['customer_id'], unique=False)
    op.create_index(op.f('ix_portaluser_username'), 'portaluser', ['username'], unique=True)

    op.create_table(
        'productimage',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=80), nullable=False),
        sa.Column('thumb_filename', sa.String(length=80), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('productimage_product_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('productimage_pkey')),
    )
    op.create_index(op.f('ix_productimage_product_id'), 'productimage', ['product_id'], unique=False)

    op.create_table(
        'authsession',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('client_address', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['portaluser.id'], name=op.f('authsession_user_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('authsession_pkey')),
    )
    op.create_index(op.f('ix_authsession_token_hash'), 'authsession', ['token_hash'], unique=True)
    op.create_index(op.f('ix_authsession_user_id'), 'authsession', ['user_id'], unique=False)

    op.create_table(
        'currentorder',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('placement_key', sa.String(length=64), nullable=False),
        sa.Column('comment', sa.String(length=2000), nullable=False),
        sa.Column('reference', sa.String(length=60), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['portaluser.id'], name=op.f('currentorder_user_id_fkey')),
        sa.PrimaryKeyConstraint('user_id', name=op.f('currentorder_pkey')),
    )
    op.create_table(
        'currentorderline',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('currentorderline_product_id_fkey')),
        sa.ForeignKeyConstraint(['user_id'], ['portaluser.id'], name=op.f('currentorderline_user_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('currentorderline_pkey')),
        sa.UniqueConstraint('user_id', 'product_id', name=op.f('currentorderline_user_id_product_id_key')),
    )
    op.create_index(op.f('ix_currentorderline_user_id'), 'currentorderline', ['user_id'], unique=False)

    op.create_table(
        'salesorder',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=20), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('placed_by_user_id', sa.Integer(), nullable=True),
        sa.Column('placed_by_supplier', sa.Boolean(), nullable=False),
        sa.Column('placement_key', sa.String(length=64), nullable=True),
        sa.Column(
            'status',
            sa.Enum('CONCEPT', 'PROCESSING', 'PARTIALLY_DELIVERED', 'COMPLETED', 'CANCELLED', name='orderstatus'),
            nullable=False,
        ),
        sa.Column('comment', sa.String(length=2000), nullable=False),
        sa.Column('reference', sa.String(length=60), nullable=False),
        sa.Column('ship_recipient', sa.String(length=120), nullable=False),
        sa.Column('ship_street', sa.String(length=200), nullable=False),
        sa.Column('ship_postal_code', sa.String(length=20), nullable=False),
        sa.Column('ship_city', sa.String(length=100), nullable=False),
        sa.Column('ship_country', sa.String(length=60), nullable=False),
        sa.Column('total_cents', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('salesorder_customer_id_fkey')),
        sa.ForeignKeyConstraint(
            ['placed_by_user_id'], ['portaluser.id'], name=op.f('salesorder_placed_by_user_id_fkey')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('salesorder_pkey')),
        sa.UniqueConstraint('placement_key', name=op.f('salesorder_placement_key_key')),
    )
    op.create_index('ix_order_customer_created', 'salesorder', ['customer_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_salesorder_created_at'), 'salesorder', ['created_at'], unique=False)
    op.create_index(op.f('ix_salesorder_number'), 'salesorder', ['number'], unique=True)
    op.create_index(op.f('ix_salesorder_reference'), 'salesorder', ['reference'], unique=False)
    op.create_index(op.f('ix_salesorder_status'), 'salesorder', ['status'], unique=False)

    op.create_table(
        'stockmovement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('change', sa.Integer(), nullable=False),
        sa.Column('on_hand_after', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('stockmovement_product_id_fkey')),
        sa.ForeignKeyConstraint(['user_id'], ['portaluser.id'], name=op.f('stockmovement_user_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('stockmovement_pkey')),
    )
    op.create_index(op.f('ix_stockmovement_product_id'), 'stockmovement', ['product_id'], unique=False)

    op.create_table(
        'delivery',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('tracking_code', sa.String(length=80), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_user_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['created_by_user_id'], ['portaluser.id'], name=op.f('delivery_created_by_user_id_fkey')
        ),
        sa.ForeignKeyConstraint(['order_id'], ['salesorder.id'], name=op.f('delivery_order_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('delivery_pkey')),
    )
    op.create_index(op.f('ix_delivery_order_id'), 'delivery', ['order_id'], unique=False)

    op.create_table(
        'orderline',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('product_code', sa.String(length=40), nullable=False),
        sa.Column('product_name', sa.String(length=200), nullable=False),
        sa.Column('unit_price_cents', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('delivered', sa.Integer(), nullable=False),
        sa.Column('allocated', sa.Integer(), nullable=False),
        sa.Column('backorder', sa.Integer(), nullable=False),
        sa.Column('cancelled', sa.Integer(), nullable=False),
        sa.Column('backordered', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['order_id'], ['salesorder.id'], name=op.f('orderline_order_id_fkey')),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('orderline_product_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('orderline_pkey')),
    )
    op.create_index(op.f('ix_orderline_order_id'), 'orderline', ['order_id'], unique=False)
    op.create_index('ix_orderline_product_backorder', 'orderline', ['product_id', 'backorder'], unique=False)

    op.create_table(
        'deliveryline',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('delivery_id', sa.Integer(), nullable=False),
        sa.Column('order_line_id', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], name=op.f('deliveryline_delivery_id_fkey')),
        sa.ForeignKeyConstraint(['order_line_id'], ['orderline.id'], name=op.f('deliveryline_order_line_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('deliveryline_pkey')),
    )
    op.create_index(op.f('ix_deliveryline_delivery_id'), 'deliveryline', ['delivery_id'], unique=False)
    op.create_index(op.f('ix_deliveryline_order_line_id'), 'deliveryline', ['order_line_id'], unique=False)

    dialect = op.get_context().dialect.name
    for statement in {'sqlite': SQLITE_SEARCH_INDEX, 'postgresql': POSTGRES_SEARCH_INDEX}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError('Before the first revision there is no portal: start on a new database instead.')
