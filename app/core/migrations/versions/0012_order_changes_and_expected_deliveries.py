"""Ordering: customers change orders awaiting the check; the supplier records expected deliveries (issue 16).

Revision 0012, after 0011; written 2026-12-01.

`salesorder.version` counts the changes of an order, so a customer's change made from an older page (or while the
supplier checks it) is refused (app/orders/order_changes.py); `salesorder.customer_changed_at` and
`customer_changed_by_user_id` say that, and when and by whom, the customer last changed it.
A new table `expecteddelivery` (app/orders/expected.py): stock the supplier expects of a product, how much is still
to come, how much was received against it, by which date, and when it was closed; indexed by (product, closed).

Rows already there: existing orders start at version 0 and have never been changed by their customer; there are
no expected deliveries yet.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.core.migrations.shapes import create_table, integer, moment, string

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('salesorder', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('customer_changed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('customer_changed_by_user_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('salesorder_customer_changed_by_user_id_fkey'),
            'portaluser',
            ['customer_changed_by_user_id'],
            ['id'],
        )
    create_table(
        'expecteddelivery',
        integer('id'),
        integer('product_id'),
        integer('quantity'),
        integer('received'),
        sa.Column('expected_on', sa.Date(), nullable=False),
        string('note', 200),
        moment('created_at'),
        integer('created_by_user_id', nullable=True),
        moment('closed_at', nullable=True),
        references={'created_by_user_id': 'portaluser', 'product_id': 'product'},
    )
    op.create_index('ix_expecteddelivery_product_closed', 'expecteddelivery', ['product_id', 'closed_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_expecteddelivery_product_closed', table_name='expecteddelivery')
    op.drop_table('expecteddelivery')
    with op.batch_alter_table('salesorder', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('salesorder_customer_changed_by_user_id_fkey'), type_='foreignkey')
        batch_op.drop_column('customer_changed_by_user_id')
        batch_op.drop_column('customer_changed_at')
        batch_op.drop_column('version')
