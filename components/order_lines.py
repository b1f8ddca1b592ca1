"""The lines of the current order, kept up to date in place.

A live change (stock taken by another customer's order, stock received, the quantity changed in another tab)
updates the texts of the lines that are already shown instead of building them again: a quantity being typed
in another line's field stays as it is, and a busy portal redraws a few labels per page, not whole pages.
Lines are built anew only when the set of products changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nicegui import events, ui

from app.catalogue.catalogue import ProductCard
from app.core import i18n
from app.core.i18n import _, ngettext
from app.orders.current_order import CurrentLine, Summary
from app.pricing.terms import PortalTerms
from components import prices, theme
from components.expected_dates import arrival_text
from components.product_card import image_url
from components.product_extras import in_stock_instead
from components.quantity import Typed

# a thin rule between lines that needs no separator elements, so a line can be removed on its own
LINES_CSS = '.sf-order-lines > .sf-order-line + .sf-order-line { border-top: 1px solid rgba(0, 0, 0, 0.12); }'


def outcome(line: CurrentLine) -> tuple[str, str]:
    """What happens to the line when the order is placed now, and its colour."""
    if not line.available:
        return _('No longer available — remove this line'), 'text-negative'
    ships = ngettext('{n} ship from stock', '{n} ship from stock', line.ships_now)
    if line.to_backorder == 0:
        return ships, 'text-positive'
    if line.ships_now == 0:
        all_later = ngettext('It goes on backorder', 'All {n} go on backorder', line.to_backorder)
        return _with_date(all_later, line), 'text-orange-9'
    later = ngettext('{n} go on backorder', '{n} go on backorder', line.to_backorder)
    # two counts in one sentence: each part has its own plural form, the sentence joins them
    both = _('{ships_from_stock}, {go_on_backorder}').format(ships_from_stock=ships, go_on_backorder=later)
    return _with_date(both, line), 'text-orange-9'


def _with_date(outcome_text: str, line: CurrentLine) -> str:
    """'3 go on backorder · expected around 12 Dec' when an expected delivery has units for it."""
    if line.expected is None:
        return outcome_text
    return _('{outcome} · {expected}').format(outcome=outcome_text, expected=arrival_text(line.expected))


def _shape(line: CurrentLine) -> tuple[object, ...]:
    """What a line's elements are built from once; everything else is updated in place."""
    return line.product_id, line.code, line.name, line.unit, line.image_id, line.rules


class OrderLine(ui.element, component='order_line.js'):
    """One line drawn from text props (order_line.js), its quantity field with it: a tree of a dozen Quasar
    elements and a NiceGUI input per line cost the server more to build and keep than anything the line shows. The
    in-stock alternatives go in its 'below' slot."""

    def __init__(self, line: CurrentLine) -> None:
        super().__init__()
        props = {
            'href': f'/products/{line.product_id}',
            'image': image_url(line.image_id) if line.image_id is not None else '',
            'name': line.name,
            'remove_label': _('Remove line'),
            'quantity': str(line.quantity),
            'reset': 0,
            'qty_label': _('Qty'),
            **prices.step_props(line.rules),
        }
        dict.update(self._props, props)  # (a new element goes to the browser whole: no sets to observe)

    def put_quantity(self, text: str) -> None:
        """Put a quantity in the line's field, also where the customer has typed something else."""
        self._props.update(quantity=text, reset=self._props['reset'] + 1)

    def _displayed_contents(self, *, only_visible: bool) -> list:
        return [self._props.get(key) for key in ('name', 'price', 'outcome', 'total')]


@dataclass(eq=False)
class LineRow:
    """One shown line: its element and the quantity the server holds for it."""

    product_id: int
    name: str
    quantity: int
    row: OrderLine
    tone: str = ''
    instead_box: ui.element | None = None  # in-stock alternatives of an out-of-stock product, made when there are
    instead_ids: tuple[int, ...] = ()

    def show_instead(self, cards: list[ProductCard], portal: PortalTerms | None) -> None:
        ids = tuple(card.id for card in cards)
        if portal is None or ids == self.instead_ids:
            return
        if self.instead_box is None:
            with self.row.add_slot('below'):
                self.instead_box = ui.element('div').classes('w-full')
        self.instead_ids = ids
        self.instead_box.clear()
        with self.instead_box:
            in_stock_instead(cards, portal, mark=f'instead-of-{self.product_id}', compact=True)

    def show(self, line: CurrentLine, currency: str) -> None:
        per_unit = _('{price} per {unit}').format(price=theme.price(line.unit_price_cents, currency), unit=line.unit)
        if line.unit_price_cents != line.list_price_cents:
            per_unit = _('{price_per_unit} (list price {list_price})').format(
                price_per_unit=per_unit, list_price=theme.price(line.list_price_cents, currency)
            )
        text, self.tone = outcome(line)
        shown = {
            'price': f'{line.code} · {per_unit}',
            'outcome': text,
            'tone': self.tone,
            'total': theme.price(line.line_total_cents, currency),
            'quantity': str(line.quantity),  # (the field shows it once it does not have the focus)
        }
        self.quantity = line.quantity
        if any(self.row.props.get(key) != value for key, value in shown.items()):
            self.row.props.update(shown)  # (one update of the element for all its texts)


class OrderLines:
    """The lines, the units and the total; `show` draws them the first time and updates them after."""

    def __init__(
        self,
        currency: str,
        *,
        on_quantity: Callable[[LineRow, Typed], object],
        on_remove: Callable[[int], object],
    ) -> None:
        self.currency = currency
        self.on_quantity = on_quantity
        self.on_remove = on_remove
        self.rows: dict[int, LineRow] = {}
        self.shapes: list[tuple[object, ...]] | None = None
        self.container = ui.column().classes('w-full gap-3')
        self.units_label: ui.label | None = None
        self.total_label: ui.label | None = None  # the total including VAT, in `totals`
        self.totals: prices.TotalsView | None = None
        self.minimum_label: ui.label | None = None
        ui.add_css(LINES_CSS)

    @property
    def product_ids(self) -> list[int]:
        return list(self.rows)

    def show(
        self,
        lines: list[CurrentLine],
        summary: Summary,
        *,
        instead: dict[int, list[ProductCard]] | None = None,
        portal: PortalTerms | None = None,
    ) -> None:
        """`instead`: in-stock alternatives per out-of-stock product (related.in_stock_alternatives), on its line."""
        shapes = [_shape(line) for line in lines]
        if shapes == self.shapes and (not lines or (self.units_label and self.total_label)):
            for line in lines:
                self.rows[line.product_id].show(line, self.currency)
        elif lines and self.shapes and [s for s in self.shapes if s in shapes] == shapes:
            for product_id in set(self.rows) - {line.product_id for line in lines}:  # only lines removed
                self.rows.pop(product_id).row.delete()
            for line in lines:
                self.rows[line.product_id].show(line, self.currency)
        else:
            self._build(lines)
        self.shapes = shapes
        for product_id, row in self.rows.items():
            row.show_instead((instead or {}).get(product_id, []), portal)
        if self.units_label and self.totals and self.minimum_label:
            self.units_label.set_text(theme.count(summary.units, 'unit'))
            self.totals.show(summary.totals)
            self.minimum_label.set_text(
                _('Add {missing} more to reach the minimum order value of {minimum} (excluding VAT).').format(
                    missing=theme.price(summary.missing_cents, self.currency),
                    minimum=theme.price(summary.minimum_order_cents, self.currency),
                )
            )
            self.minimum_label.set_visibility(summary.missing_cents > 0)

    def _build(self, lines: list[CurrentLine]) -> None:
        self.container.clear()
        self.rows.clear()
        self.units_label = self.total_label = self.totals = self.minimum_label = None
        with self.container:
            if not lines:
                theme.empty_state(
                    'remove_shopping_cart',
                    _('Your current order is empty'),
                    _('Add products from the catalogue; they stay here until you place the order.'),
                )
                with ui.row().classes('w-full justify-center'):
                    ui.button(
                        _('Browse products'), icon='inventory_2', on_click=lambda: ui.navigate.to('/products')
                    ).props('unelevated')
                return
            with ui.card().classes('w-full q-pa-none gap-0 sf-order-lines'):
                for line in lines:
                    self.rows[line.product_id] = self._line(line)
            with ui.row().classes('w-full justify-end items-start gap-4 q-pr-md wrap'):
                self.units_label = ui.label().classes('text-body2 text-grey-7 q-pt-xs')
                self.totals = prices.TotalsView(self.currency)
                self.total_label = self.totals.total
            self.minimum_label = (
                ui.label().classes('w-full text-right text-body2 text-orange-9 q-pr-md').mark('minimum-missing')
            )

    def _line(self, line: CurrentLine) -> LineRow:
        row = OrderLine(line).mark(f'line-{line.product_id}')
        shown = LineRow(line.product_id, line.name, line.quantity, row)
        shown.show(line, self.currency)
        rules = line.rules

        def act(e: events.GenericEventArguments) -> object:
            """Remove, a step, or a quantity typed (Enter, leaving the field); the browser's word: anything may come."""
            args = e.args if isinstance(e.args, dict) else {}
            typed = Typed(row, args.get('quantity', ''))
            if args.get('do') == 'remove':
                return self.on_remove(shown.product_id)
            if args.get('do') == 'step':
                typed.value = str(prices.step(rules, typed.value, 1 if args.get('direction') == 1 else -1))
            elif args.get('do') != 'quantity':
                return None
            return self.on_quantity(shown, typed)

        row.on('act', act)
        return shown


def _hidden_bar(classes: str, *, role: str, mark: str) -> ui.row:
    """A bar above the lines, hidden until it is needed; its contents are made then (most visits never need it)."""
    bar = ui.row().classes(f'w-full items-center gap-3 rounded-borders {classes}').props(f'role={role}').mark(mark)
    bar.set_visibility(False)
    return bar


class UndoRemove:
    """'Line removed: <product> x n — Undo' above the lines for a few seconds after a line is removed."""

    SHOWN_S = 12.0

    def __init__(self, *, name_of: Callable[[int], str | None], on_undo: Callable[[int, int], object]) -> None:
        self.name_of = name_of
        self.on_undo = on_undo
        self.product_id = 0
        self.quantity = 0
        self.offers = 0  # a later removal's offer outlives an earlier one's timer
        self.bar = _hidden_bar('no-wrap q-pl-md q-pr-sm q-py-xs bg-grey-3', role='status', mark='undo-remove')
        self.label: ui.label | None = None  # its contents are made with the first removal (most visits have none)

    def _label(self) -> ui.label:
        if self.label is None:
            with self.bar:
                ui.icon('delete_outline', size='20px').classes('text-grey-8')
                self.label = ui.label().classes('text-body2 col min-w-0')  # wraps; Undo stays on screen
                ui.button(_('Undo'), icon='undo', on_click=self._undo).props('flat dense color=primary').classes(
                    'flex-none'
                ).mark('undo')
        return self.label

    def offer(self, product_id: int, quantity: int) -> None:
        self.product_id, self.quantity = product_id, quantity
        name = self.name_of(product_id) or _('the product')
        self._label().set_text(_('Line removed: {name} × {quantity}').format(name=name, quantity=i18n.number(quantity)))
        self.bar.set_visibility(True)
        self.offers += 1
        offer = self.offers
        ui.timer(self.SHOWN_S, lambda: self._withdraw() if offer == self.offers else None, once=True)

    def _withdraw(self) -> None:
        self.bar.set_visibility(False)
        self.product_id = self.quantity = 0
        self.offers += 1

    def _undo(self) -> object:
        """Once per removal: a second click or a replayed event finds no offer (and the service restores once)."""
        product_id, quantity = self.product_id, self.quantity
        self._withdraw()
        return self.on_undo(product_id, quantity) if product_id else None


class PriceChanges:
    """'Prices changed since you opened this order' with the changed lines (old → new), and Place at the new
    prices: the order is placed at a price the customer has not seen only after this click."""

    def __init__(self, currency: str, *, on_accept: Callable[[dict[int, int]], object]) -> None:
        self.currency = currency
        self.on_accept = on_accept
        self.changes: dict[int, int] = {}  # product id -> today's price, as listed
        self.bar = _hidden_bar('q-pa-md bg-orange-1', role='alert', mark='price-changes')
        self.listed: ui.column | None = None  # its contents are made when a price first changes (rarely)

    def _listed(self) -> ui.column:
        if self.listed is None:
            with self.bar:
                ui.icon('price_change', size='28px').classes('text-orange-9')
                with ui.column().classes('col gap-1 min-w-0'):
                    ui.label(_('Prices changed since you opened this order')).classes(
                        'text-subtitle1 text-weight-medium'
                    )
                    self.listed = ui.column().classes('gap-0')
                ui.button(_('Place at the new prices'), icon='send', on_click=self._accept).props(
                    'unelevated no-caps color=orange-9'
                ).mark('place-at-new-prices')
        return self.listed

    def show(self, lines: list[CurrentLine], agreed: dict[int, int]) -> None:
        """List the lines (at today's prices) whose price differs from the one agreed to (product id -> price)."""
        changed = [
            line for line in lines if agreed.get(line.product_id, line.unit_price_cents) != line.unit_price_cents
        ]
        changes = {line.product_id: line.unit_price_cents for line in changed}
        if changes == self.changes:
            return
        self.changes = changes
        listed = self._listed()
        listed.clear()
        with listed:
            for line in changed:
                ui.label(
                    _('{name} ({code}): {old_price} → {new_price} per {unit}').format(
                        name=line.name,
                        code=line.code,
                        old_price=theme.price(agreed[line.product_id], self.currency),
                        new_price=theme.price(line.unit_price_cents, self.currency),
                        unit=line.unit,
                    )
                ).classes('text-body2').mark(f'price-change-{line.product_id}')
        self.bar.set_visibility(bool(changes))

    def _accept(self) -> object:
        changes = self.changes
        return self.on_accept(changes) if changes else None
