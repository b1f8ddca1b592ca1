"""Pages of a list: the count and the page links, keeping the rest of the URL's query (search, sort, filters)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlencode

from nicegui import ui

from components import theme

FIRST_PAGE = {'page': 1}


def url_with(path: str, params: Mapping[str, object], *, defaults: Mapping[str, object] = FIRST_PAGE) -> str:
    """`path` with the query `params`, leaving out the empty ones and those at their default (page 1)."""
    clean = {k: v for k, v in params.items() if v not in (None, '') and not (k in defaults and v == defaults[k])}
    return f'{path}?{urlencode(clean)}' if clean else path


def parse_page(raw: str | None) -> int:
    try:
        return max(1, min(int(str(raw)), 100_000))
    except ValueError:
        return 1


def page_links(page: int, pages: int, *, on_change: Callable[[int], object]) -> None:
    """The page numbers, when there is more than one page; `on_change` gets the page chosen."""
    if pages > 1:
        pagination = ui.pagination(1, pages, direction_links=True, value=page).props('max-pages=7 boundary-numbers')
        pagination.on_value_change(lambda e: on_change(e.value))


def pager(path: str, params: dict[str, object], *, page: int, pages: int, total: int, noun: str) -> None:
    """Below a list page: how many there are, and links to the other pages of `path` with the same `params`.

    `noun` is what is counted, one of theme.COUNTS ('product': '1 product', '60 products' in the reader's
    language); its English plural ('products') is read as the same noun."""
    if total == 0:
        return
    counted = theme.count(total, noun if noun in theme.COUNTS else noun.removesuffix('s'))
    with ui.row().classes('w-full items-center justify-between q-mt-sm'):
        ui.label(counted).classes('text-body2 text-grey-7')
        page_links(page, pages, on_change=lambda number: ui.navigate.to(url_with(path, {**params, 'page': number})))
