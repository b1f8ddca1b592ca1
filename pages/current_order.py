"""The current order: change quantities, see what ships now, add a comment and address, place it."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from nicegui import run, ui

from app import accounts, current_order, db, ordering, portal_settings
from app.auth import Identity
from app.errors import ValidationError
from app.models import Role
from components import guard, live, theme
from components.address_form import AddressChooser
from components.frame import frame
from components.product_card import product_image


@guard.customer_action
def change_quantity(who: Identity, product_id: int, field: ui.input, shown: int) -> None:
    try:
        with db.write_session() as session:
            current_order.set_quantity(session, actor=who, product_id=product_id, quantity=field.value)
    except ValidationError:
        field.value = str(shown)  # show the quantity that still holds, not the refused text
        raise


@guard.customer_action
def remove_line(who: Identity, product_id: int) -> None:
    with db.write_session() as session:
        current_order.remove(session, actor=who, product_id=product_id)
    ui.notify('Line removed')


@guard.customer_action
def save_details(who: Identity, comment: ui.textarea, reference: ui.input) -> None:
    with db.write_session() as session:
        current_order.update_details(session, actor=who, comment=comment.value or '', reference=reference.value or '')


def _outcome(line: current_order.CurrentLine) -> tuple[str, str]:
    if not line.available:
        return 'No longer available — remove this line', 'text-negative'
    if line.to_backorder == 0:
        return f'{line.ships_now:,} ship from stock', 'text-positive'
    if line.ships_now == 0:
        return f'All {line.to_backorder:,} go on backorder', 'text-orange-9'
    return f'{line.ships_now:,} ship from stock, {line.to_backorder:,} go on backorder', 'text-orange-9'


@ui.page('/current-order')
def current_order_page(request: Request) -> Response | None:
    who = guard.page_identity(request, Role.CUSTOMER)
    if not isinstance(who, Identity):
        return who
    with db.write_session() as session:
        draft = current_order.get_or_create(session, actor=who)
        placement_key, comment_text, reference_text = draft.placement_key, draft.comment, draft.reference
    with db.read_session() as session:
        currency = portal_settings.currency(session)
        addresses = accounts.list_addresses(session, actor=who, customer_id=who.customer_id)

    with frame(who, title='Current order', active='/current-order'):
        product_ids: list[int] = []

        @ui.refreshable
        def lines_view() -> None:
            with db.read_session() as session:
                lines = current_order.lines(session, actor=who)
                summary = current_order.summary(session, actor=who)
            product_ids[:] = [line.product_id for line in lines]
            place_button.set_enabled(bool(summary.lines))
            details_card.set_visibility(bool(summary.lines))  # an empty order cannot be placed: no form for it
            if not lines:
                theme.empty_state(
                    'remove_shopping_cart',
                    'Your current order is empty',
                    'Add products from the catalogue; they stay here until you place the order.',
                )
                with ui.row().classes('w-full justify-center'):
                    ui.button(
                        'Browse products', icon='inventory_2', on_click=lambda: ui.navigate.to('/products')
                    ).props('unelevated')
                return
            with ui.card().classes('w-full q-pa-none'):
                for index, line in enumerate(lines):
                    if index:
                        ui.separator()
                    with (
                        ui.row()
                        .classes('w-full items-center q-pa-md gap-4 wrap md:no-wrap')
                        .mark(f'line-{line.product_id}')
                    ):
                        with ui.link(target=f'/products/{line.product_id}'):
                            product_image(line.image_id, classes='w-16 h-16 rounded-borders bg-white')
                        with ui.column().classes('col-grow gap-0 min-w-[180px]'):
                            ui.link(line.name, f'/products/{line.product_id}').classes(
                                'text-subtitle1 text-weight-medium text-grey-9 no-underline'
                            )
                            ui.label(
                                f'{line.code} · {theme.price(line.unit_price_cents, currency)} per {line.unit}'
                            ).classes('text-caption text-grey-7')
                            text, tone = _outcome(line)
                            ui.label(text).classes(f'text-body2 {tone}').mark(f'outcome-{line.product_id}')
                        field = (
                            ui.input('Qty', value=str(line.quantity))
                            .props('outlined dense inputmode=numeric maxlength=7')
                            .classes('w-24')
                            .mark(f'qty-{line.product_id}')
                        )
                        field.on(
                            'keydown.enter',
                            lambda p=line.product_id, f=field, q=line.quantity: change_quantity(p, f, q),
                        )
                        field.on(
                            'blur',
                            lambda p=line.product_id, f=field, q=line.quantity: (
                                None if str(f.value).strip() == str(q) else change_quantity(p, f, q)
                            ),
                        )
                        ui.label(theme.price(line.line_total_cents, currency)).classes(
                            'text-subtitle1 text-weight-medium w-28 text-right'
                        )
                        ui.button(icon='delete_outline', on_click=lambda p=line.product_id: remove_line(p)).props(
                            'flat round color=grey-8 aria-label="Remove line"'
                        ).mark(f'remove-{line.product_id}')
            with ui.row().classes('w-full justify-end items-baseline gap-3 q-pr-md'):
                ui.label(f'{summary.units:,} units').classes('text-body2 text-grey-7')
                ui.label('Total').classes('text-subtitle1')
                ui.label(theme.price(summary.total_cents, currency)).classes('text-h5 text-primary').mark('order-total')

        lines_container = ui.column().classes('w-full gap-3')

        with ui.card().classes('w-full q-pa-lg gap-3') as details_card:
            ui.label('Order details').classes('text-h6')
            with ui.row().classes('w-full gap-4 wrap md:no-wrap items-start'):
                with ui.column().classes('w-full md:w-1/2 gap-3'):
                    reference = (
                        ui.input('Your reference (purchase order number)', value=reference_text)
                        .props('outlined maxlength=60 counter')
                        .classes('w-full')
                    )
                    comment = (
                        ui.textarea('Comment for the supplier', value=comment_text)
                        .props('outlined maxlength=2000 counter autogrow')
                        .classes('w-full')
                    )
                    reference.on('blur', lambda: save_details(comment, reference))
                    comment.on('blur', lambda: save_details(comment, reference))
                with ui.column().classes('w-full md:w-1/2 gap-2'):
                    ui.label('Delivery address').classes('text-subtitle1 text-weight-medium')
                    chooser = AddressChooser(addresses)

            place_button = (
                ui.button('Place order', icon='send', on_click=lambda: place_order())
                .props('unelevated size=lg')
                .classes('self-end')
                .mark('place-order')
            )

        @guard.customer_action
        async def place_order(who_now: Identity) -> None:
            place_button.props('loading')
            try:
                new_address = chooser.new_address()

                def write() -> str:
                    with db.write_session() as session:
                        order = ordering.place_current_order(
                            session,
                            actor=who_now,
                            placement_key=placement_key,
                            address_id=chooser.address_id,
                            new_address=new_address,
                            save_address=bool(chooser.save.value),
                            comment=comment.value or '',
                            reference=reference.value or '',
                        )
                        return order.number

                number = await run.io_bound(write)
            finally:
                place_button.props(remove='loading')
            ui.navigate.to(f'/orders/{number}?placed=1')

        with lines_container:
            lines_view()

        stop_stock_listener = [lambda: None]

        def listen_to_stock() -> None:  # the lines' products change, so do the stock topics
            stop_stock_listener[0]()
            stop_stock_listener[0] = live.listen([('stock', p) for p in product_ids], refresh)

        def refresh() -> None:
            lines_view.refresh()
            listen_to_stock()

        listen_to_stock()
        # a product leaving the customer's catalogue makes its line unavailable
        live.listen([('current_order', who.user_id), ('catalogue', who.customer_id)], refresh)
    return None
