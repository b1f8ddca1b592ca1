"""Money is integer cents; this turns it into text and typed text into cents."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from app.core.errors import ValidationError

CURRENCY_SYMBOLS = {'EUR': '€', 'USD': '$', 'GBP': '£', 'CHF': 'CHF '}
MAX_PRICE_CENTS = 100_000_000  # 1,000,000.00


def format_cents(cents: int, currency: str = 'EUR') -> str:
    sign = '-' if cents < 0 else ''
    whole, part = divmod(abs(int(cents)), 100)
    symbol = CURRENCY_SYMBOLS.get(currency, currency + ' ')
    return f'{sign}{symbol}{whole:,}.{part:02d}'


def parse_price(raw: str | int | float | Decimal | None, *, field: str = 'price') -> int:
    """'12.5' -> 1250. Refuses negatives, more than two decimals, text and absurd amounts."""
    text = str(raw if raw is not None else '').strip().replace(',', '.')
    if not re.fullmatch(r'\d{1,9}(\.\d*)?|\.\d+', text):
        if text.startswith('-'):
            raise ValidationError('The price cannot be negative.', field)
        raise ValidationError('Enter the price as a number, for example 12.50.', field)
    try:
        value = Decimal(text)
    except InvalidOperation as e:
        raise ValidationError('Enter the price as a number, for example 12.50.', field) from e
    if value != value.quantize(Decimal('0.01')):
        raise ValidationError('A price has at most two decimals.', field)
    cents = int(value * 100)
    if cents > MAX_PRICE_CENTS:
        raise ValidationError('That price is too high.', field)
    return cents
