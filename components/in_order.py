"""The green check mark with the number of units already in the current order."""

from __future__ import annotations

from nicegui import ui


class InOrderMark:
    """A check mark that shows and changes in place (no rebuild) when the quantity changes."""

    def __init__(self, product_id: int, quantity: int = 0, *, large: bool = False) -> None:
        self.product_id = product_id
        size = 'text-body1 q-px-sm q-py-xs' if large else 'text-caption'
        with (
            ui.element('div')
            .classes(f'row items-center no-wrap gap-1 rounded-borders bg-green-1 text-positive {size} q-px-sm')
            .props('aria-label="In current order"') as self.box
        ):
            ui.icon('check_circle', size='20px' if large else '16px').classes('text-positive')
            self.label = ui.label().classes('text-weight-bold').mark(f'in-order-{product_id}')
        self.set(quantity)

    def set(self, quantity: int) -> None:
        self.label.text = f'{quantity:,} in order'
        self.box.set_visibility(quantity > 0)
