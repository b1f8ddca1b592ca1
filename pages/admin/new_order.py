"""The supplier places an order on a customer's behalf (after a phone call or an e-mail).

Pick the customer, search products and add lines, choose the address, place. The lines live on this
page only until placed; the service checks that the customer may order every product, reserves what
is free and backorders the rest, and the order shows in the customer's history as placed by the
supplier. One placement key per page load (and per customer chosen) makes a double click one order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from fastapi.responses import Response
from nicegui import run, ui

from app.catalogue import catalogue
from app.catalogue.catalogue import ProductCard
from app.core import db, portal_settings
from app.core.errors import NotFound, ValidationError
from app.identity import accounts
from app.identity.auth import Identity
from app.models import Role
from app.orders import current_order, ordering
from components import guard, theme
from components.address_form import AddressChooser
from components.frame import frame
from components.quantity import quantity_input

PATH = '/admin/orders/new'
RESULTS = 8
MAX_CUSTOMERS = 200


@dataclass
class _Line:
    product_id: int
    code: str
    name: str
    unit: str
    unit_price_cents: int
    quantity: int


@dataclass
class _Draft:
    """What the supplier has put together on this page so far."""

    key: str
    customer_id: int | None = None
    lines: dict[int, _Line] = field(default_factory=dict)
    chooser: AddressChooser | None = None
    comment: ui.textarea | None = None
    reference: ui.input | None = None
    button: ui.button | None = None


@guard.admin_action
async def place(who: Identity, draft: _Draft) -> None:
    """Place the order through the service, then open it."""
    if draft.customer_id is None:
        ui.notify('Choose the customer first.', type='negative')
        return
    if draft.chooser is None or draft.comment is None or draft.reference is None or draft.button is None:
        return
    customer_id, key = draft.customer_id, draft.key
    lines = [(line.product_id, line.quantity) for line in draft.lines.values()]
    address_id, new_address = draft.chooser.address_id, draft.chooser.new_address()
    comment, reference = draft.comment.value or '', draft.reference.value or ''

    def write() -> int:
        with db.write_session() as session:
            order = ordering.place_order_for_customer(
                session,
                actor=who,
                customer_id=customer_id,
                lines=lines,
                address_id=address_id,
                new_address=new_address,
                comment=comment,
                reference=reference,
                placement_key=key,
            )
            return order.id

    draft.button.props('loading')
    try:
        order_id = await run.io_bound(write)
    finally:
        draft.button.props(remove='loading')
    ui.notify('The order is placed for the customer.', type='positive')
    ui.navigate.to(f'/admin/orders/{order_id}')


def _customer_options(who: Identity) -> dict[int, str]:
    with db.read_session() as session:
        customers, _ = accounts.list_customers(session, actor=who, limit=MAX_CUSTOMERS)
    return {c.id: f'{c.name} ({c.code})' for c in customers if c.id is not None}


def _chosen(who: Identity, raw: str, options: dict[int, str]) -> int | None:
    raw = (raw or '').strip()
    if not raw.isdigit() or len(raw) > 9:
        return None
    customer_id = int(raw)
    if customer_id not in options:
        with db.read_session() as session:
            try:
                customer = accounts.get_customer(session, actor=who, customer_id=customer_id)
            except NotFound:
                return None
        options[customer_id] = f'{customer.name} ({customer.code})'
    return customer_id


def _section(icon: str, title: str, hint: str = '') -> None:
    with ui.row().classes('items-center gap-2 no-wrap'):
        ui.icon(icon, size='22px').classes('text-primary')
        with ui.column().classes('gap-0'):
            ui.label(title).classes('text-h6 leading-tight')
            if hint:
                ui.label(hint).classes('text-caption text-grey-7')


@ui.page(PATH)
def new_order_page(request: Request, customer: str = '') -> Response | None:
    who = guard.page_identity(request, Role.ADMIN)
    if not isinstance(who, Identity):
        return who
    options = _customer_options(who)
    draft = _Draft(key=ordering.new_placement_key(), customer_id=_chosen(who, customer, options))
    with db.read_session() as session:
        currency = portal_settings.currency(session)

    with frame(who, title='New order for a customer', active='/admin/orders'):
        with ui.row().classes('w-full items-center gap-3 wrap'):
            ui.button(icon='arrow_back', on_click=lambda: ui.navigate.to('/admin/orders')).props(
                'flat round dense aria-label="Back to orders"'
            )
            ui.label(
                'The order is placed as if the customer placed it: stock is reserved now, the rest goes on '
                'backorder, and the customer sees it in their history as placed by you.'
            ).classes('text-body2 text-grey-8 col')

        # --- 1. the customer -----------------------------------------------------------------------
        with ui.card().classes('w-full q-pa-md gap-3').props('flat bordered'):
            _section('storefront', 'Customer')

            def choose(value: object) -> None:
                draft.customer_id = int(value) if value not in (None, '') else None
                draft.key = ordering.new_placement_key()  # a placement key belongs to one customer's order
                results.refresh()
                lines_view.refresh()
                address_view.refresh()

            ui.select(
                options,
                value=draft.customer_id,
                label='Customer',
                with_input=True,
                on_change=lambda e: choose(e.value),
            ).props('outlined dense options-dense').classes('w-full md:w-1/2').mark('customer-select')
            if not options:
                ui.label('There are no customers yet: create one under Customers first.').classes(
                    'text-body2 text-grey-7'
                )

        # --- 2. the products -----------------------------------------------------------------------
        with ui.card().classes('w-full q-pa-md gap-3').props('flat bordered'):
            _section('inventory_2', 'Products', 'Search by name, code or barcode, then add a line.')
            with ui.row().classes('w-full items-center gap-3 wrap'):
                search = (
                    ui.input(placeholder='Search products')
                    .props('outlined dense clearable type=search maxlength=100 aria-label="Search products"')
                    .classes('col-grow min-w-[220px]')
                    .mark('product-search')
                )
                with search.add_slot('prepend'):
                    ui.icon('search')
                search.on('keydown.enter', lambda: results.refresh())
                search.on('clear', lambda: results.refresh())
                ui.button('Search', icon='search', on_click=lambda: results.refresh()).props('unelevated no-caps').mark(
                    'product-search-go'
                )

            def add(card: ProductCard, quantity: ui.input) -> None:
                existing = draft.lines.get(card.id)
                try:
                    wanted = current_order.parse_quantity(quantity.value)
                    if existing:
                        wanted = current_order.parse_quantity(existing.quantity + wanted)
                except ValidationError as e:
                    guard.report(e)
                    return
                draft.lines[card.id] = _Line(
                    product_id=card.id,
                    code=card.code,
                    name=card.name,
                    unit=card.unit,
                    unit_price_cents=card.price_cents,
                    quantity=wanted,
                )
                quantity.value = '1'
                ui.notify(f'{card.name}: {wanted:,} in the order.')
                lines_view.refresh()

            @ui.refreshable
            def results() -> None:
                text = ' '.join((search.value or '').split())
                if not text:
                    ui.label('Type a name, code or barcode and press Enter.').classes('text-body2 text-grey-7')
                    return
                with db.read_session() as session:
                    found = catalogue.search_products(session, actor=who, query=text, sort='code', page_size=RESULTS)
                    orderable = (
                        catalogue.orderable_ids(
                            session, customer_id=draft.customer_id, product_ids=[c.id for c in found.items]
                        )
                        if draft.customer_id is not None
                        else set()
                    )
                if not found.items:
                    theme.empty_state('search_off', 'No products match', 'Try another name or code.')
                    return
                with ui.column().classes('w-full gap-0'):
                    for index, card in enumerate(found.items):
                        if index:
                            ui.separator()
                        with ui.row().classes('w-full items-center gap-3 q-py-sm wrap').mark(f'result-{card.code}'):
                            with ui.column().classes('col-grow gap-0 min-w-[200px]'):
                                ui.label(card.name).classes('text-body1 text-weight-medium')
                                ui.label(
                                    f'{card.code} · {theme.price(card.price_cents, currency)} per {card.unit} · '
                                    f'{card.free:,} free'
                                ).classes('text-caption text-grey-7')
                                if draft.customer_id is not None and card.id not in orderable:
                                    ui.label("Not in this customer's catalogue").classes(
                                        'text-caption text-negative'
                                    ).mark(f'not-orderable-{card.code}')
                            quantity = quantity_input().classes('w-24').mark(f'add-qty-{card.code}')
                            ui.button(
                                'Add line',
                                icon='add_shopping_cart',
                                on_click=lambda card=card, quantity=quantity: add(card, quantity),
                            ).props('unelevated dense no-caps color=primary q-px-sm').mark(f'add-{card.code}')
                if found.total > len(found.items):
                    ui.label(f'{found.total:,} products match; showing the first {len(found.items)}.').classes(
                        'text-caption text-grey-7'
                    )

            results()

        # --- 3. the lines --------------------------------------------------------------------------
        with ui.card().classes('w-full q-pa-md gap-3').props('flat bordered'):
            _section('list_alt', 'Lines', "At today's prices; stock is reserved when the order is placed.")

            def remove(product_id: int) -> None:
                draft.lines.pop(product_id, None)
                lines_view.refresh()

            def change(product_id: int, box: ui.input) -> None:
                line = draft.lines.get(product_id)
                if line is None:
                    return
                try:
                    line.quantity = current_order.parse_quantity(box.value)
                except ValidationError as e:
                    guard.report(e)
                    box.value = str(line.quantity)
                    return
                lines_view.refresh()

            @ui.refreshable
            def lines_view() -> None:
                if not draft.lines:
                    theme.empty_state('playlist_add', 'No lines yet', 'Search for products above and add them.')
                    return
                with db.read_session() as session:
                    ids = list(draft.lines)
                    free = catalogue.free_stock(session, product_ids=ids)
                    orderable = (
                        catalogue.orderable_ids(session, customer_id=draft.customer_id, product_ids=ids)
                        if draft.customer_id is not None
                        else set(ids)
                    )
                with ui.column().classes('w-full gap-0'):
                    for index, line in enumerate(draft.lines.values()):
                        if index:
                            ui.separator()
                        with ui.row().classes('w-full items-center gap-3 q-py-sm wrap').mark(f'line-{line.code}'):
                            with ui.column().classes('col-grow gap-0 min-w-[200px]'):
                                ui.label(line.name).classes('text-body1 text-weight-medium')
                                ships = min(line.quantity, free.get(line.product_id, 0))
                                later = line.quantity - ships
                                ui.label(
                                    f'{line.code} · {theme.price(line.unit_price_cents, currency)} per {line.unit} · '
                                    + (f'{ships:,} from stock, {later:,} on backorder' if later else 'all from stock')
                                ).classes('text-caption text-grey-7')
                                if line.product_id not in orderable:
                                    ui.label("Not in this customer's catalogue — remove this line").classes(
                                        'text-caption text-negative'
                                    )
                            box = (
                                ui.input('Qty', value=str(line.quantity))
                                .props('outlined dense inputmode=numeric maxlength=7')
                                .classes('w-24')
                                .mark(f'line-qty-{line.code}')
                            )
                            box.on('keydown.enter', lambda p=line.product_id, b=box: change(p, b))
                            box.on(
                                'blur',
                                lambda p=line.product_id, b=box, q=line.quantity: (
                                    None if str(b.value).strip() == str(q) else change(p, b)
                                ),
                            )
                            ui.label(theme.price(line.unit_price_cents * line.quantity, currency)).classes(
                                'text-subtitle1 text-weight-medium w-28 text-right'
                            )
                            ui.button(icon='delete_outline', on_click=lambda p=line.product_id: remove(p)).props(
                                'flat round color=grey-8 aria-label="Remove line"'
                            ).mark(f'remove-{line.code}')
                total = sum(line.unit_price_cents * line.quantity for line in draft.lines.values())
                units = sum(line.quantity for line in draft.lines.values())
                with ui.row().classes('w-full justify-end items-baseline gap-3'):
                    ui.label(theme.count(units, 'unit')).classes('text-body2 text-grey-7')
                    ui.label('Total').classes('text-subtitle1')
                    ui.label(theme.price(total, currency)).classes('text-h6 text-primary').mark('new-order-total')

            lines_view()

        # --- 4. address, reference, comment, place -----------------------------------------------------
        with ui.card().classes('w-full q-pa-md gap-3').props('flat bordered'):
            _section('local_shipping', 'Delivery and details')
            with ui.element('div').classes('w-full grid grid-cols-1 md:grid-cols-2 gap-4'):
                with ui.column().classes('w-full gap-2'):
                    ui.label('Delivery address').classes('text-subtitle2 text-grey-8')

                    @ui.refreshable
                    def address_view() -> None:
                        draft.chooser = None
                        if draft.customer_id is None:
                            ui.label('Choose the customer first.').classes('text-body2 text-grey-7')
                            return
                        with db.read_session() as session:
                            addresses = accounts.list_addresses(session, actor=who, customer_id=draft.customer_id)
                        draft.chooser = AddressChooser(addresses)
                        draft.chooser.save.set_visibility(False)  # a one-off address is used for this order only

                    address_view()
                with ui.column().classes('w-full gap-3'):
                    draft.reference = (
                        ui.input("Customer's reference (purchase order number)")
                        .props(f'outlined dense maxlength={current_order.MAX_REFERENCE_CHARS} counter')
                        .classes('w-full')
                        .mark('reference')
                    )
                    draft.comment = (
                        ui.textarea('Comment')
                        .props(f'outlined maxlength={current_order.MAX_COMMENT_CHARS} counter autogrow')
                        .classes('w-full')
                        .mark('comment')
                    )
            draft.button = (
                ui.button('Place order for the customer', icon='send', on_click=lambda: place(draft))
                .props('unelevated no-caps size=lg color=primary')
                .classes('self-end')
                .mark('place-for-customer')
            )
    return None
