"""What the supplier has put together on the new-order page so far: the customer, the lines and the details."""

from __future__ import annotations

from dataclasses import dataclass, field

from nicegui import ui

from components.address_form import AddressChooser


@dataclass
class Line:
    product_id: int
    code: str
    name: str
    unit: str
    unit_price_cents: int
    quantity: int


@dataclass
class Draft:
    """The lines live on the page only until placed; `key` makes a double click one order (one per customer)."""

    key: str
    customer_id: int | None = None
    lines: dict[int, Line] = field(default_factory=dict)
    chooser: AddressChooser | None = None
    comment: ui.textarea | None = None
    reference: ui.input | None = None
    button: ui.button | None = None
