"""A customer's delivery addresses: the list with its default, adding, editing, making default and deleting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from app.core import db
from app.core.i18n import _
from app.identity import accounts
from app.identity.auth import Identity
from app.models import Address, AddressCreate
from components import guard
from components.address_form import address_text
from components.confirm import confirm
from components.form import Form
from components.form_dialog import FormDialog
from components.section import listed, section

Refresh = Callable[[], Any]
MAX_LENGTHS = {'label': 60, 'recipient': 120, 'street': 200, 'postal_code': 20, 'city': 100, 'country': 60}


def addresses_section(who: Identity, customer_id: int, host: ui.element) -> None:
    """The Delivery addresses card; its dialog lives in `host`, outside the list that redraws."""

    @ui.refreshable
    def address_list() -> None:
        with db.read_session() as session:
            addresses = accounts.list_addresses(session, actor=who, customer_id=customer_id)
        listed(
            addresses,
            lambda address: _address_item(address, dialog, address_list.refresh),
            _('No delivery addresses yet. Add one so orders can be delivered.'),
            'location_off',
            separated=True,
        )

    with host:
        dialog = AddressDialog(customer_id, address_list.refresh)
    with section(
        _('Delivery addresses'), 'local_shipping', _('The default one is preselected when ordering')
    ) as heading:
        with heading:
            ui.button(_('Add address'), icon='add_location_alt', on_click=lambda: dialog.open()).props(
                'outline no-caps'
            ).mark('add-address')
        address_list()


def _address_item(address: Address, dialog: AddressDialog, refresh: Refresh) -> None:
    assert address.id is not None
    aid = address.id
    with ui.row().classes('w-full items-start no-wrap gap-2 q-py-sm').mark(f'address-{aid}'):
        ui.icon('star' if address.is_default else 'place', size='22px').classes(
            'text-amber-8 q-mt-xs' if address.is_default else 'text-grey-6 q-mt-xs'
        )
        with ui.column().classes('col gap-0 min-w-0'):
            with ui.row().classes('items-center gap-2'):
                ui.label(address.label or address.recipient).classes('text-weight-medium')
                if address.is_default:
                    ui.badge(_('Default'), color='amber-9').mark(f'default-{aid}')
            ui.label(address_text(address)).classes('text-body2 text-grey-8 break-words')
        with ui.row().classes('gap-0 no-wrap'):
            if not address.is_default:
                default = ui.button(icon='star_outline', on_click=lambda: make_default_address(aid, refresh))
                default.props('flat round dense').tooltip(_('Make default')).mark(f'make-default-{aid}')
                default.props['aria-label'] = _('Make default')
            edit = ui.button(icon='edit', on_click=lambda: dialog.open(address))
            edit.props('flat round dense').tooltip(_('Edit')).mark(f'edit-address-{aid}')
            edit.props['aria-label'] = _('Edit address')
            delete = ui.button(
                icon='delete_outline',
                on_click=lambda: confirm(
                    _('Delete this address?'),
                    address_text(address),
                    yes=_('Delete address'),
                    then=lambda: delete_address(aid, refresh),
                ),
            )
            delete.props('flat round dense color=negative').tooltip(_('Delete')).mark(f'delete-address-{aid}')
            delete.props['aria-label'] = _('Delete address')


class AddressDialog:
    """Adding an address (address None) or editing one, in one dialog filled anew each time."""

    def __init__(self, customer_id: int, on_saved: Refresh) -> None:
        self.customer_id, self.on_saved = customer_id, on_saved
        self.address_id: int | None = None
        self.form = Form()
        self.dialog = FormDialog('local_shipping', wide=True)
        with self.dialog.card:
            add = self.form.add
            add('label', ui.input(_('Label (optional)'), placeholder=_('e.g. Main warehouse')).classes('w-full'))
            add('recipient', ui.input(_('Recipient / company')).classes('w-full'), required=True)
            add('street', ui.input(_('Street and number')).classes('w-full'), required=True)
            with ui.row().classes('w-full gap-2 no-wrap'):
                add('postal_code', ui.input(_('Postal code')).classes('w-1/3'), required=True)
                add('city', ui.input(_('City')).classes('col'), required=True)
            add('country', ui.input(_('Country (optional)')).classes('w-full'))
            for name, length in MAX_LENGTHS.items():
                self.form.fields[name].props(f'outlined dense maxlength={length}').mark(f'address-{name}')
            self.make_default = ui.checkbox(_('Make this the default delivery address')).mark('address-default')
        self.dialog.buttons(_('Save address'), icon='save', on_click=lambda: save_address(self), mark='save-address')

    def open(self, address: Address | None = None) -> None:
        self.address_id = address.id if address else None
        self.dialog.title.text = _('Edit delivery address') if address else _('New delivery address')
        for name, field in self.form.fields.items():
            field.value = getattr(address, name) if address else ''
        self.form.clear()
        self.make_default.value = False
        self.make_default.set_visibility(address is None or not address.is_default)
        self.dialog.open()


# --- what the buttons do: each click re-checks the session and role (guard), the services check again ----------


@guard.admin_action
def save_address(who: Identity, dialog: AddressDialog) -> None:
    data = AddressCreate.model_construct(**{name: dialog.form.text(name) for name in dialog.form.fields})
    make_default = bool(dialog.make_default.value)
    with dialog.form.showing_errors(), db.write_session() as session:
        if dialog.address_id is None:
            accounts.add_address(
                session, actor=who, customer_id=dialog.customer_id, data=data, make_default=make_default
            )
        else:
            accounts.update_address(session, actor=who, address_id=dialog.address_id, data=data)
            if make_default:
                accounts.set_default_address(session, actor=who, address_id=dialog.address_id)
    dialog.dialog.close()
    ui.notify(_('Address saved'), type='positive')
    dialog.on_saved()


@guard.admin_action
def make_default_address(who: Identity, address_id: int, refresh: Refresh) -> None:
    with db.write_session() as session:
        accounts.get_address(session, actor=who, address_id=address_id)
        accounts.set_default_address(session, actor=who, address_id=address_id)
    ui.notify(_('Default delivery address changed'), type='positive')
    refresh()


@guard.admin_action
def delete_address(who: Identity, address_id: int, refresh: Refresh) -> None:
    with db.write_session() as session:
        accounts.delete_address(session, actor=who, address_id=address_id)
    ui.notify(_('Address deleted'), type='positive')
    refresh()
