"""Languages: one translation function over gettext catalogues, and numbers, money and dates in the user's locale.

Every text a person reads goes through `_` (or `ngettext` where a number decides the form); texts defined before
anyone speaks (menu entries, status names) are marked with `N_` and translated where they are shown. Which
language is spoken is a context variable: the page and click wrappers (components/guard.py) set it from the
signed-in user, so a service's message comes out in the language of the person who caused it.

The catalogues are app/locales/<language>/LC_MESSAGES/messages.po (`make messages` extracts and updates them);
the install step compiles them to .mo files, and a catalogue without its .mo is compiled in memory at first use.
"""

from __future__ import annotations

import gettext as _gettext
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import NumberFormatError, format_currency, format_decimal, get_decimal_symbol, parse_decimal

LANGUAGES: dict[str, str] = {'en': 'English', 'nl': 'Nederlands', 'de': 'Deutsch'}
DEFAULT = 'en'
LOCALE_DIR = Path(__file__).resolve().parents[1] / 'locales'
DOMAIN = 'messages'

_language: ContextVar[str] = ContextVar('language', default=DEFAULT)


class AmbiguousNumber(ValueError):
    """Typed text that could mean two numbers; the message says how to write it unambiguously."""


def supported(language: str | None) -> str:
    """`language` if the portal speaks it, else the default."""
    return language if language in LANGUAGES else DEFAULT


def current() -> str:
    return _language.get()


def use(language: str | None) -> None:
    """Speak `language` from here on in this context (a page build, a click, a live refresh)."""
    _language.set(supported(language))


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    token = _language.set(supported(language))
    try:
        yield
    finally:
        _language.reset(token)


@cache
def translations(language: str) -> _gettext.NullTranslations:
    if language == DEFAULT:
        return _gettext.NullTranslations()  # the msgids are the English texts
    folder = LOCALE_DIR / language / 'LC_MESSAGES'
    compiled, source = folder / f'{DOMAIN}.mo', folder / f'{DOMAIN}.po'
    if compiled.exists() and (not source.exists() or compiled.stat().st_mtime >= source.stat().st_mtime):
        with compiled.open('rb') as file:
            return _gettext.GNUTranslations(file)
    if not source.exists():
        return _gettext.NullTranslations()
    with source.open('rb') as file:
        catalogue = read_po(file, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def _(message: str) -> str:
    """The text in the current language."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form (by the language's plural rule), with `{n}` filled in as a local number; other
    placeholders are left for the caller's `.format(...)`."""
    return translations(current()).ngettext(singular, plural, n).replace('{n}', number(n))


class Text(str):
    """A text marked for the catalogue but translated only where it is shown (see `N_`)."""

    __slots__ = ()


def N_(message: str) -> Text:
    """Marks a text for the catalogue; it is translated with `_` where it is shown. A service error translates a
    placeholder value made with N_ too: `ValidationError('{label} is required.', 'name', label=N_('Name'))`."""
    return Text(message)


def language_name(language: str) -> str:
    """A language as the reader names it, for a sentence: 'nl' -> 'Dutch' (en), 'Nederlands' (nl), 'Niederländisch'
    (de). (LANGUAGES names each in itself, for choosing one.)"""
    return Locale.parse(supported(language)).get_language_name(current()) or LANGUAGES[supported(language)]


def number(value: int | Decimal | float) -> str:
    """1234 -> '1,234' (en), '1.234' (nl, de)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _whole_number(value, current())
    return format_decimal(value, locale=current())


@lru_cache(maxsize=8192)
def _whole_number(value: int, language: str) -> str:
    """(Remembered like money: counts, stock and quantities repeat across pages and readers.)"""
    return format_decimal(value, locale=language)


def money(cents: int, currency: str = 'EUR') -> str:
    """Integer cents as the user writes money: '€1,234.50' (en), '€ 1.234,50' (nl), '1.234,50 €' (de)."""
    return _money(int(cents), currency, current())


@lru_cache(maxsize=8192)
def _money(cents: int, currency: str, language: str) -> str:
    """(Remembered: babel takes ~50 µs an amount, and a products page shows some fifty, the same for many readers.)"""
    return format_currency(Decimal(cents) / 100, currency, locale=language)


def day(moment: date | datetime) -> str:
    """'12 Dec 2026' (en, as the portal has always written it), '12 dec 2026' (nl), '12.12.2026' (de)."""
    pattern = 'dd MMM yyyy' if current() == 'en' else 'medium'
    return format_date(moment, pattern, locale=current())


def day_month(moment: date | datetime) -> str:
    """'12 Dec' (en), '12 dec' (nl), '12. Dez.' (de)."""
    return format_date(moment, 'd MMM' if current() != 'de' else 'd. MMM', locale=current())


def moment(value: datetime) -> str:
    """A date and time: '12 Dec 2026, 14:05' (en), '12 dec 2026 14:05' (nl), '12.12.2026, 14:05' (de)."""
    if current() == 'en':
        return format_datetime(value, 'dd MMM yyyy, HH:mm', locale='en')
    return format_datetime(value, 'medium', locale=current()).rsplit(':', 1)[0]


def ago(then: datetime, now: datetime) -> str:
    """'2 days ago', '2 dagen geleden', 'vor 2 Tagen'; 'in 3 days' for a time still to come."""
    return format_timedelta(then - now, add_direction=True, locale=current())


_DIGITS = re.compile(r'[0-9][0-9.,]*')  # ASCII digits with the separators people type, nothing else


def parse_number(text: str) -> Decimal:
    """A number typed the local way: '1.000' is a thousand in Dutch and German, '1,000' in English; '12,50' is
    twelve and a half in Dutch. Text that could mean two numbers raises AmbiguousNumber, never a guess."""
    raw = (text or '').strip()
    if not _DIGITS.fullmatch(raw.removeprefix('-')):
        raise ValueError(text)
    try:
        return parse_decimal(raw, locale=current(), strict=True)
    except NumberFormatError as error:
        suggestions = getattr(error, 'suggestions', None) or []
        raise AmbiguousNumber(str(error), suggestions) from None


def parse_quantity(text: str) -> int:
    """A whole quantity typed the local way. '1.000' in English (a decimal point and three digits) could be a
    thousand typed the Dutch way or one: refused as ambiguous, like any other text that is not a whole number."""
    raw = (text or '').strip()
    decimal_sign = get_decimal_symbol(current())
    head, sign, tail = raw.rpartition(decimal_sign)
    if sign and len(tail) == 3 and tail.isdigit() and head.replace(' ', '').lstrip('-+').isdigit():
        raise AmbiguousNumber(raw, [head + tail, head])
    if sign:
        raise ValueError(text)  # '1.0' or '2,5' in English: a quantity is a whole number, written without a fraction
    return int(parse_number(raw))


def negotiate(accept_language: str | None) -> str:
    """The portal's language that best fits a browser's Accept-Language header."""
    wanted = []
    for part in (accept_language or '').split(','):
        tag, _sep, quality = part.strip().partition(';q=')
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        if tag:
            wanted.append((weight, tag.strip().replace('-', '_')))
    for _weight, tag in sorted(wanted, key=lambda item: -item[0]):
        try:
            language = Locale.parse(tag).language
        except (ValueError, UnknownLocaleError):
            continue
        if language in LANGUAGES:
            return language
    return DEFAULT
