"""A dialog with a form in it: a heading with an icon, the fields, Cancel and the one button that saves."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from app.core.i18n import _


class FormDialog:
    """Draw the fields inside `with dialog.card:`, then add the buttons with `buttons(...)`."""

    def __init__(self, icon: str, title: str = '', *, wide: bool = False) -> None:
        with ui.dialog() as self.dialog:
            self.card = ui.card().classes(f'w-full {"max-w-lg" if wide else "max-w-md"} q-pa-lg gap-3')
        with self.card, ui.row().classes('items-center gap-2 no-wrap'):
            ui.icon(icon, size='28px').classes('text-primary')
            self.title = ui.label(title).classes('text-h6')

    def buttons(self, text: str, *, icon: str, on_click: Callable[[], object], mark: str) -> ui.button:
        """Cancel, and the button that saves (returned, to show it busy while saving)."""
        with self.card, ui.row().classes('w-full justify-end gap-2'):
            ui.button(_('Cancel'), on_click=self.dialog.close).props('flat no-caps')
            return ui.button(text, icon=icon, on_click=on_click).props('unelevated no-caps').mark(mark)

    def open(self) -> None:
        self.dialog.open()

    def close(self) -> None:
        self.dialog.close()
