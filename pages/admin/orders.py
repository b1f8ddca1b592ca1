"""Every customer's orders for the supplier: filter by status and customer, search, page through."""

from __future__ import annotations

from nicegui import ui

from app.core import db, portal_settings
from app.core.errors import NotFound
from app.core.i18n import N_, _
from app.identity import accounts
from app.identity.auth import Identity
from app.models import Role
from app.orders import orders
from components import live, order_view, theme
from components.page import portal_page, url_id
from components.pager import pager, parse_page, url_with
from components.search_field import search_field, tidy_search

PATH = '/admin/orders'
MAX_QUERY = 60  # the search box's length
MAX_CUSTOMERS = 200  # in the filter; a customer beyond these can still be chosen from its own page (by URL)


def _customer_options(who: Identity, chosen: int | None) -> dict[str, str]:
    with db.read_session() as session:
        customers, _total = accounts.list_customers(session, actor=who, limit=MAX_CUSTOMERS)
        options = {'': _('All customers')} | {str(c.id): f'{c.name} ({c.code})' for c in customers}
        if chosen is not None and str(chosen) not in options:
            try:
                customer = accounts.get_customer(session, actor=who, customer_id=chosen)
                options[str(chosen)] = f'{customer.name} ({customer.code})'
            except NotFound:
                pass
    return options


def _customer_id(raw: str) -> int | None:
    return url_id(raw) or None


def _filters(statuses: dict[str, str], customers: dict[str, str], *, status: str, customer: str, query: str) -> None:
    """Search, status and customer; each change opens the list anew (the filters live in the URL)."""
    with ui.card().classes('w-full q-pa-md gap-3').props('flat bordered'):
        with ui.row().classes('w-full items-center gap-3 wrap'):

            def go(**changes: str) -> None:
                typed = tidy_search(search.value, MAX_QUERY)  # a changed filter keeps what is typed in the search
                ui.navigate.to(url_with(PATH, {'status': status, 'customer': customer, 'q': typed} | changes))

            search = search_field(
                query,
                placeholder=_('Order number, reference or customer'),
                label=_('Search orders'),
                on_search=lambda text: go(q=text),
                max_length=MAX_QUERY,
                mark='order-search',
            )
            ui.select(statuses, value=status, label=_('Status'), on_change=lambda e: go(status=e.value or '')).props(
                'outlined dense options-dense'
            ).classes('w-full sm:w-48').mark('status-filter')
            ui.select(
                customers,
                value=customer,
                label=_('Customer'),
                with_input=True,
                on_change=lambda e: go(customer=e.value or ''),
            ).props('outlined dense options-dense').classes('w-full sm:w-64').mark('customer-filter')
        with ui.row().classes('w-full items-center gap-2 wrap'):
            if status or customer or query:
                ui.button(_('Clear filters'), icon='filter_alt_off', on_click=lambda: ui.navigate.to(PATH)).props(
                    'flat dense no-caps color=grey-8'
                ).mark('clear-filters')
            ui.space()
            ui.button(
                _('New order for a customer'), icon='add', on_click=lambda: ui.navigate.to('/admin/orders/new')
            ).props('unelevated no-caps color=primary').mark('new-order')


@portal_page(PATH, role=Role.ADMIN, title=N_('Orders'), menu=PATH)
def admin_orders_page(who: Identity, status: str = '', customer: str = '', q: str = '', page: str = '1') -> None:
    statuses = order_view.status_options()
    status = status if status in statuses else ''
    customer_id = _customer_id(customer)
    customers = _customer_options(who, customer_id)
    customer = str(customer_id) if customer_id is not None and str(customer_id) in customers else ''
    customer_id = int(customer) if customer else None
    query = tidy_search(q, MAX_QUERY)
    _filters(statuses, customers, status=status, customer=customer, query=query)

    @ui.refreshable
    def order_list() -> None:
        with db.read_session() as session:
            result = orders.admin_list_orders(
                session,
                actor=who,
                status=status or None,
                customer_id=customer_id,
                search=query,
                page=parse_page(page),
            )
            currency = portal_settings.currency(session)
        if not result.items:
            if query or status or customer:
                theme.empty_state(
                    'search_off', _('No orders match'), _('Try another number, reference, customer or status.')
                )
            else:
                theme.empty_state(
                    'receipt_long', _('No orders yet'), _('Orders your customers place show up here, newest first.')
                )
            return
        order_view.order_list(result.items, currency, link=lambda o: f'{PATH}/{o.id}', show_customer=True)
        pager(
            PATH,
            {'status': status, 'customer': customer, 'q': query},
            page=result.page,
            pages=result.pages,
            total=result.total,
            noun='orders',
        )

    order_list()
    live.listen([('admin_orders',)], order_list.refresh)
