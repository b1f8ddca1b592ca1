"""The language a page speaks: its texts (app/core/i18n.py), Quasar's own texts and the html lang attribute.

A page is built in its reader's language (`speak`), and everything that later draws on that page (a click, a live
refresh, an upload) speaks it again through `language_of(client)`: the click wrappers (components/guard.py), the
live refresh queue (components/live.py) and the socket guard (components/session_binding.py) call `resume`.
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable

from nicegui import Client, ui

from app.core import db, i18n
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _
from app.identity import accounts
from components import guard, theme

# Quasar's language packs that NiceGUI ships, for its own texts (table pagination, date pickers, the uploader)
QUASAR_LANGUAGES = {'en': 'en-US', 'nl': 'nl', 'de': 'de-DE'}
FLAGS = {'en': 'EN', 'nl': 'NL', 'de': 'DE'}

_spoken: weakref.WeakKeyDictionary[Client, str] = weakref.WeakKeyDictionary()


def speak(language: str, client: Client | None = None) -> None:
    """Build this page in `language`: our texts, Quasar's and the html tag's lang."""
    language = i18n.supported(language)
    client = client or ui.context.client
    i18n.use(language)
    _spoken[client] = language
    # the page object is shared by every client of a route: this client gets a copy that speaks its language
    client.page = copy.copy(client.page)
    client.page.language = QUASAR_LANGUAGES[language]  # type: ignore[assignment]


def language_of(client: Client | None) -> str:
    return _spoken.get(client, i18n.DEFAULT) if client is not None else i18n.DEFAULT


def resume(client: Client | None) -> None:
    """Speak the page's language again, for work done on it after it was built."""
    i18n.use(language_of(client))


def choose(language: str) -> None:
    """The header's switch, for whoever is signed in on this page (re-read, as for every click): keep the choice
    for the next visit and draw the page again in it, where the user is."""
    who = guard.current_identity()
    if who is None:
        ui.navigate.to('/login')
        return
    try:
        with db.write_session() as session:
            accounts.set_language(session, actor=who, language=language)
    except (ValidationError, NotFound, db.DatabaseBusy) as error:
        guard.report(error)
        return
    ui.navigate.reload()


def switch(current: str, on_choose: Callable[[str], object] = choose) -> ui.button:
    """A compact language menu: the current language's code on the button, each language named in itself.

    The menu is made when the button is first pressed (few ever press it; made with every page it was four elements
    on every page every customer has open); from then on Quasar opens and closes it."""
    button = (
        ui.button(FLAGS[current], icon='translate')
        .props('flat dense no-caps no-wrap aria-haspopup=menu')
        .props(theme.aria_label(_('Language')))
        .classes('sf-language text-grey-8')
        .mark('language-switch')
    )

    def open_menu() -> None:
        if button.default_slot.children:
            return
        with button, ui.menu().props('auto-close') as menu:
            for code, name in i18n.LANGUAGES.items():
                item = ui.item(name, on_click=lambda code=code: on_choose(code)).mark(f'language-{code}')
                if code == current:
                    item.props('active')
        menu.open()

    button.on_click(open_menu)
    return button
