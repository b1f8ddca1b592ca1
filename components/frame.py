"""The frame every signed-in page wraps its content in: header, left-hand menu, current-order summary."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from nicegui import ui

from app import auth, db, portal_settings
from app import current_order as current_order_service
from app.auth import Identity
from components import guard, live, theme

CUSTOMER_MENU = [
    ('Dashboard', 'home', '/'),
    ('Products', 'inventory_2', '/products'),
    ('Orders', 'receipt_long', '/orders'),
    ('Backorders', 'pending_actions', '/backorders'),
    ('Current order', 'shopping_cart', '/current-order'),
]
ADMIN_MENU = [
    ('Overview', 'space_dashboard', '/admin'),
    ('Orders', 'receipt_long', '/admin/orders'),
    ('Backorders', 'pending_actions', '/admin/backorders'),
    ('Products', 'inventory_2', '/admin/products'),
    ('Customers', 'groups', '/admin/customers'),
    ('Dashboard text', 'article', '/admin/dashboard-text'),
]


def _current_order_summary(who: Identity, currency: str) -> None:
    @ui.refreshable
    def summary() -> None:
        with db.read_session() as session:
            s = current_order_service.summary(session, actor=who)
        with (
            ui.link(target='/current-order')
            .classes('no-underline text-inherit w-full')
            .props('aria-label="Current order"')
            .mark('current-order-summary'),
            ui.card().classes('w-full bg-primary text-white shadow-2 q-pa-md gap-1'),
        ):
            with ui.row().classes('items-center gap-2 no-wrap'):
                ui.icon('shopping_cart', size='20px')
                ui.label('Current order').classes('text-subtitle2 text-weight-medium')
            if s.lines:
                ui.label(
                    f'{s.lines} {"line" if s.lines == 1 else "lines"} · {s.units:,} '
                    f'{"unit" if s.units == 1 else "units"}'
                ).classes('text-body2')
                ui.label(theme.price(s.total_cents, currency)).classes('text-h6 text-weight-bold')
            else:
                ui.label('Empty — add products from the catalogue').classes('text-body2 opacity-80')

    summary()
    live.listen([('current_order', who.user_id), ('catalogue',)], summary.refresh)


def _header_cart(who: Identity) -> None:
    """On a phone the menu (and its summary) is folded away: a cart button with the unit count stands in."""

    @ui.refreshable
    def cart() -> None:
        with db.read_session() as session:
            units = current_order_service.summary(session, actor=who).units
        with ui.button(icon='shopping_cart', on_click=lambda: ui.navigate.to('/current-order')).props(
            'flat round aria-label="Current order"'
        ):
            if units:
                ui.badge(f'{units:,}', color='positive').props('floating rounded').mark('header-cart-units')

    with ui.element('div').classes('lt-md'):
        cart()
    live.listen([('current_order', who.user_id)], cart.refresh)


def _menu_item(label: str, icon: str, on_click: Callable[[], object], *, selected: bool = False) -> None:
    """One line of the menu: the icon and the label straight in the item, without Quasar's item sections (two
    elements fewer per line, on every page every customer has open)."""
    with (
        ui.item(on_click=on_click)
        .props(f'clickable v-ripple {"active" if selected else ""} active-class="bg-blue-1 text-primary"')
        .classes('rounded-borders q-mx-sm items-center')
        .mark(f'menu-{label}')
    ):
        ui.icon(icon, size='24px').classes('q-mr-lg')
        ui.item_label(label).classes('text-weight-medium' if selected else '')


def _menu(items: list[tuple[str, str, str]], active: str) -> None:
    with ui.list().classes('w-full').props('padding'):
        for label, icon, path in items:
            _menu_item(label, icon, lambda p=path: ui.navigate.to(p), selected=path == active)


def _sign_out() -> None:
    auth.sign_out(guard.token_of(ui.context.client.request))
    ui.navigate.to('/logout')


@contextmanager
def frame(who: Identity, *, title: str, active: str) -> Iterator[None]:
    theme.apply()
    with db.read_session() as session:
        supplier = portal_settings.supplier_name(session)
        currency = portal_settings.currency(session)
    ui.page_title(f'{title} · {supplier}')

    with ui.header(elevated=False).classes('bg-white text-grey-9 border-b items-center q-px-md q-py-sm'):
        ui.button(icon='menu', on_click=lambda: drawer.toggle()).props('flat round dense aria-label="Menu"').classes(
            'lt-md'
        )
        ui.label(title).classes('text-h6 text-weight-medium')
        ui.space()
        if not who.is_admin:
            _header_cart(who)
        with ui.row().classes('items-center gap-2 no-wrap'):
            ui.icon('account_circle', size='24px').classes('text-grey-7')
            ui.label(who.display_name).classes('text-body2 gt-xs')

    with (
        ui.left_drawer(value=False, bordered=True)
        .props('width=260 breakpoint=1023 show-if-above')  # open on wide screens, a drawer on phones
        .classes('bg-white column no-wrap q-pa-none') as drawer
    ):
        with ui.row().classes('items-center gap-2 q-pa-md no-wrap'):
            ui.icon('warehouse', size='32px').classes('text-primary')
            with ui.column().classes('gap-0'):
                ui.label(supplier).classes('text-subtitle1 text-weight-bold text-primary leading-tight')
                ui.label('Supplier admin' if who.is_admin else 'Customer portal').classes('text-caption text-grey-7')
        ui.separator()
        _menu(ADMIN_MENU if who.is_admin else CUSTOMER_MENU, active)
        with ui.list().classes('w-full'):
            _menu_item('Sign out', 'logout', _sign_out)
        ui.space()
        if not who.is_admin:
            with ui.element('div').classes('w-full q-pa-md'):
                _current_order_summary(who, currency)

    with ui.column().classes('w-full max-w-7xl mx-auto q-pa-md gap-4'):
        yield
