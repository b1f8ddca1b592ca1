"""Which customer mails each portal user gets.

A customer's user gets the confirmation of its own orders always. The other customer mails are each a kind it can
turn off (a row in `mailoptout`; none: it gets them all): the confirmation of an order the supplier placed for its
company, order checked, a delivery sent, backorders reserved, cancellations. Who reads a mail about an order is
decided in app/orders/order_mails.py: the user who placed it, or, for an order the supplier placed on the
customer's behalf, every user of that customer; each only when active, with an address, and wanting that kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlmodel import Session, col, delete, select

from app.core.errors import NotFound, ValidationError
from app.core.i18n import N_
from app.identity.access import customer_of
from app.identity.auth import Identity
from app.models import MailOptOut, PortalUser

PLACED_FOR_YOU = 'order_placed_for_you'
ORDER_CHECKED = 'order_checked'
DELIVERY_SENT = 'delivery_sent'
BACKORDER_RESERVED = 'backorder_reserved'
ORDER_CANCELLED = 'order_cancelled'

# each kind with what the preferences page says of it (translated where shown)
KINDS = {
    PLACED_FOR_YOU: N_('Confirmation of an order the supplier placed for your company'),
    ORDER_CHECKED: N_('Your order is checked and being prepared'),
    DELIVERY_SENT: N_('A delivery is on its way, with its tracking code'),
    BACKORDER_RESERVED: N_('Products on backorder have arrived and are reserved for you'),
    ORDER_CANCELLED: N_('An order or an order line is cancelled'),
}


def wanting(session: Session, *, user_ids: Iterable[int], kind: str) -> set[int]:
    """Those of these users who get mails of this kind."""
    ids = set(user_ids)
    if not ids:
        return set()
    opted_out = session.exec(
        select(MailOptOut.user_id).where(col(MailOptOut.user_id).in_(ids), MailOptOut.kind == kind)
    ).all()
    return ids - set(opted_out)


def my_address(session: Session, *, actor: Identity) -> str:
    """The signed-in user's own e-mail address ('' for none); set with accounts.set_own_email."""
    user = session.get(PortalUser, actor.user_id) if actor is not None else None
    if user is None or not user.active:
        raise NotFound('This user')
    return user.email or ''


def my_preferences(session: Session, *, actor: Identity) -> dict[str, bool]:
    """The signed-in customer user's choice: kind -> gets it."""
    customer_of(actor)
    opted_out = set(session.exec(select(MailOptOut.kind).where(MailOptOut.user_id == actor.user_id)).all())
    return {kind: kind not in opted_out for kind in KINDS}


def set_my_preferences(session: Session, *, actor: Identity, wanted: Mapping[str, bool]) -> dict[str, bool]:
    """The signed-in customer user chooses which customer mails it gets (every kind not named keeps its choice).
    Returns the choice as stored."""
    customer_of(actor)
    if not isinstance(wanted, Mapping) or any(
        kind not in KINDS or not isinstance(on, bool) for kind, on in wanted.items()
    ):
        raise ValidationError('Choose mails from the list.', 'mail_preferences')
    user = session.get(PortalUser, actor.user_id)
    if user is None or not user.active:
        raise NotFound('This user')
    session.exec(
        delete(MailOptOut).where(col(MailOptOut.user_id) == actor.user_id, col(MailOptOut.kind).in_(list(wanted)))
    )
    session.add_all(MailOptOut(user_id=actor.user_id, kind=kind) for kind, on in wanted.items() if not on)
    session.flush()
    return my_preferences(session, actor=actor)
