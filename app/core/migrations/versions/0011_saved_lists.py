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

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'currentorderbatch',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('lines', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['portaluser.id'], name=op.f('currentorderbatch_user_id_fkey')),
        sa.PrimaryKeyConstraint('key', name=op.f('currentorderbatch_pkey')),
    )
    op.create_index(op.f('ix_currentorderbatch_user_id'), 'currentorderbatch', ['user_id'], unique=False)
    op.create_table(
        'savedlist',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('created_by_user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['created_by_user_id'], ['portaluser.id'], name=op.f('savedlist_created_by_user_id_fkey')
        ),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('savedlist_customer_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('savedlist_pkey')),
        sa.UniqueConstraint('customer_id', 'name', name=op.f('savedlist_customer_id_name_key')),
    )
    op.create_table(
        'savedlistline',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('list_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['list_id'], ['savedlist.id'], name=op.f('savedlistline_list_id_fkey')),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('savedlistline_product_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('savedlistline_pkey')),
        sa.UniqueConstraint('list_id', 'product_id', name=op.f('savedlistline_list_id_product_id_key')),
    )
    op.create_index(op.f('ix_savedlistline_product_id'), 'savedlistline', ['product_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_savedlistline_product_id'), table_name='savedlistline')
    op.drop_table('savedlistline')
    op.drop_table('savedlist')
    op.drop_index(op.f('ix_currentorderbatch_user_id'), table_name='currentorderbatch')
    op.drop_table('currentorderbatch')
