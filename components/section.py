"""A card with a heading, the building block of the supplier's detail pages, a quiet note inside one, and a card's
list that says so when it is empty."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from nicegui import ui

T = TypeVar('T')


@contextmanager
def section(
    title: str, icon: str, hint: str = '', *, mark: str | None = None, bordered: bool = False
) -> Iterator[ui.row]:
    """A card headed by an icon, a title and a hint; yields the heading row, for buttons on its right.
    What is drawn inside the `with` goes into the card below the heading."""
    card = ui.card().classes('w-full q-pa-md gap-3')
    if bordered:
        card.props('flat bordered')
    if mark:
        card.mark(mark)
    with card:
        with (
            ui.row().classes('w-full items-center gap-2 wrap') as heading,
            ui.row().classes('col items-center gap-2 no-wrap min-w-[220px]'),
        ):
            ui.icon(icon, size='24px').classes('text-primary')
            with ui.column().classes('col gap-0 min-w-0'):
                ui.label(title).classes('text-h6 text-weight-medium leading-tight')
                if hint:
                    ui.label(hint).classes('text-caption text-grey-7')
        yield heading


def note(text: str, icon: str = 'info') -> None:
    """A quiet line in grey: an empty list, a hint."""
    with ui.row().classes('w-full items-center gap-2 no-wrap text-grey-7 q-py-sm'):
        ui.icon(icon, size='20px')
        ui.label(text).classes('text-body2')


def listed(
    items: Sequence[T], draw: Callable[[T], object], empty: str, icon: str = 'info', *, separated: bool = False
) -> None:
    """`draw` each item inside a list (`separated`: with lines between the items); no items: the note `empty`."""
    if not items:
        note(empty, icon)
        return
    with ui.list().props('separator').classes('w-full') if separated else ui.column().classes('w-full gap-1'):
        for item in items:
            draw(item)
