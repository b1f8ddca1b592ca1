"""One product: everything the supplier entered, all images, price, stock, adding to the current order."""

from __future__ import annotations

from nicegui import ui

from app.catalogue import browsing, catalogue, documents, related
from app.core import db, i18n, portal_settings
from app.core.errors import NotFound
from app.core.i18n import N_, _, ngettext
from app.identity.auth import Identity
from app.models import Role
from app.orders import current_order, expected
from app.pricing import prices as pricing
from app.pricing import terms
from app.pricing.rules import OrderingRules
from app.pricing.terms import percent
from components import catalogue_browse, expected_dates, guard, live, prices, product_extras
from components.in_order import InOrderMark
from components.page import portal_page, url_id
from components.product_card import StockLabel, image_url, product_image
from components.quantity import quantity_input
from components.save_to_list import open_save_dialog

MISSING = (N_('This product'), N_('Back to the products'), '/products')


@guard.customer_action
def add_to_current_order(who: Identity, product_id: int, quantity_field: ui.input, reset: int = 1) -> None:
    with db.write_session() as session:
        total = current_order.add(session, actor=who, product_id=product_id, quantity=quantity_field.value)
    quantity_field.value = str(reset)  # the least the product is sold in
    added, kind = expected_dates.added_message(
        _('Added to your current order ({quantity} in order)').format(quantity=i18n.number(total)),
        product_id=product_id,
        in_order=total,
    )
    ui.notify(added, type=kind)


def _gallery(image_ids: list[int], name: str) -> None:
    if not image_ids:
        product_image(None, classes='w-full h-80 rounded-borders')
        return
    alt = ngettext('{n} image of the product', '{n} images of the product', len(image_ids))
    main = (
        ui.image(image_url(image_ids[0], thumb=False))
        .classes('w-full h-80 rounded-borders bg-white')
        .props(f'fit=contain alt="{alt}"')
    )
    if len(image_ids) > 1:
        with ui.row().classes('gap-2 q-mt-sm'):
            for image_id in image_ids:
                ui.image(image_url(image_id)).classes('w-16 h-16 rounded-borders cursor-pointer bg-white').props(
                    'fit=contain'
                ).on('click', lambda i=image_id: main.set_source(image_url(i, thumb=False)))


def _price(shown: pricing.ProductPrice, currency: str, unit: str) -> None:
    """The customer's price per unit, excluding VAT, and its quantity tiers (nothing where prices are not shown)."""
    if shown.price is None:
        return
    with ui.row().classes('items-baseline gap-2'):
        prices.price_tag(shown.price, currency, large=True)
        ui.label(_('per {unit}').format(unit=unit)).classes('text-body2 text-grey-7')
    ui.label(_('Prices excluding VAT ({rate})').format(rate=percent(shown.vat_rate_bp))).classes(
        'text-caption text-grey-7'
    ).mark('vat-note')
    if shown.tiers:
        prices.tier_table(shown.tiers, currency, unit)


def _add_row(product_id: int, name: str, rules: OrderingRules) -> None:
    """The quantity, Add to current order and Save to a list (on a phone the last one goes under, not squeezed)."""
    with ui.row().classes('items-center gap-2 wrap'):
        quantity = quantity_input(rules.minimum).classes('w-36' if rules.multiple > 1 else 'w-24').mark('qty')
        prices.stepped(quantity, rules)
        ui.button(
            _('Add to current order'),
            icon='add_shopping_cart',
            on_click=lambda: add_to_current_order(product_id, quantity, rules.minimum),
        ).props('unelevated size=md no-caps').mark('add-to-order')
        ui.button(
            _('Save to a list'), icon='bookmark_add', on_click=lambda: open_save_dialog(product_id, name, quantity)
        ).props('outline size=md no-caps').mark('save-to-a-list')


@portal_page('/products/{product_id}', role=Role.CUSTOMER, title=N_('Product'), menu='/products', missing=MISSING)
def product_page(who: Identity, product_id: str, back: str = '') -> None:
    with db.read_session() as session:
        currency = portal_settings.currency(session)
        product = catalogue.get_product(session, actor=who, product_id=url_id(product_id))
        shown = pricing.shown_prices(session, actor=who, product_ids=[product.id]).get(product.id)
        if shown is None:  # (seen a moment ago, no longer)
            raise NotFound('This product')
        in_order = current_order.quantities(session, actor=who, product_ids=[product.id])
        coming = expected.customer_expectations(session, actor=who, product_ids=[product.id])
        portal = terms.portal_terms(session)
        specifications = browsing.specifications(session, actor=who, product_id=product.id)
        sheets = documents.list_documents(session, actor=who, product_id=product.id)
        linked = related.related_for(session, actor=who, product_id=product.id)
    ui.link(_('← All products'), catalogue_browse.back_href(back)).classes('text-body2')  # to the search it came from
    # two columns from Tailwind's md breakpoint (768 px) on: pictures left, what the buyer needs right
    with (
        ui.element('div')
        .classes('w-full grid grid-cols-1 md:grid-cols-2 gap-6 items-start')
        .classes('sf-product-layout')
    ):
        with ui.column().classes('w-full min-w-0 gap-0'):
            _gallery(product.image_ids, product.name)
        with ui.column().classes('w-full min-w-0 gap-3'):
            ui.label(product.name).classes('text-h5 text-weight-medium').mark('product-name')
            with ui.row().classes('gap-4 text-body2 text-grey-8'):
                ui.label(_('Code: {code}').format(code=product.code))
                if product.barcode:
                    ui.label(_('Barcode: {barcode}').format(barcode=product.barcode))
                ui.label(_('Unit: {unit}').format(unit=product.unit))
            _price(shown, currency, product.unit)
            if note := prices.rules_note(shown.rules):
                ui.label(note).classes('text-body2 text-weight-medium text-grey-9').mark('rules')
            stock = StockLabel(product.free, display=portal.stock_display, backorders=shown.rules.backorders)
            stock.label.mark('stock')
            if product.free <= 0 and linked:  # out of stock: what the customer may order instead, in stock now
                instead = [card for card in linked.alternatives if card.free > 0][: related.MAX_SUGGESTIONS]
                product_extras.in_stock_instead(instead, portal, mark='in-stock-instead')
            if coming and (arrival := coming.next_arrival.get(product.id)):  # for what an order now would backorder
                ui.label(expected_dates.arrival_text(arrival)).classes(
                    'text-body2 ' + ('text-negative' if arrival.overdue else 'text-blue-9')
                ).mark('expected-date')
            mark = InOrderMark(product.id, in_order.get(product.id, 0), large=True)
            _add_row(product.id, product.name, shown.rules)
            if product.description:
                ui.separator()
                ui.label(_('Description')).classes('text-subtitle1 text-weight-medium')
                ui.label(product.description).classes('text-body1 whitespace-pre-line').mark('description')
            catalogue_browse.specification_table(specifications)
            product_extras.documents_list(sheets)
    if linked:
        product_extras.related_tiles(_('Accessories'), linked.accessories, portal, mark='accessories')
        product_extras.related_tiles(_('Alternatives'), linked.alternatives, portal, mark='alternatives')

    def refresh_mark() -> None:
        with db.read_session() as session:
            mark.set(current_order.quantities(session, actor=who, product_ids=[product.id]).get(product.id, 0))

    def refresh_stock() -> None:
        with db.read_session() as session:
            stock.set(catalogue.free_stock(session, product_ids=[product.id]).get(product.id, 0))

    live.listen([('current_order', who.user_id)], refresh_mark)
    live.listen([('stock', product.id)], refresh_stock)
