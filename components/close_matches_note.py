"""The line above search results that says they are close matches, or offers close matches beside few results."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from app.catalogue.close_matches import Found
from app.core.i18n import _, ngettext


def close_matches_note(found: Found, query: str, href: Callable[[str], str]) -> None:
    """`href(text)`: the address of the same view searching for `text`."""
    if found.close:
        with ui.row().classes('w-full items-center gap-2 no-wrap q-px-md q-py-sm rounded-borders bg-amber-1'):
            ui.icon('spellcheck', size='22px').classes('text-amber-10')
            ui.label(
                _("No exact match for '{query}'. Showing close matches: {words}").format(
                    query=query, words=found.suggestion
                )
            ).classes('text-body2 text-grey-9').mark('close-matches')
    elif found.suggestion:
        with ui.row().classes('w-full items-center gap-2 wrap q-px-md q-py-sm rounded-borders bg-blue-1'):
            ui.icon('spellcheck', size='22px').classes('text-primary')
            ui.label(_('Close matches:')).classes('text-body2 text-grey-9')
            ui.link(found.suggestion, href(found.suggestion)).classes('text-body2 text-weight-medium').mark(
                'close-matches-link'
            )
            ui.label(ngettext('({n} product)', '({n} products)', found.suggestion_total)).classes(
                'text-body2 text-grey-7'
            )
