"""A table of all the rows it is given: an order's lines, a page of the products list, stock movements, a catalogue."""

from __future__ import annotations

from typing import Any

from nicegui import ui


def all_rows_table(
    columns: list[dict], rows: list[dict], *, mark: str, props: str = '', classes: str = '', **options: Any
) -> ui.table:
    """A flat table of every row, keyed by 'id', without Quasar's pager (the page pages, or the rows are few), in
    a box that scrolls sideways when the table is wider than the screen. `props` and `classes` are added to the
    table's; `options` go to ui.table (selection=...)."""
    with ui.element('div').classes('w-full overflow-auto'):
        return (
            ui.table(columns=columns, rows=rows, row_key='id', pagination=0, **options)
            .props(f'flat hide-pagination {props}')
            .classes(f'w-full {classes}')
            .mark(mark)
        )
