"""The current order: change quantities, see what ships now, add a comment and address, place it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import run, ui

from app.catalogue import related
from app.core import db, portal_settings
from app.core.errors import ValidationError
from app.core.i18n import N_, _
from app.identity import accounts
from app.identity.auth import Identity
from app.models import Address, CurrentOrder, Role
from app.orders import current_order, ordering
from app.pricing import terms
from components import current_order_glance, guard, live
from components.address_form import AddressChooser
from components.order_lines import OrderLines, PriceChanges, UndoRemove
from components.page import portal_page
from components.quantity import QuantityField
from components.save_to_list import SaveOrderAsList


@guard.customer_action
def change_quantity(who: Identity, product_id: int, field: QuantityField, shown: int) -> None:
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
    ui.notify(_('Line back in your current order') if restored else _('This product is in your current order again'))


@guard.customer_action
def save_details(who: Identity, comment: ui.textarea, reference: ui.input) -> None:
    with db.write_session() as session:
        current_order.update_details(session, actor=who, comment=comment.value or '', reference=reference.value or '')


@portal_page('/current-order', role=Role.CUSTOMER, title=N_('Current order'), menu='/current-order')
def current_order_page(who: Identity) -> None:
    with db.read_session() as session:
        draft = current_order.find(session, actor=who)
        currency = portal_settings.currency(session)
        addresses = accounts.list_addresses(session, actor=who, customer_id=who.customer_id)
    if draft is None:  # the first visit: only then does opening the page write
        with db.write_session() as session:
            draft = current_order.get_or_create(session, actor=who)
    with ui.row().classes('w-full items-center justify-end gap-2 wrap'):
        ui.button(_('Quick order by code'), icon='bolt', on_click=lambda: ui.navigate.to('/quick-order')).props(
            'flat no-caps'
        ).mark('to-quick-order')
        saving = SaveOrderAsList()
        save_list = (
            ui.button(_('Save this order as a list'), icon='bookmarks', on_click=saving.open)
            .props('flat no-caps')
            .mark('save-order-as-list')
        )
    CurrentOrderView(who, draft, currency, addresses, save_list=save_list)


class CurrentOrderView:
    """The lines, the order details and Place, drawn again from the database after every change, own or live."""

    def __init__(
        self,
        who: Identity,
        draft: CurrentOrder,
        currency: str,
        addresses: list[Address],
        save_list: ui.button | None = None,
    ) -> None:
        self.who, self.page = who, ui.context.client
        self.save_list = save_list  # 'Save this order as a list': shown while there are lines to save
        self.placement_key = draft.placement_key
        self.placing = False
        # what the page shows, and the key read with it: Place sends both, the service places only that
        self.shown: list[current_order.CurrentLine] = []
        self.agreed: dict[int, int] = {}  # product id -> the unit price the customer has seen and not been asked about
        self.listened: list[int] | None = None
        self.stop_listening: Callable[[], None] | None = None
        self.place_order = guard.customer_action(self._place_order)

        self.undo = UndoRemove(
            name_of=lambda p: self.lines.rows[p].name if p in self.lines.rows else None,
            on_undo=lambda p, q: self.own(restore_line(p, q)),
        )
        self.lines = OrderLines(
            currency,
            on_quantity=lambda row, typed: self.own(change_quantity(row.product_id, typed, row.quantity)),
            on_remove=lambda p: self.own(remove_line(p, self.undo)),
        )
        self._details(draft, currency, addresses)
        self.refresh()
        # a product leaving the customer's catalogue makes its line unavailable
        # ('catalogue',): prices, VAT and ordering rules changed (app/pricing), for the totals and the price banner
        live.listen([('current_order', who.user_id), ('catalogue', who.customer_id), ('catalogue',)], self.refresh)

    def _details(self, draft: CurrentOrder, currency: str, addresses: list[Address]) -> None:
        with ui.card().classes('w-full q-pa-lg gap-3') as self.details_card:
            ui.label(_('Order details')).classes('text-h6')
            with (
                ui.element('div')
                .classes('w-full grid grid-cols-1 md:grid-cols-2 gap-4 items-start')
                .classes('sf-details-layout')
            ):
                with ui.column().classes('w-full min-w-0 gap-3'):
                    reference = (
                        ui.input(_('Your reference (purchase order number)'), value=draft.reference)
                        .props('outlined maxlength=60 counter')
                        .classes('w-full')
                    )
                    comment = (
                        ui.textarea(_('Comment for the supplier'), value=draft.comment)
                        .props('outlined maxlength=2000 counter autogrow')
                        .classes('w-full')
                    )
                    reference.on('blur', lambda: save_details(comment, reference))
                    comment.on('blur', lambda: save_details(comment, reference))
                    self.reference, self.comment = reference, comment
                with ui.column().classes('w-full min-w-0 gap-2'):
                    ui.label(_('Delivery address')).classes('text-subtitle1 text-weight-medium')
                    self.chooser = AddressChooser(addresses)

            self.prices = PriceChanges(currency, on_accept=self.place_at_new_prices)
            self.place_button = (
                ui.button(_('Place order'), icon='send', on_click=lambda: self.place_order())
                .props('unelevated size=lg')
                .classes('self-end')
                .mark('place-order')
            )

    async def own(self, change: Awaitable[None]) -> None:
        """A change made on this page shows at once, so a Place right after it sends what the page shows."""
        await change
        with self.page:  # (as a live refresh: the clicked element may be gone)
            self.refresh()

    async def _place_order(self, who_now: Identity) -> None:
        self.placing = True  # the lines are about to go: no redrawing them for changes meanwhile
        self.place_button.props('loading')
        chooser, comment, reference = self.chooser, self.comment.value or '', self.reference.value or ''
        try:
            new_address = chooser.new_address()
            key, showing = self.placement_key, current_order.shown_of(self.shown, self.agreed)

            def write() -> str:
                with db.write_session() as session:
                    order = ordering.place_current_order(
                        session,
                        actor=who_now,
                        placement_key=key,
                        shown=showing,
                        address_id=chooser.address_id,
                        new_address=new_address,
                        save_address=chooser.save_address,
                        comment=comment,
                        reference=reference,
                    )
                    return order.number

            number = await run.io_bound(write)
        except ordering.PricesChanged:
            self.placing = False
            self.refresh()
            if self.prices.changes:  # listed above the Place button, which asks again: no toast over it
                return
            raise
        except Exception:
            self.placing = False
            self.refresh()
            raise
        finally:
            self.place_button.props(remove='loading')
        ui.navigate.to(f'/orders/{number}?placed=1')

    def place_at_new_prices(self, changes: dict[int, int]) -> object:
        self.agreed.update(changes)
        self.prices.show(self.shown, self.agreed)
        return self.place_order()

    def refresh(self) -> None:
        if self.placing:
            return
        with db.read_session() as session:
            contents = current_order.contents(session, actor=self.who)
            order_lines = contents.lines
            read_with_them = current_order.find(session, actor=self.who)
            out_of_stock = [line.product_id for line in order_lines if line.ships_now == 0 and line.to_backorder > 0]
            instead = related.in_stock_alternatives(session, actor=self.who, product_ids=out_of_stock)
            portal = terms.portal_terms(session)
        if read_with_them is not None:  # after a placement elsewhere: the new key, for the lines shown now
            self.placement_key = read_with_them.placement_key
        self.shown = order_lines
        self.agreed = {line.product_id: self.agreed.get(line.product_id, line.unit_price_cents) for line in order_lines}
        self.prices.show(order_lines, self.agreed)
        summary = contents.summary
        current_order_glance.share(summary)  # the menu's glance shows it too, without reading it again
        self.lines.show(order_lines, summary, instead=instead, portal=portal)
        self.place_button.set_enabled(bool(summary.lines) and not summary.missing_cents)  # (placing checks it too)
        self.details_card.set_visibility(bool(summary.lines))  # an empty order cannot be placed: no form for it
        if self.save_list is not None:
            self.save_list.set_visibility(bool(summary.lines))
        self.listen_to_stock()

    def listen_to_stock(self) -> None:  # the lines' products change, so do the stock topics
        if self.lines.product_ids != self.listened:
            if self.stop_listening:
                self.stop_listening()
            self.listened = self.lines.product_ids
            self.stop_listening = live.listen([('stock', p) for p in self.listened], self.refresh)
