"""Who may do what. Services call these themselves, whatever the page already checked."""

from __future__ import annotations

from app.core.errors import AccessDenied
from app.identity.auth import Identity
from app.models import Role

# The portal itself (demo data, command-line tools): acts as a supplier admin with no user row.
SYSTEM = Identity(user_id=0, username='system', full_name='System', role=Role.ADMIN, customer_id=None, session_id=0)


def ensure_admin(actor: Identity) -> None:
    if actor is None or actor.role != Role.ADMIN:
        raise AccessDenied()


def customer_of(actor: Identity) -> int:
    """The customer a customer-side user acts for; a user without one may do nothing customer-side."""
    if actor is None or actor.role != Role.CUSTOMER or actor.customer_id is None:
        raise AccessDenied()
    return actor.customer_id


def user_ref(actor: Identity) -> int | None:
    """The actor's user id for 'done by' columns (None for SYSTEM)."""
    return actor.user_id or None
