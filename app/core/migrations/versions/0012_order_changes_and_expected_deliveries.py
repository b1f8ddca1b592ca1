"""Ordering: customers changing orders awaiting the check, expected deliveries (issue 16).

Revision 0012, after 0011; written 2026-12-01.

(A reserved slot: the helper working on this feature fills in upgrade() and downgrade() and this text.)
"""

from __future__ import annotations

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
