"""Asking before a destructive action, in one dialog made for the question and gone after it.

    on_click=lambda: confirm('Delete this address?', text, yes='Delete address', then=lambda: delete(...))

The dialog opens at the call, so it shows in the same round trip as the click; the returned coroutine (NiceGUI
awaits what a click handler returns) waits for the answer with NiceGUI's awaitable dialog and runs `then` on
yes. `answer = await confirm(...)` gives the answer itself. The dialog hangs off the page's content, not off
the part of the page that asked, so a live refresh of that part meanwhile does not take the question away.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any

from nicegui import events, ui

from app.core.i18n import _


def confirm(
    title: str,
    text: str,
    *,
    yes: str,
    then: Callable[[], object] | None = None,
    no: str | None = None,
    icon: str = 'warning',
    yes_icon: str | None = None,
    mark: str = 'confirm',
    details: Callable[[], object] | None = None,
) -> Coroutine[Any, Any, bool]:
    """Open the question; the coroutine is True once the user clicks `yes` (after `then` ran), False for `no`,
    Escape, a click beside the dialog or a page that went. The buttons carry the marks `mark` and `{mark}-cancel`.
    The texts come translated; `no` is 'Cancel' in the reader's language when not given. `details` draws more
    under the text (a field for a reason, which `then` reads)."""
    client = ui.context.client
    with client.content:
        holder = ui.element('div')  # NiceGUI ties a dialog to the element it was made in: this one, outside refreshes
        holder.visible = False  # the dialog itself shows in the page's layout, not in here
    with holder:
        dialog = ui.dialog()
    answered: list[bool] = []

    def remove() -> None:
        for element in (dialog, holder):
            if not element.is_deleted:
                element.delete()

    def reply(value: bool) -> None:
        if not answered:
            answered.append(value)
        dialog.submit(value)
        remove()  # at once: the next question's buttons are the only ones there

    def closed(e: events.ValueChangeEventArguments) -> None:
        if not e.value:  # Escape or a click beside the dialog: no
            reply(False)

    with dialog, ui.card().classes('w-full max-w-md q-pa-lg gap-3'):
        with ui.row().classes('items-center gap-2 no-wrap'):
            ui.icon(icon, size='28px').classes('text-negative')
            ui.label(title).classes('text-h6')
        ui.label(text).classes('text-body2 text-grey-8')
        if details is not None:
            details()
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(_('Cancel') if no is None else no, on_click=lambda: reply(False)).props('flat no-caps').mark(
                f'{mark}-cancel'
            )
            ui.button(yes, icon=yes_icon, on_click=lambda: reply(True)).props('unelevated no-caps color=negative').mark(
                mark
            )
    dialog.open()
    dialog.on_value_change(closed)

    async def answer() -> bool:
        try:
            if not answered:
                await dialog  # NiceGUI's awaitable dialog: done at an answer, Escape, a click beside it, a page gone
        finally:
            remove()
        confirmed = answered[:1] == [True]
        if confirmed and then is not None:
            with client.content:  # the part of the page that asked may be gone (redrawn) by now
                result = then()
                if inspect.isawaitable(result):
                    await result
        return confirmed

    return answer()
