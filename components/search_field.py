"""The search box of a list: Enter or the button searches, clearing searches for everything again.

List pages keep the search in the URL (`on_search` navigates), so reload, back and shared links keep it; a
list inside a page (a customer's chosen products) redraws itself instead.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from app.core.i18n import _
from components import theme
from components.pager import url_with


def tidy_search(typed: str | None, max_length: int = 100) -> str:
    """What was typed in a search, or came in a list's URL: its words, single-spaced, at most `max_length` long
    (the length of its search box)."""
    return ' '.join((typed or '').split())[:max_length]


def search_field(
    value: str = '',
    *,
    placeholder: str,
    on_search: Callable[[str], object],
    label: str | None = None,
    max_length: int = 100,
    mark: str | None = None,
    compact: bool = False,
) -> ui.input:
    """A search input and its button; `on_search` gets the typed text with its whitespace tidied.

    `placeholder` and `label` come translated. `label` is the input's name for screen readers (the placeholder when
    not given); `mark` marks the input, its
    button is marked `{mark}-go` (and `search`). A `compact` box has a round icon button, for a list in a card."""
    search = (
        ui.input(placeholder=placeholder, value=value)
        .props(f'outlined dense clearable type=search maxlength={max_length}')
        .props(theme.aria_label(label or placeholder))
        .classes('col min-w-0' if compact else 'col-grow min-w-[220px]')
    )
    if mark:
        search.mark(mark)
    with search.add_slot('prepend'):
        ui.icon('search')

    def run() -> object:
        return on_search(tidy_search(search.value, max_length))

    search.on('keydown.enter', run)
    search.on('clear', lambda: on_search(''))
    if compact:
        button = ui.button(icon='search', on_click=run).props('flat round dense').props(theme.aria_label(_('Search')))
    else:
        button = ui.button(_('Search'), icon='search', on_click=run).props('outline')
    button.mark('search', *([f'{mark}-go'] if mark else []))
    return search


def search_and_new(
    path: str, query: str, noun: str, *, placeholder: str, label: str, new: str, max_length: int
) -> None:
    """The head of one of the supplier's lists at `path`: its search (in the URL's q; marked `{noun}-search`) and
    the button `new` that opens `{path}/new` (marked `new-{noun}`)."""
    with ui.row().classes('w-full items-center gap-3 wrap'):
        search_field(
            query,
            placeholder=placeholder,
            label=label,
            on_search=lambda text: ui.navigate.to(url_with(path, {'q': text})),
            max_length=max_length,
            mark=f'{noun}-search',
        )
        ui.button(new, icon='add', on_click=lambda: ui.navigate.to(f'{path}/new')).props('unelevated no-caps').mark(
            f'new-{noun}'
        )
