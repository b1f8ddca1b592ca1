"""A product in the catalogue grid: image, name, code, price, stock and adding to the current order."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from app.catalogue import ProductCard, stock_status
from components import theme
from components.in_order import InOrderMark
from components.quantity import quantity_input

TONE_CLASSES = {'positive': 'text-positive', 'warning': 'text-orange-9', 'negative': 'text-negative'}


def image_url(image_id: int, *, thumb: bool = True) -> str:
    return f'/media/images/{image_id}' + ('?size=thumb' if thumb else '')


def product_image(image_id: int | None, *, thumb: bool = True, classes: str = '') -> None:
    if image_id is None:
        with ui.element('div').classes(f'flex flex-center bg-grey-2 {classes}'):
            ui.icon('image_not_supported', size='48px').classes('text-grey-5')
    else:
        ui.image(image_url(image_id, thumb=thumb)).classes(classes).props('fit=contain')


class StockLabel:
    def __init__(self, free: int) -> None:
        self.label = ui.label().classes('text-body2 text-weight-medium')
        self.set(free)

    def set(self, free: int) -> None:
        text, tone = stock_status(free)
        self.label.text = text
        self.label.classes(replace=f'text-body2 text-weight-medium {TONE_CLASSES[tone]}')


class ProductCardView:
    """One card; `mark` and `stock` are updated in place by the page's live listeners."""

    def __init__(
        self, product: ProductCard, *, currency: str, in_order: int, on_add: Callable[[int, object], object]
    ) -> None:
        self.product_id = product.id
        with ui.card().classes('w-full h-full q-pa-none overflow-hidden column no-wrap').mark(f'product-{product.id}'):
            with ui.link(target=f'/products/{product.id}').classes('block w-full'):
                product_image(product.image_id, classes='w-full h-44 bg-white')
            with ui.column().classes('q-pa-md gap-1 w-full col-grow'):
                with ui.row().classes('w-full items-start justify-between no-wrap gap-2'):
                    ui.label(product.code).classes('text-caption text-grey-7')
                    self.mark = InOrderMark(product.id, in_order)
                ui.link(product.name, target=f'/products/{product.id}').classes(
                    'text-subtitle1 text-weight-medium text-grey-9 no-underline leading-tight ellipsis-2-lines'
                )
                with ui.row().classes('w-full items-baseline justify-between'):
                    ui.label(theme.price(product.price_cents, currency)).classes('text-h6 text-primary')
                    ui.label(f'per {product.unit}').classes('text-caption text-grey-7')
                self.stock = StockLabel(product.free)
                self.stock.label.mark(f'stock-{product.id}')
                ui.space()
                with ui.row().classes('w-full items-center no-wrap gap-2 q-mt-sm'):
                    quantity = quantity_input().classes('w-20').mark(f'qty-{product.id}')
                    ui.button('Add', icon='add_shopping_cart', on_click=lambda: on_add(product.id, quantity)).props(
                        'unelevated no-caps'
                    ).classes('col-grow').mark(f'add-{product.id}')
