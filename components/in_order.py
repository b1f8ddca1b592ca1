"""The green check mark with the number of units already in the current order."""

from __future__ import annotations

from nicegui import ui

from app.core.i18n import _, ngettext
from components import theme


class _Chip(ui.label):
    """A label drawn as Quasar's chip: the check icon comes with it, no box and icon elements of its own."""

    def __init__(self, text: str = '') -> None:
        super().__init__(text)
        self.tag = 'q-chip'


class InOrderMark:
    """A check mark that shows and changes in place (no rebuild) when the quantity changes.

    One element. With `lazy` (the product grid, where most cards show none) it is only made once there is
    something in the order, in the element that was current when the mark was created: every element of every
    open page costs the server memory (bench/load.py).
    """

    def __init__(
        self,
        product_id: int,
        quantity: int = 0,
        *,
        large: bool = False,
        lazy: bool = False,
        classes: str = '',
        container: ui.element | None = None,
    ) -> None:
        self.product_id = product_id
        self.large = large
        self.classes = classes
        self.container = container if container is not None else ui.context.slot.parent
        self.label: ui.label | None = None
        if quantity > 0 or not lazy:
            self._make()
        self.set(quantity)

    @property
    def box(self) -> ui.label | None:
        return self.label

    def _make(self) -> None:
        size = 'text-body1' if self.large else 'text-caption'
        with self.container:
            self.label = (
                _Chip()
                .props(f'icon=check_circle color=green-1 text-color=positive square {"" if self.large else "dense"}')
                .props(theme.aria_label(_('In current order')))
                .classes(f'text-weight-bold q-ma-none {size} {self.classes}')
                .mark(f'in-order-{self.product_id}')
            )

    def set(self, quantity: int) -> None:
        if self.label is None:
            if quantity <= 0:
                return
            self._make()
        assert self.label is not None
        self.label.text = ngettext('{n} in order', '{n} in order', quantity)
        self.label.set_visibility(quantity > 0)
