"""The portal's terms: VAT rates, what the catalogue shows of stock and prices, backorders, the minimum order value.

They are portal settings (the `setting` table through app/core/portal_settings.py, defaults there), changed by
the supplier's admins with `save_portal_terms`:

- `vat_standard_bp`, `vat_reduced_bp`: the rates of the standard and the reduced VAT class, in hundredths of a
  percent (defaults 21 % and 9 %). The zero class is always 0 %.
- `stock_display`: what customers read about stock: `exact` (how many are free), `availability` (in stock / low
  stock / out of stock) or `hidden`.
- `prices_shown`: whether the catalogue (products grid, product page) shows prices; off makes a catalogue-only
  portal. The current order and placed orders still show what the customer is charged.
- `backorders_allowed`: whether a customer may order more than is free (the rest waits on backorder); a product
  may override it (Product.backorders).
- `minimum_order_cents`: the least an order may come to, excluding VAT (0: no minimum); a customer may have its
  own (Customer.minimum_order_cents).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from sqlmodel import Session

from app.core import events, i18n, portal_settings
from app.core.errors import ValidationError
from app.core.i18n import N_
from app.core.money import MAX_PRICE_CENTS
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import VatClass

LOW_STOCK = 5  # 'low stock' / 'only N left' from here down, as the supplier's overview counts it
MAX_PERCENT_BP = 10_000


class StockDisplay(StrEnum):
    EXACT = 'exact'
    AVAILABILITY = 'availability'
    HIDDEN = 'hidden'

    @property
    def label(self) -> str:
        """Untranslated (N_): pages show it with `_`."""
        return STOCK_DISPLAY_LABELS[self]


STOCK_DISPLAY_LABELS = {
    StockDisplay.EXACT: N_('The number in stock'),
    StockDisplay.AVAILABILITY: N_('Availability only (in stock, low, out of stock)'),
    StockDisplay.HIDDEN: N_('Nothing about stock'),
}
VAT_CLASS_LABELS = {VatClass.STANDARD: N_('Standard'), VatClass.REDUCED: N_('Reduced'), VatClass.ZERO: N_('Zero')}
_KEYS = (
    'vat_standard_bp',
    'vat_reduced_bp',
    'stock_display',
    'prices_shown',
    'backorders_allowed',
    'minimum_order_cents',
)


@dataclass(frozen=True)
class PortalTerms:
    vat_standard_bp: int
    vat_reduced_bp: int
    stock_display: StockDisplay
    prices_shown: bool
    backorders_allowed: bool
    minimum_order_cents: int

    def vat_rate(self, vat_class: VatClass | str) -> int:
        """The rate of a VAT class, in hundredths of a percent."""
        vat_class = VatClass(vat_class)
        if vat_class == VatClass.STANDARD:
            return self.vat_standard_bp
        if vat_class == VatClass.REDUCED:
            return self.vat_reduced_bp
        return 0


@dataclass(frozen=True)
class StockLabel:
    text: str
    tone: str  # positive, warning or negative


def portal_terms(session: Session) -> PortalTerms:
    """The terms as set (one query); a setting that cannot be read as written falls back to its default."""
    stored = portal_settings.stored(session, _KEYS)

    def value(key: str) -> str:
        return stored.get(key, portal_settings.DEFAULTS[key])

    def whole(key: str, maximum: int) -> int:
        raw = value(key)
        number = int(raw) if raw.isdigit() else -1
        return number if 0 <= number <= maximum else int(portal_settings.DEFAULTS[key])

    display = value('stock_display')
    return PortalTerms(
        vat_standard_bp=whole('vat_standard_bp', MAX_PERCENT_BP),
        vat_reduced_bp=whole('vat_reduced_bp', MAX_PERCENT_BP),
        stock_display=StockDisplay(display) if display in set(StockDisplay) else StockDisplay.EXACT,
        prices_shown=value('prices_shown') != 'false',
        backorders_allowed=value('backorders_allowed') != 'false',
        minimum_order_cents=whole('minimum_order_cents', MAX_PRICE_CENTS),
    )


def save_portal_terms(
    session: Session,
    *,
    actor: Identity,
    vat_standard_bp: int,
    vat_reduced_bp: int,
    stock_display: StockDisplay | str,
    prices_shown: bool,
    backorders_allowed: bool,
    minimum_order_cents: int,
) -> PortalTerms:
    """The supplier's admins set the portal's terms; every value is checked before any is stored."""
    ensure_admin(actor)
    standard = checked_percent(vat_standard_bp, field='vat_standard', label=N_('The standard VAT rate'))
    reduced = checked_percent(vat_reduced_bp, field='vat_reduced', label=N_('The reduced VAT rate'))
    if not isinstance(stock_display, str) or stock_display not in set(StockDisplay):
        raise ValidationError('Choose one of the offered ways to show stock.', 'stock_display')
    for name, flag in [('prices_shown', prices_shown), ('backorders_allowed', backorders_allowed)]:
        if not isinstance(flag, bool):
            raise ValidationError('Choose yes or no.', name)
    minimum = checked_cents(minimum_order_cents, field='minimum_order', label=N_('The minimum order value'))
    for key, stored in [
        ('vat_standard_bp', str(standard)),
        ('vat_reduced_bp', str(reduced)),
        ('stock_display', StockDisplay(stock_display).value),
        ('prices_shown', 'true' if prices_shown else 'false'),
        ('backorders_allowed', 'true' if backorders_allowed else 'false'),
        ('minimum_order_cents', str(minimum)),
    ]:
        portal_settings.set_value(session, key=key, value=stored)
    events.queue(session, ('catalogue',))  # open catalogue pages and current-order summaries read them again
    return portal_terms(session)


def stock_label(free: int, *, display: StockDisplay, backorders: bool) -> StockLabel | None:
    """What a customer reads about a product's stock, in the current language; None when stock is not shown."""
    if display == StockDisplay.HIDDEN:
        return None
    if free <= 0:
        if backorders:
            return StockLabel(i18n._('Out of stock — will be backordered'), 'negative')
        return StockLabel(i18n._('Out of stock'), 'negative')
    if display == StockDisplay.AVAILABILITY:
        return StockLabel(i18n._('Low stock'), 'warning') if free <= LOW_STOCK else StockLabel(_in_stock(), 'positive')
    if free <= LOW_STOCK:
        return StockLabel(i18n.ngettext('Only {n} left', 'Only {n} left', free), 'warning')
    return StockLabel(i18n.ngettext('{n} in stock', '{n} in stock', free), 'positive')


def _in_stock() -> str:
    return i18n._('In stock')


# --- typed values -----------------------------------------------------------------------------------------------


def parse_percent(raw: object, *, field: str = 'discount', label: str = N_('The discount')) -> int:
    """A percentage as typed ('10', '12.5', '12,5', '7 %') in hundredths of a percent; 0 to 100, two decimals."""
    label = i18n.Text(label)  # translated where the message is read (app/core/errors.py)
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str | Decimal):
        raise ValidationError('{label}: enter a percentage from 0 to 100, for example 12.5.', field, label=label)
    typed = str(raw).strip().removesuffix('%').strip().replace(',', '.')
    if not typed:
        return 0
    try:
        value = Decimal(typed)
    except InvalidOperation:
        raise ValidationError(
            '{label}: enter a percentage from 0 to 100, for example 12.5.', field, label=label
        ) from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise ValidationError('{label} must be from 0 to 100 %.', field, label=label)
    if value != value.quantize(Decimal('0.01')):
        raise ValidationError('{label} has at most two decimals.', field, label=label)
    return int(value * 100)


def checked_percent(value: object, *, field: str, label: str) -> int:
    """A percentage in hundredths of a percent, as a service receives it: a whole number from 0 to 10,000."""
    label = i18n.Text(label)  # translated where the message is read (app/core/errors.py)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError('{label}: enter a percentage from 0 to 100, for example 12.5.', field, label=label)
    if not 0 <= value <= MAX_PERCENT_BP:
        raise ValidationError('{label} must be from 0 to 100 %.', field, label=label)
    return value


def checked_cents(value: object, *, field: str, label: str) -> int:
    """An amount in cents as a service receives it: a whole number, not negative, not absurd."""
    label = i18n.Text(label)  # translated where the message is read (app/core/errors.py)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError('{label}: enter an amount, for example 12.50.', field, label=label)
    if value < 0:
        raise ValidationError('{label} cannot be negative.', field, label=label)
    if value > MAX_PRICE_CENTS:
        raise ValidationError('{label} is too high.', field, label=label)
    return value


def percent(bp: int) -> str:
    """Hundredths of a percent as the reader writes a percentage: '21%', '12.5%' (en), '12,5%' (nl)."""
    return i18n.number(Decimal(bp) / 100) + '%'
