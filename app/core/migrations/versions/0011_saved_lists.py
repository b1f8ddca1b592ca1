"""Ordering: saved lists of products shared by a customer's users (issue 16).

Revision 0011, after 0010; written 2026-12-01.

(A reserved slot: the helper working on this feature fills in upgrade() and downgrade() and this text.)
"""

from __future__ import annotations

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
