"""The catalogue: categories, filters, search, sort, pages of product cards or rows, adding to the current order.

Every choice but the grid or list (kept with the user) is in the URL (components/catalogue_browse.href)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nicegui import ui

from app.catalogue import browsing, catalogue, close_matches
from app.catalogue.browsing import Filters
from app.core import db, i18n, portal_settings
from app.core.i18n import N_, _
from app.identity.auth import Identity
from app.models import Role
from app.orders import current_order
from app.pricing import prices, terms
from components import catalogue_browse, expected_dates, guard, live, theme
from components.catalogue_card import CatalogueCard
from components.close_matches_note import close_matches_note
from components.page import portal_page
from components.pager import page_links, parse_page
from components.quantity import QuantityField
from components.search_field import search_field, tidy_search

GRID_PAGE_SIZE = 24
LIST_PAGE_SIZE = 50  # rows of about 36 px: some 25 on a desktop screen
SORTS = {
    'name': N_('Name'),
    'code': N_('Product code'),
    'price': N_('Price: low to high'),
    'price_desc': N_('Price: high to low'),
}


@guard.customer_action
def add_to_current_order(
    who: Identity, product_id: int, quantity_field: QuantityField, name: str = '', reset: int = 1
) -> None:
    """Add what the card's field holds; the field goes back to `reset`, the least the product is sold in."""
    with db.write_session() as session:
        total = current_order.add(session, actor=who, product_id=product_id, quantity=quantity_field.value)
    quantity_field.value = str(reset)
    if name:
        added = _('Added to your current order: {name} ({quantity} in order)').format(
            name=name, quantity=i18n.number(total)
        )
    else:
        added = _('Added to your current order ({quantity} in order)').format(quantity=i18n.number(total))
    added, kind = expected_dates.added_message(added, product_id=product_id, in_order=total)
    ui.notify(added, type=kind)


@guard.customer_action
def choose_view(who: Identity, view: str) -> None:
    """The grid or the list; kept with the user for the next visit."""
    with db.write_session() as session:
        browsing.set_catalogue_view(session, actor=who, view=view)


@portal_page('/products', role=Role.CUSTOMER, title=N_('Products'), menu='/products')
def products_page(
    who: Identity,
    q: str = '',
    sort: str = 'name',
    page: str = '1',
    category: str = '',
    stock: str = '',
    bought: str = '',
) -> None:
    attributes = ui.context.client.request.query_params.getlist('attr')
    with db.read_session() as session:
        portal = terms.portal_terms(session)
        sorts = {key: text for key, text in SORTS.items() if portal.prices_shown or not key.startswith('price')}
        sort = sort if sort in sorts else 'name'  # (by price: by list price, the order of most customers' prices)
        view = browsing.catalogue_view(session, actor=who)
        parsed = browsing.parse_filters(
            session, actor=who, category=category, stock=stock, bought=bought, attributes=attributes
        )
    filters, query = parsed.filters, tidy_search(q)
    state = {'view': view, 'page': parse_page(page)}
    cards: dict[int, CatalogueCard] = {}  # (plain closures, no page object: a left page is freed at once)
    names: dict[int, str] = {}
    minimums: dict[int, int] = {}
    catalogue_browse.add_css()

    def on_add(product_id: int, field: QuantityField) -> object:
        return add_to_current_order(product_id, field, names[product_id], minimums[product_id])

    async def switch(chosen: str) -> None:
        if chosen == state['view']:
            return
        await choose_view(chosen)
        with db.read_session() as session:
            saved = browsing.catalogue_view(session, actor=who)  # as kept (a refused choice keeps the last one)
        state['view'], state['page'] = saved, 1
        body.refresh()

    _head(query, sort, sorts, filters, view, switch)
    if parsed.problem:
        catalogue_browse.notice(_(parsed.problem))

    @ui.refreshable
    def body() -> None:
        cards.clear()
        rows = state['view'] == 'list'
        shown = _read(who, filters, typed=q, sort=sort, page=state['page'], rows=rows)
        catalogue_browse.categories_bar(shown.tree, query, sort, shown.filters)
        catalogue_browse.filters_bar(query, sort, shown.filters, shown.facets)
        close_matches_note(shown.found, query, lambda text: catalogue_browse.href(text, sort, shown.filters))
        items = shown.found.page.items
        if items:
            names.update({p.id: p.name for p in items})
            minimums.update({p.id: shown.prices[p.id].rules.minimum for p in items})
            cards.update(_cards(shown, portal, on_add, query, sort, rows=rows))
        else:
            _nothing_found(query, shown.filters)
        listen_stock()

    stop_stock: list = []

    def listen_stock() -> None:
        for stop in stop_stock:
            stop()
        stop_stock[:] = [live.listen([('stock', product_id) for product_id in cards], refresh_stock)]

    def refresh_marks() -> None:
        with db.read_session() as session:
            quantities = current_order.quantities(session, actor=who, product_ids=list(cards))
        for product_id, card in cards.items():
            card.mark_in_order.set(quantities.get(product_id, 0))

    def refresh_stock() -> None:
        with db.read_session() as session:
            free = catalogue.free_stock(session, product_ids=list(cards))
        for product_id, card in cards.items():
            card.set_stock(free.get(product_id, 0))

    body()
    live.listen([('current_order', who.user_id)], refresh_marks)
    # the supplier putting products in categories, their values, or changing what this customer sees: drawn anew
    live.listen([('categories',), ('category_products',), ('catalogue', who.customer_id)], body.refresh)


def _head(
    query: str, sort: str, sorts: dict[str, str], filters: Filters, view: str, switch: Callable[[str], object]
) -> None:
    """The search, the sort and the grid or list switch."""
    with ui.row().classes('w-full items-center gap-3 wrap'):
        search_field(
            query,
            placeholder=_('Search by name, code, barcode or description'),
            label=_('Search products'),
            on_search=lambda text: ui.navigate.to(catalogue_browse.href(text, sort, filters)),
        )
        ui.select(
            {key: _(text) for key, text in sorts.items()},
            value=sort,
            label=_('Sort by'),
            on_change=lambda e: ui.navigate.to(catalogue_browse.href(query, e.value, filters)),
        ).props('outlined dense options-dense').classes('w-56')
        catalogue_browse.view_switch(view, switch)


@dataclass(frozen=True)
class _Shown:
    """What one drawing of the cards reads, in one session."""

    tree: browsing.BrowseTree
    filters: Filters  # the URL's, less a category the customer does not see (any more)
    facets: list[browsing.Facet]
    found: close_matches.Found
    in_order: dict[int, int]
    prices: dict[int, prices.ProductPrice]
    currency: str


def _read(who: Identity, filters: Filters, *, typed: str, sort: str, page: int, rows: bool) -> _Shown:
    with db.read_session() as session:
        tree = browsing.browse_tree(session, actor=who)
        current = filters if filters.category_id is None or tree.has(filters.category_id) else Filters()
        facets = (
            browsing.attribute_facets(session, actor=who, category_id=current.category_id, shown=tree)
            if current.category_id is not None
            else []
        )
        found = close_matches.with_close_matches(  # nothing or little found: close matches ("hamer": hammers)
            session,
            actor=who,
            query=typed,
            search=lambda text: browsing.browse(
                session,
                actor=who,
                query=text,
                filters=current,
                shown=tree,
                sort=sort,
                page=page,
                page_size=LIST_PAGE_SIZE if rows else GRID_PAGE_SIZE,
            ),
        )
        ids = [p.id for p in found.page.items]
        return _Shown(
            tree,
            current,
            facets,
            found,
            current_order.quantities(session, actor=who, product_ids=ids),
            prices.shown_prices(session, actor=who, product_ids=ids),
            portal_settings.currency(session),
        )


def _cards(
    shown: _Shown,
    portal: terms.PortalTerms,
    on_add: Callable[[int, QuantityField], object],
    query: str,
    sort: str,
    *,
    rows: bool,
) -> dict[int, CatalogueCard]:
    """The page of products as cards or rows, and the pages under them."""
    result, current = shown.found.page, shown.filters
    here = catalogue_browse.href(query, sort, current, page=result.page)
    grid = 'w-full grid grid-cols-1 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4 gap-4'
    cards: dict[int, CatalogueCard] = {}
    with ui.element('div').classes('sf-list w-full' if rows else grid).mark('product-list' if rows else 'product-grid'):
        for product in result.items:
            cards[product.id] = CatalogueCard(
                product,
                currency=shown.currency,
                in_order=shown.in_order.get(product.id, 0),
                on_add=on_add,
                shown=shown.prices[product.id],
                portal=portal,
                link=catalogue_browse.product_href(product.id, here),
                layout='row' if rows else 'card',
            )
    with ui.row().classes('w-full items-center justify-between q-mt-sm'):
        ui.label(theme.count(result.total, 'product')).classes('text-body2 text-grey-7')
        page_links(
            result.page,
            result.pages,
            on_change=lambda number: ui.navigate.to(catalogue_browse.href(query, sort, current, page=number)),
        )
    return cards


def _nothing_found(query: str, current: Filters) -> None:
    if query:
        theme.empty_state(
            'search_off',
            _("No products match '{query}'").format(query=query),
            _('Try another word, a product code or a barcode.'),
        )
    elif current.any:
        theme.empty_state('filter_alt_off', _('No products match these filters'), _('Clear a filter.'))
    else:
        theme.empty_state('search_off', _('No products yet'))
