"""One customer, for the supplier: creating it, and its page of details, delivery addresses, portal users,
catalogue and prices and terms (a module each here, with what its buttons do).

'/admin/customers/new' is registered before '/admin/customers/{customer_id}', so that 'new' is never taken
for a customer id.
"""

from __future__ import annotations

from nicegui import ui

from app.core import db, portal_settings
from app.core.i18n import N_, _
from app.identity import accounts
from app.identity.auth import Identity
from app.models import Role
from components.page import portal_page, url_id
from components.pager import parse_page
from components.search_field import tidy_search
from pages.admin.customer.addresses import addresses_section
from pages.admin.customer.catalogue import MAX_QUERY, CatalogueSection
from pages.admin.customer.details import LIST, details_section, new_customer_section
from pages.admin.customer.prices import prices_section
from pages.admin.customer.users import users_section

MISSING = (N_('This customer'), N_('Back to the customers'), LIST)


@portal_page(f'{LIST}/new', role=Role.ADMIN, title=N_('New customer'), menu=LIST)
def new_customer_page(who: Identity) -> None:
    ui.link(_('← All customers'), LIST).classes('text-body2')
    with ui.element('div').classes('w-full max-w-2xl'):
        new_customer_section()


@portal_page(f'{LIST}/{{customer_id}}', role=Role.ADMIN, title=N_('Customer'), menu=LIST, missing=MISSING)
def customer_page(
    who: Identity, customer_id: str, chosen_q: str = '', chosen_page: str = '1', find: str = '', find_page: str = '1'
) -> None:
    with db.read_session() as session:
        customer = accounts.get_customer(session, actor=who, customer_id=url_id(customer_id))
        currency = portal_settings.currency(session)
    assert customer.id is not None
    host = ui.element('div')  # dialogs live here, outside the parts that refresh

    ui.link(_('← All customers'), LIST).classes('text-body2')
    with ui.row().classes('w-full items-center gap-3 wrap'):
        ui.icon('storefront', size='32px').classes('text-primary')
        heading = ui.label(customer.name).classes('text-h5 text-weight-medium').mark('customer-heading')
    with ui.element('div').classes('w-full grid grid-cols-1 lg:grid-cols-2 gap-4 items-start'):
        details_section(customer, heading)
        addresses_section(who, customer.id, host)
    users_section(who, customer.id, host)
    prices_section(who, customer.id, currency)
    CatalogueSection(
        who,
        customer,
        currency,
        state={
            'chosen_q': tidy_search(chosen_q, MAX_QUERY),
            'chosen_page': parse_page(chosen_page),
            'find': tidy_search(find, MAX_QUERY),
            'find_page': parse_page(find_page),
        },
    )
