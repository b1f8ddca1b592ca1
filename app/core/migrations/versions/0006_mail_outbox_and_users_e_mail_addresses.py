"""The mail outbox, and portal users' e-mail addresses.

Revision 0006, after 0005; written 2026-12-01.

A new table `outbox` (app/mail): a mail written in the transaction of the change it reports, with a unique event
key (one event never makes two mails), its Message-ID, and the sender's bookkeeping (status, attempts, next
attempt, last error, when it was queued or resent). An index on (status, next attempt) serves the sender's look
for mails that are due.
`portaluser.email`: optional, where that user's mails go.

Rows already there: none to carry over; existing users have no address until the supplier or the user sets one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_key', sa.String(length=200), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('text_body', sa.String(), nullable=False),
        sa.Column('html_body', sa.String(), nullable=False),
        sa.Column('message_id', sa.String(length=200), nullable=False),
        sa.Column('status', sa.Enum('QUEUED', 'SENT', 'FAILED', name='mailstatus'), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_error', sa.String(length=1000), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('outbox_pkey')),
        sa.UniqueConstraint('event_key', name=op.f('outbox_event_key_key')),
    )
    op.create_index(op.f('ix_outbox_created_at'), 'outbox', ['created_at'], unique=False)
    op.create_index('ix_outbox_status_next_attempt_at', 'outbox', ['status', 'next_attempt_at'], unique=False)
    with op.batch_alter_table('portaluser', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('portaluser', schema=None) as batch_op:
        batch_op.drop_column('email')
    op.drop_index('ix_outbox_status_next_attempt_at', table_name='outbox')
    op.drop_index(op.f('ix_outbox_created_at'), table_name='outbox')
    op.drop_table('outbox')
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP TYPE IF EXISTS mailstatus')
