"""Portal users choose their language; a cancelled order records who cancelled it and why.

Revision 0003, after 0002; written 2026-12-01.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('portaluser', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))

    with op.batch_alter_table('salesorder', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_by_user_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.String(length=300), nullable=False, server_default=''))
        batch_op.create_foreign_key(
            batch_op.f('salesorder_cancelled_by_user_id_fkey'), 'portaluser', ['cancelled_by_user_id'], ['id']
        )


def downgrade() -> None:
    with op.batch_alter_table('salesorder', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('salesorder_cancelled_by_user_id_fkey'), type_='foreignkey')
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_by_user_id')

    with op.batch_alter_table('portaluser', schema=None) as batch_op:
        batch_op.drop_column('language')
