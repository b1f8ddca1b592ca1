"""A product's picture and stock label as the product page, saved lists and order lines show them (the catalogue's
own cards and rows are components/catalogue_card.py).

What it shows of stock follows the portal's terms (app/pricing/terms.py): a number, availability only, or nothing."""

from __future__ import annotations

from nicegui import ui

from app.pricing.terms import StockDisplay, stock_label

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
