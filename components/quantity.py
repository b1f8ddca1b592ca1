"""A quantity field. The browser may send anything; app.current_order.parse_quantity decides."""

from typing import Protocol

from nicegui import ui

from app.core.i18n import _
from components import theme


def quantity_input(value: int = 1, label: str | None = None) -> ui.input:
    """`label` as the reader reads it; 'Qty' in the reader's language when not given."""
    field = ui.input(_('Qty') if label is None else label, value=str(value))
    return field.props('outlined dense inputmode=numeric maxlength=7').props(theme.aria_label(_('Quantity')))


class QuantityField(Protocol):
    """What holds the quantity a customer typed, as `.value`, and takes the next one: a quantity field, or a catalogue
    card (components/catalogue_card.py), whose field lives in the browser."""

    value: str


MAX_TYPED = 20  # what a browser-side field sends is cut to this before a service reads it as a quantity


class HoldsQuantity(Protocol):
    def put_quantity(self, text: str) -> None: ...


class Typed:
    """What one event of a browser-side quantity field brought (a catalogue card's, an order line's), as `value`: a
    handler reads it when it runs, and a later event of the same element must not change it meanwhile. Setting
    `value` puts a quantity back in the element's field."""

    __slots__ = ('holder', 'typed')

    def __init__(self, holder: HoldsQuantity, typed: object) -> None:
        self.holder, self.typed = holder, str(typed if typed is not None else '')[:MAX_TYPED]

    @property
    def value(self) -> str:
        return self.typed

    @value.setter
    def value(self, text: str) -> None:
        self.typed = text
        self.holder.put_quantity(text)
