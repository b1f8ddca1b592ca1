"""The Lines card of the new order: quantities, what ships now and what goes on backorder, and the totals at the
customer's prices (app/pricing.quote: what placing will charge, VAT per rate or the customer's exemption)."""

from __future__ import annotations

from nicegui import ui

from app.catalogue import catalogue
from app.core import db, i18n
from app.core.errors import ValidationError
from app.core.i18n import _, ngettext
from app.identity.auth import Identity
from app.orders import current_order
from app.pricing import prices
from components import guard, theme
from components import prices as prices_view
from components.form import count_field
from components.section import section
from pages.admin.new_order.draft import Draft, Line


class LinesView:
    def __init__(self, who: Identity, draft: Draft, currency: str) -> None:
        self.who, self.draft, self.currency = who, draft, currency
        with section(
            _('Lines'),
            'list_alt',
            _("At the customer's prices today; stock is reserved when the order is placed."),
            bordered=True,
        ):
            self.lines()

    @ui.refreshable_method
    def lines(self) -> None:
        draft = self.draft
        if not draft.lines:
            theme.empty_state('playlist_add', _('No lines yet'), _('Search for products above and add them.'))
            return
        with db.read_session() as session:
            ids = list(draft.lines)
            free = catalogue.free_stock(session, product_ids=ids)
            orderable = (
                catalogue.orderable_ids(session, customer_id=draft.customer_id, product_ids=ids)
                if draft.customer_id is not None
                else set(ids)
            )
            quoted = (
                prices.quote(
                    session,
                    actor=self.who,
                    customer_id=draft.customer_id,
                    lines=[(line.product_id, line.quantity) for line in draft.lines.values()],
                )
                if draft.customer_id is not None
                else None
            )
        for line in draft.lines.values():  # the customer's price for the quantity, as placing will charge it
            if quoted is not None and line.product_id in quoted.lines:
                line.unit_price_cents = quoted.lines[line.product_id].price.unit_cents
        with ui.column().classes('w-full gap-0'):
            for index, line in enumerate(draft.lines.values()):
                if index:
                    ui.separator()
                self._line(line, free=free.get(line.product_id, 0), orderable=line.product_id in orderable)
        units = sum(line.quantity for line in draft.lines.values())
        with ui.row().classes('w-full justify-end items-start gap-4 wrap'):
            ui.label(ngettext('{n} unit', '{n} units', units)).classes('text-body2 text-grey-7 q-pt-xs')
            if quoted is None:
                subtotal = sum(line.unit_price_cents * line.quantity for line in draft.lines.values())
                with ui.column().classes('gap-0 items-end'):
                    ui.label(theme.price(subtotal, self.currency)).classes('text-h6 text-primary').mark(
                        'new-order-total'
                    )
                    ui.label(_('At list prices, excluding VAT: choose the customer for its prices')).classes(
                        'text-caption text-grey-7'
                    )
            else:
                prices_view.totals_view(quoted.totals, self.currency, mark='new-order')
        if quoted is not None and quoted.missing_cents:
            ui.label(
                _('{missing} short of the minimum order value of {minimum} (excluding VAT).').format(
                    missing=theme.price(quoted.missing_cents, self.currency),
                    minimum=theme.price(quoted.minimum_order_cents, self.currency),
                )
            ).classes('w-full text-right text-body2 text-orange-9').mark('new-order-minimum')

    def _line(self, line: Line, *, free: int, orderable: bool) -> None:
        with ui.row().classes('w-full items-center gap-3 q-py-sm wrap').mark(f'line-{line.code}'):
            with ui.column().classes('col-grow gap-0 min-w-[200px]'):
                ui.label(line.name).classes('text-body1 text-weight-medium')
                ships = min(line.quantity, free)
                later = line.quantity - ships
                if later:
                    shipping = _('{code} · {price} per {unit} · {ships} from stock, {later} on backorder')
                else:
                    shipping = _('{code} · {price} per {unit} · all from stock')
                ui.label(
                    shipping.format(
                        code=line.code,
                        price=theme.price(line.unit_price_cents, self.currency),
                        unit=line.unit,
                        ships=i18n.number(ships),
                        later=i18n.number(later),
                    )
                ).classes('text-caption text-grey-7')
                if not orderable:
                    ui.label(_("Not in this customer's catalogue — remove this line")).classes(
                        'text-caption text-negative'
                    )
            box = count_field(_('Qty'), line.quantity).classes('w-24').mark(f'line-qty-{line.code}')
            box.on('keydown.enter', lambda: self.change(line.product_id, box))
            shown = line.quantity
            box.on('blur', lambda: None if str(box.value).strip() == str(shown) else self.change(line.product_id, box))
            ui.label(theme.price(line.unit_price_cents * line.quantity, self.currency)).classes(
                'text-subtitle1 text-weight-medium w-28 text-right'
            )
            remove = ui.button(icon='delete_outline', on_click=lambda: self.remove(line.product_id))
            remove.props('flat round color=grey-8').mark(f'remove-{line.code}')
            remove.props['aria-label'] = _('Remove line')

    def remove(self, product_id: int) -> None:
        self.draft.lines.pop(product_id, None)
        self.lines.refresh()

    def change(self, product_id: int, box: ui.input) -> None:
        line = self.draft.lines.get(product_id)
        if line is None:
            return
        try:
            line.quantity = current_order.parse_quantity(box.value)
        except ValidationError as e:
            guard.report(e)
            box.value = str(line.quantity)
            return
        self.lines.refresh()
