"""The search box of a list page: Enter or the button searches, clearing shows everything again.

The search lives in the URL (full navigation), so reload, back and shared links keep it.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui


def search_field(
    value: str,
    *,
    placeholder: str,
    label: str,
    on_search: Callable[[str], None],
    max_length: int = 100,
    mark: str | None = None,
) -> ui.input:
    """A search input plus its button; `on_search` gets the typed text with its whitespace tidied."""
    search = (
        ui.input(placeholder=placeholder, value=value)
        .props(f'outlined dense clearable type=search maxlength={max_length} aria-label="{label}"')
        .classes('col-grow min-w-[220px]')
    )
    if mark:
        search.mark(mark)
    with search.add_slot('prepend'):
        ui.icon('search')

    def run() -> None:
        on_search(' '.join((search.value or '').split()))

    search.on('keydown.enter', run)
    search.on('clear', lambda: on_search(''))
    ui.button('Search', icon='search', on_click=run).props('outline').mark('search')
    return search
