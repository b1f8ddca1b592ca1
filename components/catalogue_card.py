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
from components.quantity import Typed
from components.save_to_list import open_save_dialog


class CatalogueCard(ui.element, component='catalogue_card.js'):
    """One product; `mark_in_order.set(n)` and `set_stock(free)` change it in place (the page's live listeners).

    `on_add(product_id, typed)` reads what the customer typed as `typed.value` and may set `typed.value` to put a
    quantity back in the field (after an add, the least the product is sold in), as with a quantity field.
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
        props: dict[str, Any] = {
            'layout': layout,
            'href': link,
            'image': image_url(product.image_id) if product.image_id is not None else '',
            'code': product.code,
            'name': product.name,
            'value': str(shown.rules.minimum),
            'reset': 0,
            'qty_label': _('Qty'),
            'quantity_label': _('Quantity'),
            'add_label': _('Add'),
            'save_label': _('Save to a list'),
            **self._stock(product.free),
            **prices.step_props(shown.rules),
        }  # (texts as props of their own: a dict in the props would be an observed collection of its own)
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
        # plain texts into the new element's props, past the observed dict's bookkeeping (some 15 sets a card): the
        # element goes to the browser whole, with whatever its props hold then
        dict.update(self._props, props)
        self.mark(f'product-{product.id}' if layout == 'card' else f'row-{product.id}')
        self.on_add = lambda typed: on_add(product.id, typed)
        self.on_save = lambda typed: open_save_dialog(product.id, product.name, typed)
        self.on('act', self._act)
        self.mark_in_order = InOrderMark(
            product.id,
            in_order,
            lazy=True,
            classes='' if layout == 'row' else 'absolute-top-right q-ma-sm shadow-1',
            container=self,
        )

    def _handle_delete(self) -> None:
        super()._handle_delete()
        # they hold the card: without them it is freed by reference counting, not left to the collector
        self.mark_in_order = self.on_add = self.on_save = None  # type: ignore[assignment]

    def put_quantity(self, text: str) -> None:
        """Put a quantity in the card's field (the browser's copy of the field takes it)."""
        self._props['value'] = text
        self._props['reset'] += 1
        self.update()

    def set_stock(self, free: int) -> None:
        self._props.update(self._stock(free))

    def _stock(self, free: int) -> dict[str, str]:
        shown = stock_label(free, display=self.display, backorders=self.backorders)
        return {'stock': shown.text if shown else '', 'tone': TONE_CLASSES[shown.tone] if shown else ''}

    def _act(self, e: events.GenericEventArguments) -> object:
        """Add, save or step, with what the field holds; a socket event is the browser's word: anything may come."""
        args = e.args if isinstance(e.args, dict) else {}
        typed = Typed(self, args.get('quantity', ''))
        if args.get('do') == 'step':
            typed.value = str(prices.step(self.rules, typed.value, 1 if args.get('direction') == 1 else -1))
            return None
        return self.on_save(typed) if args.get('do') == 'save' else self.on_add(typed)

    def _displayed_contents(self, *, only_visible: bool) -> list:
        props = self._props
        keys = ('code', 'name', 'price', 'list_price', 'per_unit', 'tiers', 'rules', 'stock')
        return [props.get(key) for key in keys]
