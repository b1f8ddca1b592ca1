"""E-mail: invitation and password-reset links, and the customer mails each portal user does not want (issue 18).

Revision 0007, after 0006; written 2026-12-01.

A new table `passwordlink`: a single-use link mailed to a portal user to choose a password, an invitation (valid
72 hours) or a reset (one hour); only the SHA-256 of its token is kept, with when it was made, when it expires
and when it was used (or made void by a newer one).
A new table `mailoptout`: a kind of customer mail (order checked, delivery sent, ...) a user chose not to get.
The supplier's alert addresses and the brand colour are rows of the existing `setting` table: no change here.

Rows already there: none to carry over; every existing user gets every customer mail until it chooses otherwise.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'passwordlink',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.Enum('INVITATION', 'PASSWORD_RESET', name='linkpurpose'), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['portaluser.id'], name=op.f('passwordlink_user_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('passwordlink_pkey')),
        sa.UniqueConstraint('token_hash', name=op.f('passwordlink_token_hash_key')),
    )
    op.create_index(op.f('ix_passwordlink_user_id'), 'passwordlink', ['user_id'], unique=False)
    op.create_table(
        'mailoptout',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['portaluser.id'], name=op.f('mailoptout_user_id_fkey')),
        sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('mailoptout_pkey')),
    )


def downgrade() -> None:
    op.drop_table('mailoptout')
    op.drop_index(op.f('ix_passwordlink_user_id'), table_name='passwordlink')
    op.drop_table('passwordlink')
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP TYPE IF EXISTS linkpurpose')
