"""The supplier places an order on a customer's behalf (after a phone call or an e-mail).

Pick the customer, search products and add lines, choose the address, place: a card each, in the modules
here. The lines live on this page only until placed; the service checks that the customer may order every
product, reserves what is free and backorders the rest, and the order shows in the customer's history as
placed by the supplier. One placement key per page load (and per customer chosen) makes a double click one
order.
"""

from __future__ import annotations

from nicegui import ui

from app.core import db, portal_settings
from app.core.errors import NotFound
from app.core.i18n import N_, _
from app.identity import accounts
from app.identity.auth import Identity
from app.models import Role
from app.orders import ordering
from components.page import portal_page, url_id
from components.section import section
from pages.admin.new_order.details import DeliveryDetails
from pages.admin.new_order.draft import Draft
from pages.admin.new_order.lines import LinesView
from pages.admin.new_order.products import ProductSearch

PATH = '/admin/orders/new'
MAX_CUSTOMERS = 200


@portal_page(PATH, role=Role.ADMIN, title=N_('New order for a customer'), menu='/admin/orders')
def new_order_page(who: Identity, customer: str = '') -> None:
    options = _customer_options(who)
    draft = Draft(key=ordering.new_placement_key(), customer_id=_chosen(who, customer, options))
    with db.read_session() as session:
        currency = portal_settings.currency(session)

    with ui.row().classes('w-full items-center gap-3 wrap'):
        back = ui.button(icon='arrow_back', on_click=lambda: ui.navigate.to('/admin/orders')).props('flat round dense')
        back.props['aria-label'] = _('Back to orders')
        ui.label(
            _(
                'The order is placed as if the customer placed it: stock is reserved now, the rest goes on '
                'backorder, and the customer sees it in their history as placed by you.'
            )
        ).classes('text-body2 text-grey-8 col')
    with section(_('Customer'), 'storefront', bordered=True):
        ui.select(
            options, value=draft.customer_id, label=_('Customer'), with_input=True, on_change=lambda e: choose(e.value)
        ).props('outlined dense options-dense').classes('w-full md:w-1/2').mark('customer-select')
        if not options:
            ui.label(_('There are no customers yet: create one under Customers first.')).classes(
                'text-body2 text-grey-7'
            )
    products = ProductSearch(who, draft, currency, on_added=lambda: lines.lines.refresh())
    lines = LinesView(who, draft, currency)
    details = DeliveryDetails(who, draft)

    def choose(value: object) -> None:
        draft.customer_id = int(value) if value not in (None, '') else None
        draft.key = ordering.new_placement_key()  # a placement key belongs to one customer's order
        products.results.refresh()
        lines.lines.refresh()
        details.address.refresh()


def _customer_options(who: Identity) -> dict[int, str]:
    with db.read_session() as session:
        customers, _total = accounts.list_customers(session, actor=who, limit=MAX_CUSTOMERS)
    return {c.id: f'{c.name} ({c.code})' for c in customers if c.id is not None}


def _chosen(who: Identity, raw: str, options: dict[int, str]) -> int | None:
    """The customer from the URL (?customer=id), also one beyond the first MAX_CUSTOMERS; None for none or unknown."""
    customer_id = url_id(raw)
    if not customer_id:
        return None
    if customer_id not in options:
        with db.read_session() as session:
            try:
                customer = accounts.get_customer(session, actor=who, customer_id=customer_id)
            except NotFound:
                return None
        options[customer_id] = f'{customer.name} ({customer.code})'
    return customer_id
