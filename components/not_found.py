"""The clear 'not found' page content: the same for a missing id and for someone else's."""

from nicegui import ui

from app.core.i18n import _


def not_found(what: str | None = None, back: tuple[str, str] | None = None) -> None:
    """`what` ('This order') and the back button's text come translated; by default 'This page' and 'Back to the
    dashboard' (to /) in the reader's language."""
    what = _('This page') if what is None else what
    label, target = (_('Back to the dashboard'), '/') if back is None else back
    with ui.column().classes('w-full items-center py-16 gap-3 text-center').mark('not-found'):
        ui.icon('search_off', size='64px').classes('text-grey-5')
        ui.label(_('Not found')).classes('text-h5')
        ui.label(_('{what} does not exist or is not available to you.').format(what=what)).classes(
            'text-body1 text-grey-7'
        )
        ui.button(label, on_click=lambda: ui.navigate.to(target)).props('unelevated')
