"""E-mail: invitation and password-reset links, mail preferences, the supplier's alert addresses (issue 18).

Revision 0007, after 0006; written 2026-12-01.

(A reserved slot: the helper working on this feature fills in upgrade() and downgrade() and this text.)
"""

from __future__ import annotations

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
