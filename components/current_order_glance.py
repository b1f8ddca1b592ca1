"""The current order at a glance: the card at the bottom of the menu and, on a phone, the header's cart.

Both show the same summary, so one read serves both, and a change updates their texts in place: the frame
is on every page every customer has open, and each click on Add changes it.
"""

from __future__ import annotations

import weakref

from nicegui import Client, ui

from app.core import i18n
from app.core.i18n import _
from app.identity.auth import Identity
from app.orders import summaries
from app.orders.current_order import Summary
from components import live, theme

# pages whose glance is made but not yet shown, and the summary the page read meanwhile (share)
_waiting: weakref.WeakKeyDictionary[Client, Summary | None] = weakref.WeakKeyDictionary()


def share(summary: Summary) -> None:
    """A page that reads the current order's summary anyway (the current-order page) hands it to this page's glance,
    which is shown after the page: one read of the current order instead of two. Only while the page is built."""
    client = ui.context.client
    if client in _waiting:
        _waiting[client] = summary


class CurrentOrderGlance:
    def __init__(self, who: Identity, currency: str) -> None:
        self.who = who
        self.currency = currency
        _waiting[ui.context.client] = None
        self.badge: ui.badge | None = None
        self.counts: ui.label | None = None
        self.total: ui.label | None = None
        self.empty: ui.label | None = None

    def header_cart(self) -> None:
        """On a phone the menu (and its card) is folded away: a cart button with the unit count stands in."""
        with (
            ui.button(icon='shopping_cart', on_click=lambda: ui.navigate.to('/current-order'))
            .props('flat round')
            .props(theme.aria_label(_('Current order')))
            .classes('lt-md')
        ):
            self.badge = ui.badge(color='positive').props('floating rounded').mark('header-cart-units')

    def menu_card(self) -> None:
        """The card is the link itself, and its heading one element with the icon drawn by CSS (theme.ICON_CSS):
        five elements fewer than a link around a card with a row of an icon and a label, on every customer page."""
        with (
            ui.link(target='/current-order')
            .classes('q-card nicegui-card no-underline w-full bg-primary text-white shadow-2 q-pa-md gap-1')
            .classes(remove='nicegui-link')
            .props(theme.aria_label(_('Current order')))
            .mark('current-order-summary')
        ):
            ui.label(_('Current order')).classes(
                'sf-icon row items-center gap-2 no-wrap text-subtitle2 text-weight-medium'
            ).style('--sf-icon-size: 20px').props('data-icon=shopping_cart')
            self.counts = ui.label().classes('text-body2')
            self.total = ui.label().classes('text-h6 text-weight-bold')
            self.empty = ui.label(_('Empty — add products from the catalogue')).classes('text-body2 opacity-80')

    def show(self, summary: Summary | None = None) -> None:
        if summary is None:
            summary = summaries.summary(actor=self.who)
        if self.badge:
            self.badge.set_text(i18n.number(summary.units))
            self.badge.set_visibility(summary.units > 0)
        if self.counts and self.total and self.empty:
            self.counts.set_text(f'{theme.count(summary.lines, "line")} · {theme.count(summary.units, "unit")}')
            self.total.set_text(theme.price(summary.total_cents, self.currency))
            for element in (self.counts, self.total):
                element.set_visibility(summary.lines > 0)
            self.empty.set_visibility(summary.lines == 0)

    def follow(self) -> None:
        """Show the summary now (after the page: what it shared, else read) and after every change of the current
        order or of what the customer may see."""
        self.show(_waiting.pop(ui.context.client, None))
        live.listen([('current_order', self.who.user_id), ('catalogue',)], self.show)
