"""Choosing a saved delivery address or entering a new one."""

from __future__ import annotations

from nicegui import ui

from app.core.i18n import _
from app.models import Address, AddressCreate

NEW = 'new'


def address_text(a: Address | AddressCreate) -> str:
    parts = [a.recipient, a.street, f'{a.postal_code} {a.city}'.strip(), a.country]
    return ', '.join(p for p in parts if p)


class AddressChooser:
    """Radio list of the customer's addresses (default preselected) plus 'Another address'."""

    def __init__(self, addresses: list[Address]) -> None:
        options: dict[object, str] = {}
        for a in addresses:
            text = f'{a.label}: {address_text(a)}' if a.label else address_text(a)
            options[a.id] = _('{address} (default)').format(address=text) if a.is_default else text
        options[NEW] = _('Another address…')
        default = next((a.id for a in addresses if a.is_default), addresses[0].id if addresses else NEW)
        self.choice = ui.radio(options, value=default).props('dense').classes('w-full').mark('address-choice')
        with ui.column().classes('w-full gap-2 q-pl-md') as self.new_fields:
            self.recipient = ui.input(_('Recipient / company')).props('outlined dense maxlength=120').classes('w-full')
            self.street = ui.input(_('Street and number')).props('outlined dense maxlength=200').classes('w-full')
            with ui.row().classes('w-full gap-2 no-wrap'):
                self.postal_code = ui.input(_('Postal code')).props('outlined dense maxlength=20').classes('w-1/3')
                self.city = ui.input(_('City')).props('outlined dense maxlength=100').classes('col-grow')
            self.country = ui.input(_('Country')).props('outlined dense maxlength=60').classes('w-full')
            self.save = ui.checkbox(_('Save this address in our address book'))
        self.new_fields.bind_visibility_from(self.choice, 'value', backward=lambda v: v == NEW)

    @property
    def address_id(self) -> int | None:
        return None if self.choice.value == NEW else int(self.choice.value)

    def new_address(self) -> AddressCreate | None:
        if self.choice.value != NEW:
            return None
        # model_construct: the service validates and gives the clear message (pydantic would raise first)
        return AddressCreate.model_construct(
            label='',
            recipient=self.recipient.value or '',
            street=self.street.value or '',
            postal_code=self.postal_code.value or '',
            city=self.city.value or '',
            country=self.country.value or '',
        )
