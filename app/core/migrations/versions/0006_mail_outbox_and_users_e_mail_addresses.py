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

from app.core.migrations.shapes import create_table, drop_index, index, integer, moment, string

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        'outbox',
        integer('id'),
        string('event_key', 200),
        string('recipient', 254),
        string('subject', 300),
        string('text_body'),
        string('html_body'),
        string('message_id', 200),
        sa.Column('status', sa.Enum('QUEUED', 'SENT', 'FAILED', name='mailstatus'), nullable=False),
        integer('attempts'),
        moment('next_attempt_at'),
        string('last_error', 1000),
        moment('created_at'),
        moment('queued_at'),
        moment('sent_at', nullable=True),
        unique=[['event_key']],
    )
    index('outbox', 'created_at')
    op.create_index('ix_outbox_status_next_attempt_at', 'outbox', ['status', 'next_attempt_at'], unique=False)
    with op.batch_alter_table('portaluser', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('portaluser', schema=None) as batch_op:
        batch_op.drop_column('email')
    op.drop_index('ix_outbox_status_next_attempt_at', table_name='outbox')
    drop_index('outbox', 'created_at')
    op.drop_table('outbox')
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP TYPE IF EXISTS mailstatus')
