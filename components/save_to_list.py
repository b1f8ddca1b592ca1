"""Saving to a list (app/orders/lists.py): a product from its card or page, or the whole current order. One dialog
per page, made once and opened for the product at hand."""

from __future__ import annotations

from nicegui import ui

from app.core import db, i18n
from app.core.i18n import _
from app.identity.auth import Identity
from app.orders import lists
from components import guard
from components.form_dialog import FormDialog
from components.quantity import QuantityField

NEW_LIST = 0  # the choice 'a new list'


@guard.customer_action
def save_to_list(
    who: Identity, view: SaveToList | None, product_id: int, quantity_field: QuantityField, list_id: int, new_name: str
) -> None:
    """Add the product, at the quantity its field holds, to the chosen list, or to a new one of that name."""
    with db.write_session() as session:
        if list_id == NEW_LIST:
            list_id = lists.create_list(session, actor=who, name=new_name).id
        total = lists.add_to_list(
            session, actor=who, list_id=list_id, product_id=product_id, quantity=quantity_field.value
        )
        name = lists.get_list(session, actor=who, list_id=list_id).name
    ui.notify(
        _('Saved to {list} ({quantity} in the list)').format(list=name, quantity=i18n.number(total)), type='positive'
    )
    if view is not None:
        view.saved(list_id)


@guard.customer_action
def save_order_as_list(who: Identity, view: SaveOrderAsList | None, name_field: ui.input) -> None:
    with db.write_session() as session:
        saved = lists.save_current_order(session, actor=who, name=name_field.value)
    ui.notify(_('Saved as the list {list}').format(list=saved.name), type='positive')
    if view is not None:
        view.dialog.close()
    ui.navigate.to(f'/lists/{saved.id}')


@guard.customer_action
def open_save_dialog(who: Identity, product_id: int, name: str, quantity_field: QuantityField) -> None:
    """The page's 'Save to a list' dialog (made at its first use) for this product; saving checks it all again."""
    client = ui.context.client
    dialog = getattr(client, 'sf_save_to_list', None)
    if dialog is None:
        with client.content:
            dialog = SaveToList(who)
        client.sf_save_to_list = dialog  # type: ignore[attr-defined]
    dialog.open(product_id, name, quantity_field)


class SaveToList:
    """'Save to a list': the customer's lists to choose from, or a new one."""

    def __init__(self, who: Identity) -> None:
        self.who = who
        self.product_id, self.quantity_field = 0, None
        self.last = NEW_LIST
        self.form = FormDialog('bookmark_add', _('Save to a list'))
        with self.form.card:
            self.product = ui.label().classes('text-body2 text-grey-8')
            self.choice = ui.select({}, label=_('List')).props('outlined dense').classes('w-full').mark('list-choice')
            self.new_name = (
                ui.input(_('Name of the new list'))
                .props('outlined dense maxlength=80')
                .classes('w-full')
                .mark('new-list-name')
            )
        self.choice.on_value_change(lambda: self.new_name.set_visibility(self.choice.value == NEW_LIST))
        self.form.buttons(_('Save'), icon='bookmark_add', on_click=self.save, mark='save-to-list')

    def open(self, product_id: int, name: str, quantity_field: QuantityField) -> None:
        with db.read_session() as session:
            mine = lists.list_lists(session, actor=self.who)
        options = {NEW_LIST: _('A new list…'), **{saved.id: saved.name for saved in mine}}
        self.choice.set_options(options, value=self.last if self.last in options else next(iter(options)))
        self.new_name.set_visibility(self.choice.value == NEW_LIST)
        self.product_id, self.quantity_field = product_id, quantity_field
        self.product.text = _('{name}: {quantity}').format(name=name, quantity=quantity_field.value or '')
        self.form.open()

    def save(self) -> object:
        return save_to_list(
            self, self.product_id, self.quantity_field, self.choice.value or NEW_LIST, self.new_name.value or ''
        )

    def saved(self, list_id: int) -> None:
        self.last = list_id
        self.new_name.value = ''
        self.form.close()


class SaveOrderAsList:
    """'Save this order as a list' on the current order: the dialog is made when first opened (ten elements fewer
    on every current-order page, where few save a list)."""

    def __init__(self) -> None:
        self.form: FormDialog | None = None

    def _make(self) -> FormDialog:
        with ui.context.client.content:
            form = FormDialog('bookmarks', _('Save this order as a list'))
        with form.card:
            ui.label(_('Your colleagues see the list too; it keeps the products and quantities.')).classes(
                'text-body2 text-grey-8'
            )
            self.name = (
                ui.input(_('Name of the list'))
                .props('outlined dense maxlength=80 autofocus')
                .classes('w-full')
                .mark('order-list-name')
            )
        form.buttons(
            _('Save as a list'),
            icon='bookmarks',
            on_click=lambda: save_order_as_list(self, self.name),
            mark='save-order-list',
        )
        return form

    @property
    def dialog(self) -> ui.dialog:
        if self.form is None:
            self.form = self._make()
        return self.form.dialog

    def open(self) -> None:
        self.dialog.open()
