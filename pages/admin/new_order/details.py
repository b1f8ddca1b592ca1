"""The Delivery and details card of the new order: the customer's address (or a one-off one), reference, comment,
and placing the order."""

from __future__ import annotations

from nicegui import run, ui

from app.core import db
from app.core.i18n import _
from app.identity import accounts
from app.identity.auth import Identity
from app.orders import current_order, ordering
from components import guard
from components.address_form import AddressChooser
from components.section import section
from pages.admin.new_order.draft import Draft


class DeliveryDetails:
    def __init__(self, who: Identity, draft: Draft) -> None:
        self.who, self.draft = who, draft
        with section(_('Delivery and details'), 'local_shipping', bordered=True):
            with ui.element('div').classes('w-full grid grid-cols-1 md:grid-cols-2 gap-4'):
                with ui.column().classes('w-full gap-2'):
                    ui.label(_('Delivery address')).classes('text-subtitle2 text-grey-8')
                    self.address()
                with ui.column().classes('w-full gap-3'):
                    draft.reference = (
                        ui.input(_("Customer's reference (purchase order number)"))
                        .props(f'outlined dense maxlength={current_order.MAX_REFERENCE_CHARS} counter')
                        .classes('w-full')
                        .mark('reference')
                    )
                    draft.comment = (
                        ui.textarea(_('Comment'))
                        .props(f'outlined maxlength={current_order.MAX_COMMENT_CHARS} counter autogrow')
                        .classes('w-full')
                        .mark('comment')
                    )
            draft.button = (
                ui.button(_('Place order for the customer'), icon='send', on_click=lambda: place(draft))
                .props('unelevated no-caps size=lg color=primary')
                .classes('self-end')
                .mark('place-for-customer')
            )

    @ui.refreshable_method
    def address(self) -> None:
        draft = self.draft
        draft.chooser = None
        if draft.customer_id is None:
            ui.label(_('Choose the customer first.')).classes('text-body2 text-grey-7')
            return
        with db.read_session() as session:
            addresses = accounts.list_addresses(session, actor=self.who, customer_id=draft.customer_id)
        draft.chooser = AddressChooser(addresses, offer_saving=False)  # a one-off address: for this order only


@guard.admin_action
async def place(who: Identity, draft: Draft) -> None:
    """Place the order through the service, then open it."""
    if draft.customer_id is None:
        ui.notify(_('Choose the customer first.'), type='negative')
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
    ui.notify(_('The order is placed for the customer.'), type='positive')
    ui.navigate.to(f'/admin/orders/{order_id}')
