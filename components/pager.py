"""Page links that keep the rest of the URL's query (search, sort, filters)."""

from __future__ import annotations

from urllib.parse import urlencode

from nicegui import ui


def url_with(path: str, params: dict[str, object]) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, '', 1) or (k == 'page' and v != 1)}
    clean = {k: v for k, v in clean.items() if not (k == 'page' and v == 1)}
    return f'{path}?{urlencode(clean)}' if clean else path


def parse_page(raw: str | None) -> int:
    try:
        return max(1, min(int(str(raw)), 100_000))
    except ValueError:
        return 1


def pager(path: str, params: dict[str, object], *, page: int, pages: int, total: int, noun: str) -> None:
    if total == 0:
        return
    with ui.row().classes('w-full items-center justify-between q-mt-sm'):
        ui.label(f'{total:,} {noun.removesuffix("s") if total == 1 else noun}').classes('text-body2 text-grey-7')
        if pages > 1:
            pagination = ui.pagination(1, pages, direction_links=True, value=page).props('max-pages=7 boundary-numbers')
            pagination.on_value_change(lambda e: ui.navigate.to(url_with(path, {**params, 'page': e.value})))
