"""The look of the pages before signing in (sign in, forgot password, a mailed link's page): the supplier's name
above one card in the middle, the language switch top right, in the visitor's language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi import Request
from nicegui import ui

from app.core import db, i18n, portal_settings
from components import language, theme


def visitor_language(request: Request, lang: str) -> str:
    """The visitor's choice on this page, else what the browser asks for; the page is built in it."""
    spoken = lang if lang in i18n.LANGUAGES else i18n.negotiate(request.headers.get('accept-language'))
    language.speak(spoken)
    theme.apply()
    return spoken


@contextmanager
def sign_in_card(
    spoken: str, heading: str, on_choose: Callable[[str], None], *, page_title: str = ''
) -> Iterator[ui.column]:
    """What is drawn inside the `with` goes into the card under `heading`; yields the column around the card, for
    what goes below it. `page_title`: the browser tab's, with a {supplier} placeholder (by default the heading's)."""
    with db.read_session() as session:
        supplier = portal_settings.supplier_name(session)
    ui.page_title(page_title.format(supplier=supplier) if page_title else f'{heading} · {supplier}')
    with ui.row().classes('absolute-top-right q-pa-sm'):
        language.switch(spoken, on_choose)
    with ui.column().classes('absolute-center items-center w-full q-pa-md').style('max-width: 420px') as column:
        with ui.row().classes('items-center gap-2 q-mb-md no-wrap'):
            ui.icon('warehouse', size='40px').classes('text-primary')
            ui.label(supplier).classes('text-h5 text-weight-bold text-primary')
        with ui.card().classes('w-full q-pa-lg gap-3 shadow-3'):
            ui.label(heading).classes('text-h6')
            yield column


def alert() -> ui.label:
    """The card's message of what went wrong, hidden until it has one."""
    label = ui.label().classes('text-negative text-body2 bg-red-1 q-pa-sm rounded-borders w-full').props('role=alert')
    label.set_visibility(False)
    return label


def main_button(text: str, on_click: Callable) -> ui.button:
    """The card's one big button, as wide as the card."""
    return ui.button(text, on_click=on_click).props('unelevated size=lg').classes('w-full')
