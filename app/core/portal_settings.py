"""The supplier's portal settings: its name, currency and the dashboard text."""

from __future__ import annotations

from sqlmodel import Session

from app.core import events
from app.core.errors import ValidationError
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import Setting

DEFAULTS = {
    'supplier_name': 'Stockfront Supply Co.',
    'currency': 'EUR',
    'dashboard_text': '# Welcome\n\nUse the menu on the left to browse products and place orders.',
}
MAX_DASHBOARD_CHARS = 20_000


def get_value(session: Session, *, key: str) -> str:
    row = session.get(Setting, key)
    return row.value if row else DEFAULTS.get(key, '')


def set_value(session: Session, *, key: str, value: str) -> None:
    if key not in DEFAULTS:
        raise ValidationError(f'Unknown setting {key!r}.')
    if key == 'dashboard_text' and len(value) > MAX_DASHBOARD_CHARS:
        raise ValidationError(f'The dashboard text can be at most {MAX_DASHBOARD_CHARS:,} characters.', key)
    if key == 'supplier_name' and not value.strip():
        raise ValidationError('The supplier name cannot be empty.', key)
    row = session.get(Setting, key) or Setting(key=key)
    row.value = value
    session.add(row)
    events.queue(session, ('settings',))


def save_dashboard_text(session: Session, *, actor: Identity, text: str) -> str:
    """The supplier's admins change the text on every customer's dashboard; returns the text as saved."""
    ensure_admin(actor)
    if not isinstance(text, str):
        raise ValidationError('The dashboard text must be text.', 'dashboard_text')
    text = text.replace('\r\n', '\n').replace('\r', '\n')
    if len(text) > MAX_DASHBOARD_CHARS:
        raise ValidationError(
            f'The dashboard text can be at most {MAX_DASHBOARD_CHARS:,} characters (it has {len(text):,}).',
            'dashboard_text',
        )
    set_value(session, key='dashboard_text', value=text)
    return text


def supplier_name(session: Session) -> str:
    return get_value(session, key='supplier_name')


def currency(session: Session) -> str:
    return get_value(session, key='currency')


def dashboard_text(session: Session) -> str:
    return get_value(session, key='dashboard_text')
