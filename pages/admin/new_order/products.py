"""The Products card of the new order: search the catalogue and add lines (the customer's catalogue is checked)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from app.catalogue import catalogue
from app.catalogue.catalogue import ProductCard
from app.core import db, i18n
from app.core.errors import ValidationError
from app.core.i18n import _
from app.identity.auth import Identity
from app.orders import current_order
from app.pricing import prices
from app.pricing.prices import ProductPrice
from components import guard, theme
from components import prices as prices_view
from components.quantity import quantity_input
from components.search_field import search_field
from components.section import section
from pages.admin.new_order.draft import Draft, Line

RESULTS = 8


class ProductSearch:
    def __init__(self, who: Identity, draft: Draft, currency: str, *, on_added: Callable[[], None]) -> None:
        self.who, self.draft, self.currency, self.on_added = who, draft, currency, on_added
        with section(
            _('Products'), 'inventory_2', _('Search by name, code or barcode, then add a line.'), bordered=True
        ):
            with ui.row().classes('w-full items-center gap-3 wrap'):
                self.search = search_field(
                    placeholder=_('Search products'),
                    on_search=lambda _text: self.results.refresh(),
                    mark='product-search',
                )
            self.results()

    @ui.refreshable_method
    def results(self) -> None:
        text = ' '.join((self.search.value or '').split())
        if not text:
            ui.label(_('Type a name, code or barcode and press Enter.')).classes('text-body2 text-grey-7')
            return
        customer_id = self.draft.customer_id
        with db.read_session() as session:
            found = catalogue.search_products(session, actor=self.who, query=text, sort='code', page_size=RESULTS)
            ids = [c.id for c in found.items]
            orderable = (
                catalogue.orderable_ids(session, customer_id=customer_id, product_ids=ids)
                if customer_id is not None
                else set()
            )
            customer_prices = (
                prices.customer_product_prices(session, actor=self.who, customer_id=customer_id, product_ids=ids)
                if customer_id is not None
                else {}
            )
        if not found.items:
            theme.empty_state('search_off', _('No products match'), _('Try another name or code.'))
            return
        with ui.column().classes('w-full gap-0'):
            for index, card in enumerate(found.items):
                if index:
                    ui.separator()
                self._result(
                    card, orderable=customer_id is None or card.id in orderable, shown=customer_prices.get(card.id)
                )
        if found.total > len(found.items):
            ui.label(
                _('{total} products match; showing the first {shown}.').format(
                    total=i18n.number(found.total), shown=i18n.number(len(found.items))
                )
            ).classes('text-caption text-grey-7')

    def _result(self, card: ProductCard, *, orderable: bool, shown: ProductPrice | None = None) -> None:
        """`shown`: the chosen customer's price and ordering rules (list prices before a customer is chosen)."""
        with ui.row().classes('w-full items-center gap-3 q-py-sm wrap').mark(f'result-{card.code}'):
            with ui.column().classes('col-grow gap-0 min-w-[200px]'):
                ui.label(card.name).classes('text-body1 text-weight-medium')
                price = shown.price.unit_cents if shown is not None and shown.price is not None else card.price_cents
                ui.label(
                    _('{code} · {price} per {unit} · {free} free').format(
                        code=card.code,
                        price=theme.price(price, self.currency),
                        unit=card.unit,
                        free=i18n.number(card.free),
                    )
                ).classes('text-caption text-grey-7').mark(f'result-price-{card.code}')
                if shown is not None and (note := prices_view.rules_note(shown.rules)):
                    ui.label(note).classes('text-caption text-grey-8')
                if not orderable:
                    ui.label(_("Not in this customer's catalogue")).classes('text-caption text-negative').mark(
                        f'not-orderable-{card.code}'
                    )
            quantity = quantity_input().classes('w-24').mark(f'add-qty-{card.code}')
            ui.button(_('Add line'), icon='add_shopping_cart', on_click=lambda: self.add(card, quantity)).props(
                'unelevated dense no-caps color=primary q-px-sm'
            ).mark(f'add-{card.code}')

    def add(self, card: ProductCard, quantity: ui.input) -> None:
        """A line on the page (nothing is written before the order is placed); the same product again adds up."""
        existing = self.draft.lines.get(card.id)
        try:
            wanted = current_order.parse_quantity(quantity.value)
            if existing:
                wanted = current_order.parse_quantity(existing.quantity + wanted)
        except ValidationError as e:
            guard.report(e)
            return
        self.draft.lines[card.id] = Line(
            product_id=card.id,
            code=card.code,
            name=card.name,
            unit=card.unit,
            unit_price_cents=card.price_cents,
            quantity=wanted,
        )
        quantity.value = '1'
        ui.notify(_('{product}: {quantity} in the order.').format(product=card.name, quantity=i18n.number(wanted)))
        self.on_added()
