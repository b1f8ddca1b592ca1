"""One customer, for the supplier: creating it, and its details, delivery addresses, portal users and catalogue.

The '/admin/customers/new' route lives here, registered before '/admin/customers/{customer_id}', so that
'new' is never taken for a customer id.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from nicegui import run, ui

from app.catalogue import catalogue, products
from app.core import db, portal_settings
from app.core.errors import NotFound, ValidationError
from app.identity import accounts
from app.identity.auth import Identity
from app.models import Address, AddressCreate, CatalogueMode, Customer, CustomerCreate, PortalUserCreate, Role
from components import guard, live, theme
from components.address_form import address_text
from components.frame import frame
from components.not_found import not_found
from components.pager import parse_page, url_with
from components.password_dialog import PasswordChoice, show_password_once

LIST = '/admin/customers'
CHOSEN_PER_PAGE = 10
PRODUCTS_PER_PAGE = 20
MAX_QUERY = 100
MODES = {CatalogueMode.ALL.value: 'All active products', CatalogueMode.SELECTION.value: 'A selection'}
Refresh = Callable[[], Any]
Field = ui.input | ui.select


# --- small building blocks --------------------------------------------------------------------------


class Form:
    """Fields by the service's field names, so a ValidationError also shows next to its field."""

    def __init__(self) -> None:
        self.fields: dict[str, Field] = {}

    def add(self, name: str, field: Field) -> Field:
        self.fields[name] = field
        field.on_value_change(lambda: setattr(field, 'error', None))
        return field

    def value(self, name: str) -> str:
        return str(self.fields[name].value or '')

    def show(self, error: ValidationError) -> None:
        if (field := self.fields.get(error.field or '')) is not None:
            field.error = error.message

    def clear(self) -> None:
        for field in self.fields.values():
            field.error = None


@contextmanager
def section(title: str, icon: str, hint: str = '') -> Iterator[ui.row]:
    """A card with a heading; yields the heading row, for buttons on its right."""
    with ui.card().classes('w-full q-pa-md gap-3'):
        with (
            ui.row().classes('w-full items-center gap-2 wrap') as heading,
            ui.row().classes('col items-center gap-2 no-wrap min-w-[220px]'),
        ):
            ui.icon(icon, size='24px').classes('text-primary')
            with ui.column().classes('col gap-0 min-w-0'):
                ui.label(title).classes('text-h6 text-weight-medium leading-tight')
                if hint:
                    ui.label(hint).classes('text-caption text-grey-7')
        yield heading


def _quiet(text: str, icon: str = 'info') -> None:
    with ui.row().classes('w-full items-center gap-2 no-wrap text-grey-7 q-py-sm'):
        ui.icon(icon, size='20px')
        ui.label(text).classes('text-body2')


class Confirm:
    """One confirmation dialog per page, asked again for each destructive action."""

    def __init__(self) -> None:
        self.action: Refresh | None = None
        with ui.dialog() as self.dialog, ui.card().classes('w-full max-w-md q-pa-lg gap-3'):
            with ui.row().classes('items-center gap-2 no-wrap'):
                ui.icon('warning', size='28px').classes('text-negative')
                self.title = ui.label().classes('text-h6')
            self.text = ui.label().classes('text-body2 text-grey-8')
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button('Cancel', on_click=self.dialog.close).props('flat no-caps').mark('confirm-cancel')
                self.button = ui.button(on_click=self.run).props('unelevated no-caps color=negative').mark('confirm')

    def ask(self, title: str, text: str, button: str, action: Refresh) -> None:
        self.title.text, self.text.text, self.button.text = title, text, button
        self.action = action
        self.dialog.open()

    async def run(self) -> None:
        self.dialog.close()
        action, self.action = self.action, None
        if action is not None:
            result = action()
            if inspect.isawaitable(result):
                await result


def customer_form(customer: Customer | None = None) -> Form:
    form = Form()
    with ui.element('div').classes('w-full grid grid-cols-1 sm:grid-cols-2 gap-3'):
        form.add(
            'name',
            ui.input('Name', value=customer.name if customer else '')
            .props('outlined dense maxlength=120')
            .classes('sm:col-span-2')
            .mark('customer-name'),
        )
        form.add(
            'code',
            ui.input('Customer code', value=customer.code if customer else '')
            .props('outlined dense maxlength=32 hint="Unique: letters, digits, dot, dash, underscore"')
            .mark('customer-code'),
        )
        form.add(
            'language',
            ui.select(accounts.LANGUAGES, label='Language', value=customer.language if customer else 'en')
            .props('outlined dense options-dense')
            .mark('customer-language'),
        )
    return form


# --- handlers: each re-checks the session and role (guard), the services check again -------------


@guard.admin_action
def create_customer(who: Identity, form: Form) -> None:
    form.clear()
    data = CustomerCreate.model_construct(
        name=form.value('name'), code=form.value('code'), language=form.value('language')
    )
    try:
        with db.write_session() as session:
            customer = accounts.create_customer(session, actor=who, data=data)
    except ValidationError as error:
        form.show(error)
        raise
    ui.notify(f'Customer {customer.name} created', type='positive')
    ui.navigate.to(f'{LIST}/{customer.id}')


@guard.admin_action
def save_customer(who: Identity, customer_id: int, form: Form, heading: ui.label) -> None:
    form.clear()
    try:
        with db.write_session() as session:
            # update_customer writes every field: keep the catalogue mode, read in this same transaction
            mode = accounts.get_customer(session, actor=who, customer_id=customer_id).catalogue_mode
            data = CustomerCreate.model_construct(
                name=form.value('name'), code=form.value('code'), language=form.value('language'), catalogue_mode=mode
            )
            customer = accounts.update_customer(session, actor=who, customer_id=customer_id, data=data)
    except ValidationError as error:
        form.show(error)
        raise
    form.fields['name'].value, form.fields['code'].value = customer.name, customer.code
    heading.text = customer.name
    ui.notify('Customer details saved', type='positive')


@guard.admin_action
def save_address(who: Identity, dialog: AddressDialog) -> None:
    dialog.form.clear()
    data = AddressCreate.model_construct(**{name: dialog.form.value(name) for name in dialog.form.fields})
    make_default = bool(dialog.make_default.value)
    try:
        with db.write_session() as session:
            if dialog.address_id is None:
                accounts.add_address(
                    session, actor=who, customer_id=dialog.customer_id, data=data, make_default=make_default
                )
            else:
                accounts.update_address(session, actor=who, address_id=dialog.address_id, data=data)
                if make_default:
                    accounts.set_default_address(session, actor=who, address_id=dialog.address_id)
    except ValidationError as error:
        dialog.form.show(error)
        raise
    dialog.dialog.close()
    ui.notify('Address saved', type='positive')
    dialog.on_saved()


@guard.admin_action
def make_default_address(who: Identity, address_id: int, refresh: Refresh) -> None:
    with db.write_session() as session:
        accounts.get_address(session, actor=who, address_id=address_id)
        accounts.set_default_address(session, actor=who, address_id=address_id)
    ui.notify('Default delivery address changed', type='positive')
    refresh()


@guard.admin_action
def delete_address(who: Identity, address_id: int, refresh: Refresh) -> None:
    with db.write_session() as session:
        accounts.delete_address(session, actor=who, address_id=address_id)
    ui.notify('Address deleted', type='positive')
    refresh()


@guard.admin_action
async def create_portal_user(who: Identity, dialog: UserDialog) -> None:
    dialog.form.clear()
    password = dialog.password.password()
    data = PortalUserCreate.model_construct(
        username=dialog.form.value('username'),
        full_name=dialog.form.value('full_name'),
        role=Role.CUSTOMER,
        customer_id=dialog.customer_id,
        active=True,
        password=password,
    )

    def write() -> str:  # bcrypt: off the event loop
        with db.write_session() as session:
            return accounts.create_user(session, actor=who, data=data).username

    dialog.button.disable()
    try:
        username = await run.io_bound(write)
    except ValidationError as error:
        dialog.form.show(error)
        raise
    finally:
        dialog.button.enable()
    dialog.dialog.close()
    if dialog.password.generated:
        show_password_once(username, password, parent=dialog.host)
    else:
        ui.notify(f'Portal user {username} created', type='positive')
    dialog.password.reset()
    dialog.on_saved()


@guard.admin_action
async def reset_user_password(who: Identity, dialog: ResetDialog) -> None:
    dialog.password.field.error = None
    if dialog.user_id is None:
        return
    user_id, username, password = dialog.user_id, dialog.username, dialog.password.password()

    def write() -> None:  # bcrypt: off the event loop
        with db.write_session() as session:
            accounts.reset_password(session, actor=who, user_id=user_id, password=password)

    dialog.button.disable()
    try:
        await run.io_bound(write)
    except ValidationError as error:
        dialog.password.field.error = error.message
        raise
    finally:
        dialog.button.enable()
    dialog.dialog.close()
    if dialog.password.generated:
        show_password_once(username, password, parent=dialog.host)
    else:
        ui.notify(f'Password of {username} changed; signed out everywhere', type='positive')
    dialog.password.reset()


@guard.admin_action
def set_user_active(who: Identity, user_id: int, active: bool, refresh: Refresh) -> None:
    with db.write_session() as session:
        accounts.set_active(session, actor=who, user_id=user_id, active=active)
    ui.notify('User reactivated' if active else 'User deactivated and signed out everywhere', type='positive')
    refresh()


@guard.admin_action
def set_mode(who: Identity, customer_id: int, mode: str, after: Refresh) -> None:
    try:
        with db.write_session() as session:
            catalogue.set_catalogue_mode(session, actor=who, customer_id=customer_id, mode=mode)
    finally:
        after()
    if mode == CatalogueMode.SELECTION:
        ui.notify('This customer now sees only the products chosen below', type='positive')
    else:
        ui.notify('This customer now sees every active product', type='positive')


@guard.admin_action
def add_products(who: Identity, customer_id: int, product_ids: list[Any], after: Refresh) -> None:
    if not product_ids:
        ui.notify('Tick the products to add first.', type='warning')
        return
    with db.write_session() as session:
        added = catalogue.add_to_selection(session, actor=who, customer_id=customer_id, product_ids=list(product_ids))
    ui.notify(f'{added:,} {"product" if added == 1 else "products"} added to the selection', type='positive')
    after()


@guard.admin_action
def add_search_results(who: Identity, customer_id: int, query: str, after: Refresh) -> None:
    with db.write_session() as session:
        ids = catalogue.matching_ids(session, actor=who, query=query)
        added = catalogue.add_to_selection(session, actor=who, customer_id=customer_id, product_ids=ids)
    ui.notify(f'{added:,} {"product" if added == 1 else "products"} added to the selection', type='positive')
    after()


@guard.admin_action
def remove_products(who: Identity, customer_id: int, product_ids: list[Any], after: Refresh) -> None:
    with db.write_session() as session:
        removed = catalogue.remove_from_selection(
            session, actor=who, customer_id=customer_id, product_ids=list(product_ids)
        )
    ui.notify(f'{removed:,} {"product" if removed == 1 else "products"} removed from the selection', type='positive')
    after()


# --- dialogs ------------------------------------------------------------------------------------------


class AddressDialog:
    def __init__(self, customer_id: int, on_saved: Refresh) -> None:
        self.customer_id, self.on_saved = customer_id, on_saved
        self.address_id: int | None = None
        self.form = Form()
        add, props = self.form.add, 'outlined dense'
        with ui.dialog() as self.dialog, ui.card().classes('w-full max-w-lg q-pa-lg gap-3'):
            with ui.row().classes('items-center gap-2 no-wrap'):
                ui.icon('local_shipping', size='28px').classes('text-primary')
                self.title = ui.label().classes('text-h6')
            add('label', ui.input('Label (optional)', placeholder='e.g. Main warehouse'))
            add('recipient', ui.input('Recipient / company'))
            add('street', ui.input('Street and number'))
            with ui.row().classes('w-full gap-2 no-wrap'):
                add('postal_code', ui.input('Postal code')).classes('w-1/3')
                add('city', ui.input('City')).classes('col')
            add('country', ui.input('Country (optional)'))
            for name in ['label', 'recipient', 'street', 'country']:
                self.form.fields[name].classes('w-full')
            for name, length in [
                ('label', 60),
                ('recipient', 120),
                ('street', 200),
                ('postal_code', 20),
                ('city', 100),
                ('country', 60),
            ]:
                self.form.fields[name].props(f'{props} maxlength={length}').mark(f'address-{name}')
            self.make_default = ui.checkbox('Make this the default delivery address').mark('address-default')
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button('Cancel', on_click=self.dialog.close).props('flat no-caps')
                ui.button('Save address', icon='save', on_click=lambda: save_address(self)).props(
                    'unelevated no-caps'
                ).mark('save-address')

    def open(self, address: Address | None = None) -> None:
        self.address_id = address.id if address else None
        self.title.text = 'Edit delivery address' if address else 'New delivery address'
        for name, field in self.form.fields.items():
            field.value = getattr(address, name) if address else ''
        self.form.clear()
        self.make_default.value = False
        self.make_default.set_visibility(address is None or not address.is_default)
        self.dialog.open()


class UserDialog:
    MARKER = 'new-password'

    def __init__(self, customer_id: int, host: ui.element, on_saved: Refresh) -> None:
        self.customer_id, self.host, self.on_saved = customer_id, host, on_saved
        self.form = Form()
        with ui.dialog() as self.dialog, ui.card().classes('w-full max-w-md q-pa-lg gap-3'):
            with ui.row().classes('items-center gap-2 no-wrap'):
                ui.icon('person_add', size='28px').classes('text-primary')
                ui.label('New portal user').classes('text-h6')
            self.form.add(
                'username',
                ui.input('User name')
                .props('outlined dense maxlength=64 autocomplete=off hint="3–64 characters: letters, digits, . _ - @"')
                .classes('w-full')
                .mark('new-username'),
            )
            self.form.add(
                'full_name',
                ui.input('Full name (optional)')
                .props('outlined dense maxlength=120')
                .classes('w-full')
                .mark('new-full-name'),
            )
            self.password = PasswordChoice(self.MARKER)
            self.form.fields['password'] = self.password.field
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button('Cancel', on_click=self.dialog.close).props('flat no-caps')
                self.button = (
                    ui.button('Create user', icon='check', on_click=lambda: create_portal_user(self))
                    .props('unelevated no-caps')
                    .mark('create-user')
                )

    def open(self) -> None:
        for field in self.form.fields.values():
            field.value = ''
        self.password.reset()
        self.form.clear()
        self.dialog.open()


class ResetDialog:
    MARKER = 'reset-password'

    def __init__(self, host: ui.element) -> None:
        self.host = host
        self.user_id: int | None = None
        self.username = ''
        with ui.dialog() as self.dialog, ui.card().classes('w-full max-w-md q-pa-lg gap-3'):
            with ui.row().classes('items-center gap-2 no-wrap'):
                ui.icon('lock_reset', size='28px').classes('text-primary')
                self.title = ui.label().classes('text-h6')
            ui.label('The old password stops working and the user is signed out on every device.').classes(
                'text-body2 text-grey-8'
            )
            self.password = PasswordChoice(self.MARKER)
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button('Cancel', on_click=self.dialog.close).props('flat no-caps')
                self.button = (
                    ui.button('Set new password', icon='check', on_click=lambda: reset_user_password(self))
                    .props('unelevated no-caps')
                    .mark('set-password')
                )

    def open(self, user_id: int, username: str) -> None:
        self.user_id, self.username = user_id, username
        self.title.text = f'New password for {username}'
        self.password.reset()
        self.dialog.open()


# --- the pages ----------------------------------------------------------------------------------------


@ui.page(f'{LIST}/new')
def new_customer_page(request: Request) -> Response | None:
    who = guard.page_identity(request, Role.ADMIN)
    if not isinstance(who, Identity):
        return who
    with frame(who, title='New customer', active=LIST):
        ui.link('← All customers', LIST).classes('text-body2')
        with ui.element('div').classes('w-full max-w-2xl'), section('New customer', 'add_business'):
            ui.label(
                'The customer code is how you and your other systems know this customer; no two customers share one.'
            ).classes('text-body2 text-grey-8')
            form = customer_form()
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button('Cancel', on_click=lambda: ui.navigate.to(LIST)).props('flat no-caps')
                ui.button('Create customer', icon='check', on_click=lambda: create_customer(form)).props(
                    'unelevated no-caps'
                ).mark('create-customer')
    return None


@ui.page(f'{LIST}/{{customer_id}}')
def customer_page(
    request: Request,
    customer_id: str,
    chosen_q: str = '',
    chosen_page: str = '1',
    find: str = '',
    find_page: str = '1',
) -> Response | None:
    who = guard.page_identity(request, Role.ADMIN)
    if not isinstance(who, Identity):
        return who
    with db.read_session() as session:
        try:
            customer = accounts.get_customer(session, actor=who, customer_id=int(customer_id))
        except (NotFound, ValueError, OverflowError):
            customer = None
        currency = portal_settings.currency(session)

    with frame(who, title='Customer', active=LIST):
        if customer is None or customer.id is None:
            not_found('This customer', back=('Back to the customers', LIST))
            return None
        cid = customer.id
        host = ui.element('div')  # dialogs live here, outside the parts that refresh
        with host:
            confirm = Confirm()

        ui.link('← All customers', LIST).classes('text-body2')
        with ui.row().classes('w-full items-center gap-3 wrap'):
            ui.icon('storefront', size='32px').classes('text-primary')
            heading = ui.label(customer.name).classes('text-h5 text-weight-medium').mark('customer-heading')

        with ui.element('div').classes('w-full grid grid-cols-1 lg:grid-cols-2 gap-4 items-start'):
            _details(customer, heading)
            _addresses(who, cid, host, confirm)
        _users(who, cid, host, confirm)
        _catalogue(
            who,
            customer,
            currency,
            confirm,
            state={
                'chosen_q': ' '.join(chosen_q.split())[:MAX_QUERY],
                'chosen_page': parse_page(chosen_page),
                'find': ' '.join(find.split())[:MAX_QUERY],
                'find_page': parse_page(find_page),
            },
        )
    return None


def _details(customer: Customer, heading: ui.label) -> None:
    with section('Details', 'badge', 'Name, customer code and the language of the portal for this customer'):
        form = customer_form(customer)
        with ui.row().classes('w-full justify-end'):
            ui.button('Save details', icon='save', on_click=lambda: save_customer(customer.id, form, heading)).props(
                'unelevated no-caps'
            ).mark('save-customer')


def _addresses(who: Identity, customer_id: int, host: ui.element, confirm: Confirm) -> None:
    @ui.refreshable
    def address_list() -> None:
        with db.read_session() as session:
            addresses = accounts.list_addresses(session, actor=who, customer_id=customer_id)
        if not addresses:
            _quiet('No delivery addresses yet. Add one so orders can be delivered.', 'location_off')
            return
        with ui.list().props('separator').classes('w-full'):
            for address in addresses:
                _address_item(address)

    def _address_item(address: Address) -> None:
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
                        ui.badge('Default', color='amber-9').mark(f'default-{aid}')
                ui.label(address_text(address)).classes('text-body2 text-grey-8 break-words')
            with ui.row().classes('gap-0 no-wrap'):
                if not address.is_default:
                    ui.button(
                        icon='star_outline', on_click=lambda: make_default_address(aid, address_list.refresh)
                    ).props('flat round dense aria-label="Make default"').tooltip('Make default').mark(
                        f'make-default-{aid}'
                    )
                ui.button(icon='edit', on_click=lambda: dialog.open(address)).props(
                    'flat round dense aria-label="Edit address"'
                ).tooltip('Edit').mark(f'edit-address-{aid}')
                ui.button(
                    icon='delete_outline',
                    on_click=lambda: confirm.ask(
                        'Delete this address?',
                        address_text(address),
                        'Delete address',
                        lambda: delete_address(aid, address_list.refresh),
                    ),
                ).props('flat round dense color=negative aria-label="Delete address"').tooltip('Delete').mark(
                    f'delete-address-{aid}'
                )

    with host:
        dialog = AddressDialog(customer_id, address_list.refresh)
    with section('Delivery addresses', 'local_shipping', 'The default one is preselected when ordering') as heading:
        with heading:
            ui.button('Add address', icon='add_location_alt', on_click=lambda: dialog.open()).props(
                'outline no-caps'
            ).mark('add-address')
        address_list()


def _users(who: Identity, customer_id: int, host: ui.element, confirm: Confirm) -> None:
    @ui.refreshable
    def user_list() -> None:
        with db.read_session() as session:
            users = accounts.list_users(session, actor=who, customer_id=customer_id)
        if not users:
            _quiet('No portal users yet: nobody of this customer can sign in.', 'person_off')
            return
        with ui.list().props('separator').classes('w-full'):
            for user in users:
                assert user.id is not None
                uid, name = user.id, user.username
                with ui.row().classes('w-full items-center gap-3 q-py-sm wrap').mark(f'user-{name}'):
                    ui.icon('person' if user.active else 'person_off', size='26px').classes(
                        'text-primary' if user.active else 'text-grey-5'
                    )
                    with ui.column().classes('col-grow gap-0 min-w-[160px]'):
                        ui.label(name).classes('text-weight-medium' + ('' if user.active else ' text-grey-6'))
                        if user.full_name:
                            ui.label(user.full_name).classes('text-body2 text-grey-7')
                    if user.active:
                        ui.badge('Active', color='positive').props('outline').mark(f'status-{name}')
                    else:
                        ui.badge('Deactivated', color='grey-7').mark(f'status-{name}')
                    with ui.row().classes('gap-1 wrap'):
                        ui.button(
                            'Reset password', icon='lock_reset', on_click=lambda u=uid, n=name: reset.open(u, n)
                        ).props('flat dense no-caps').mark(f'reset-{name}')
                        if user.active:
                            ui.button(
                                'Deactivate',
                                icon='block',
                                on_click=lambda u=uid, n=name: confirm.ask(
                                    f'Deactivate {n}?',
                                    'They are signed out at once and cannot sign in until you reactivate them. '
                                    'Their orders stay.',
                                    'Deactivate',
                                    lambda: set_user_active(u, False, user_list.refresh),
                                ),
                            ).props('flat dense no-caps color=negative').mark(f'deactivate-{name}')
                        else:
                            ui.button(
                                'Reactivate',
                                icon='check_circle',
                                on_click=lambda u=uid: set_user_active(u, True, user_list.refresh),
                            ).props('flat dense no-caps color=positive').mark(f'reactivate-{name}')

    with host:
        create = UserDialog(customer_id, host, user_list.refresh)
        reset = ResetDialog(host)
    with section('Portal users', 'group', 'The people of this customer who sign in to the portal') as heading:
        with heading:
            ui.button('New user', icon='person_add', on_click=create.open).props('outline no-caps').mark('new-user')
        user_list()


def _product_table(rows: list[dict[str, Any]], *, marker: str, chosen_column: bool = False) -> ui.table:
    columns = [
        {'name': 'code', 'label': 'Code', 'field': 'code', 'align': 'left', 'classes': 'text-no-wrap'},
        {
            'name': 'name',
            'label': 'Name',
            'field': 'name',
            'align': 'left',
            'style': 'white-space: normal; min-width: 160px',
        },
        {'name': 'price', 'label': 'Price', 'field': 'price', 'align': 'right', 'classes': 'text-no-wrap'},
        {'name': 'active', 'label': 'Status', 'field': 'active', 'align': 'left'},
    ]
    if chosen_column:
        columns.append({'name': 'chosen', 'label': 'In selection', 'field': 'chosen', 'align': 'center'})
    with ui.element('div').classes('w-full overflow-auto'):
        table = (
            ui.table(columns=columns, rows=rows, row_key='id', selection='multiple', pagination=0)
            .props('flat bordered dense hide-pagination')
            .classes('w-full')
            .mark(marker)
        )
    table.add_slot(
        'body-cell-active',
        '<q-td :props="props"><q-badge v-if="props.value" color="positive" outline label="Active" />'
        '<q-badge v-else color="grey-6" label="Inactive" /></q-td>',
    )
    if chosen_column:
        table.add_slot(
            'body-cell-chosen',
            '<q-td :props="props"><q-icon v-if="props.value" name="check_circle" color="positive" size="20px" />'
            '</q-td>',
        )
    return table


def _catalogue(who: Identity, customer: Customer, currency: str, confirm: Confirm, state: dict[str, Any]) -> None:
    assert customer.id is not None
    cid, customer_name = customer.id, customer.name
    path = f'{LIST}/{cid}'

    def remember() -> None:
        """Keep the searches and pages in the address bar, without reloading."""
        ui.navigate.history.replace(url_with(path, state))

    def go(**changes: Any) -> None:
        state.update(changes)
        remember()
        chosen.refresh()
        picker.refresh()

    def after_change() -> None:
        chosen.refresh()
        picker.refresh()

    def search_box(key: str, page_key: str, placeholder: str, marker: str) -> None:
        field = (
            ui.input(placeholder=placeholder, value=state[key])
            .props(f'outlined dense clearable type=search maxlength={MAX_QUERY}')
            .classes('col min-w-0')
            .mark(marker)
        )
        with field.add_slot('prepend'):
            ui.icon('search')

        def run_search() -> None:
            go(**{key: ' '.join((field.value or '').split())[:MAX_QUERY], page_key: 1})

        field.on('keydown.enter', run_search)
        field.on('clear', lambda: go(**{key: '', page_key: 1}))
        ui.button(icon='search', on_click=run_search).props('flat round dense aria-label="Search"').mark(f'{marker}-go')

    def pages(number: int, count: int, key: str) -> None:
        if count > 1:
            with ui.row().classes('w-full justify-center'):
                ui.pagination(1, count, direction_links=True, value=number).props(
                    'max-pages=7 boundary-numbers'
                ).on_value_change(lambda e: go(**{key: e.value}))

    @ui.refreshable
    def chosen() -> None:
        with db.read_session() as session:
            result = catalogue.selection_page(
                session,
                actor=who,
                customer_id=cid,
                query=state['chosen_q'],
                page=state['chosen_page'],
                page_size=CHOSEN_PER_PAGE,
            )
        state['chosen_page'] = result.page
        with ui.row().classes('w-full items-center gap-2 wrap'):
            ui.icon('checklist', size='22px').classes('text-primary')
            label = 'Chosen products' + (f" matching '{state['chosen_q']}'" if state['chosen_q'] else '')
            ui.label(f'{label}: {result.total:,}').classes('text-subtitle1 text-weight-medium').mark('chosen-count')
        with ui.row().classes('w-full items-center gap-2 no-wrap'):
            search_box('chosen_q', 'chosen_page', 'Search the chosen products', 'chosen-search')
        if not result.items:
            if state['chosen_q']:
                _quiet(f"No chosen product matches '{state['chosen_q']}'.", 'search_off')
            else:
                _quiet('Nothing chosen yet: this customer sees no products. Add some below.', 'warning')
            return
        table = _product_table(
            [
                {
                    'id': p.id,
                    'code': p.code,
                    'name': p.name,
                    'price': theme.price(p.price_cents, currency),
                    'active': p.active,
                }
                for p in result.items
            ],
            marker='chosen-table',
        )

        def ask_remove() -> None:
            ids = [row.get('id') for row in table.selected]
            if not ids:
                ui.notify('Tick the products to remove first.', type='warning')
                return
            confirm.ask(
                f'Remove {len(ids):,} {"product" if len(ids) == 1 else "products"}?',
                f'{customer_name} no longer sees {"it" if len(ids) == 1 else "them"} in the portal.',
                'Remove',
                lambda: remove_products(cid, ids, after_change),
            )

        with ui.row().classes('w-full items-center justify-between gap-2 wrap'):
            ui.button('Remove selected', icon='playlist_remove', on_click=ask_remove).props(
                'outline no-caps color=negative'
            ).mark('remove-selected')
            pages(result.page, result.pages, 'chosen_page')

    @ui.refreshable
    def picker() -> None:
        with db.read_session() as session:
            found = products.list_products(
                session, actor=who, query=state['find'], page=state['find_page'], page_size=PRODUCTS_PER_PAGE
            )
            in_selection = catalogue.in_selection(
                session, actor=who, customer_id=cid, product_ids=[p.id for p in found.items if p.id is not None]
            )
        state['find_page'] = found.page
        with ui.row().classes('w-full items-center gap-2 wrap'):
            ui.icon('playlist_add', size='22px').classes('text-primary')
            ui.label('Add products').classes('text-subtitle1 text-weight-medium')
        with ui.row().classes('w-full items-center gap-2 no-wrap'):
            search_box('find', 'find_page', 'Search all products by name, code or barcode', 'product-search')
        if not found.items:
            _quiet(f"No product matches '{state['find']}'." if state['find'] else 'There are no products yet.')
            return
        table = _product_table(
            [
                {
                    'id': p.id,
                    'code': p.code,
                    'name': p.name,
                    'price': theme.price(p.price_cents, currency),
                    'active': p.active,
                    'chosen': p.id in in_selection,
                }
                for p in found.items
            ],
            marker='picker-table',
            chosen_column=True,
        )
        query, total = state['find'], found.total
        with ui.row().classes('w-full items-center justify-between gap-2 wrap'):
            with ui.row().classes('gap-2 wrap'):
                ui.button(
                    'Add selected',
                    icon='playlist_add',
                    on_click=lambda: add_products(cid, [row.get('id') for row in table.selected], after_change),
                ).props('unelevated no-caps').mark('add-selected')
                if query:
                    ui.button(
                        f'Add all {total:,} results',
                        icon='library_add',
                        on_click=lambda: confirm.ask(
                            f'Add all {total:,} products?',
                            f"Every product matching '{query}' is added to what {customer_name} sees.",
                            'Add all',
                            lambda: add_search_results(cid, query, after_change),
                        ),
                    ).props('outline no-caps').mark('add-all-results')
            pages(found.page, found.pages, 'find_page')

    def after_mode() -> None:
        with db.read_session() as session:
            mode = CatalogueMode(accounts.get_customer(session, actor=who, customer_id=cid).catalogue_mode).value
        mode_choice.value = mode
        selection_box.set_visibility(mode == CatalogueMode.SELECTION)
        all_hint.set_visibility(mode != CatalogueMode.SELECTION)
        after_change()

    with section('Catalogue', 'inventory_2', 'Which products this customer sees and can order'):
        mode_choice = (
            ui.radio(MODES, value=CatalogueMode(customer.catalogue_mode).value).props('inline').mark('catalogue-mode')
        )
        selecting = mode_choice.value == CatalogueMode.SELECTION
        all_hint = ui.element('div').classes('w-full')
        with all_hint:
            _quiet('This customer sees every active product, including new ones as you add them.', 'done_all')
        all_hint.set_visibility(not selecting)
        with ui.column().classes('w-full gap-4') as selection_box:
            with ui.column().classes('w-full gap-2'):
                chosen()
            ui.separator()
            with ui.column().classes('w-full gap-2'):
                picker()
        selection_box.set_visibility(selecting)
        mode_choice.on_value_change(lambda e: set_mode(cid, e.value, after_mode))
    live.listen([('catalogue', cid)], after_change)
