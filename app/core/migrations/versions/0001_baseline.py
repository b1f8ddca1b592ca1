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
from app.core.migrations.shapes import create_table, flag, index, integer, moment, string

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

SQLITE_SEARCH_INDEX = [search_index.PRODUCT_FTS_0001, *search_index.PRODUCT_TRIGGERS_0001]
POSTGRES_SEARCH_INDEX = search_index.PRODUCT_TRIGRAM_0001


def upgrade() -> None:
    create_table(
        'customer',
        string('name', 120),
        string('language', 8),
        sa.Column('catalogue_mode', sa.Enum('ALL', 'SELECTION', name='cataloguemode'), nullable=False),
        integer('id'),
        string('code', 32),
        moment('created_at'),
    )
    index('customer', 'code', unique=True)

    create_table(
        'loginthrottle',
        string('key', 200),
        integer('failures'),
        moment('last_failure_at', nullable=True),
        moment('locked_until', nullable=True),
        key=['key'],
    )
    create_table(
        'product',
        string('name', 200),
        string('description', 5000),
        string('barcode', 40),
        string('unit', 20),
        integer('price_cents'),
        flag('active'),
        integer('id'),
        string('code', 40),
        integer('on_hand'),
        integer('allocated'),
        moment('created_at'),
        moment('updated_at'),
        unique=[['code']],
    )
    op.create_index('ix_product_active_code', 'product', ['active', 'code'], unique=False)
    op.create_index('ix_product_active_name', 'product', ['active', 'name'], unique=False)
    op.create_index('ix_product_active_price', 'product', ['active', 'price_cents'], unique=False)

    create_table('schemaversion', integer('id'), integer('version'))
    create_table('setting', string('key', 64), string('value'), key=['key'])
    create_table(
        'address',
        string('label', 60),
        string('recipient', 120),
        string('street', 200),
        string('postal_code', 20),
        string('city', 100),
        string('country', 60),
        integer('id'),
        integer('customer_id'),
        flag('is_default'),
        references={'customer_id': 'customer'},
    )
    index('address', 'customer_id')

    create_table(
        'customerproduct',
        integer('customer_id'),
        integer('product_id'),
        references={'customer_id': 'customer', 'product_id': 'product'},
        key=['customer_id', 'product_id'],
    )
    index('customerproduct', 'product_id')

    create_table(
        'portaluser',
        string('full_name', 120),
        sa.Column('role', sa.Enum('CUSTOMER', 'ADMIN', name='role'), nullable=False),
        integer('customer_id', nullable=True),
        flag('active'),
        integer('id'),
        string('username', 64),
        string('password_hash', 100),
        moment('created_at'),
        references={'customer_id': 'customer'},
    )
    index('portaluser', 'customer_id')
    index('portaluser', 'username', unique=True)

    create_table(
        'productimage',
        integer('id'),
        integer('product_id'),
        string('filename', 80),
        string('thumb_filename', 80),
        integer('position'),
        integer('width'),
        integer('height'),
        references={'product_id': 'product'},
    )
    index('productimage', 'product_id')

    create_table(
        'authsession',
        integer('id'),
        string('token_hash', 64),
        integer('user_id'),
        moment('created_at'),
        moment('last_seen_at'),
        moment('expires_at'),
        string('client_address', 64),
        references={'user_id': 'portaluser'},
    )
    index('authsession', 'token_hash', unique=True)
    index('authsession', 'user_id')

    create_table(
        'currentorder',
        integer('user_id'),
        string('placement_key', 64),
        string('comment', 2000),
        string('reference', 60),
        moment('updated_at'),
        references={'user_id': 'portaluser'},
        key=['user_id'],
    )
    create_table(
        'currentorderline',
        integer('id'),
        integer('user_id'),
        integer('product_id'),
        integer('quantity'),
        moment('added_at'),
        references={'product_id': 'product', 'user_id': 'portaluser'},
        unique=[['user_id', 'product_id']],
    )
    index('currentorderline', 'user_id')

    create_table(
        'salesorder',
        integer('id'),
        string('number', 20),
        integer('customer_id'),
        integer('placed_by_user_id', nullable=True),
        flag('placed_by_supplier'),
        string('placement_key', 64, nullable=True),
        sa.Column(
            'status',
            sa.Enum('CONCEPT', 'PROCESSING', 'PARTIALLY_DELIVERED', 'COMPLETED', 'CANCELLED', name='orderstatus'),
            nullable=False,
        ),
        string('comment', 2000),
        string('reference', 60),
        string('ship_recipient', 120),
        string('ship_street', 200),
        string('ship_postal_code', 20),
        string('ship_city', 100),
        string('ship_country', 60),
        integer('total_cents'),
        moment('created_at'),
        moment('checked_at', nullable=True),
        moment('completed_at', nullable=True),
        moment('cancelled_at', nullable=True),
        references={'customer_id': 'customer', 'placed_by_user_id': 'portaluser'},
        unique=[['placement_key']],
    )
    op.create_index('ix_order_customer_created', 'salesorder', ['customer_id', 'created_at'], unique=False)
    index('salesorder', 'created_at')
    index('salesorder', 'number', unique=True)
    index('salesorder', 'reference')
    index('salesorder', 'status')

    create_table(
        'stockmovement',
        integer('id'),
        integer('product_id'),
        integer('change'),
        integer('on_hand_after'),
        string('kind', 20),
        string('note', 500),
        moment('created_at'),
        integer('user_id', nullable=True),
        references={'product_id': 'product', 'user_id': 'portaluser'},
    )
    index('stockmovement', 'product_id')

    create_table(
        'delivery',
        integer('id'),
        integer('order_id'),
        string('tracking_code', 80),
        moment('created_at'),
        integer('created_by_user_id', nullable=True),
        references={'created_by_user_id': 'portaluser', 'order_id': 'salesorder'},
    )
    index('delivery', 'order_id')

    create_table(
        'orderline',
        integer('id'),
        integer('order_id'),
        integer('product_id'),
        string('product_code', 40),
        string('product_name', 200),
        integer('unit_price_cents'),
        integer('quantity'),
        integer('delivered'),
        integer('allocated'),
        integer('backorder'),
        integer('cancelled'),
        integer('backordered'),
        references={'order_id': 'salesorder', 'product_id': 'product'},
    )
    index('orderline', 'order_id')
    op.create_index('ix_orderline_product_backorder', 'orderline', ['product_id', 'backorder'], unique=False)

    create_table(
        'deliveryline',
        integer('id'),
        integer('delivery_id'),
        integer('order_line_id'),
        integer('quantity'),
        references={'delivery_id': 'delivery', 'order_line_id': 'orderline'},
    )
    index('deliveryline', 'delivery_id')
    index('deliveryline', 'order_line_id')

    dialect = op.get_context().dialect.name
    for statement in {'sqlite': SQLITE_SEARCH_INDEX, 'postgresql': POSTGRES_SEARCH_INDEX}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError('Before the first revision there is no portal: start on a new database instead.')
