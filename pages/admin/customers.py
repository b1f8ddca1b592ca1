"""The supplier's customers: a searchable, paged list (the form for a new one is in pages/admin/customer.py)."""

from __future__ import annotations

from nicegui import ui

from app.core import db
from app.core.i18n import N_, _, ngettext
from app.identity import accounts
from app.identity.auth import Identity
from app.models import CatalogueMode, Role
from components import theme
from components.page import portal_page
from components.pager import pager, parse_page
from components.search_field import search_and_new, tidy_search

PATH = '/admin/customers'
PAGE_SIZE = 25
MAX_QUERY = 60


def _customer_row(customer_id: int, name: str, code: str, language: str, users: int, mode: str) -> None:
    with (
        ui.item(on_click=lambda: ui.navigate.to(f'{PATH}/{customer_id}'))
        .props('clickable v-ripple')
        .classes('q-py-sm')
        .mark(f'customer-{code}')
    ):
        with ui.item_section().props('avatar'):
            ui.icon('storefront', size='28px').classes('text-primary')
        with ui.item_section():
            ui.item_label(name).classes('text-weight-medium')
            ui.item_label(f'{code} · {accounts.LANGUAGES.get(language, language)}').props('caption')
        with ui.item_section().props('side'), ui.row().classes('items-center gap-2 wrap justify-end'):
            with ui.element('div').classes('row items-center no-wrap gap-1 text-grey-8 text-body2'):
                ui.icon('person', size='18px')
                ui.label(ngettext('{n} user', '{n} users', users))
            if mode == CatalogueMode.SELECTION:
                ui.badge(_('Selection'), color='orange-8').props('outline').tooltip(
                    _('Sees only the products chosen for it')
                )
            else:
                ui.badge(_('All products'), color='positive').props('outline')
            ui.icon('chevron_right').classes('text-grey-6 gt-xs')


@portal_page(PATH, role=Role.ADMIN, title=N_('Customers'), menu=PATH)
def customers_page(who: Identity, q: str = '', page: str = '1') -> None:
    query = tidy_search(q, MAX_QUERY)
    with db.read_session() as session:
        result = accounts.customer_page(session, actor=who, search=query, page=parse_page(page), page_size=PAGE_SIZE)
        rows = result.items
        users = accounts.user_counts(session, actor=who, customer_ids=[c.id for c in rows if c.id is not None])
    search_and_new(
        PATH,
        query,
        'customer',
        placeholder=_('Search by name or customer code'),
        label=_('Search customers'),
        new=_('New customer'),
        max_length=MAX_QUERY,
    )

    if not rows:
        theme.empty_state(
            'search_off' if query else 'groups',
            _("No customers match '{query}'").format(query=query) if query else _('No customers yet'),
            _('Try part of the name or the customer code.') if query else _('Create the first one with New customer.'),
        )
        return

    with ui.card().classes('w-full q-pa-none'), ui.list().props('separator').classes('w-full'):
        for customer in rows:
            assert customer.id is not None
            _customer_row(
                customer.id,
                customer.name,
                customer.code,
                customer.language,
                users.get(customer.id, 0),
                customer.catalogue_mode,
            )
    pager(PATH, {'q': query}, page=result.page, pages=result.pages, total=result.total, noun='customers')
