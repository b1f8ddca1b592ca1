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
    op.create_table(
        'expecteddelivery',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('received', sa.Integer(), nullable=False),
        sa.Column('expected_on', sa.Date(), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_user_id', sa.Integer(), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['created_by_user_id'], ['portaluser.id'], name=op.f('expecteddelivery_created_by_user_id_fkey')
        ),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('expecteddelivery_product_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('expecteddelivery_pkey')),
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
