"""A product in the catalogue grid: image, name, code, the customer's price, stock and adding to the current order.

What it shows of prices and stock follows the portal's terms (app/pricing/terms.py): prices may be hidden, stock
shown as a number, as availability only, or not at all."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from app.catalogue.catalogue import ProductCard
from app.core import i18n
from app.core.i18n import _
from app.pricing.prices import ProductPrice
from app.pricing.terms import PortalTerms, StockDisplay, stock_label
from components import prices, theme
from components.in_order import InOrderMark
from components.quantity import quantity_input
from components.save_to_list import open_save_dialog

TONE_CLASSES = {'positive': 'text-positive', 'warning': 'text-orange-9', 'negative': 'text-negative'}


def image_url(image_id: int, *, thumb: bool = True) -> str:
    return f'/media/images/{image_id}' + ('?size=thumb' if thumb else '')


def product_image(image_id: int | None, *, thumb: bool = True, classes: str = '') -> None:
    if image_id is None:  # one element, not a box around an icon: every element costs memory on every open page
        ui.icon('image_not_supported', size='48px').classes(f'flex flex-center bg-grey-2 text-grey-5 {classes}')
    else:
        ui.image(image_url(image_id, thumb=thumb)).classes(classes).props('fit=contain')


class StockLabel:
    """Stock as the portal shows it (a number, availability or nothing); `backorders` says what 'out' means."""

    def __init__(
        self, free: int, *, display: StockDisplay = StockDisplay.EXACT, backorders: bool = True, classes: str = ''
    ) -> None:
        self.base_classes = f'text-body2 text-weight-medium {classes}'.strip()
        self.display, self.backorders = display, backorders
        self.label = ui.label().classes(self.base_classes)
        self.set(free)

    def set(self, free: int) -> None:
        shown = stock_label(free, display=self.display, backorders=self.backorders)
        self.label.set_visibility(shown is not None)
        if shown is not None:
            self.label.text = shown.text
            self.label.classes(replace=f'{self.base_classes} {TONE_CLASSES[shown.tone]}')


class ProductCardView:
    """One card; `mark` and `stock` are updated in place by the page's live listeners.

    A page holds 24 cards and the server keeps every element of every open page (bench/load.py), so
    the card is built from as few elements as its layout needs: no wrapper rows or columns where a
    class on the element itself does.
    """

    def __init__(
        self,
        product: ProductCard,
        *,
        currency: str,
        in_order: int,
        on_add: Callable[[int, object], object],
        shown: ProductPrice,
        portal: PortalTerms,
        link: str | None = None,
    ) -> None:
        self.product_id = product.id
        link = link or f'/products/{product.id}'  # the products page's link remembers its search and filters
        with (
            ui.card()
            .classes('w-full h-full q-pa-none gap-1 overflow-hidden column no-wrap relative-position')
            .mark(f'product-{product.id}')
        ):
            with ui.link(target=link).classes('block w-full'):
                product_image(product.image_id, classes='w-full h-44 bg-white')
            self.mark = InOrderMark(product.id, in_order, lazy=True, classes='absolute-top-right q-ma-sm shadow-1')
            ui.label(product.code).classes('text-caption text-grey-7 q-px-md q-pt-sm')
            ui.link(product.name, target=link).classes(
                'text-subtitle1 text-weight-medium text-grey-9 no-underline leading-tight ellipsis-2-lines q-px-md'
            )
            if shown.price is not None:
                with ui.row().classes('w-full items-baseline gap-x-2 gap-y-0 q-px-md'):
                    prices.price_tag(shown.price, currency, mark=f'price-{product.id}')
                    ui.label(_('per {unit}').format(unit=product.unit)).classes('text-caption text-grey-7')
                if shown.tiers:
                    ui.label(
                        _('Lower price from {quantity}').format(quantity=i18n.number(shown.tiers[1].from_quantity))
                    ).classes('text-caption text-primary q-px-md').mark(f'tiers-{product.id}')
            if note := prices.rules_note(shown.rules):
                ui.label(note).classes('text-caption text-grey-8 q-px-md').mark(f'rules-{product.id}')
            self.stock = StockLabel(
                product.free, display=portal.stock_display, backorders=shown.rules.backorders, classes='q-px-md'
            )
            self.stock.label.mark(f'stock-{product.id}')
            # the quantity keeps its width; where a language's 'Add' is too long for the card, it goes under it
            with ui.row().classes('w-full items-center wrap gap-2 q-pa-md q-pt-sm mt-auto'):
                quantity = (
                    quantity_input(shown.rules.minimum)
                    .classes('flex-none ' + ('w-32' if shown.rules.multiple > 1 else 'w-20'))
                    .mark(f'qty-{product.id}')
                )
                prices.stepped(quantity, shown.rules)
                quantity.on('keydown.enter', lambda: on_add(product.id, quantity))  # Enter adds, as Add does
                # the bookmark beside the quantity, so where Add goes under them it takes the whole width alone
                ui.button(
                    icon='bookmark_add', on_click=lambda: open_save_dialog(product.id, product.name, quantity)
                ).props(f'flat round dense color=primary {theme.aria_label(_("Save to a list"))}').mark(
                    f'save-{product.id}'
                )
                ui.button(_('Add'), icon='add_shopping_cart', on_click=lambda: on_add(product.id, quantity)).props(
                    'unelevated no-caps'
                ).classes('col-grow').mark(f'add-{product.id}')
