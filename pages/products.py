"""The catalogue: categories, filters, search, sort, pages of product cards or rows, adding to the current order.

Every choice but the grid or list (kept with the user) is in the URL (components/catalogue_browse.href)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from app.catalogue import browsing, catalogue, close_matches
from app.catalogue.browsing import Filters
from app.core import db, i18n, portal_settings
from app.core.i18n import N_, _
from app.core.paging import Page
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
        view = browsing.catalogue_view(session, actor=who)
        parsed = browsing.parse_filters(
            session, actor=who, category=category, stock=stock, bought=bought, attributes=attributes
        )
    CataloguePage(who, portal, view, parsed, query=q, sort=sort, page=parse_page(page))


class CataloguePage:
    """The search, sort and view above the cards; the cards follow the current order, stock and the catalogue."""

    def __init__(
        self,
        who: Identity,
        portal: terms.PortalTerms,
        view: str,
        parsed: browsing.Parsed,
        *,
        query: str,
        sort: str,
        page: int,
    ) -> None:
        self.who, self.portal, self.view, self.page = who, portal, view, page
        self.typed, self.query, self.filters = query, tidy_search(query), parsed.filters
        self.sorts = {key: text for key, text in SORTS.items() if portal.prices_shown or not key.startswith('price')}
        self.sort = sort if sort in self.sorts else 'name'  # (by price: by list price, most customers' order)
        self.cards: dict[int, CatalogueCard] = {}
        self.names: dict[int, str] = {}
        self.minimums: dict[int, int] = {}
        self.stop_stock: list[Callable[[], None]] = []
        catalogue_browse.add_css()
        self.head(parsed.problem)
        self.body = ui.refreshable(self.draw)
        self.body()
        live.listen([('current_order', who.user_id)], self.refresh_marks)
        # the supplier putting products in categories, their values, or changing what this customer sees: anew
        live.listen([('categories',), ('category_products',), ('catalogue', who.customer_id)], self.body.refresh)

    def head(self, problem: str | None) -> None:
        query, sort, filters = self.query, self.sort, self.filters
        with ui.row().classes('w-full items-center gap-3 wrap'):
            search_field(
                query,
                placeholder=_('Search by name, code, barcode or description'),
                label=_('Search products'),
                on_search=lambda text: ui.navigate.to(catalogue_browse.href(text, sort, filters)),
            )
            ui.select(
                {key: _(text) for key, text in self.sorts.items()},
                value=sort,
                label=_('Sort by'),
                on_change=lambda e: ui.navigate.to(catalogue_browse.href(query, e.value, filters)),
            ).props('outlined dense options-dense').classes('w-56')
            catalogue_browse.view_switch(self.view, self.switch)
        if problem:
            catalogue_browse.notice(_(problem))

    async def switch(self, chosen: str) -> None:
        if chosen == self.view:
            return
        await choose_view(chosen)
        with db.read_session() as session:
            saved = browsing.catalogue_view(session, actor=self.who)  # as kept (a refused choice keeps the last)
        self.view, self.page = saved, 1
        self.body.refresh()

    def on_add(self, product_id: int, field: QuantityField) -> object:
        return add_to_current_order(product_id, field, self.names[product_id], self.minimums[product_id])

    def draw(self) -> None:
        self.cards.clear()
        who, query, sort = self.who, self.query, self.sort
        page_size = LIST_PAGE_SIZE if self.view == 'list' else GRID_PAGE_SIZE
        with db.read_session() as session:
            shown = browsing.browse_tree(session, actor=who)
            filters = self.filters
            current = filters if filters.category_id is None or shown.has(filters.category_id) else Filters()
            facets = (
                browsing.attribute_facets(session, actor=who, category_id=current.category_id, shown=shown)
                if current.category_id is not None
                else []
            )
            found = close_matches.with_close_matches(  # nothing or little found: close matches ("hamer": hammers)
                session,
                actor=who,
                query=self.typed,
                search=lambda text: browsing.browse(
                    session,
                    actor=who,
                    query=text,
                    filters=current,
                    shown=shown,
                    sort=sort,
                    page=self.page,
                    page_size=page_size,
                ),
            )
            result = found.page
            ids = [p.id for p in result.items]
            in_order = current_order.quantities(session, actor=who, product_ids=ids)
            shown_prices = prices.shown_prices(session, actor=who, product_ids=ids)
            currency = portal_settings.currency(session)
        catalogue_browse.categories_bar(shown, query, sort, current)
        catalogue_browse.filters_bar(query, sort, current, facets)
        close_matches_note(found, query, lambda text: catalogue_browse.href(text, sort, current))
        if result.items:
            self.names.update({p.id: p.name for p in result.items})
            self.minimums.update({p.id: shown_prices[p.id].rules.minimum for p in result.items})
            self.draw_cards(result, in_order, shown_prices, currency, current)
        else:
            self.nothing_found(current)
        self.listen_stock()

    def draw_cards(
        self,
        result: Page[catalogue.ProductCard],
        in_order: dict[int, int],
        shown_prices: dict[int, prices.ProductPrice],
        currency: str,
        current: Filters,
    ) -> None:
        query, sort = self.query, self.sort
        here = catalogue_browse.href(query, sort, current, page=result.page)
        rows = self.view == 'list'
        grid = 'w-full grid grid-cols-1 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4 gap-4'
        with (
            ui.element('div')
            .classes('sf-list w-full' if rows else grid)
            .mark('product-list' if rows else 'product-grid')
        ):
            for product in result.items:
                self.cards[product.id] = CatalogueCard(
                    product,
                    currency=currency,
                    in_order=in_order.get(product.id, 0),
                    on_add=self.on_add,
                    shown=shown_prices[product.id],
                    portal=self.portal,
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

    def nothing_found(self, current: Filters) -> None:
        if self.query:
            theme.empty_state(
                'search_off',
                _("No products match '{query}'").format(query=self.query),
                _('Try another word, a product code or a barcode.'),
            )
        elif current.any:
            theme.empty_state('filter_alt_off', _('No products match these filters'), _('Clear a filter.'))
        else:
            theme.empty_state('search_off', _('No products yet'))

    def listen_stock(self) -> None:
        for stop in self.stop_stock:
            stop()
        self.stop_stock[:] = [live.listen([('stock', product_id) for product_id in self.cards], self.refresh_stock)]

    def refresh_marks(self) -> None:
        with db.read_session() as session:
            quantities = current_order.quantities(session, actor=self.who, product_ids=list(self.cards))
        for product_id, card in self.cards.items():
            card.mark_in_order.set(quantities.get(product_id, 0))

    def refresh_stock(self) -> None:
        with db.read_session() as session:
            free = catalogue.free_stock(session, product_ids=list(self.cards))
        for product_id, card in self.cards.items():
            card.set_stock(free.get(product_id, 0))
