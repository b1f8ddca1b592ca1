"""Changing an order that awaits the supplier's check, on the customer's order page: quantities, lines, the delivery
address, the reference and the comment, saved at once in one transaction (app/orders/order_changes.py); or
cancelling it with a reason.

The page sends the order's version it showed: checked by the supplier meanwhile, or changed in another window, the
service refuses and nothing changes; the message says so and the page shows the order as it is now.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from app.core import db
from app.core.errors import ValidationError
from app.core.i18n import _, ngettext
from app.identity.auth import Identity
from app.models import Address, AddressCreate
from app.orders import order_changes
from app.orders.orders import OrderView
from components import guard, theme
from components.address_form import AddressChooser
from components.confirm import confirm
from components.quantity import quantity_input


@guard.customer_action
def save_order_changes(
    who: Identity,
    number: str,
    version: int,
    quantities: dict,
    remove: list,
    address_id: int | None,
    new_address: AddressCreate | None,
    comment: str | None,
    reference: str | None,
    after: Callable[[], None] | None,
) -> None:
    try:
        with db.write_session() as session:
            order = order_changes.change_order(
                session,
                actor=who,
                number=number,
                version=version,
                quantities=quantities,
                remove=remove,
                address_id=address_id,
                new_address=new_address,
                comment=comment,
                reference=reference,
            )
            changed = order.version != version
    except ValidationError as error:
        if error.text in {order_changes.CHECKED_MESSAGE, order_changes.STALE_MESSAGE} and after:
            after()  # the order as it is now, under the message
        raise
    ui.notify(_('Your changes are saved; the reservations follow them.') if changed else _('Nothing was changed.'))
    if after:
        after()


@guard.customer_action
def cancel_my_order(
    who: Identity, number: str, version: int, reason: ui.textarea, after: Callable[[], None] | None
) -> None:
    with db.write_session() as session:
        order_changes.cancel_own_order(session, actor=who, number=number, version=version, reason=reason.value or '')
    ui.notify(_('{number} is cancelled.').format(number=number), type='positive')
    if after:
        after()


class OrderEditor:
    """The order's lines with their quantities, removing lines, and the details; Save sends them all at once."""

    def __init__(
        self, view: OrderView, currency: str, addresses: list[Address], *, on_done: Callable[[], None]
    ) -> None:
        order = view.order
        self.number, self.version, self.on_done = order.number, order.version, on_done
        self.fields: dict[int, ui.input] = {}
        self.removed: set[int] = set()
        with ui.card().classes('w-full q-pa-md gap-3').props('flat bordered').mark('order-editor'):
            with ui.row().classes('w-full items-center gap-2 no-wrap'):
                ui.icon('edit_note', size='24px').classes('text-primary')
                ui.label(_('Change this order')).classes('text-h6')
            theme.explain(
                _(
                    'Until the supplier checks it you can change the quantities, remove lines and change the '
                    'details. What you save is reserved from stock at once, the rest goes on backorder.'
                )
            )
            with ui.column().classes('w-full gap-0 sf-order-lines'):
                for line in view.lines:
                    self._line(line, currency)
            ui.separator()
            with ui.element('div').classes('w-full grid grid-cols-1 md:grid-cols-2 gap-4 items-start'):
                with ui.column().classes('w-full min-w-0 gap-3'):
                    self.reference = (
                        ui.input(_('Your reference (purchase order number)'), value=order.reference)
                        .props('outlined maxlength=60 counter')
                        .classes('w-full')
                        .mark('change-reference')
                    )
                    self.comment = (
                        ui.textarea(_('Comment for the supplier'), value=order.comment)
                        .props('outlined maxlength=2000 counter autogrow')
                        .classes('w-full')
                        .mark('change-comment')
                    )
                with ui.column().classes('w-full min-w-0 gap-2'):
                    ui.label(_('Delivery address')).classes('text-subtitle1 text-weight-medium')
                    city = ' '.join(part for part in (order.ship_postal_code, order.ship_city) if part)
                    ui.label(', '.join(p for p in (order.ship_recipient, order.ship_street, city) if p)).classes(
                        'text-body2'
                    )
                    self.other_address = ui.switch(_('Deliver to another address')).mark('change-address')
                    with ui.column().classes('w-full gap-2') as chooser_box:
                        self.chooser = AddressChooser(addresses)
                    chooser_box.bind_visibility_from(self.other_address, 'value')
            with ui.row().classes('w-full items-center justify-end gap-2 wrap'):
                ui.button(_('Cancel order'), icon='block', on_click=self.ask_cancel).props(
                    'flat no-caps color=negative'
                ).mark('cancel-my-order')
                ui.space()
                ui.button(_('Stop changing'), icon='close', on_click=on_done).props('flat no-caps color=grey-8').mark(
                    'stop-changing'
                )
                ui.button(_('Save changes'), icon='save', on_click=self.save).props('unelevated no-caps').mark(
                    'save-order-changes'
                )

    def _line(self, line, currency: str) -> None:
        with ui.row().classes('sf-order-line w-full items-center q-py-sm gap-x-4 gap-y-1 wrap md:flex-nowrap') as row:
            row.mark(f'change-line-{line.product_code}')
            with ui.column().classes('col gap-0 min-w-0 basis-64'):
                ui.label(f'{line.product_name} ({line.product_code})').classes('text-subtitle1 text-weight-medium')
                held = [ngettext('{n} reserved', '{n} reserved', line.allocated)] if line.allocated else []
                if line.backorder:
                    held.append(ngettext('{n} on backorder', '{n} on backorder', line.backorder))
                ui.label(' · '.join(held) or '—').classes('text-caption text-grey-7').mark(
                    f'change-held-{line.product_code}'
                )
            with ui.row().classes('items-center gap-3 no-wrap'):
                field = quantity_input(line.quantity).classes('w-24').mark(f'change-qty-{line.product_code}')
                ui.label(theme.price(line.unit_price_cents, currency)).classes('text-body2 text-grey-8 w-24 text-right')
                toggle = ui.button(icon='delete_outline').props('flat round color=grey-8')
                toggle.props(theme.aria_label(_('Remove line'))).mark(f'change-remove-{line.product_code}')
        self.fields[line.id] = field

        def flip() -> None:
            if line.id in self.removed:
                self.removed.discard(line.id)
                row.classes(remove='sf-removed opacity-50 line-through')
                field.enable()
                toggle.props('icon=delete_outline')
            else:
                self.removed.add(line.id)
                row.classes(add='sf-removed opacity-50 line-through')
                field.disable()
                toggle.props('icon=undo')

        toggle.on_click(flip)

    def save(self) -> object:
        other = bool(self.other_address.value)
        return save_order_changes(
            self.number,
            self.version,
            {line_id: str(field.value or '') for line_id, field in self.fields.items() if line_id not in self.removed},
            sorted(self.removed),
            self.chooser.address_id if other else None,
            self.chooser.new_address() if other else None,
            self.comment.value or '',
            self.reference.value or '',
            self.on_done,
        )

    def ask_cancel(self) -> object:
        reason: list[ui.textarea] = []
        return confirm(
            _('Cancel {number}?').format(number=self.number),
            _('The whole order is cancelled and what is reserved for it becomes free again. This cannot be undone.'),
            yes=_('Cancel order'),
            no=_('Keep it'),
            yes_icon='block',
            mark='confirm-cancel-my-order',
            details=lambda: reason.append(
                ui.textarea(_('Reason (optional)')).props('outlined autogrow maxlength=300').classes('w-full')
            ),
            then=lambda: cancel_my_order(self.number, self.version, reason[0], self.on_done),
        )
