"""The supplier's portal settings: its name, currency, default language and the dashboard text.

The supplier writes its texts (the dashboard text, its products' names and descriptions) in its default language,
and, where it likes, in the portal's other languages too. The dashboard text in the default language is the
setting `dashboard_text`; another language's is `dashboard_text.<language>`, empty while not written. A reader
whose language has no text of its own reads the default one. Changing the default language says which language
the supplier's own texts are in; nothing is moved, and a text already written in the new default language is kept
but not shown while it is the default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlmodel import Session, col, select

from app.core import db, events, i18n
from app.core.errors import ValidationError
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import Setting

DEFAULTS = {
    'supplier_name': 'Stockfront Supply Co.',
    'currency': 'EUR',
    'dashboard_text': '# Welcome\n\nUse the menu on the left to browse products and place orders.',
    # prices, VAT, ordering rules and what the catalogue shows: read and checked by app/pricing/terms.py
    'vat_standard_bp': '2100',
    'vat_reduced_bp': '900',
    'stock_display': 'exact',
    'prices_shown': 'true',
    'backorders_allowed': 'true',
    'minimum_order_cents': '0',
    # the language the supplier's own texts are in; the dashboard text in each other language (empty: not written)
    'default_language': i18n.DEFAULT,
    **{f'dashboard_text.{language}': '' for language in i18n.LANGUAGES},
    # the portal's and its mails' main colour; where the supplier's new-order alerts go (app/mail/settings.py:
    # no row means STOCKFRONT_ORDER_ALERTS)
    'brand_colour': '#1f4e79',
    'order_alerts': '',
}
COLOUR_RE = re.compile(r'#[0-9a-fA-F]{6}')
MAX_DASHBOARD_CHARS = 20_000


def stored(session: Session, keys: Iterable[str]) -> dict[str, str]:
    """These settings as stored (a key without a row is left out)."""
    wanted = list(keys)
    memo = db.reading_memo(session)
    if memo is None:
        return dict(session.exec(select(Setting.key, Setting.value).where(col(Setting.key).in_(wanted))).all())
    # a page build asks for several (the currency, the terms, the brand colour...): all of them at the first
    if 'settings' not in memo:
        memo['settings'] = dict(session.exec(select(Setting.key, Setting.value)).all())
    values = memo['settings']
    return {key: values[key] for key in wanted if key in values}


def get_value(session: Session, *, key: str) -> str:
    return stored(session, [key]).get(key, DEFAULTS.get(key, ''))


def set_value(session: Session, *, key: str, value: str) -> None:
    if key not in DEFAULTS:
        raise ValidationError('Unknown setting {key}.', key=key)
    if key.startswith('dashboard_text') and len(value) > MAX_DASHBOARD_CHARS:
        raise ValidationError('The dashboard text can be at most {limit} characters.', key, limit=MAX_DASHBOARD_CHARS)
    if key == 'supplier_name' and not value.strip():
        raise ValidationError('The supplier name cannot be empty.', key)
    row = session.get(Setting, key) or Setting(key=key)
    row.value = value
    session.add(row)
    events.queue(session, ('settings',))


def save_dashboard_text(session: Session, *, actor: Identity, text: str, language: str | None = None) -> str:
    """The supplier's admins change the text on every customer's dashboard, in `language` (None: the default
    language); returns the text as saved. An empty text in another language than the default means 'not written':
    its readers read the default one."""
    ensure_admin(actor)
    key = _dashboard_key(session, language)
    if not isinstance(text, str):
        raise ValidationError('The dashboard text must be text.', 'dashboard_text')
    text = text.replace('\r\n', '\n').replace('\r', '\n')
    if len(text) > MAX_DASHBOARD_CHARS:
        raise ValidationError(
            'The dashboard text can be at most {limit} characters (it has {length}).',
            'dashboard_text',
            limit=MAX_DASHBOARD_CHARS,
            length=len(text),
        )
    set_value(session, key=key, value=text)
    return text


def supplier_name(session: Session) -> str:
    return get_value(session, key='supplier_name')


def currency(session: Session) -> str:
    return get_value(session, key='currency')


def brand_colour(session: Session) -> str:
    """The supplier's main colour, '#rrggbb': the portal's buttons and headings, and its mails'."""
    value = get_value(session, key='brand_colour')
    return value if COLOUR_RE.fullmatch(value) else DEFAULTS['brand_colour']


def set_brand_colour(session: Session, *, actor: Identity, colour: str) -> str:
    ensure_admin(actor)
    typed = colour.strip() if isinstance(colour, str) else ''
    if not COLOUR_RE.fullmatch(typed):
        raise ValidationError('Enter a colour as # and six hexadecimal digits, such as #1f4e79.', 'brand_colour')
    set_value(session, key='brand_colour', value=typed.lower())
    return typed.lower()


def default_language(session: Session) -> str:
    """The language the supplier's own texts are in, which readers of a language without a text of its own read."""
    return i18n.supported(get_value(session, key='default_language'))


def set_default_language(session: Session, *, actor: Identity, language: str) -> None:
    ensure_admin(actor)
    set_value(session, key='default_language', value=_checked_language(language))


def dashboard_text(session: Session, language: str | None = None) -> str:
    """The dashboard text in `language` where the supplier wrote one, else the one in its default language (also
    for None and for a language the portal does not speak)."""
    if language in i18n.LANGUAGES and language != default_language(session):
        own = get_value(session, key=f'dashboard_text.{language}')
        if own.strip():
            return own
    return get_value(session, key='dashboard_text')


def dashboard_texts(session: Session, *, actor: Identity) -> dict[str, str]:
    """The dashboard text as written in each language, for the supplier's editor (empty: not written)."""
    ensure_admin(actor)
    return {language: get_value(session, key=_dashboard_key(session, language)) for language in i18n.LANGUAGES}


def _dashboard_key(session: Session, language: str | None) -> str:
    if language is None or _checked_language(language) == default_language(session):
        return 'dashboard_text'
    return f'dashboard_text.{language}'


def _checked_language(language: object) -> str:
    if not isinstance(language, str) or language not in i18n.LANGUAGES:
        raise ValidationError('Choose one of the offered languages.', 'language')
    return language
