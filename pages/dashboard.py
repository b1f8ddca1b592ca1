"""The customer's home: the supplier's own text, in the reader's language where the supplier wrote one in it."""

from __future__ import annotations

from nicegui import ui

from app.core import db, i18n, portal_settings
from app.core.i18n import N_, _
from app.identity.auth import Identity
from app.models import Role
from components import live
from components.markdown_text import SafeMarkdown
from components.page import portal_page


@portal_page('/', role=Role.CUSTOMER, title=N_('Dashboard'), menu='/')
def dashboard_page(who: Identity) -> None:
    @ui.refreshable
    def text() -> None:
        with db.read_session() as session:
            content = portal_settings.dashboard_text(session, i18n.current())
        with ui.card().classes('w-full q-pa-lg'):
            SafeMarkdown(content).classes('w-full dashboard-text').mark('dashboard-text')

    text()
    live.listen([('settings',)], text.refresh)
    with ui.row().classes('gap-3 wrap'):
        ui.button(_('Browse products'), icon='inventory_2', on_click=lambda: ui.navigate.to('/products')).props(
            'unelevated'
        )
        ui.button(_('My orders'), icon='receipt_long', on_click=lambda: ui.navigate.to('/orders')).props('outline')
