"""One product, for the supplier: its details, images, stock (receiving, counting) and stock history.

The '/admin/products/new' route is registered before '/admin/products/{product_id}', so that 'new' is
never taken for a product id.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from app.catalogue import products, translations
from app.core import db, i18n, money, portal_settings
from app.core.errors import ValidationError
from app.core.i18n import N_, _, ngettext
from app.identity.auth import Identity
from app.models import Product, ProductCreate, Role, VatClass
from app.orders import expected, stock
from app.pricing import prices, rules
from app.pricing.rules import MAX_QUANTITY
from app.pricing.terms import VAT_CLASS_LABELS, percent
from components import guard, live, theme
from components.all_rows_table import all_rows_table
from components.form import Form, choice_field, count_field
from components.image_upload import ImageManager
from components.page import portal_page, url_id
from components.section import note, section
from pages.admin.expected_deliveries import expected_line
from pages.admin.price_lists import ProductRef, entries_text, prices_dialog
from pages.admin.product_categories import categories_section
from pages.admin.product_extras import documents_section, related_section
from pages.admin.products import active_chip

LIST = '/admin/products'
MOVEMENT_LIMIT = 50
KIND_LABELS = {'receipt': N_('Received'), 'count': N_('Stock count'), 'delivery': N_('Delivery')}

MOVEMENT_COLUMNS = [
    {'name': 'date', 'label': N_('Date'), 'field': 'date', 'align': 'left'},
    {'name': 'change', 'label': N_('Change'), 'field': 'change', 'align': 'right'},
    {'name': 'after', 'label': N_('On hand after'), 'field': 'after', 'align': 'right', 'classes': 'gt-xs',
     'headerClasses': 'gt-xs'},
    {'name': 'kind', 'label': N_('Kind'), 'field': 'kind', 'align': 'left'},
    {'name': 'note', 'label': N_('Note'), 'field': 'note', 'align': 'left'},
    {'name': 'by', 'label': N_('By'), 'field': 'by', 'align': 'left'},
]  # fmt: skip


# --- actions (each click is checked again by the guard) ------------------------------------------------
MISSING = (N_('This product'), N_('Back to the products'), LIST)


@guard.admin_action
def save_product(who: Identity, product_id: int | None, form: Form) -> None:
    """Create (product_id None) or change a product; on any error nothing is saved and the field says why."""
    with form.showing_errors():
        data = ProductCreate.model_construct(
            code=form.text('code'),
            name=form.text('name'),
            description=form.text('description'),
            barcode=form.text('barcode'),
            unit=form.text('unit'),
            price_cents=money.parse_price(form.text('price_cents'), field='price_cents'),
            active=bool(form.fields['active'].value),
        )
        with db.write_session() as session:
            if product_id is None:
                product = products.create_product(session, actor=who, data=data)
            else:
                product = products.update_product(session, actor=who, product_id=product_id, data=data)
    if product_id is None:
        ui.notify(_('Product {code} created').format(code=product.code), type='positive')
        ui.navigate.to(f'{LIST}/{product.id}')
        return
    _fill(form, product)  # shows the stored form: code upper-cased, spaces tidied
    ui.notify(_('Changes saved'), type='positive')


@guard.admin_action
def save_product_translation(who: Identity, product_id: int, language: str, form: Form) -> None:
    """The product's name and description in another language; both empty: customers read the product's own."""
    with form.showing_errors(), db.write_session() as session:
        saved = translations.set_product_translation(
            session,
            actor=who,
            product_id=product_id,
            language=language,
            name=form.text('name'),
            description=form.text('description'),
        )
    form.fields['name'].value, form.fields['description'].value = saved.name, saved.description
    form.clear()
    ui.notify(_('Texts in {language} saved').format(language=i18n.language_name(language)), type='positive')


@guard.admin_action
def receive_stock(who: Identity, product_id: int, form: Form) -> None:
    with form.showing_errors(), db.write_session() as session:
        served = stock.receive_stock(
            session, actor=who, product_id=product_id, quantity=form.text('quantity'), note=form.text('note')
        )
    units = i18n.parse_quantity(form.text('quantity'))  # the service accepted it: a whole number, typed the local way
    if served:
        received = ngettext(
            'Received {n} unit; {served} went to backorders.', 'Received {n} units; {served} went to backorders.', units
        ).format(served=i18n.number(served))
    else:
        received = ngettext(
            'Received {n} unit; none were needed for backorders.',
            'Received {n} units; none were needed for backorders.',
            units,
        )
    ui.notify(received, type='positive', multi_line=True)
    form.empty('quantity', 'note')


@guard.admin_action
def count_stock(who: Identity, product_id: int, form: Form) -> None:
    with form.showing_errors(), db.write_session() as session:
        change = stock.count_stock(
            session, actor=who, product_id=product_id, counted=form.text('counted'), note=form.text('note')
        )
    counted = i18n.parse_quantity(form.text('counted'))
    ui.notify(
        _('Count recorded: {counted} on hand ({change}).').format(counted=i18n.number(counted), change=_signed(change)),
        type='positive',
    )
    form.empty('counted', 'note')


@guard.admin_action
def save_product_terms(who: Identity, product_id: int, form: Form) -> None:
    """The product's VAT class and ordering rules (minimum, pack size, backorders)."""
    with form.showing_errors():
        typed = {}
        for name, label in [('min_quantity', _('The minimum')), ('order_multiple', _('The pack size'))]:
            try:
                typed[name] = i18n.parse_quantity(form.text(name))
            except ValueError:
                raise ValidationError(
                    '{label} is a whole number from 1 to {max}.', name, label=label, max=MAX_QUANTITY
                ) from None
        backorders = {'portal': None, 'yes': True, 'no': False}[form.text('backorders') or 'portal']
        with db.write_session() as session:
            saved = rules.set_product_terms(
                session,
                actor=who,
                product_id=product_id,
                vat_class=form.text('vat_class'),
                min_quantity=typed['min_quantity'],
                order_multiple=typed['order_multiple'],
                backorders=backorders,
            )
    form.fields['min_quantity'].value = str(saved.min_quantity)  # a minimum below one pack became one pack
    ui.notify(_('Prices and ordering saved'), type='positive')


def _signed(n: int) -> str:
    """A change of stock with its sign: '+1,200', '-3', '+0'."""
    return ('-' if n < 0 else '+') + i18n.number(abs(n))


# --- building blocks ----------------------------------------------------------------------------------


def _fill(form: Form, product: Product) -> None:
    form.fields['code'].value = product.code
    form.fields['name'].value = product.name
    form.fields['description'].value = product.description
    form.fields['barcode'].value = product.barcode
    form.fields['unit'].value = product.unit
    form.fields['price_cents'].value = f'{product.price_cents // 100}.{product.price_cents % 100:02d}'
    form.fields['active'].value = product.active
    form.clear()


def _details_form(product: Product | None, currency: str) -> Form:
    form = Form()
    with section(_('Details'), 'edit_note', mark='details-card'):
        with ui.element('div').classes('w-full grid grid-cols-1 sm:grid-cols-2 gap-3'):
            code = ui.input(_('Product code')).props('outlined dense maxlength=40').mark('code')
            form.add('code', code, required=True)
            form.add('barcode', ui.input(_('Barcode (optional)')).props('outlined dense maxlength=40').mark('barcode'))
        name = ui.input(_('Name')).props('outlined dense maxlength=200').classes('w-full').mark('name')
        form.add('name', name, required=True)
        form.add(
            'description',
            ui.textarea(_('Description (optional)'))
            .props('outlined dense autogrow maxlength=5000')
            .classes('w-full')
            .mark('description'),
        )
        with ui.element('div').classes('w-full grid grid-cols-1 sm:grid-cols-2 gap-3'):
            price = form.add(
                'price_cents',
                ui.input(_('Price'), placeholder='12.50')
                .props('outlined dense inputmode=decimal maxlength=15')
                .mark('price'),
                required=True,
            )
            price.props(f'suffix="{currency}"')
            form.add('unit', ui.input(_('Unit'), value='piece').props('outlined dense maxlength=20').mark('unit'))
        form.add('active', ui.switch(_('Active: customers can see and order it'), value=True).mark('active'))
        if product is not None:
            _fill(form, product)
        with ui.row().classes('w-full justify-end gap-2'):
            if product is None:
                ui.button(_('Cancel'), icon='close', on_click=lambda: ui.navigate.to(LIST)).props('flat no-caps')
            ui.button(
                _('Create product') if product is None else _('Save changes'),
                icon='add' if product is None else 'save',
                on_click=lambda: save_product(product.id if product else None, form),
            ).props('unelevated no-caps').mark('save-product')
    return form


def _figure(label: str, value: int, mark: str, tone: str = 'text-grey-9') -> None:
    with ui.column().classes('items-center gap-0 q-pa-sm bg-grey-1 rounded-borders'):
        ui.label(i18n.number(value)).classes(f'text-h5 text-weight-medium {tone}').mark(mark)
        ui.label(label).classes('text-caption text-grey-7')


def _stock_section(who: Identity, product_id: int) -> Callable[[], None]:
    """The Stock card; returns the function that refreshes its figures."""

    @ui.refreshable
    def figures() -> None:
        with db.read_session() as session:
            product = session.get(Product, product_id)
            coming = expected.open_expected_deliveries(session, actor=who, product_id=product_id)
        if product is None:
            return
        with ui.element('div').classes('w-full grid grid-cols-3 gap-2'):
            _figure(_('On hand'), product.on_hand, 'on-hand')
            _figure(_('Allocated'), product.allocated, 'allocated')
            free = product.on_hand - product.allocated
            _figure(_('Free'), free, 'free', 'text-positive' if free > 0 else 'text-negative')
        expected_line(product.code, coming)

    with section(_('Stock'), 'inventory', mark='stock-card'):
        figures()
        ui.separator()
        _stock_form(
            _('Receive stock'),
            _('Received units go to open backorders first, oldest order first.'),
            field=('quantity', _('Quantity')),
            button=(_('Receive stock'), 'move_to_inbox'),
            mark='receive',
            submit=lambda form: receive_stock(product_id, form),
        )
        ui.separator()
        _stock_form(
            _('Stock count'),
            _('Enter what is physically on the shelf; the difference is recorded as a correction.'),
            field=('counted', _('Counted')),
            button=(_('Record count'), 'fact_check'),
            mark='count',
            submit=lambda form: count_stock(product_id, form),
            primary=False,
        )
    return figures.refresh


def _stock_form(
    title: str,
    hint: str,
    *,
    field: tuple[str, str],
    button: tuple[str, str],
    mark: str,
    submit: Callable[[Form], object],
    primary: bool = True,
) -> None:
    """A number of units and a note, and the button that records them; marked `{mark}-quantity`, `-note`, `-stock`."""
    ui.label(title).classes('text-subtitle1 text-weight-medium')
    ui.label(hint).classes('text-caption text-grey-7')
    form = Form()
    with ui.row().classes('w-full items-start gap-2 no-wrap'):
        name, label = field
        form.add(name, count_field(label, digits=10).classes('w-28')).mark(f'{mark}-quantity')
        form.add('note', ui.input(_('Note (optional)')).props('outlined dense maxlength=500').classes('col-grow')).mark(
            f'{mark}-note'
        )
    with ui.row().classes('w-full justify-end'):
        text, icon = button
        ui.button(text, icon=icon, on_click=lambda: submit(form)).props(
            'unelevated no-caps' if primary else 'outline no-caps'
        ).mark(f'{mark}-stock')


def _movements_section(who: Identity, product_id: int) -> Callable[[], None]:
    """The stock history; returns the function that refreshes it."""

    @ui.refreshable
    def history() -> None:
        with db.read_session() as session:
            rows = stock.movements(session, actor=who, product_id=product_id, limit=MOVEMENT_LIMIT)
        if not rows:
            theme.empty_state('history', _('No stock movements yet'), _('Receipts, counts and deliveries appear here.'))
            return
        all_rows_table(
            [column | {'label': _(str(column['label']))} for column in MOVEMENT_COLUMNS],
            [
                {
                    'id': i,
                    'date': i18n.moment(m.created_at),
                    'change': _signed(m.change),
                    'after': i18n.number(m.on_hand_after),
                    'kind': _(KIND_LABELS[m.kind]) if m.kind in KIND_LABELS else m.kind.capitalize(),
                    'note': m.note,
                    'by': m.by or _('System'),
                }
                for i, m in enumerate(rows)
            ],
            props='bordered dense wrap-cells',
            mark='movements',
        )
        if len(rows) == MOVEMENT_LIMIT:
            ui.label(_('The latest {limit} movements are shown.').format(limit=i18n.number(MOVEMENT_LIMIT))).classes(
                'text-caption text-grey-7'
            )

    with section(_('Stock history'), 'history', mark='history-card'):
        history()
    return history.refresh


def _translations_section(who: Identity, product_id: int) -> None:
    """The name and description in each language besides the default one, each saved on its own."""
    with db.read_session() as session:
        written = translations.product_translations(session, actor=who, product_id=product_id)
        default = i18n.language_name(portal_settings.default_language(session))
    hint = _('Customers who read another language see these; an empty field shows the {default} text.')
    with (
        section(_('In other languages'), 'translate', hint.format(default=default), mark='translations-card'),
        ui.element('div').classes('w-full grid grid-cols-1 md:grid-cols-2 gap-4'),
    ):
        for language, texts in written.items():
            form = Form()
            with ui.column().classes('w-full gap-2').mark(f'translation-{language}'):
                ui.label(i18n.language_name(language)).classes('text-subtitle1 text-weight-medium')
                form.add(
                    'name',
                    ui.input(_('Name'), value=texts.name)
                    .props('outlined dense maxlength=200')
                    .classes('w-full')
                    .mark(f'translation-{language}-name'),
                )
                form.add(
                    'description',
                    ui.textarea(_('Description'), value=texts.description)
                    .props('outlined dense autogrow maxlength=5000')
                    .classes('w-full')
                    .mark(f'translation-{language}-description'),
                )
                with ui.row().classes('w-full justify-end'):
                    ui.button(
                        _('Save'),
                        icon='save',
                        on_click=lambda language=language, form=form: save_product_translation(
                            product_id, language, form
                        ),
                    ).props('outline no-caps').mark(f'save-translation-{language}')


def _pricing_section(who: Identity, product: Product, currency: str) -> Callable[[], None]:
    """VAT class and ordering rules, and the product's prices in each price list; returns the prices' refresh."""
    assert product.id is not None
    form = Form()
    backorders = 'portal' if product.backorders is None else ('yes' if product.backorders else 'no')
    with section(
        _('Prices and ordering'), 'sell', _('Customers order the minimum or more, in whole packs.'), mark='pricing-card'
    ):
        with ui.element('div').classes('w-full grid grid-cols-2 sm:grid-cols-4 gap-3'):
            vat_classes = {vat_class.value: _(VAT_CLASS_LABELS[vat_class]) for vat_class in VatClass}
            vat = choice_field(vat_classes, VatClass(product.vat_class).value, _('VAT class'))
            form.add('vat_class', vat.mark('vat-class'))
            minimum = count_field(_('Minimum'), product.min_quantity)
            form.add('min_quantity', minimum.mark('min-quantity'), required=True)
            multiple = count_field(_('Sold per (pack size)'), product.order_multiple)
            form.add('order_multiple', multiple.mark('order-multiple'), required=True)
            allowed = {
                'portal': _("As the portal's terms say"),
                'yes': _('Backorders allowed'),
                'no': _('Only what is in stock'),
            }
            form.add('backorders', choice_field(allowed, backorders, _('Backorders')).mark('product-backorders'))
        with ui.row().classes('w-full justify-end'):
            ui.button(_('Save'), icon='save', on_click=lambda: save_product_terms(product.id, form)).props(
                'outline no-caps'
            ).mark('save-product-terms')
        ui.separator()
        ui.label(_('Prices per price list')).classes('text-subtitle1 text-weight-medium')

        @ui.refreshable
        def per_list() -> None:
            with db.read_session() as session:
                lists = prices.product_prices(session, actor=who, product_id=product.id)
                fresh = session.get(Product, product.id)
            if not lists:
                note(_('No price lists yet: make them under Price lists.'))
                return
            ref = ProductRef(product.id, fresh.name if fresh else product.name, fresh.price_cents if fresh else 0)
            for listed in lists:
                with ui.row().classes('w-full items-center gap-3 no-wrap').mark(f'list-{listed.name}'):
                    with ui.column().classes('col gap-0 min-w-0'):
                        ui.label(listed.name).classes('text-body1 text-weight-medium')
                        shown = (
                            entries_text(listed.entries, currency)
                            if listed.entries
                            else _('{price} ({discount} off the list price)').format(
                                price=theme.price(listed.discounted_cents, currency),
                                discount=percent(listed.discount_bp),
                            )
                        )
                        ui.label(shown).classes('text-body2 text-grey-8').mark(f'list-prices-{listed.name}')
                    ui.button(
                        _('Edit prices'),
                        icon='edit',
                        on_click=lambda list_id=listed.price_list_id: prices_dialog(
                            who, list_id, ref, currency, per_list.refresh
                        ),
                    ).props('outline dense no-caps').mark(f'edit-list-{listed.name}')

        per_list()
    return per_list.refresh


def _heading(product_id: int) -> Callable[[], None]:
    @ui.refreshable
    def heading() -> None:
        with db.read_session() as session:
            product = session.get(Product, product_id)
        if product is None:
            return
        with ui.row().classes('w-full items-center gap-3 wrap'):
            with ui.column().classes('gap-0'):
                ui.label(product.name).classes('text-h5 text-weight-medium').mark('product-heading')
                ui.label(_('{code} · per {unit}').format(code=product.code, unit=product.unit)).classes(
                    'text-body2 text-grey-7'
                )
            active_chip(product.active)

    heading()
    return heading.refresh


# --- pages ---------------------------------------------------------------------------------------------


@portal_page(f'{LIST}/new', role=Role.ADMIN, title=N_('New product'), menu=LIST)
def new_product_page(who: Identity) -> None:
    with db.read_session() as session:
        currency = portal_settings.currency(session)
    ui.link(_('← All products'), LIST).classes('text-body2')
    with ui.column().classes('w-full max-w-3xl gap-4'):
        _details_form(None, currency)


@portal_page(LIST + '/{product_id}', role=Role.ADMIN, title=N_('Product'), menu=LIST, missing=MISSING)
def product_page(who: Identity, product_id: str) -> None:
    with db.read_session() as session:
        currency = portal_settings.currency(session)
        product = products.get_product(session, actor=who, product_id=url_id(product_id))
    pid = product.id
    ui.link(_('← All products'), LIST).classes('text-body2')
    refresh_heading = _heading(pid)
    with ui.element('div').classes('w-full grid grid-cols-1 lg:grid-cols-2 gap-4 items-start'):
        _details_form(product, currency)
        refresh_figures = _stock_section(who, pid)
    refresh_prices = _pricing_section(who, product, currency)
    categories_section(who, pid)
    _translations_section(who, pid)
    gallery = ImageManager(pid)
    refresh_documents = documents_section(who, pid)
    refresh_related = related_section(who, pid)
    refresh_history = _movements_section(who, pid)

    def refresh() -> None:
        refresh_heading()
        refresh_figures()
        refresh_history()
        gallery.refresh()
        refresh_documents()
        refresh_related()
        refresh_prices()

    live.listen([('stock', pid), ('product', pid)], refresh)
