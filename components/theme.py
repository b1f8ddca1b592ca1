"""Colours and small helpers shared by every screen."""

from nicegui import ui

from app import money

PRIMARY = '#1f4e79'


def apply() -> None:
    """Per page: brand colours and a calm background."""
    ui.colors(primary=PRIMARY, secondary='#4a7fb0', accent='#2e7d32', positive='#2e7d32')
    ui.query('body').classes('bg-grey-1')


def price(cents: int, currency: str) -> str:
    return money.format_cents(cents, currency)


def page_title(text: str, subtitle: str | None = None) -> None:
    with ui.column().classes('gap-0'):
        ui.label(text).classes('text-h5 text-weight-medium')
        if subtitle:
            ui.label(subtitle).classes('text-body2 text-grey-7')


def empty_state(icon: str, title: str, hint: str = '') -> None:
    with ui.column().classes('w-full items-center py-12 gap-2 text-center'):
        ui.icon(icon, size='56px').classes('text-grey-5')
        ui.label(title).classes('text-h6 text-grey-8')
        if hint:
            ui.label(hint).classes('text-body2 text-grey-6')
