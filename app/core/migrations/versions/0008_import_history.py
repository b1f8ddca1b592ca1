"""Imports: the import history (issue 17).

Revision 0008, after 0007; written 2026-12-01.

A new table `importrecord`: one row per import run, from the admin area or `stockfront import` — what kind, which
file (and ZIP of images), who (the portal user, or the operating-system user of the command), when, a dry run or
applied, the counts new / changed / unchanged / refused, how long it took, and the report (the refused rows with
row, column and reason, and the changed rows with their fields) as JSON, readable from the admin area's history.
An index on the time serves the history, newest first.

Rows already there: none to carry over; imports made before this revision are not in the history.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.core.migrations.shapes import create_table, drop_index, flag, index, integer, moment, string

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_table(
        'importrecord',
        integer('id'),
        moment('created_at'),
        string('kind', 20),
        string('filename', 255),
        string('images_filename', 255),
        string('source', 20),
        integer('user_id', nullable=True),
        string('who', 120),
        flag('dry_run'),
        flag('applied'),
        integer('new'),
        integer('changed'),
        integer('unchanged'),
        integer('refused'),
        sa.Column('seconds', sa.Float(), nullable=False),
        string('report'),
        references={'user_id': 'portaluser'},
    )
    index('importrecord', 'created_at')


def downgrade() -> None:
    drop_index('importrecord', 'created_at')
    op.drop_table('importrecord')
