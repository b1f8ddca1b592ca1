"""Ordering: saved lists of products shared by a customer's users, and lines added to a current order at once
(issue 16).

Revision 0011, after 0010; written 2026-12-01.

New tables `savedlist` (a customer's named list, its name unique within the customer) and `savedlistline` (a
product and its quantity in a list, once per list), app/orders/lists.py; `currentorderbatch` (the key of a
quick order, an order again or a list put in a current order at once, so the same key again adds nothing),
app/orders/quick_order.py.

Rows already there: none to carry over; customers start without lists.
"""

from __future__ import annotations

from alembic import op

from app.core.migrations.shapes import create_table, drop_index, index, integer, moment, string

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        'currentorderbatch',
        string('key', 64),
        integer('user_id'),
        integer('lines'),
        moment('created_at'),
        references={'user_id': 'portaluser'},
        key=['key'],
    )
    index('currentorderbatch', 'user_id')
    create_table(
        'savedlist',
        integer('id'),
        integer('customer_id'),
        string('name', 80),
        integer('created_by_user_id', nullable=True),
        moment('created_at'),
        moment('updated_at'),
        references={'created_by_user_id': 'portaluser', 'customer_id': 'customer'},
        unique=[['customer_id', 'name']],
    )
    create_table(
        'savedlistline',
        integer('id'),
        integer('list_id'),
        integer('product_id'),
        integer('quantity'),
        moment('added_at'),
        references={'list_id': 'savedlist', 'product_id': 'product'},
        unique=[['list_id', 'product_id']],
    )
    index('savedlistline', 'product_id')


def downgrade() -> None:
    drop_index('savedlistline', 'product_id')
    op.drop_table('savedlistline')
    op.drop_table('savedlist')
    drop_index('currentorderbatch', 'user_id')
    op.drop_table('currentorderbatch')
