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

from app.core.migrations.shapes import create_table, drop_index, index, integer, moment, string

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        'passwordlink',
        integer('id'),
        string('token_hash', 64),
        integer('user_id'),
        sa.Column('purpose', sa.Enum('INVITATION', 'PASSWORD_RESET', name='linkpurpose'), nullable=False),
        moment('created_at'),
        moment('expires_at'),
        moment('used_at', nullable=True),
        references={'user_id': 'portaluser'},
        unique=[['token_hash']],
    )
    index('passwordlink', 'user_id')
    create_table(
        'mailoptout',
        integer('user_id'),
        string('kind', 40),
        references={'user_id': 'portaluser'},
        key=['user_id', 'kind'],
    )


def downgrade() -> None:
    op.drop_table('mailoptout')
    drop_index('passwordlink', 'user_id')
    op.drop_table('passwordlink')
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP TYPE IF EXISTS linkpurpose')
