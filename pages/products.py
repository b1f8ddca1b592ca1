"""The catalogue: search, sort, pages of product cards, adding to the current order."""

from __future__ import annotations

from nicegui import ui

from app.catalogue import catalogue
from app.core import db, i18n, portal_settings
from app.core.i18n import N_, _
from app.identity.auth import Identity
from app.models import Role
from app.orders import current_order
from app.pricing import prices, terms
from components import guard, live, theme
from components.page import portal_page
from components.pager import pager, parse_page, url_with
from components.product_card import ProductCardView
from components.search_field import search_field

SORTS = {
    'name': N_('Name'),
    'code': N_('Product code'),
    'price': N_('Price: low to high'),
    'price_desc': N_('Price: high to low'),
}


@guard.customer_action
def add_to_current_order(
    who: Identity, product_id: int, quantity_field: ui.input, name: str = '', reset: int = 1
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
    ui.notify(added, type='positive')


@portal_page('/products', role=Role.CUSTOMER, title=N_('Products'), menu='/products')
def products_page(who: Identity, q: str = '', sort: str = 'name', page: str = '1') -> None:
    with db.read_session() as session:
        portal = terms.portal_terms(session)
        sorts = {key: text for key, text in SORTS.items() if portal.prices_shown or not key.startswith('price')}
        sort = sort if sort in sorts else 'name'  # (by price: by list price, the order of most customers' prices)
        result = catalogue.search_products(session, actor=who, query=q, sort=sort, page=parse_page(page))
        in_order = current_order.quantities(session, actor=who, product_ids=[p.id for p in result.items])
        shown = prices.shown_prices(session, actor=who, product_ids=[p.id for p in result.items])
        currency = portal_settings.currency(session)
    query = ' '.join(q.split())[:100]
    with ui.row().classes('w-full items-center gap-3 wrap'):
        search_field(
            query,
            placeholder=_('Search by name, code, barcode or description'),
            label=_('Search products'),
            on_search=lambda text: ui.navigate.to(url_with('/products', {'q': text, 'sort': sort})),
        )
        ui.select(
            {key: _(text) for key, text in sorts.items()},
            value=sort,
            label=_('Sort by'),
            on_change=lambda e: ui.navigate.to(url_with('/products', {'q': query, 'sort': e.value})),
        ).props('outlined dense options-dense').classes('w-56')

    if not result.items:
        theme.empty_state(
            'search_off',
            _("No products match '{query}'").format(query=query) if query else _('No products yet'),
            _('Try another word, a product code or a barcode.') if query else '',
        )
        return

    cards: dict[int, ProductCardView] = {}
    names = {p.id: p.name for p in result.items}

    def on_add(product_id: int, field: ui.input) -> object:
        return add_to_current_order(product_id, field, names[product_id], shown[product_id].rules.minimum)

    with (
        ui.element('div')
        .classes('w-full grid grid-cols-1 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4 gap-4')
        .mark('product-grid')
    ):
        for product in result.items:
            cards[product.id] = ProductCardView(
                product,
                currency=currency,
                in_order=in_order.get(product.id, 0),
                on_add=on_add,
                shown=shown[product.id],
                portal=portal,
            )
    pager(
        '/products',
        {'q': query, 'sort': sort},
        page=result.page,
        pages=result.pages,
        total=result.total,
        noun='product',
    )

    def refresh_marks() -> None:
        with db.read_session() as session:
            quantities = current_order.quantities(session, actor=who, product_ids=list(cards))
        for product_id, card in cards.items():
            card.mark.set(quantities.get(product_id, 0))

    def refresh_stock() -> None:
        with db.read_session() as session:
            free = catalogue.free_stock(session, product_ids=list(cards))
        for product_id, card in cards.items():
            card.stock.set(free.get(product_id, 0))

    live.listen([('current_order', who.user_id)], refresh_marks)
    live.listen([('stock', product_id) for product_id in cards], refresh_stock)
