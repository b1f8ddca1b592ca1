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
