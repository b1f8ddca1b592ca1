"""Which products a customer sees: every active product, or a selection; the chosen products and a picker for more.

Both lists are searched and paged in place; their searches and pages are kept in the address bar (no reload),
so a reload or a shared link shows the same.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from nicegui import ui

from app.catalogue import catalogue, products
from app.core import db, i18n
from app.core.i18n import N_, _, ngettext
from app.identity import accounts
from app.identity.auth import Identity
from app.models import CatalogueMode, Customer, Product
from components import guard, live, theme
from components.all_rows_table import all_rows_table
from components.confirm import confirm
from components.pager import page_links, url_with
from components.search_field import search_field
from components.section import note, section

LIST = '/admin/customers'
CHOSEN_PER_PAGE = 10
PRODUCTS_PER_PAGE = 20
MAX_QUERY = 100
MODES = {CatalogueMode.ALL.value: N_('All active products'), CatalogueMode.SELECTION.value: N_('A selection')}
FIRST_PAGES = {'chosen_page': 1, 'find_page': 1}
Refresh = Callable[[], Any]


class CatalogueSection:
    """The Catalogue card. `state` holds the two searches and pages: chosen_q, chosen_page, find, find_page."""

    def __init__(self, who: Identity, customer: Customer, currency: str, state: dict[str, Any]) -> None:
        assert customer.id is not None
        self.who, self.cid, self.customer_name, self.currency = who, customer.id, customer.name, currency
        self.state, self.path = state, f'{LIST}/{customer.id}'
        with section(_('Catalogue'), 'inventory_2', _('Which products this customer sees and can order')):
            self.mode = (
                ui.radio(
                    {mode: _(label) for mode, label in MODES.items()},
                    value=CatalogueMode(customer.catalogue_mode).value,
                )
                .props('inline')
                .mark('catalogue-mode')
            )
            with ui.element('div').classes('w-full') as self.all_hint:
                note(_('This customer sees every active product, including new ones as you add them.'), 'done_all')
            with ui.column().classes('w-full gap-4') as self.selection_box:
                with ui.column().classes('w-full gap-2'):
                    self.chosen()
                ui.separator()
                with ui.column().classes('w-full gap-2'):
                    self.picker()
            self.show_mode(self.mode.value)
            self.settling = False  # while the radio is put back to the stored mode, its change is no new choice
            self.mode.on_value_change(lambda e: self.mode_chosen(e.value))
        live.listen([('catalogue', self.cid)], self.redraw)

    @ui.refreshable_method
    def chosen(self) -> None:
        """The products chosen for the customer, searched and paged, with Remove selected."""
        query = self.state['chosen_q']
        with db.read_session() as session:
            result = catalogue.selection_page(
                session,
                actor=self.who,
                customer_id=self.cid,
                query=query,
                page=self.state['chosen_page'],
                page_size=CHOSEN_PER_PAGE,
            )
        self.state['chosen_page'] = result.page
        with ui.row().classes('w-full items-center gap-2 wrap'):
            ui.icon('checklist', size='22px').classes('text-primary')
            if query:
                label = _("Chosen products matching '{query}': {count}").format(
                    query=query, count=i18n.number(result.total)
                )
            else:
                label = _('Chosen products: {count}').format(count=i18n.number(result.total))
            ui.label(label).classes('text-subtitle1 text-weight-medium').mark('chosen-count')
        self._search('chosen_q', 'chosen_page', _('Search the chosen products'), 'chosen-search')
        if not result.items:
            if query:
                note(_("No chosen product matches '{query}'.").format(query=query), 'search_off')
            else:
                note(_('Nothing chosen yet: this customer sees no products. Add some below.'), 'warning')
            return
        table = _product_table([self._row(p) for p in result.items], marker='chosen-table')
        with ui.row().classes('w-full items-center justify-between gap-2 wrap'):
            ui.button(
                _('Remove selected'), icon='playlist_remove', on_click=lambda: self.ask_remove(table.selected)
            ).props('outline no-caps color=negative').mark('remove-selected')
            self._pages(result.page, result.pages, 'chosen_page')

    @ui.refreshable_method
    def picker(self) -> None:
        """All products, searched and paged, to add to the selection: the ticked ones, or every search result."""
        query = self.state['find']
        with db.read_session() as session:
            found = products.list_products(
                session, actor=self.who, query=query, page=self.state['find_page'], page_size=PRODUCTS_PER_PAGE
            )
            chosen = catalogue.in_selection(
                session,
                actor=self.who,
                customer_id=self.cid,
                product_ids=[p.id for p in found.items if p.id is not None],
            )
        self.state['find_page'] = found.page
        with ui.row().classes('w-full items-center gap-2 wrap'):
            ui.icon('playlist_add', size='22px').classes('text-primary')
            ui.label(_('Add products')).classes('text-subtitle1 text-weight-medium')
        self._search('find', 'find_page', _('Search all products by name, code or barcode'), 'product-search')
        if not found.items:
            note(_("No product matches '{query}'.").format(query=query) if query else _('There are no products yet.'))
            return
        rows = [self._row(p) | {'chosen': p.id in chosen} for p in found.items]
        table = _product_table(rows, marker='picker-table', chosen_column=True)
        with ui.row().classes('w-full items-center justify-between gap-2 wrap'):
            with ui.row().classes('gap-2 wrap'):
                ui.button(
                    _('Add selected'),
                    icon='playlist_add',
                    on_click=lambda: add_products(self.cid, [row.get('id') for row in table.selected], self.redraw),
                ).props('unelevated no-caps').mark('add-selected')
                if query:
                    ui.button(
                        ngettext('Add the {n} result', 'Add all {n} results', found.total),
                        icon='library_add',
                        on_click=lambda: self.ask_add_all(query, found.total),
                    ).props('outline no-caps').mark('add-all-results')
            self._pages(found.page, found.pages, 'find_page')

    def _search(self, key: str, page_key: str, placeholder: str, mark: str) -> None:
        with ui.row().classes('w-full items-center gap-2 no-wrap'):
            search_field(
                self.state[key],
                placeholder=placeholder,
                on_search=lambda text: self.go(**{key: text, page_key: 1}),
                max_length=MAX_QUERY,
                mark=mark,
                compact=True,
            )

    def _pages(self, page: int, pages: int, key: str) -> None:
        if pages > 1:
            with ui.row().classes('w-full justify-center'):
                page_links(page, pages, on_change=lambda number: self.go(**{key: number}))

    def _row(self, product: Product) -> dict[str, Any]:
        return {
            'id': product.id,
            'code': product.code,
            'name': product.name,
            'price': theme.price(product.price_cents, self.currency),
            'active': product.active,
        }

    # --- what the buttons do ---------------------------------------------------------------------------------

    def go(self, **changes: Any) -> None:
        """Another search or page: kept in the address bar, without reloading."""
        self.state.update(changes)
        ui.navigate.history.replace(url_with(self.path, self.state, defaults=FIRST_PAGES))
        self.redraw()

    def redraw(self) -> None:
        self.chosen.refresh()
        self.picker.refresh()

    def show_mode(self, mode: str) -> None:
        self.selection_box.set_visibility(mode == CatalogueMode.SELECTION)
        self.all_hint.set_visibility(mode != CatalogueMode.SELECTION)

    def mode_chosen(self, mode: str) -> object:
        """Every active product takes effect at once; a selection hides every other product from the customer at
        once, so it asks first, saying how many products the customer will still see."""
        if self.settling:
            return None
        if mode != CatalogueMode.SELECTION:
            return set_mode(self.cid, mode, self.after_mode)
        with db.read_session() as session:
            chosen = catalogue.selection_page(session, actor=self.who, customer_id=self.cid, page_size=1).total
        if chosen:
            text = ngettext(
                '{customer} will see only the {n} chosen product, and no other.',
                '{customer} will see only the {n} chosen products, and no others.',
                chosen,
            )
        else:
            text = _('Nothing is chosen yet: until you add products below, {customer} sees no products at all.')
        answer = confirm(
            _('Show {customer} only a selection?').format(customer=self.customer_name),
            text.format(customer=self.customer_name),
            yes=_('Show only a selection'),
            no=_('Keep every product'),
            icon='visibility_off',
            mark='confirm-selection',
            then=lambda: set_mode(self.cid, CatalogueMode.SELECTION.value, self.after_mode),
        )

        async def settle() -> None:
            if not await answer:
                self.after_mode()  # not switched: the radio shows the stored mode again

        return settle()

    def after_mode(self) -> None:
        """After a change of mode (saved, refused or not confirmed): show the mode as stored."""
        with db.read_session() as session:
            customer = accounts.get_customer(session, actor=self.who, customer_id=self.cid)
        self.settling = True
        try:
            self.mode.value = CatalogueMode(customer.catalogue_mode).value
        finally:
            self.settling = False
        self.show_mode(self.mode.value)
        self.redraw()

    def ask_remove(self, selected: list[dict[str, Any]]) -> object:
        ids = [row.get('id') for row in selected]
        if not ids:
            ui.notify(_('Tick the products to remove first.'), type='warning')
            return None
        return confirm(
            ngettext('Remove {n} product?', 'Remove {n} products?', len(ids)),
            ngettext(
                '{customer} no longer sees it in the portal.', '{customer} no longer sees them in the portal.', len(ids)
            ).format(customer=self.customer_name),
            yes=_('Remove'),
            then=lambda: remove_products(self.cid, ids, self.redraw),
        )

    def ask_add_all(self, query: str, total: int) -> object:
        return confirm(
            ngettext('Add the {n} product?', 'Add all {n} products?', total),
            _("Every product matching '{query}' is added to what {customer} sees.").format(
                query=query, customer=self.customer_name
            ),
            yes=ngettext('Add it', 'Add all', total),
            then=lambda: add_search_results(self.cid, query, self.redraw),
        )


def _product_table(rows: list[dict[str, Any]], *, marker: str, chosen_column: bool = False) -> ui.table:
    columns = [
        {'name': 'code', 'label': _('Code'), 'field': 'code', 'align': 'left', 'classes': 'text-no-wrap'},
        {
            'name': 'name',
            'label': _('Name'),
            'field': 'name',
            'align': 'left',
            'style': 'white-space: normal; min-width: 160px',
        },
        {'name': 'price', 'label': _('Price'), 'field': 'price', 'align': 'right', 'classes': 'text-no-wrap'},
        {'name': 'active', 'label': _('Status'), 'field': 'active', 'align': 'left'},
    ]
    if chosen_column:
        columns.append({'name': 'chosen', 'label': _('In selection'), 'field': 'chosen', 'align': 'center'})
    table = all_rows_table(columns, rows, props='bordered dense', mark=marker, selection='multiple')
    active, inactive = html.escape(_('Active')), html.escape(_('Inactive'))
    table.add_slot(
        'body-cell-active',
        f'<q-td :props="props"><q-badge v-if="props.value" color="positive" outline label="{active}" />'
        f'<q-badge v-else color="grey-6" label="{inactive}" /></q-td>',
    )
    if chosen_column:
        table.add_slot(
            'body-cell-chosen',
            '<q-td :props="props"><q-icon v-if="props.value" name="check_circle" color="positive" size="20px" />'
            '</q-td>',
        )
    return table


# --- what the buttons do: each click re-checks the session and role (guard), the services check again ----------


@guard.admin_action
def set_mode(who: Identity, customer_id: int, mode: str, after: Refresh) -> None:
    try:
        with db.write_session() as session:
            catalogue.set_catalogue_mode(session, actor=who, customer_id=customer_id, mode=mode)
    finally:
        after()
    if mode == CatalogueMode.SELECTION:
        ui.notify(_('This customer now sees only the products chosen below'), type='positive')
    else:
        ui.notify(_('This customer now sees every active product'), type='positive')


@guard.admin_action
def add_products(who: Identity, customer_id: int, product_ids: list[Any], after: Refresh) -> None:
    if not product_ids:
        ui.notify(_('Tick the products to add first.'), type='warning')
        return
    with db.write_session() as session:
        added = catalogue.add_to_selection(session, actor=who, customer_id=customer_id, product_ids=list(product_ids))
    ui.notify(
        ngettext('{n} product added to the selection', '{n} products added to the selection', added), type='positive'
    )
    after()


@guard.admin_action
def add_search_results(who: Identity, customer_id: int, query: str, after: Refresh) -> None:
    with db.write_session() as session:
        ids = catalogue.matching_ids(session, actor=who, query=query)
        added = catalogue.add_to_selection(session, actor=who, customer_id=customer_id, product_ids=ids)
    ui.notify(
        ngettext('{n} product added to the selection', '{n} products added to the selection', added), type='positive'
    )
    after()


@guard.admin_action
def remove_products(who: Identity, customer_id: int, product_ids: list[Any], after: Refresh) -> None:
    with db.write_session() as session:
        removed = catalogue.remove_from_selection(
            session, actor=who, customer_id=customer_id, product_ids=list(product_ids)
        )
    ui.notify(
        ngettext('{n} product removed from the selection', '{n} products removed from the selection', removed),
        type='positive',
    )
    after()
