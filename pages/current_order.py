"""The current order: change quantities, see what ships now, add a comment and address, place it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.responses import Response
from nicegui import run, ui

from app.core import db, portal_settings
from app.core.errors import ValidationError
from app.identity import accounts
from app.identity.auth import Identity
from app.models import Role
from app.orders import current_order, ordering
from components import guard, live
from components.address_form import AddressChooser
from components.frame import frame
from components.order_lines import OrderLines, PriceChanges, UndoRemove


@guard.customer_action
def change_quantity(who: Identity, product_id: int, field: ui.input, shown: int) -> None:
    try:
        with db.write_session() as session:
            current_order.set_quantity(session, actor=who, product_id=product_id, quantity=field.value)
    except ValidationError:
        field.value = str(shown)  # show the quantity that still holds, not the refused text
        raise


@guard.customer_action
def remove_line(who: Identity, product_id: int, undo: UndoRemove | None) -> None:
    with db.write_session() as session:
        removed = current_order.remove(session, actor=who, product_id=product_id)
    if undo is not None and removed:
        undo.offer(product_id, removed)


@guard.customer_action
def restore_line(who: Identity, product_id: int, quantity: int) -> None:
    """Undo a removal: the product goes back in with the quantity it had, once (if it can still be ordered)."""
    with db.write_session() as session:
        restored = current_order.restore(session, actor=who, product_id=product_id, quantity=quantity)
    ui.notify('Line back in your current order' if restored else 'This product is in your current order again')


@guard.customer_action
def save_details(who: Identity, comment: ui.textarea, reference: ui.input) -> None:
    with db.write_session() as session:
        current_order.update_details(session, actor=who, comment=comment.value or '', reference=reference.value or '')


@ui.page('/current-order')
def current_order_page(request: Request) -> Response | None:
    who = guard.page_identity(request, Role.CUSTOMER)
    if not isinstance(who, Identity):
        return who
    with db.read_session() as session:
        draft = current_order.find(session, actor=who)
        currency = portal_settings.currency(session)
        addresses = accounts.list_addresses(session, actor=who, customer_id=who.customer_id)
    if draft is None:  # the first visit: only then does opening the page write
        with db.write_session() as session:
            draft = current_order.get_or_create(session, actor=who)
    placement_key, comment_text, reference_text = draft.placement_key, draft.comment, draft.reference

    with frame(who, title='Current order', active='/current-order'):
        page = ui.context.client

        async def own(change: Awaitable[None]) -> None:
            """A change made on this page shows at once, so a Place right after it sends what the page shows."""
            await change
            with page:  # (as a live refresh: the clicked element may be gone)
                refresh()

        undo = UndoRemove(
            name_of=lambda p: lines.rows[p].name if p in lines.rows else None,
            on_undo=lambda p, q: own(restore_line(p, q)),
        )
        lines = OrderLines(
            currency,
            on_quantity=lambda row: own(change_quantity(row.product_id, row.field, row.quantity)),
            on_remove=lambda p: own(remove_line(p, undo)),
        )
        placing = False
        # what the page shows, and the key read with it: Place sends both, the service places only that
        shown: list[current_order.CurrentLine] = []
        agreed: dict[int, int] = {}  # product id -> the unit price the customer has seen and not been asked about

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

            prices = PriceChanges(currency, on_accept=lambda changes: place_at_new_prices(changes))
            place_button = (
                ui.button('Place order', icon='send', on_click=lambda: place_order())
                .props('unelevated size=lg')
                .classes('self-end')
                .mark('place-order')
            )

        @guard.customer_action
        async def place_order(who_now: Identity) -> None:
            nonlocal placing
            placing = True  # the lines are about to go: no redrawing them for changes meanwhile
            place_button.props('loading')
            try:
                new_address = chooser.new_address()
                key, showing = placement_key, current_order.shown_of(shown, agreed)

                def write() -> str:
                    with db.write_session() as session:
                        order = ordering.place_current_order(
                            session,
                            actor=who_now,
                            placement_key=key,
                            shown=showing,
                            address_id=chooser.address_id,
                            new_address=new_address,
                            save_address=bool(chooser.save.value),
                            comment=comment.value or '',
                            reference=reference.value or '',
                        )
                        return order.number

                number = await run.io_bound(write)
            except ordering.PricesChanged:
                placing = False
                refresh()
                if prices.changes:  # listed above the Place button, which asks again: no toast over it
                    return
                raise
            except Exception:
                placing = False
                refresh()
                raise
            finally:
                place_button.props(remove='loading')
            ui.navigate.to(f'/orders/{number}?placed=1')

        def place_at_new_prices(changes: dict[int, int]) -> object:
            agreed.update(changes)
            prices.show(shown, agreed)
            return place_order()

        def refresh() -> None:
            nonlocal placement_key, shown, agreed
            if placing:
                return
            with db.read_session() as session:
                order_lines = current_order.lines(session, actor=who)
                read_with_them = current_order.find(session, actor=who)
            if read_with_them is not None:  # after a placement elsewhere: the new key, for the lines shown now
                placement_key = read_with_them.placement_key
            shown = order_lines
            agreed = {line.product_id: agreed.get(line.product_id, line.unit_price_cents) for line in order_lines}
            prices.show(order_lines, agreed)
            summary = current_order.summary_of(order_lines)
            lines.show(order_lines, summary)
            place_button.set_enabled(bool(summary.lines))
            details_card.set_visibility(bool(summary.lines))  # an empty order cannot be placed: no form for it
            listen_to_stock()

        listened: list[int] | None = None
        stop_listening: Callable[[], None] | None = None

        def listen_to_stock() -> None:  # the lines' products change, so do the stock topics
            nonlocal listened, stop_listening
            if lines.product_ids != listened:
                if stop_listening:
                    stop_listening()
                listened = lines.product_ids
                stop_listening = live.listen([('stock', p) for p in listened], refresh)

        refresh()
        # a product leaving the customer's catalogue makes its line unavailable
        live.listen([('current_order', who.user_id), ('catalogue', who.customer_id)], refresh)
    return None
