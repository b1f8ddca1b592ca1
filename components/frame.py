"""The frame every signed-in page wraps its content in: header, left-hand menu, current-order summary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

from app.core import db, portal_settings
from app.core.i18n import N_, _
from app.identity import auth
from app.identity.auth import Identity
from app.models import Customer
from components import guard, language, theme
from components.current_order_glance import CurrentOrderGlance

# the entries are catalogue texts, translated where the menu is drawn (the marks stay the English ones)
CUSTOMER_MENU = [
    (N_('Dashboard'), 'home', '/'),
    (N_('Products'), 'inventory_2', '/products'),
    (N_('Quick order'), 'bolt', '/quick-order'),
    (N_('Saved lists'), 'bookmarks', '/lists'),
    (N_('Orders'), 'receipt_long', '/orders'),
    (N_('Backorders'), 'pending_actions', '/backorders'),
    (N_('Current order'), 'shopping_cart', '/current-order'),
]
ADMIN_MENU = [
    (N_('Overview'), 'space_dashboard', '/admin'),
    (N_('Orders'), 'receipt_long', '/admin/orders'),
    (N_('Backorders'), 'pending_actions', '/admin/backorders'),
    (N_('Expected deliveries'), 'event', '/admin/expected-deliveries'),
    (N_('Products'), 'inventory_2', '/admin/products'),
    (N_('Categories'), 'account_tree', '/admin/categories'),
    (N_('Customers'), 'groups', '/admin/customers'),
    (N_('Price lists'), 'sell', '/admin/price-lists'),
    (N_('Dashboard text'), 'article', '/admin/dashboard-text'),
    (N_('Import and export'), 'import_export', '/admin/imports'),
    (N_('Sent mail'), 'mail', '/admin/mail'),
]


# Quasar's classes of a clickable q-item, on one plain element (theme.MENU_CSS draws the icon and the hover)
MENU_ITEM = 'sf-menu-item q-item q-item-type row no-wrap items-center q-item--clickable q-link cursor-pointer'
MENU_ITEM += ' rounded-borders q-mx-sm'
MENU_ITEM_SELECTED = 'q-item--active bg-blue-1 text-primary text-weight-medium'


def _menu_item(label: str, icon: str, path: str, *, selected: bool = False) -> None:
    """One line of the menu as one element: a link the browser follows itself, looking like Quasar's item, its icon
    drawn from the icon font by CSS. (A q-item with an icon and a label was three elements and a click listener,
    on every page every customer has open.)"""
    classes = f'{MENU_ITEM} {MENU_ITEM_SELECTED}' if selected else MENU_ITEM
    link = ui.link(_(label), path).classes(classes, remove='nicegui-link').props(f'data-icon={icon}')
    link.props('aria-current=page' if selected else '').mark(f'menu-{label}')


def _menu(items: list[tuple[str, str, str]], active: str) -> None:
    with ui.list().classes('w-full').props('padding'):
        for label, icon, path in items:
            _menu_item(label, icon, path, selected=path == active)


def _sign_out_item() -> None:
    """Sign out: the session ends here, then the browser goes on to the signed-out page."""
    (
        ui.label(_('Sign out'))
        .classes(MENU_ITEM)
        .props('data-icon=logout role=button tabindex=0')
        .on('click', _sign_out)
        .on('keydown.enter', _sign_out)
        .mark('menu-Sign out')
    )


def _sign_out() -> None:
    auth.sign_out(guard.token_of(ui.context.client.request))
    ui.navigate.to('/logout')


class Frame:
    """The frame a page is drawn in: a page whose title depends on what it shows (an order number) sets it here."""

    def __init__(self, supplier: str, heading: ui.label, content: ui.column) -> None:
        self._supplier, self._heading, self.content = supplier, heading, content

    def set_title(self, title: str) -> None:
        """`title` as the reader reads it (already translated)."""
        ui.page_title(f'{title} · {self._supplier}')
        self._heading.text = title


@contextmanager
def frame(who: Identity, *, title: str, active: str) -> Iterator[Frame]:
    """`title` is a catalogue text (marked with N_ where it is written), translated here."""
    title = _(title)
    with db.read_session() as session:  # the frame's reads in one session: the theme's colour among them
        theme.apply(portal_settings.brand_colour(session))
        supplier = portal_settings.supplier_name(session)
        currency = portal_settings.currency(session)
        customer = db.kept(session, Customer, who.customer_id) if who.customer_id else None
    company = customer.name if customer else supplier
    ui.page_title(f'{title} · {supplier}')

    with ui.header(elevated=False).classes('sf-header bg-white text-grey-9 items-center no-wrap q-px-md q-py-sm'):
        ui.button(icon='menu', on_click=lambda: drawer.toggle()).props('flat round dense').props(
            theme.aria_label(_('Menu'))
        ).classes('lt-md')
        # one line, also in German (smaller on a phone: theme.HEADER_CSS)
        heading = ui.label(title).classes('sf-title text-h6 text-weight-medium ellipsis min-w-0')
        ui.space()
        glance = None if who.is_admin else CurrentOrderGlance(who, currency)
        if glance:
            glance.header_cart()
        language.switch(who.language)
        account = '/admin/account' if who.is_admin else '/account'  # your e-mail address and mails (pages/account.py)
        # a link the browser follows itself, its icon drawn by CSS (theme.HEADER_CSS), the browser's own tooltip: a
        # row of an icon and a column of two labels with a Quasar tooltip and two click handlers was six elements
        with (
            ui.link(target=account)
            .classes('sf-account sf-icon text-grey-9 rounded-borders q-px-xs', remove='nicegui-link')
            .props(f'data-icon=account_circle {theme.aria_label(_("Your account"))}')
            .mark('signed-in-as') as signed_in_as
        ):
            ui.label(who.display_name).classes('text-body2 leading-tight gt-xs')
            ui.label(company).classes('text-caption text-grey-7 leading-tight gt-xs')
        signed_in_as.props['title'] = _('Your account: e-mail address and mails')

    with (
        ui.left_drawer(value=False, bordered=True)
        .props('width=260 breakpoint=1023 show-if-above')  # open on wide screens, a drawer on phones
        .classes('sf-drawer bg-white column no-wrap q-pa-none') as drawer
    ):
        # the menu scrolls on its own when the window is short; the current order stays in view below it
        with ui.column().classes('col no-wrap gap-0 w-full min-h-0 overflow-auto'):
            with ui.row().classes('sf-brand items-center gap-2 q-pa-md no-wrap'):
                ui.icon('warehouse', size='32px').classes('text-primary')
                with ui.column().classes('gap-0'):
                    ui.label(supplier).classes('text-subtitle1 text-weight-bold text-primary leading-tight')
                    ui.label(_('Supplier admin') if who.is_admin else _('Customer portal')).classes(
                        'text-caption text-grey-7'
                    )
            ui.separator()
            _menu(ADMIN_MENU if who.is_admin else CUSTOMER_MENU, active)
            _sign_out_item()
        if glance:
            with ui.element('div').classes('w-full q-pa-md flex-none'):
                glance.menu_card()

    with ui.column().classes('w-full max-w-7xl mx-auto q-pa-md gap-4') as content:
        yield Frame(supplier, heading, content)
    if glance:
        glance.follow()  # after the page, which may have read the summary already (current_order_glance.share)
