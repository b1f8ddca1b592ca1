"""Browsing the catalogue: the category chips and breadcrumbs, the filters, the compact list's rows and the
specification table.

Every choice is a link to a products URL (the filters live in the URL: a link, a reload or Back gives the same
view); `href(...)` builds them. The chips scroll sideways on a phone instead of filling the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from nicegui import ui

from app.catalogue.browsing import BrowseTree, Facet, Filters
from app.core import i18n
from app.core.i18n import _
from components import theme

PATH = '/products'
BACK_KEYS = ('q', 'sort', 'page', 'category', 'stock', 'bought', 'attr')

CSS = """
.sf-chips { display: flex; flex-wrap: wrap; gap: 6px; }
@media (max-width: 599px) {
  .sf-chips { flex-wrap: nowrap; overflow-x: auto; scrollbar-width: none; padding-bottom: 2px; }
}
.sf-chips .q-chip { flex: none; margin: 0; }
.sf-chip { --sf-icon-size: 1.2em; text-decoration: none; }
.sf-chip.sf-icon::before { margin: 0 0.2em 0 -0.2em; }
.sf-chip.q-chip--outline { background: transparent; border: 1px solid currentColor; }
body.desktop .sf-chip:hover { background-color: rgba(0, 0, 0, 0.06); }
body.desktop .sf-chip.bg-primary:hover { filter: brightness(1.1); }
.sf-list { display: flex; flex-direction: column; background: white; border: 1px solid #e0e0e0; border-radius: 4px; }
.sf-row { display: grid; align-items: center; column-gap: 12px; padding: 2px 10px; min-height: 36px;
  border-top: 1px solid #eeeeee;
  grid-template-columns: 32px 6rem minmax(0, 1fr) 9rem 8.5rem 13rem;
  grid-template-areas: "pic code name price stock order"; }
.sf-row:first-child { border-top: none; }
.sf-row > .sf-pic { grid-area: pic; width: 32px; height: 32px; font-size: 20px !important; }
.sf-row > .sf-code { grid-area: code; }
.sf-row > .sf-name { grid-area: name; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.sf-row > .sf-price { grid-area: price; justify-self: end; }
.sf-row > .sf-stock { grid-area: stock; }
.sf-row > .sf-order { grid-area: order; justify-self: end; }
.sf-row .sf-price .text-h6 { font-size: 1rem; line-height: 1.4; font-weight: 500; }
.sf-row .sf-mark { width: 5.5rem; display: flex; justify-content: flex-end; }
.sf-row .q-field--dense .q-field__control,
.sf-row .q-field--dense .q-field__marginal { height: 30px; min-height: 30px; }
.sf-row .q-field--dense.q-field--labeled .q-field__native { padding-top: 0; }
@media (max-width: 599px) {
  .sf-row { grid-template-columns: 40px minmax(0, 1fr) auto; row-gap: 2px; padding: 8px 10px;
    grid-template-areas: "pic code code" "pic name name" "pic price order" "pic stock order"; }
  .sf-row > .sf-pic { width: 40px; height: 40px; align-self: start; }
  .sf-row > .sf-name { white-space: normal; }
  .sf-row > .sf-price { justify-self: start; }
  .sf-row .sf-mark { width: auto; }
}
"""


def href(query: str, sort: str, filters: Filters, *, page: int = 1) -> str:
    """The products URL of this view (empty values and page 1 left out)."""
    params: list[tuple[str, Any]] = [
        (key, value)
        for key, value in [('q', query), ('sort', sort), *filters.params().items()]
        if key != 'attr' and value not in ('', None)
    ]
    params += [('attr', value) for value in filters.params()['attr']]
    if page > 1:
        params.append(('page', page))
    return f'{PATH}?{urlencode(params)}' if params else PATH


def back_href(raw: str | None) -> str:
    """'← All products' on a product page: the products URL it came from (`back=` holds that URL's query). Only
    the products page's own parameters are kept, so it can lead nowhere else."""
    if not isinstance(raw, str) or not raw or len(raw) > 2000:
        return PATH
    kept = [(key, value) for key, value in parse_qsl(raw.lstrip('?')) if key in BACK_KEYS]
    return f'{PATH}?{urlencode(kept)}' if kept else PATH


def product_href(product_id: int, current: str) -> str:
    """A product's page, remembering the products URL `current` (its query) to return to."""
    query = current.partition('?')[2]
    return f'/products/{product_id}' + (f'?{urlencode({"back": query})}' if query else '')


# Quasar's classes of a clickable chip, on a plain link (the icon drawn by CSS, theme.ICON_CSS): a ui.chip with a click
# handler was a heavy element, a listener and a round trip to the server to navigate, for each of a dozen chips
CHIP = 'sf-chip q-chip row inline no-wrap items-center q-chip--clickable cursor-pointer non-selectable'


def _chip(label: str, target: str, *, selected: bool = False, icon: str | None = None, mark: str = '') -> None:
    chip = ui.link(label, target).classes(
        f'{CHIP} {"bg-primary text-white" if selected else "q-chip--outline text-grey-8"}', remove='nicegui-link'
    )
    if icon:
        chip.classes('sf-icon').props(f'data-icon={icon}')
    if selected:
        chip.props('aria-current=true')
    if mark:
        chip.mark(mark)


def categories_bar(shown: BrowseTree, query: str, sort: str, filters: Filters) -> None:
    """The breadcrumbs of the chosen category and the chips of the categories below it (or the top level)."""
    current = filters.category_id
    everything = Filters(in_stock=filters.in_stock, bought_before=filters.bought_before)
    if current is not None:
        with ui.row().classes('items-center gap-1 text-body2 wrap').mark('breadcrumbs'):
            ui.link(_('All products'), href(query, sort, everything)).classes('text-primary no-underline')
            for node in shown.path(current):
                ui.icon('chevron_right', size='18px').classes('text-grey-6')
                if node.id == current:
                    ui.label(node.name).classes('text-weight-medium').mark('breadcrumb-current')
                else:
                    target = href(query, sort, Filters(node.id, filters.in_stock, filters.bought_before))
                    ui.link(node.name, target).classes('text-primary no-underline')
    below = shown.children(current) if current is not None else shown.roots
    if not below:
        return
    with ui.element('div').classes('sf-chips w-full').mark('category-chips'):
        for node in below:
            count = i18n.number(shown.counts.get(node.id, 0))
            target = href(query, sort, Filters(node.id, filters.in_stock, filters.bought_before))
            _chip(
                _('{name} ({count})').format(name=node.name, count=count),
                target,
                icon='folder_open' if current is None else None,
                mark=f'category-{node.id}',
            )


def filters_bar(query: str, sort: str, filters: Filters, facets: list[Facet]) -> None:
    """In stock now, bought before, and within a category its attributes with their values' counts."""
    with ui.element('div').classes('sf-chips w-full items-center').mark('filters'):
        stock = Filters(filters.category_id, not filters.in_stock, filters.bought_before, filters.attributes)
        bought = Filters(filters.category_id, filters.in_stock, not filters.bought_before, filters.attributes)
        for label, toggled, chosen_now, icon, mark in (
            (_('In stock now'), stock, filters.in_stock, 'inventory', 'filter-stock'),
            (_('Bought before'), bought, filters.bought_before, 'history', 'filter-bought'),
        ):
            _chip(
                label, href(query, sort, toggled), selected=chosen_now, icon='check' if chosen_now else icon, mark=mark
            )
        chosen = dict(filters.attributes)
        for facet in facets:
            options = {'': _('{attribute}: any').format(attribute=facet.name)} | {
                value: _('{value} ({count})').format(value=value, count=i18n.number(n)) for value, n in facet.values
            }
            if chosen.get(facet.name) and chosen[facet.name] not in options:
                options[chosen[facet.name]] = chosen[facet.name]

            def pick(e: Any, name: str = facet.name) -> None:
                ui.navigate.to(href(query, sort, filters.with_attribute(name, e.value or None)))

            ui.select(options, value=chosen.get(facet.name, ''), on_change=pick).props(
                'outlined dense options-dense'
            ).props(theme.aria_label(facet.name)).classes('min-w-[9rem]').mark(f'facet-{facet.name}')
        if filters.in_stock or filters.bought_before or filters.attributes:
            cleared = Filters(filters.category_id)
            ui.button(
                _('Clear filters'), icon='filter_alt_off', on_click=lambda: ui.navigate.to(href(query, sort, cleared))
            ).props('flat dense no-caps').mark('clear-filters')


def view_switch(view: str, on_change: Callable[[str], object]) -> ui.toggle:
    toggle = (
        ui.toggle({'grid': _('Grid'), 'list': _('List')}, value=view, on_change=lambda e: on_change(e.value))
        .props('dense no-caps unelevated toggle-color=primary')
        .mark('view-switch')
    )
    return toggle


def specification_table(rows: list[tuple[str, str]]) -> None:
    """A product's attributes as a two-column table (names and values are the supplier's text, shown as text)."""
    if not rows:
        return
    ui.separator()
    ui.label(_('Specifications')).classes('text-subtitle1 text-weight-medium')
    with ui.element('table').classes('w-full text-body2').style('border-collapse: collapse').mark('specifications'):
        for name, value in rows:
            with ui.element('tr').classes('border-b border-gray-200'):
                with ui.element('td').classes('q-py-xs q-pr-md text-grey-8').style('width: 40%'):
                    ui.label(name)
                with ui.element('td').classes('q-py-xs'):
                    ui.label(value)


def notice(text: str) -> None:
    with (
        ui.row()
        .classes('w-full items-center gap-2 q-pa-sm bg-orange-1 rounded-borders text-body2')
        .mark('filter-notice')
    ):
        ui.icon('info', size='20px').classes('text-orange-9')
        ui.label(text)


def add_css() -> None:
    ui.add_css(CSS)
