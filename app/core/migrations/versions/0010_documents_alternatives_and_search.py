"""Catalogue: product documents, related products, what typo-tolerant search needs (issue 15).

Revision 0010, after 0009; written 2026-12-01.

(A reserved slot: the helper working on this feature fills in upgrade() and downgrade() and this text.)
"""

from __future__ import annotations

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
