"""Saved lists: the customer's named lists, shared by its users, and one list with today's price and stock of
each product, its quantities to change, and adding all or the chosen lines to the current order."""

from __future__ import annotations

import hashlib
import secrets

from nicegui import ui

from app.core import db, i18n, portal_settings
from app.core.errors import NotFound
from app.core.i18n import N_, _, ngettext
from app.identity.auth import Identity
from app.models import Role
from app.orders import lists
from app.orders.lists import ListLine, ListView
from app.pricing import terms
from components import guard, live, prices, theme
from components.batch_outcome import show_outcome
from components.confirm import confirm
from components.form_dialog import FormDialog
from components.frame import Frame
from components.page import portal_page, url_id
from components.product_card import StockLabel, product_image
from components.quantity import quantity_input

MISSING = (N_('This list'), N_('Back to your lists'), '/lists')


@guard.customer_action
def create_list(who: Identity, name_field: ui.input) -> None:
    with db.write_session() as session:
        saved = lists.create_list(session, actor=who, name=name_field.value)
    ui.navigate.to(f'/lists/{saved.id}')


@guard.customer_action
def rename_list(who: Identity, list_id: int, name_field: ui.input, dialog: FormDialog | None) -> None:
    with db.write_session() as session:
        lists.rename_list(session, actor=who, list_id=list_id, name=name_field.value)
    if dialog is not None:
        dialog.close()


@guard.customer_action
def delete_list(who: Identity, list_id: int) -> None:
    with db.write_session() as session:
        lists.delete_list(session, actor=who, list_id=list_id)
    ui.notify(_('The list is deleted.'))
    ui.navigate.to('/lists')


@guard.customer_action
def change_list_quantity(who: Identity, list_id: int, product_id: int, field: ui.input, shown: int) -> None:
    try:
        with db.write_session() as session:
            lists.set_list_quantity(session, actor=who, list_id=list_id, product_id=product_id, quantity=field.value)
    except Exception:
        field.value = str(shown)  # the quantity that still holds, not the refused text
        raise


@guard.customer_action
def remove_from_list(who: Identity, list_id: int, product_id: int) -> None:
    with db.write_session() as session:
        lists.remove_from_list(session, actor=who, list_id=list_id, product_id=product_id)


@guard.customer_action
def add_list_to_order(who: Identity, list_id: int, key: str, product_ids: list[int] | None, currency: str) -> None:
    """All lines (product_ids None) or the chosen ones; `key` is the page's, so a double click adds them once."""
    with db.write_session() as session:
        outcome = lists.add_list_to_order(session, actor=who, list_id=list_id, key=key, product_ids=product_ids)
    show_outcome(outcome, currency)


@portal_page('/lists', role=Role.CUSTOMER, title=N_('Saved lists'), menu='/lists')
def lists_page(who: Identity) -> None:
    with ui.card().classes('w-full q-pa-lg gap-2'):
        theme.explain(_('Lists of products you order again and again, shared with your colleagues.'))
        with ui.row().classes('w-full items-center gap-2 no-wrap'):
            name = (
                ui.input(_('Name of a new list'))
                .props('outlined dense maxlength=80')
                .classes('col min-w-0')
                .mark('new-list-name')
            )
            name.on('keydown.enter', lambda: create_list(name))
            ui.button(_('New list'), icon='add', on_click=lambda: create_list(name)).props('unelevated no-caps').mark(
                'create-list'
            )

    @ui.refreshable
    def overview() -> None:
        with db.read_session() as session:
            mine = lists.list_lists(session, actor=who)
        if not mine:
            theme.empty_state(
                'bookmarks',
                _('No lists yet'),
                _('Make one here, or save a product or your current order as a list.'),
            )
            return
        with ui.element('div').classes('w-full grid grid-cols-1 sm:grid-cols-2 lg:grid-cols-3 gap-3'):
            for saved in mine:
                with (
                    ui.link(target=f'/lists/{saved.id}').classes('no-underline text-inherit').mark(f'list-{saved.id}'),
                    ui.card().classes('w-full q-pa-md cursor-pointer hover:shadow-3 gap-1').props('flat bordered'),
                ):
                    with ui.row().classes('items-center gap-2 no-wrap'):
                        ui.icon('bookmarks', size='24px').classes('text-primary')
                        ui.label(saved.name).classes('text-subtitle1 text-weight-medium ellipsis')
                    ui.label(
                        _('{products} · changed {moment}').format(
                            products=theme.count(saved.lines, 'product'), moment=i18n.day(saved.updated_at)
                        )
                    ).classes('text-body2 text-grey-7')

    overview()
    live.listen([('lists', who.customer_id)], overview.refresh)


@portal_page('/lists/{list_id}', role=Role.CUSTOMER, title=N_('Saved list'), menu='/lists', missing=MISSING)
def list_page(who: Identity, frame: Frame, list_id: str) -> None:
    with db.read_session() as session:
        view = lists.get_list(session, actor=who, list_id=url_id(list_id))
        currency = portal_settings.currency(session)
        portal = terms.portal_terms(session)
    ListPage(who, frame, view, currency, portal)


class ListPage:
    def __init__(self, who: Identity, frame: Frame, view: ListView, currency: str, portal: terms.PortalTerms) -> None:
        self.who, self.frame, self.list_id, self.currency, self.portal = who, frame, view.id, currency, portal
        self.key = secrets.token_urlsafe(16)
        self.updated_at = view.updated_at
        self.chosen: dict[int, ui.checkbox] = {}
        self.rename = FormDialog('edit', _('Rename the list'))
        with self.rename.card:
            self.new_name = ui.input(_('Name'), value=view.name).props('outlined dense maxlength=80').classes('w-full')
        self.rename.buttons(
            _('Rename'),
            icon='check',
            on_click=lambda: rename_list(self.list_id, self.new_name, self.rename),
            mark='rename-list-save',
        )
        ui.link(_('← All lists'), '/lists').classes('text-body2')
        self.body = ui.column().classes('w-full gap-3')
        self.draw(view)
        live.listen([('lists', who.customer_id), ('catalogue', who.customer_id), ('catalogue',)], self.refresh)

    def refresh(self) -> None:
        with db.read_session() as session:
            try:
                view = lists.get_list(session, actor=self.who, list_id=self.list_id)
            except NotFound:  # deleted by a colleague
                ui.navigate.to('/lists')
                return
        self.draw(view)

    def key_for(self, product_ids: list[int] | None) -> str:
        """The page's key for adding these lines of the list as it is now: a double click sends the same one (and
        adds once); other lines, or the list changed meanwhile, make another."""
        what = f'{self.updated_at.isoformat()}|{"all" if product_ids is None else sorted(product_ids)}'
        return f'{self.key}-{hashlib.sha256(what.encode()).hexdigest()[:16]}'

    def draw(self, view: ListView) -> None:
        self.frame.set_title(view.name)
        self.updated_at = view.updated_at
        self.body.clear()
        self.chosen = {}
        available = [line for line in view.lines if line.available]
        with self.body:
            with ui.row().classes('w-full items-center gap-2 wrap'):
                ui.label(view.name).classes('text-h5 text-weight-medium').mark('list-name')
                ui.space()
                ui.button(_('Rename'), icon='edit', on_click=self.rename.open).props('flat no-caps').mark('rename-list')
                ui.button(
                    _('Delete'),
                    icon='delete',
                    on_click=lambda: confirm(
                        _('Delete this list?'),
                        _("The list '{name}' is deleted for your colleagues too.").format(name=view.name),
                        yes=_('Delete the list'),
                        then=lambda: delete_list(self.list_id),
                    ),
                ).props('flat no-caps color=negative').mark('delete-list')
            if not view.lines:
                theme.empty_state(
                    'bookmark_border',
                    _('This list is empty'),
                    _('Add products from the catalogue with the bookmark button, or save a current order as a list.'),
                )
                return
            with ui.card().classes('w-full q-pa-none gap-0'), ui.column().classes('w-full gap-0 sf-order-lines'):
                for line in view.lines:
                    self._line(line)
            with ui.row().classes('w-full items-center justify-end gap-3 wrap'):
                ui.label(
                    _('{lines} · {total} excluding VAT at today’s prices').format(
                        lines=theme.count(len(available), 'line'), total=theme.price(view.total_cents, self.currency)
                    )
                ).classes('text-body2 text-grey-8').mark('list-total')
                ui.button(_('Add the chosen lines'), icon='playlist_add_check', on_click=self.add_chosen).props(
                    'outline no-caps'
                ).mark('add-chosen')
                ui.button(
                    ngettext('Add it to the current order', 'Add all {n} to the current order', len(available)),
                    icon='add_shopping_cart',
                    on_click=self.add_all,
                ).props('unelevated no-caps').mark('add-all').set_enabled(bool(available))

    def _line(self, line: ListLine) -> None:
        with (
            ui.row()
            .classes('w-full items-center gap-3 q-pa-md sf-order-line wrap')
            .mark(f'list-line-{line.product_id}' if line.available else 'list-line-unavailable')
        ):
            if not line.available:
                ui.icon('block', size='40px').classes('text-grey-5 flex-none')
                with ui.column().classes('col gap-0 min-w-0'):
                    ui.label(_('No longer available')).classes('text-subtitle2 text-negative')
                    ui.label(_('This product is not in your catalogue any more.')).classes('text-caption text-grey-7')
                self._remove_button(line)
                return
            with ui.row().classes('col items-center gap-3 no-wrap min-w-[220px]'):
                self.chosen[line.product_id] = (
                    ui.checkbox().props(theme.aria_label(_('Choose'))).mark(f'choose-{line.product_id}')
                )
                product_image(line.image_id, classes='w-14 h-14 rounded-borders bg-white flex-none gt-xs')
                with ui.column().classes('col gap-0 min-w-0'):
                    ui.link(line.name, f'/products/{line.product_id}').classes(
                        'text-subtitle2 text-grey-9 no-underline ellipsis-2-lines'
                    )
                    with ui.row().classes('items-center gap-x-3 gap-y-0 wrap'):
                        ui.label(line.code).classes('text-caption text-grey-7')
                        ui.label(
                            _('{price} per {unit}').format(
                                price=theme.price(line.unit_price_cents, self.currency), unit=line.unit
                            )
                        ).classes('text-caption text-weight-medium').mark(f'list-price-{line.product_id}')
                        StockLabel(
                            line.free,
                            display=self.portal.stock_display,
                            backorders=line.rules.backorders,
                            classes='text-caption',
                        ).label.mark(f'list-stock-{line.product_id}')
            # on a phone the quantity, total and remove go on a line of their own under the product
            with ui.row().classes('items-center gap-2 no-wrap ml-auto'):
                field = (
                    quantity_input(line.quantity)
                    .classes('flex-none ' + ('w-28' if line.rules.multiple > 1 else 'w-20'))
                    .mark(f'list-qty-{line.product_id}')
                )
                prices.stepped(field, line.rules)
                field.on(
                    'change',
                    lambda f=field, ln=line: change_list_quantity(self.list_id, ln.product_id, f, ln.quantity),
                )
                ui.label(theme.price(line.line_total_cents, self.currency)).classes(
                    'text-body2 text-weight-medium w-24 text-right flex-none'
                )
                self._remove_button(line)

    def _remove_button(self, line: ListLine) -> None:
        ui.button(icon='close', on_click=lambda: remove_from_list(self.list_id, line.product_id)).props(
            'flat round dense'
        ).props(theme.aria_label(_('Remove from the list'))).mark(f'list-remove-{line.product_id}')

    def add_all(self) -> object:
        return add_list_to_order(self.list_id, self.key_for(None), None, self.currency)

    def add_chosen(self) -> object:
        chosen = [product_id for product_id, box in self.chosen.items() if box.value]
        if not chosen:
            ui.notify(_('Choose the lines to add first.'), type='warning')
            return None
        return add_list_to_order(self.list_id, self.key_for(chosen), chosen, self.currency)
