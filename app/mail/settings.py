"""The supplier's mail settings in the admin area: where the new-order alerts go.

STOCKFRONT_ORDER_ALERTS is the default; once the supplier's admin saves addresses here (in the `setting` table),
those win, also an empty list (no alerts). The brand colour of the mails is the portal's
(app/core/portal_settings.brand_colour).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session

from app.core import config, portal_settings
from app.core.errors import ValidationError
from app.identity.access import ensure_admin
from app.identity.accounts import clean_email
from app.identity.auth import Identity
from app.models import Setting

KEY = 'order_alerts'
MAX_ADDRESSES = 20
SEPARATORS = re.compile(r'[\s,;]+')


@dataclass(frozen=True)
class AlertSettings:
    addresses: tuple[str, ...]
    from_environment: bool  # nothing saved in the admin area yet: STOCKFRONT_ORDER_ALERTS


def alert_addresses(session: Session) -> tuple[str, ...]:
    """Where the supplier's new-order alerts go."""
    row = session.get(Setting, KEY)
    if row is None:
        return config.get().order_alerts
    return tuple(address for address in row.value.split(',') if address)


def alert_settings(session: Session, *, actor: Identity) -> AlertSettings:
    ensure_admin(actor)
    return AlertSettings(alert_addresses(session), from_environment=session.get(Setting, KEY) is None)


def set_alert_addresses(session: Session, *, actor: Identity, addresses: str) -> tuple[str, ...]:
    """The supplier's admin sets where alerts go: addresses separated by commas, semicolons, spaces or lines (empty:
    no alerts). Each is checked as a user's address is; one that is not refuses them all. Returns them as saved."""
    ensure_admin(actor)
    if not isinstance(addresses, str):
        raise ValidationError('Enter e-mail addresses separated by commas.', 'order_alerts')
    found: dict[str, str] = {}
    for typed in SEPARATORS.split(addresses.strip()):
        if not typed:
            continue
        try:
            address = clean_email(typed)
        except ValidationError:
            raise ValidationError('{address} is not an e-mail address.', 'order_alerts', address=typed[:80]) from None
        if address:
            found.setdefault(address.lower(), address)
    if len(found) > MAX_ADDRESSES:
        raise ValidationError('Enter at most {limit} addresses.', 'order_alerts', limit=MAX_ADDRESSES)
    saved = tuple(found.values())
    portal_settings.set_value(session, key=KEY, value=','.join(saved))
    return saved
