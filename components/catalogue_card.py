"""A product of the catalogue, as a card of the grid or a row of the list: image, code, name, the customer's price,
stock, the quantity field, Add and Save to a list.

One element (catalogue_card.js draws it from text props) instead of a tree of some fifteen: a products page holds
24 cards or 50 rows, and the server builds, renders and keeps every element of every open page (bench/profile_pages
.py). What it shows of prices and stock follows the portal's terms (app/pricing/terms.py). The check mark '3 in
order' is an element of its own in the card's slot, made only once the product is in the current order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from nicegui import events, ui

from app.catalogue.catalogue import ProductCard
from app.core import i18n
from app.core.i18n import _
from app.pricing.prices import ProductPrice
from app.pricing.terms import PortalTerms, stock_label
from components import prices, theme
from components.in_order import InOrderMark
from components.product_card import TONE_CLASSES, image_url
from components.save_to_list import open_save_dialog

MAX_TYPED = 20  # what the browser sends is cut to this before the service reads it as a quantity


def _texts() -> dict[str, str]:
    return {
        'qty': _('Qty'),
        'quantity': _('Quantity'),
        'add': _('Add'),
        'save': _('Save to a list'),
    }


class CatalogueCard(ui.element, component='catalogue_card.js'):
    """One product; `mark.set(n)` and `set_stock(free)` change it in place (the page's live listeners).

    `on_add(product_id, card)` reads what the customer typed as `card.value` and may set `card.value` to put a
    quantity back in the field (after an add, the least the product is sold in), like a quantity field's value.
    """

    def __init__(
        self,
        product: ProductCard,
        *,
        currency: str,
        in_order: int,
        on_add: Callable[[int, Any], object],
        shown: ProductPrice,
        portal: PortalTerms,
        link: str,
        layout: Literal['card', 'row'] = 'card',
    ) -> None:
        super().__init__()
        self.product_id = product.id
        self.rules = shown.rules
        self.display, self.backorders = portal.stock_display, shown.rules.backorders
        self.typed = str(shown.rules.minimum)
        texts = _texts()
        if shown.rules.multiple > 1:
            multiple = i18n.number(shown.rules.multiple)
            texts |= {
                'fewer': _('{multiple} fewer').format(multiple=multiple),
                'more': _('{multiple} more').format(multiple=multiple),
            }
        props = self._props
        props.update(
            layout=layout,
            href=link,
            image=image_url(product.image_id) if product.image_id is not None else '',
            code=product.code,
            name=product.name,
            stepped=shown.rules.multiple > 1,
            value=self.typed,
            reset=0,
            texts=texts,
        )
        if (price := shown.price) is not None:
            props['price'] = theme.price(price.unit_cents, currency)
            props['per_unit'] = _('per {unit}').format(unit=product.unit)
            if price.reduced:
                props['list_price'] = theme.price(price.list_price_cents, currency)
                props['list_label'] = _('List price {price}').format(price=props['list_price'])
            if shown.tiers:
                props['tiers'] = _('Lower price from {quantity}').format(
                    quantity=i18n.number(shown.tiers[1].from_quantity)
                )
        if note := prices.rules_note(shown.rules):
            props['rules'] = note
        self._show_stock(product.free)
        self.mark(f'product-{product.id}' if layout == 'card' else f'row-{product.id}')
        self.on('add', lambda e: self._send(e, lambda: on_add(product.id, self)))
        self.on('save', lambda e: self._send(e, lambda: open_save_dialog(product.id, product.name, self)))
        self.on('step', self._step)
        with self:
            self.mark_in_order = InOrderMark(
                product.id,
                in_order,
                lazy=True,
                classes='' if layout == 'row' else 'absolute-top-right q-ma-sm shadow-1',
            )

    def _handle_delete(self) -> None:
        super()._handle_delete()
        self.mark_in_order = None  # type: ignore[assignment]  # (it holds the card: freed without the collector)

    @property
    def value(self) -> str:
        """What the customer typed in the quantity field, as the last Add, Enter, step or bookmark sent it."""
        return self.typed

    @value.setter
    def value(self, text: str) -> None:
        self.typed = text
        self._props['value'] = text
        self._props['reset'] += 1
        self.update()

    def set_stock(self, free: int) -> None:
        self._show_stock(free)
        self.update()

    def _show_stock(self, free: int) -> None:
        shown = stock_label(free, display=self.display, backorders=self.backorders)
        self._props['stock'] = shown.text if shown is not None else ''
        self._props['tone'] = TONE_CLASSES[shown.tone] if shown is not None else ''

    def _read(self, e: events.GenericEventArguments) -> dict:
        args = e.args if isinstance(e.args, dict) else {}  # a socket event is the browser's word: anything may come
        self.typed = str(args.get('quantity', ''))[:MAX_TYPED]
        return args

    def _send(self, e: events.GenericEventArguments, then: Callable[[], object]) -> object:
        self._read(e)
        return then()

    def _step(self, e: events.GenericEventArguments) -> None:
        args = self._read(e)
        direction = 1 if args.get('direction') == 1 else -1
        self.value = str(prices.step(self.rules, self.typed, direction))

    def _displayed_contents(self, *, only_visible: bool) -> list:
        props = self._props
        keys = ('code', 'name', 'price', 'list_price', 'per_unit', 'tiers', 'rules', 'stock')
        return [props.get(key) for key in keys]
