"""A customer's details: name, customer code and language, on the new-customer form and the customer's page."""

from __future__ import annotations

from nicegui import ui

from app.core import db
from app.core.i18n import _
from app.identity import accounts
from app.identity.auth import Identity
from app.models import Customer, CustomerCreate
from components import guard, theme
from components.form import Form, choice_field
from components.section import section

LIST = '/admin/customers'


def customer_form(customer: Customer | None = None) -> Form:
    form = Form()
    with ui.element('div').classes('w-full grid grid-cols-1 sm:grid-cols-2 gap-3'):
        form.add(
            'name',
            ui.input(_('Name'), value=customer.name if customer else '')
            .props('outlined dense maxlength=120')
            .classes('sm:col-span-2')
            .mark('customer-name'),
            required=True,
        )
        code = form.add(
            'code',
            ui.input(_('Customer code'), value=customer.code if customer else '')
            .props('outlined dense maxlength=32')
            .mark('customer-code'),
            required=True,
        )
        code.props['hint'] = _('Unique: letters, digits, dot, dash, underscore')
        language = choice_field(accounts.LANGUAGES, customer.language if customer else 'en', _('Language'))
        form.add('language', language.mark('customer-language'))
    return form


def new_customer_section() -> None:
    with section(_('New customer'), 'add_business'):
        theme.explain(
            _('The customer code is how you and your other systems know this customer; no two customers share one.')
        )
        form = customer_form()
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(_('Cancel'), on_click=lambda: ui.navigate.to(LIST)).props('flat no-caps')
            ui.button(_('Create customer'), icon='check', on_click=lambda: create_customer(form)).props(
                'unelevated no-caps'
            ).mark('create-customer')


def details_section(customer: Customer, heading: ui.label) -> None:
    with section(_('Details'), 'badge', _('Name, customer code and the language of the portal for this customer')):
        form = customer_form(customer)
        with ui.row().classes('w-full justify-end'):
            ui.button(_('Save details'), icon='save', on_click=lambda: save_customer(customer.id, form, heading)).props(
                'unelevated no-caps'
            ).mark('save-customer')


# --- what the buttons do: each click re-checks the session and role (guard), the services check again ----------


@guard.admin_action
def create_customer(who: Identity, form: Form) -> None:
    data = CustomerCreate.model_construct(
        name=form.text('name'), code=form.text('code'), language=form.text('language')
    )
    with form.showing_errors(), db.write_session() as session:
        customer = accounts.create_customer(session, actor=who, data=data)
    ui.notify(_('Customer {name} created').format(name=customer.name), type='positive')
    ui.navigate.to(f'{LIST}/{customer.id}')


@guard.admin_action
def save_customer(who: Identity, customer_id: int, form: Form, heading: ui.label) -> None:
    with form.showing_errors(), db.write_session() as session:
        # update_customer writes every field: keep the catalogue mode, read in this same transaction
        mode = accounts.get_customer(session, actor=who, customer_id=customer_id).catalogue_mode
        data = CustomerCreate.model_construct(
            name=form.text('name'), code=form.text('code'), language=form.text('language'), catalogue_mode=mode
        )
        customer = accounts.update_customer(session, actor=who, customer_id=customer_id, data=data)
    form.fields['name'].value, form.fields['code'].value = customer.name, customer.code
    heading.text = customer.name
    ui.notify(_('Customer details saved'), type='positive')
