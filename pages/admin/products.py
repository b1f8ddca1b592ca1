"""The supplier's products: a searchable, paged list with stock figures (one product is in pages/admin/product.py)."""

from __future__ import annotations

from nicegui import events, ui

from app.catalogue import products
from app.core import db, i18n, portal_settings
from app.core.i18n import N_, _
from app.identity.auth import Identity
from app.models import Product, Role
from components import theme
from components.all_rows_table import all_rows_table
from components.page import portal_page
from components.pager import pager, parse_page
from components.search_field import search_and_new, tidy_search

PATH = '/admin/products'
PAGE_SIZE = 25
MAX_QUERY = 100

COLUMNS = [
    {'name': 'code', 'label': N_('Code'), 'field': 'code', 'align': 'left'},
    {'name': 'name', 'label': N_('Name'), 'field': 'name', 'align': 'left', 'classes': 'ellipsis max-w-[320px]'},
    {'name': 'price', 'label': N_('Price'), 'field': 'price', 'align': 'right'},
    {'name': 'on_hand', 'label': N_('On hand'), 'field': 'on_hand', 'align': 'right'},
    {
        'name': 'allocated',
        'label': N_('Allocated'),
        'field': 'allocated',
        'align': 'right',
        'classes': 'gt-xs',
        'headerClasses': 'gt-xs',
    },
    {'name': 'free', 'label': N_('Free'), 'field': 'free', 'align': 'right'},
    {'name': 'active', 'label': N_('Active'), 'field': 'active', 'align': 'center'},
]

# Values are shown by Vue's text interpolation ({{ }}), so user text stays text.
CODE_CELL = r"""
<q-td :props="props">
  <a :href="'/admin/products/' + props.row.id" class="text-primary text-weight-medium no-underline" @click.stop>
    {{ props.value }}
  </a>
</q-td>
"""
ACTIVE_CELL = r"""
<q-td :props="props">
  <q-chip dense square class="q-ma-none"
          :color="props.value ? 'green-1' : 'grey-3'" :text-color="props.value ? 'positive' : 'grey-8'"
          :icon="props.value ? 'check_circle' : 'block'" :label="props.row.active_text" />
</q-td>
"""


def product_row(product: Product, currency: str) -> dict[str, object]:
    return {
        'id': product.id,
        'code': product.code,
        'name': product.name,
        'price': theme.price(product.price_cents, currency),
        'on_hand': i18n.number(product.on_hand),
        'allocated': i18n.number(product.allocated),
        'free': i18n.number(product.on_hand - product.allocated),
        'active': bool(product.active),
        'active_text': _('Yes') if product.active else _('No'),
    }


def columns() -> list[dict[str, object]]:
    """The table's columns, headed in the reader's language."""
    return [column | {'label': _(str(column['label']))} for column in COLUMNS]


def active_chip(active: bool) -> None:
    if active:
        ui.chip(_('Active'), icon='check_circle', color='green-1', text_color='positive').props('dense square')
    else:
        ui.chip(_('Inactive'), icon='block', color='grey-3', text_color='grey-8').props('dense square')


def _product_card(product: Product, currency: str) -> None:
    """A product on a phone: the same facts as a table row, stacked."""
    with (
        ui.link(target=f'{PATH}/{product.id}').classes('block w-full no-underline text-grey-9'),
        ui.card().props('flat bordered').classes('w-full q-pa-sm gap-1').mark(f'product-card-{product.code}'),
    ):
        with ui.row().classes('w-full items-start justify-between no-wrap gap-2'):
            with ui.column().classes('gap-0 min-w-0'):
                ui.label(product.code).classes('text-caption text-primary text-weight-medium')
                ui.label(product.name).classes('text-body2 text-weight-medium ellipsis-2-lines')
            active_chip(product.active)
        with ui.row().classes('w-full items-baseline gap-x-4 gap-y-0 wrap text-caption text-grey-8'):
            ui.label(theme.price(product.price_cents, currency)).classes('text-body2 text-weight-medium text-grey-9')
            ui.label(_('On hand {quantity}').format(quantity=i18n.number(product.on_hand)))
            ui.label(_('Allocated {quantity}').format(quantity=i18n.number(product.allocated)))
            ui.label(_('Free {quantity}').format(quantity=i18n.number(product.on_hand - product.allocated)))


def _open_row(e: events.GenericEventArguments) -> None:
    """A click on a row opens that product (the id only picks the page; that page checks everything)."""
    row = e.args[1] if isinstance(e.args, list) and len(e.args) > 1 else None
    if isinstance(row, dict) and isinstance(row.get('id'), int):
        ui.navigate.to(f'{PATH}/{row["id"]}')


@portal_page(PATH, role=Role.ADMIN, title=N_('Products'), menu=PATH)
def products_page(who: Identity, q: str = '', page: str = '1') -> None:
    query = tidy_search(q, MAX_QUERY)
    with db.read_session() as session:
        result = products.list_products(session, actor=who, query=query, page=parse_page(page), page_size=PAGE_SIZE)
        currency = portal_settings.currency(session)
    search_and_new(
        PATH,
        query,
        'product',
        placeholder=_('Search by name, code, barcode or description'),
        label=_('Search products'),
        new=_('New product'),
        max_length=MAX_QUERY,
    )

    if not result.items:
        theme.empty_state(
            'search_off' if query else 'inventory_2',
            _("No products match '{query}'").format(query=query) if query else _('No products yet'),
            _('Try another word, a product code or a barcode.')
            if query
            else _('Create the first one with New product.'),
        )
        return

    with ui.column().classes('w-full gap-2 lt-sm').mark('product-cards'):  # phones: one card per product
        for product in result.items:
            _product_card(product, currency)
    with ui.card().classes('w-full q-pa-none gt-xs'):
        table = all_rows_table(
            columns(),
            [product_row(p, currency) for p in result.items],
            classes='cursor-pointer',
            mark='products-table',
        )
        table.add_slot('body-cell-code', CODE_CELL)
        table.add_slot('body-cell-active', ACTIVE_CELL)
        table.on('rowClick', _open_row)
    pager(PATH, {'q': query}, page=result.page, pages=result.pages, total=result.total, noun='products')
