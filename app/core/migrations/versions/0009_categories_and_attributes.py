"""Catalogue: categories (a tree), products in categories, attributes per product (issue 15).

Revision 0009, after 0008; written 2026-12-01.

(A reserved slot: the helper working on this feature fills in upgrade() and downgrade() and this text.)
"""

from __future__ import annotations

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
