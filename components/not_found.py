"""The clear 'not found' page content: the same for a missing id and for someone else's."""

from nicegui import ui


def not_found(what: str = 'This page', back: tuple[str, str] = ('Back to the dashboard', '/')) -> None:
    with ui.column().classes('w-full items-center py-16 gap-3 text-center').mark('not-found'):
        ui.icon('search_off', size='64px').classes('text-grey-5')
        ui.label('Not found').classes('text-h5')
        ui.label(f'{what} does not exist or is not available to you.').classes('text-body1 text-grey-7')
        ui.button(back[0], on_click=lambda: ui.navigate.to(back[1])).props('unelevated')
