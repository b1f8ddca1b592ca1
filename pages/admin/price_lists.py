"""The supplier's price lists and the portal's terms: the lists (a discount off the list price, fixed prices and
quantity tiers per product), one list's page with its prices, and the VAT rates, what the catalogue shows of stock
and prices, backorders and the minimum order value. Every figure is checked by app/pricing, which decides prices.

'/admin/price-lists/{price_list_id}' takes ids only; the list of lists and the terms are on '/admin/price-lists'.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nicegui import ui

from app.catalogue import catalogue
from app.core import db, i18n, money, portal_settings
from app.core.errors import ValidationError
from app.core.i18n import N_, _
from app.identity.auth import Identity
from app.models import PriceList, PriceListCreate, Role
from app.pricing import prices, terms
from app.pricing.prices import Tier
from app.pricing.rules import MAX_QUANTITY
from app.pricing.terms import StockDisplay, percent
from components import guard, theme
from components.confirm import confirm
from components.form import Form, amount, choice_field, count_field, money_field, percent_field, percent_typed
from components.form_dialog import FormDialog
from components.page import portal_page, url_id
from components.pager import pager, parse_page, url_with
from components.search_field import search_field, tidy_search
from components.section import note, section

PATH = '/admin/price-lists'
PAGE_SIZE = 25
ROWS = 6  # price rows offered in the dialog at once (a product may have up to prices.MAX_TIERS)
MISSING = (N_('This price list'), N_('Back to the price lists'), PATH)


@dataclass(frozen=True)
class ProductRef:
    id: int
    name: str
    list_price_cents: int


def entries_text(entries: tuple[Tier, ...], currency: str) -> str:
    """'from 1: €4.50 · from 10: €4.20' (the list's own prices)."""
    return ' · '.join(
        _('from {quantity}: {price}').format(
            quantity=i18n.number(tier.from_quantity), price=theme.price(tier.unit_cents, currency)
        )
        for tier in entries
    )


# --- what the buttons do: each click re-checks the session and role (guard), the services check again ----------


def _typed_price_list(form: Form) -> PriceListCreate:
    """A price list's name and discount as typed in its form (new or existing)."""
    return PriceListCreate.model_construct(
        name=form.text('name'),
        discount_bp=terms.parse_percent(form.text('discount'), label=N_("The list's discount")),
    )


@guard.admin_action
def create_price_list(who: Identity, form: Form) -> None:
    with form.showing_errors():
        data = _typed_price_list(form)
        with db.write_session() as session:
            made = prices.create_price_list(session, actor=who, data=data)
    ui.notify(_('Price list {name} created').format(name=made.name), type='positive')
    ui.navigate.to(f'{PATH}/{made.id}')


@guard.admin_action
def save_price_list(who: Identity, price_list_id: int, form: Form, heading: ui.label) -> None:
    with form.showing_errors():
        data = _typed_price_list(form)
        with db.write_session() as session:
            saved = prices.update_price_list(session, actor=who, price_list_id=price_list_id, data=data)
    heading.set_text(saved.name)
    form.fields['name'].value, form.fields['discount'].value = saved.name, percent_typed(saved.discount_bp)
    ui.notify(_('Changes saved'), type='positive')


@guard.admin_action
def delete_price_list(who: Identity, price_list_id: int) -> None:
    with db.write_session() as session:
        prices.delete_price_list(session, actor=who, price_list_id=price_list_id)
    ui.notify(_('Price list deleted'), type='positive')
    ui.navigate.to(PATH)


@guard.admin_action
def save_list_prices(
    who: Identity, price_list_id: int, product_id: int, rows: list, dialog: FormDialog, on_saved: Callable[[], None]
) -> None:
    """The dialog's rows (from quantity, price), empty rows left out; none at all takes the product off the list."""
    entries = []
    for quantity_field, price_field in rows:
        typed_quantity, typed_price = str(quantity_field.value or '').strip(), str(price_field.value or '').strip()
        if not typed_quantity and not typed_price:
            continue
        try:
            from_quantity = i18n.parse_quantity(typed_quantity)
        except ValueError:
            raise ValidationError(
                'A price applies from a whole number of units, 1 to {max}.', 'tiers', max=MAX_QUANTITY
            ) from None
        entries.append((from_quantity, money.parse_price(typed_price, field='tiers')))
    with db.write_session() as session:
        prices.set_product_prices(
            session, actor=who, price_list_id=price_list_id, product_id=product_id, entries=entries
        )
    dialog.close()
    ui.notify(_('Prices saved') if entries else _('The product is off this list'), type='positive')
    on_saved()


@guard.admin_action
def save_portal_terms(who: Identity, form: Form) -> None:
    with form.showing_errors():
        minimum = form.text('minimum_order').strip()
        standard = terms.parse_percent(
            form.text('vat_standard'), field='vat_standard', label=N_('The standard VAT rate')
        )
        reduced = terms.parse_percent(form.text('vat_reduced'), field='vat_reduced', label=N_('The reduced VAT rate'))
        with db.write_session() as session:
            terms.save_portal_terms(
                session,
                actor=who,
                vat_standard_bp=standard,
                vat_reduced_bp=reduced,
                stock_display=form.text('stock_display'),
                prices_shown=bool(form.fields['prices_shown'].value),
                backorders_allowed=bool(form.fields['backorders_allowed'].value),
                minimum_order_cents=money.parse_price(minimum, field='minimum_order') if minimum else 0,
            )
    ui.notify(_('Terms saved'), type='positive')


# --- building blocks ----------------------------------------------------------------------------------------------


def prices_dialog(
    who: Identity, price_list_id: int, product: ProductRef, currency: str, on_saved: Callable[[], None]
) -> None:
    """A product's fixed prices in one list: a row per quantity it applies from (the lowest is its fixed price)."""
    with db.read_session() as session:
        per_list = prices.product_prices(session, actor=who, product_id=product.id)
    entries = next((p.entries for p in per_list if p.price_list_id == price_list_id), ())
    dialog = FormDialog('sell', _('{name}: prices in this list').format(name=product.name), wide=True)
    rows: list[tuple[ui.input, ui.input]] = []
    with dialog.card:
        theme.explain(
            _('List price {price}. A price applies from its quantity on; leave a row empty to drop it.').format(
                price=theme.price(product.list_price_cents, currency)
            )
        )
        for index in range(max(ROWS, len(entries) + 2)):
            tier = entries[index] if index < len(entries) else None
            with ui.row().classes('w-full items-center gap-2 no-wrap').mark(f'tier-row-{index}'):
                quantity = count_field(_('From quantity'), tier.from_quantity if tier else '')
                price = money_field(_('Price'), amount(tier.unit_cents) if tier else '', currency)
                quantity.classes('w-36').mark(f'tier-quantity-{index}')
                price.classes('col-grow').mark(f'tier-price-{index}')
            rows.append((quantity, price))
    dialog.buttons(
        _('Save prices'),
        icon='save',
        on_click=lambda: save_list_prices(price_list_id, product.id, rows, dialog, on_saved),
        mark='save-prices',
    )
    dialog.open()


def _terms_section(who: Identity, currency: str) -> None:
    with db.read_session() as session:
        now = terms.portal_terms(session)
    form = Form()
    hint = _('For every customer; a customer may have its own minimum order value, a product its own backorders.')
    with section(_('Prices and ordering terms'), 'tune', hint, mark='terms-card'):
        with ui.element('div').classes('w-full grid grid-cols-1 sm:grid-cols-2 gap-3'):
            for name, label, bp in (
                ('vat_standard', _('Standard VAT rate (%)'), now.vat_standard_bp),
                ('vat_reduced', _('Reduced VAT rate (%)'), now.vat_reduced_bp),
            ):
                form.add(name, percent_field(label, bp).mark(name.replace('_', '-')), required=True)
            shown = {display.value: _(display.label) for display in StockDisplay}
            form.add(
                'stock_display',
                choice_field(shown, now.stock_display.value, _('Customers see of stock')).mark('stock-display'),
            )
            minimum = amount(now.minimum_order_cents) if now.minimum_order_cents else ''
            form.add(
                'minimum_order',
                money_field(_('Minimum order value, excl. VAT (empty: none)'), minimum, currency).mark('minimum-order'),
            )
        form.add(
            'prices_shown', ui.switch(_('Show prices in the catalogue'), value=now.prices_shown).mark('prices-shown')
        )
        form.add(
            'backorders_allowed',
            ui.switch(_('Customers may order more than is in stock (backorders)'), value=now.backorders_allowed).mark(
                'backorders-allowed'
            ),
        )
        ui.label(_('The zero VAT class is always 0 %.')).classes('text-caption text-grey-7')
        with ui.row().classes('w-full justify-end'):
            ui.button(_('Save terms'), icon='save', on_click=lambda: save_portal_terms(form)).props(
                'unelevated no-caps'
            ).mark('save-terms')


# --- pages --------------------------------------------------------------------------------------------------------


@portal_page(PATH, role=Role.ADMIN, title=N_('Price lists'), menu=PATH)
def price_lists_page(who: Identity) -> None:
    with db.read_session() as session:
        lists = prices.list_price_lists(session, actor=who)
        currency = portal_settings.currency(session)
    with ui.element('div').classes('w-full grid grid-cols-1 lg:grid-cols-2 gap-4 items-start'):
        with section(
            _('Price lists'),
            'sell',
            _('Give a customer a list on its page; a customer without one pays list prices.'),
            mark='price-lists-card',
        ):
            if not lists:
                note(_('No price lists yet.'))
            with ui.column().classes('w-full gap-0'):
                for index, listed in enumerate(lists):
                    if index:
                        ui.separator()
                    with (
                        ui.link(target=f'{PATH}/{listed.id}')
                        .classes('no-underline text-inherit w-full')
                        .mark(f'price-list-{listed.name}'),
                        ui.row().classes('w-full items-center gap-3 q-py-sm no-wrap'),
                    ):
                        with ui.column().classes('col gap-0 min-w-0'):
                            ui.label(listed.name).classes('text-subtitle1 text-weight-medium text-primary')
                            ui.label(
                                _('{discount} off the list price · {products} · {customers}').format(
                                    discount=percent(listed.discount_bp),
                                    products=theme.count(listed.products, 'product'),
                                    customers=theme.count(listed.customers, 'customer'),
                                )
                            ).classes('text-body2 text-grey-7')
                        ui.icon('chevron_right').classes('text-grey-6')
            ui.separator()
            ui.label(_('New price list')).classes('text-subtitle1 text-weight-medium')
            form = Form()
            with ui.row().classes('w-full items-start gap-2 no-wrap'):
                form.add(
                    'name',
                    ui.input(_('Name')).props('outlined dense maxlength=80').classes('col-grow').mark('new-name'),
                    required=True,
                )
                form.add('discount', percent_field(_('Discount (%)'), 0).classes('w-32').mark('new-discount'))
            with ui.row().classes('w-full justify-end'):
                ui.button(_('Create price list'), icon='add', on_click=lambda: create_price_list(form)).props(
                    'unelevated no-caps'
                ).mark('create-price-list')
        _terms_section(who, currency)


@portal_page(PATH + '/{price_list_id}', role=Role.ADMIN, title=N_('Price list'), menu=PATH, missing=MISSING)
def price_list_page(who: Identity, price_list_id: str, q: str = '', page: str = '1', find: str = '') -> None:
    with db.read_session() as session:
        price_list = prices.get_price_list(session, actor=who, price_list_id=url_id(price_list_id))
        currency = portal_settings.currency(session)
    list_id, query = price_list.id, tidy_search(q)
    ui.link(_('← All price lists'), PATH).classes('text-body2')
    heading = ui.label(price_list.name).classes('text-h5 text-weight-medium').mark('price-list-heading')
    _details_section(price_list, heading)

    def prices_button(text: str, icon: str, product: ProductRef) -> ui.button:
        """Opens the dialog of `product`'s prices in this list."""
        return ui.button(
            text, icon=icon, on_click=lambda: prices_dialog(who, list_id, product, currency, refresh)
        ).props('outline dense no-caps')

    refresh = _prices_section(who, list_id, currency, query, parse_page(page), prices_button)
    _find_section(who, list_id, currency, query, tidy_search(find), prices_button)


PricesButton = Callable[[str, str, ProductRef], ui.button]


def _details_section(price_list: PriceList, heading: ui.label) -> None:
    list_id = price_list.id
    with section(_('Details'), 'edit_note', _('The discount applies to every product without a price of its own.')):
        form = Form()
        with ui.row().classes('w-full items-start gap-2 no-wrap'):
            form.add(
                'name',
                ui.input(_('Name'), value=price_list.name).props('outlined dense maxlength=80').classes('col-grow')
                .mark('list-name'),
                required=True,
            )  # fmt: skip
            discount = percent_field(_('Discount (%)'), price_list.discount_bp)
            form.add('discount', discount.classes('w-32').mark('list-discount'))
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(
                _('Delete price list'),
                icon='delete_outline',
                on_click=lambda: confirm(
                    _('Delete {name}?').format(name=price_list.name),
                    _('Its prices go with it. Placed orders keep the prices they were placed at.'),
                    yes=_('Delete price list'),
                    then=lambda: delete_price_list(list_id),
                ),
            ).props('flat no-caps color=negative').mark('delete-price-list')
            ui.button(_('Save changes'), icon='save', on_click=lambda: save_price_list(list_id, form, heading)).props(
                'unelevated no-caps'
            ).mark('save-price-list')


def _prices_section(
    who: Identity, list_id: int, currency: str, query: str, page: int, prices_button: PricesButton
) -> Callable[[], object]:
    """The list's products with their prices, searched and paged; returns its redraw."""

    @ui.refreshable
    def listed() -> None:
        with db.read_session() as session:
            found = prices.price_list_products(
                session, actor=who, price_list_id=list_id, query=query, page=page, page_size=PAGE_SIZE
            )
        if not found.items:
            note(_('No product matches.') if query else _('No fixed prices yet: find a product below and give it one.'))
            return
        with ui.column().classes('w-full gap-0').mark('list-prices'):
            for index, item in enumerate(found.items):
                if index:
                    ui.separator()
                with ui.row().classes('w-full items-center gap-3 q-py-sm wrap').mark(f'listed-{item.code}'):
                    with ui.column().classes('col-grow gap-0 min-w-[220px]'):
                        ui.label(f'{item.name} ({item.code})').classes('text-body1 text-weight-medium')
                        ui.label(
                            _('List price {price} · {entries}').format(
                                price=theme.price(item.list_price_cents, currency),
                                entries=entries_text(item.entries, currency),
                            )
                        ).classes('text-body2 text-grey-8').mark(f'listed-prices-{item.code}')
                    product = ProductRef(item.product_id, item.name, item.list_price_cents)
                    prices_button(_('Edit prices'), 'edit', product).mark(f'edit-{item.code}')
        pager(f'{PATH}/{list_id}', {'q': query}, page=found.page, pages=found.pages, total=found.total, noun='product')

    with section(
        _('Fixed prices and quantity tiers'), 'sell', _('Prices excluding VAT, before any customer discount.')
    ):
        search_field(
            query,
            placeholder=_('Search this list by code or name'),
            on_search=lambda text: ui.navigate.to(url_with(f'{PATH}/{list_id}', {'q': text})),
            mark='list-search',
        )
        listed()
    return listed.refresh


def _find_section(
    who: Identity, list_id: int, currency: str, query: str, find: str, prices_button: PricesButton
) -> None:
    """A product found by name, code or barcode, to give it a price in this list."""
    with section(_('Give a product a price in this list'), 'add_circle', mark='find-card'):
        search_field(
            find,
            placeholder=_('Search products by name, code or barcode'),
            on_search=lambda text: ui.navigate.to(url_with(f'{PATH}/{list_id}', {'q': query, 'find': text})),
            mark='find-product',
        )
        if not find:
            return
        with db.read_session() as session:
            found = catalogue.search_products(session, actor=who, query=find, sort='code', page_size=10)
        if not found.items:
            note(_('No product matches.'))
        for card in found.items:
            with ui.row().classes('w-full items-center gap-3 q-py-xs wrap').mark(f'found-{card.code}'):
                ui.label(f'{card.name} ({card.code})').classes('col-grow text-body1')
                ui.label(theme.price(card.price_cents, currency)).classes('text-body2 text-grey-8')
                product = ProductRef(card.id, card.name, card.price_cents)
                prices_button(_('Prices'), 'sell', product).mark(f'price-{card.code}')
