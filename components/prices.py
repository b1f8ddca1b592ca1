"""Prices as customers and the supplier read them: the customer's price with the list price struck through, the
quantity tiers, what a product is sold per, quantity fields that step by the pack size, and an order's subtotal,
VAT per rate and total including VAT. Every figure comes from app/pricing; nothing here reckons a price."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from app.core import i18n
from app.core.i18n import _
from app.pricing.prices import Price, Tier
from app.pricing.rules import MAX_QUANTITY, OrderingRules
from app.pricing.terms import percent
from app.pricing.vat import Totals
from components import theme


def price_tag(price: Price, currency: str, *, large: bool = False, mark: str = 'price') -> None:
    """The customer's unit price, and the list price struck through beside it when it pays another."""
    with ui.row().classes('items-baseline gap-2 no-wrap'):
        ui.label(theme.price(price.unit_cents, currency)).classes(
            f'{"text-h4" if large else "text-h6"} text-primary'
        ).mark(mark)
        if price.reduced:
            ui.label(theme.price(price.list_price_cents, currency)).classes(
                f'{"text-subtitle1" if large else "text-body2"} text-grey-6 line-through'
            ).props(
                theme.aria_label(_('List price {price}').format(price=theme.price(price.list_price_cents, currency)))
            ).mark(f'{mark}-list')


def tier_table(tiers: tuple[Tier, ...], currency: str, unit: str) -> None:
    """'From 6: €6.20 per box · from 24: €5.85 per box', one row per tier."""
    with ui.column().classes('gap-0 q-pa-sm bg-blue-1 rounded-borders').mark('tier-table'):
        ui.label(_('Price per quantity')).classes('text-subtitle2 text-weight-medium')
        for tier in tiers:
            with ui.row().classes('w-full justify-between gap-6 no-wrap text-body2').mark(f'tier-{tier.from_quantity}'):
                ui.label(_('from {quantity}').format(quantity=i18n.number(tier.from_quantity)))
                ui.label(
                    _('{price} per {unit}').format(price=theme.price(tier.unit_cents, currency), unit=unit)
                ).classes('text-weight-medium')


def rules_note(rules: OrderingRules) -> str:
    """What the customer may order of a product, '' when any quantity will do."""
    if rules.multiple > 1 and rules.minimum > rules.multiple:
        return _('Sold per {multiple}, at least {minimum}').format(
            multiple=i18n.number(rules.multiple), minimum=i18n.number(rules.minimum)
        )
    if rules.multiple > 1:
        return _('Sold per {multiple}').format(multiple=i18n.number(rules.multiple))
    if rules.minimum > 1:
        return _('At least {minimum}').format(minimum=i18n.number(rules.minimum))
    return ''


def step(rules: OrderingRules, typed: object, direction: int) -> int:
    """The next accepted quantity up (1) or down (-1) from what the field holds (the least one for anything else)."""
    try:
        now = i18n.parse_quantity(str(typed or ''))
    except ValueError:
        return rules.minimum
    if direction > 0:
        upper = now // rules.multiple * rules.multiple + rules.multiple
        return min(max(upper, rules.minimum), MAX_QUANTITY // rules.multiple * rules.multiple)
    lower = -(-now // rules.multiple) * rules.multiple - rules.multiple
    return max(lower, rules.minimum)


def step_props(rules: OrderingRules) -> dict[str, object]:
    """What a browser-side quantity field needs to draw its steps (catalogue_card.js, order_line.js): whether it has
    them, and their labels ('6 fewer', '6 more')."""
    if rules.multiple == 1:
        return {'stepped': False}
    multiple = i18n.number(rules.multiple)
    return {
        'stepped': True,
        'fewer_label': _('{multiple} fewer').format(multiple=multiple),
        'more_label': _('{multiple} more').format(multiple=multiple),
    }


def stepped(field: ui.input, rules: OrderingRules, *, on_step: Callable[[], object] | None = None) -> ui.input:
    """Buttons beside a quantity field that step it by the pack size (only for products sold per more than one:
    a field of its own costs elements on every card); `on_step` runs after a step (the current order saves it)."""
    if rules.multiple == 1:
        return field

    def move(direction: int) -> object:
        field.value = str(step(rules, field.value, direction))
        return on_step() if on_step else None

    labels = step_props(rules)
    with field.add_slot('prepend'):
        ui.button(icon='remove', on_click=lambda: move(-1)).props('flat round dense size=sm').props(
            theme.aria_label(str(labels['fewer_label']))
        ).mark('step-down')
    with field.add_slot('append'):
        ui.button(icon='add', on_click=lambda: move(1)).props('flat round dense size=sm').props(
            theme.aria_label(str(labels['more_label']))
        ).mark('step-up')
    return field


class TotalsView:
    """Subtotal, VAT per rate (or why none is charged) and the total including VAT; `show` updates it in place."""

    def __init__(self, currency: str, *, mark: str = 'order') -> None:
        self.currency, self.mark = currency, mark
        self.shown_rates: tuple[int, ...] | None = None
        self.vat_labels: dict[int, ui.label] = {}
        with ui.column().classes('gap-1 items-stretch min-w-[240px]').mark(f'{mark}-totals'):
            self.subtotal = self._row(_('Subtotal excl. VAT'), f'{mark}-subtotal', 'text-body1')
            self.vat_rows = ui.column().classes('w-full gap-1')
            self.exempt = ui.label().classes('text-caption text-grey-8 text-right').mark(f'{mark}-vat-exempt')
            ui.separator()
            self.total = self._row(_('Total incl. VAT'), f'{mark}-total', 'text-h5 text-primary')

    def _row(self, label: str, mark: str, value_classes: str) -> ui.label:
        with ui.row().classes('w-full justify-between items-baseline gap-4 no-wrap'):
            ui.label(label).classes('text-body2 text-grey-8')
            return ui.label().classes(value_classes).mark(mark)

    def show(self, totals: Totals) -> None:
        self.subtotal.set_text(theme.price(totals.subtotal_cents, self.currency))
        rates = tuple(amount.rate_bp for amount in totals.vat)
        if rates != self.shown_rates:  # a rate came or went: its rows again (a few labels)
            self.vat_rows.clear()
            self.vat_labels = {}
            with self.vat_rows:
                for rate in rates:
                    self.vat_labels[rate] = self._row(
                        _('VAT {rate}').format(rate=percent(rate)), f'{self.mark}-vat-{rate}', 'text-body1'
                    )
            self.shown_rates = rates
        for amount in totals.vat:
            self.vat_labels[amount.rate_bp].set_text(theme.price(amount.vat_cents, self.currency))
        if totals.vat_exempt_reason:
            self.exempt.set_text(_('No VAT charged: {reason}').format(reason=totals.vat_exempt_reason))
        self.exempt.set_visibility(bool(totals.vat_exempt_reason))
        self.total.set_text(theme.price(totals.total_cents, self.currency))


def totals_view(totals: Totals, currency: str, *, mark: str = 'order') -> TotalsView:
    view = TotalsView(currency, mark=mark)
    view.show(totals)
    return view
