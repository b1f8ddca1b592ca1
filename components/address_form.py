"""Choosing a saved delivery address or entering a new one."""

from __future__ import annotations

from nicegui import ui

from app.core.i18n import _
from app.models import Address, AddressCreate

NEW = 'new'


def address_text(a: Address | AddressCreate) -> str:
    parts = [a.recipient, a.street, f'{a.postal_code} {a.city}'.strip(), a.country]
    return ', '.join(p for p in parts if p)


def _field(label: str, maxlength: int, classes: str = 'w-full') -> ui.input:
    return ui.input(label).props(f'outlined dense maxlength={maxlength}').classes(classes)


class AddressChooser:
    """Radio list of the customer's addresses (default preselected) plus 'Another address', whose fields are made
    when it is first chosen (most orders go to an address in the book: eight elements fewer on the page)."""

    def __init__(self, addresses: list[Address], *, offer_saving: bool = True) -> None:
        options: dict[object, str] = {}
        for a in addresses:
            text = f'{a.label}: {address_text(a)}' if a.label else address_text(a)
            options[a.id] = _('{address} (default)').format(address=text) if a.is_default else text
        options[NEW] = _('Another address…')
        default = next((a.id for a in addresses if a.is_default), addresses[0].id if addresses else NEW)
        self.offer_saving = offer_saving
        self.new_fields: ui.column | None = None
        self.choice = (
            ui.radio(options, value=default, on_change=lambda e: self._show_fields(e.value == NEW))
            .props('dense')
            .classes('w-full')
            .mark('address-choice')
        )
        self.place = ui.element('div').classes('w-full')  # where the fields go
        self._show_fields(default == NEW)

    def _show_fields(self, shown: bool) -> None:
        if self.new_fields is None:
            if not shown:
                return
            with self.place, ui.column().classes('w-full gap-2 q-pl-md') as self.new_fields:
                self.recipient = _field(_('Recipient / company'), 120)
                self.street = _field(_('Street and number'), 200)
                with ui.row().classes('w-full gap-2 no-wrap'):
                    self.postal_code = _field(_('Postal code'), 20, 'w-1/3')
                    self.city = _field(_('City'), 100, 'col-grow')
                self.country = _field(_('Country'), 60)
                self.save = ui.checkbox(_('Save this address in our address book'))
                self.save.set_visibility(self.offer_saving)
        self.new_fields.set_visibility(shown)

    @property
    def address_id(self) -> int | None:
        return None if self.choice.value == NEW else int(self.choice.value)

    @property
    def save_address(self) -> bool:
        """Whether the customer asked to keep the new address in its book."""
        return self.choice.value == NEW and self.new_fields is not None and bool(self.save.value)

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
