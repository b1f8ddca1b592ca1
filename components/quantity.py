"""A quantity field. The browser may send anything; app.current_order.parse_quantity decides."""

from nicegui import ui


def quantity_input(value: int = 1, label: str = 'Qty') -> ui.input:
    return ui.input(label, value=str(value)).props('outlined dense inputmode=numeric maxlength=7 aria-label="Quantity"')
