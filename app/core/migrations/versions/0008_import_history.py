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

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'importrecord',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('images_filename', sa.String(length=255), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('who', sa.String(length=120), nullable=False),
        sa.Column('dry_run', sa.Boolean(), nullable=False),
        sa.Column('applied', sa.Boolean(), nullable=False),
        sa.Column('new', sa.Integer(), nullable=False),
        sa.Column('changed', sa.Integer(), nullable=False),
        sa.Column('unchanged', sa.Integer(), nullable=False),
        sa.Column('refused', sa.Integer(), nullable=False),
        sa.Column('seconds', sa.Float(), nullable=False),
        sa.Column('report', sa.String(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['portaluser.id'], name=op.f('importrecord_user_id_fkey')),
        sa.PrimaryKeyConstraint('id', name=op.f('importrecord_pkey')),
    )
    op.create_index(op.f('ix_importrecord_created_at'), 'importrecord', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_importrecord_created_at'), table_name='importrecord')
    op.drop_table('importrecord')
