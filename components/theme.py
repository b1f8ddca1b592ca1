"""Colours and small helpers shared by every screen."""

import json

from nicegui import ui

from app.core import db, i18n, portal_settings
from app.core.i18n import ngettext


def apply(primary: str | None = None) -> None:
    """Per page: brand colours (the supplier's main colour is a portal setting, its mails use it too; `primary`
    when the caller has read it already) and a calm background, as the page's own CSS: Quasar's colour variables,
    which ui.colors would set from an element of its own (as would ui.query for the body's class)."""
    ui.button.default_props('no-caps')  # sentence-case buttons everywhere, as in the rest of the text
    if primary is None:
        with db.read_session() as session:
            primary = portal_settings.brand_colour(session)  # '#rrggbb', checked where it is read
    colours = {'primary': primary, 'secondary': '#4a7fb0', 'accent': '#2e7d32', 'positive': '#2e7d32'}
    # (important: they win over the defaults Quasar sets on the body when it starts)
    variables = ' '.join(f'--q-{name}: {value} !important;' for name, value in colours.items())
    ui.add_css(f'body {{ {variables} background: #fafafa !important; }}\n' + PAGE_CSS)


# Quasar's heading sizes are made for posters; the dashboard text reads like a letter
MARKDOWN_CSS = """
.nicegui-markdown h1 { font-size: 1.75rem; line-height: 2.25rem; font-weight: 500; margin: 0 0 0.75rem; }
.nicegui-markdown h2 { font-size: 1.3rem; line-height: 1.9rem; font-weight: 500; margin: 1.25rem 0 0.5rem; }
.nicegui-markdown h3 { font-size: 1.1rem; line-height: 1.6rem; font-weight: 500; margin: 1rem 0 0.5rem; }
.nicegui-markdown p, .nicegui-markdown li { font-size: 0.95rem; line-height: 1.5rem; }
"""


# The menu's lines (components/frame.py) are one element each, with Quasar's item classes: the icon is drawn from
# the icon font as q-icon draws it, and the hover as Quasar's focus helper shows it
MENU_CSS = """
.sf-menu-item { line-height: 1.2em; text-decoration: none; }
.sf-menu-item::before {
  content: attr(data-icon); font-family: "Material Icons"; font-weight: normal; font-style: normal;
  font-size: 24px; line-height: 1; width: 1em; height: 1em; flex-shrink: 0; margin-right: 24px;
  letter-spacing: normal; text-transform: none; white-space: nowrap; word-wrap: normal; direction: ltr;
  font-feature-settings: "liga"; -webkit-font-smoothing: antialiased; user-select: none;
  display: inline-flex; align-items: center; justify-content: center;
}
.sf-menu-item::after {
  content: ""; position: absolute; inset: 0; border-radius: inherit; pointer-events: none;
  background: color-mix(in srgb, currentColor 60%, #fff); opacity: 0;
  transition: opacity 0.4s cubic-bezier(0.25, 0.8, 0.5, 1);
}
body.desktop .sf-menu-item:hover::after, body.desktop .sf-menu-item:focus-visible::after { opacity: 0.15; }
"""


# An icon drawn before an element's own text, as q-icon draws it, where an icon element and a row around both would
# add elements to every page: `.classes('sf-icon row items-center gap-2').props('data-icon=shopping_cart')`
ICON_CSS = """
.sf-icon::before {
  content: attr(data-icon); font-family: "Material Icons"; font-weight: normal; font-style: normal;
  font-size: var(--sf-icon-size, 24px); line-height: 1; width: 1em; height: 1em; flex-shrink: 0;
  letter-spacing: normal; text-transform: none; white-space: nowrap; word-wrap: normal; direction: ltr;
  font-feature-settings: "liga"; -webkit-font-smoothing: antialiased; user-select: none;
  display: inline-flex; align-items: center; justify-content: center;
}
"""


# A laptop's browser window can be 650 px high: a tighter menu keeps the current order in view at the bottom
SHORT_SCREEN_CSS = """
@media (max-height: 800px) {
  .sf-drawer .q-item { min-height: 38px; padding-top: 4px; padding-bottom: 4px; }
  .sf-drawer .q-list--padding { padding-top: 4px; padding-bottom: 4px; }
  .sf-drawer .sf-brand { padding-top: 10px; padding-bottom: 10px; }
}
"""


# On a phone every part of the page under the header may hold a button a message is about (a card's Add, Place
# order): a message shows over the header, the newest only, at most three lines, so it covers and moves no button
# (tests/browser/test_order_changes_flow.py measures it)
PHONE_MESSAGES_CSS = """
@media (max-width: 599.98px) {
  .q-notifications__list--bottom { top: 0; bottom: auto; flex-direction: column; }
  .q-notifications__list--bottom .q-notification:not(:last-child) { display: none; }
  .q-notifications__list--bottom .q-notification {
    margin: 3px 6px 0; min-height: 0; padding: 2px 10px; font-size: 13px; line-height: 16px; max-height: 52px;
  }
  .q-notifications__list--bottom .q-notification__message {
    padding: 2px 0; display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden;
  }
  .q-notifications__list--bottom .q-notification__icon { font-size: 20px; margin-right: 8px; }
}
"""

# The header's line in the grey of the other separators; on a phone the title gets the room (a smaller size, the
# language button its icon only), so "Quick order" or "Gespeicherte Listen" is not cut to "Quick or…"
HEADER_CSS = """
.sf-header { border-bottom: 1px solid #e0e0e0; }
/* who is signed in: one link, its icon drawn by CSS beside the name and the company (components/frame.py) */
.sf-account { display: grid; grid-template-columns: auto auto; column-gap: 8px; align-items: center;
  --sf-icon-size: 24px; padding-top: 2px; padding-bottom: 2px; text-decoration: none; }
.sf-account::before { grid-row: 1 / span 2; color: #757575; }
body.desktop .sf-account:hover, .sf-account:focus-visible { background: rgba(0, 0, 0, 0.05); }
@media (max-width: 599.98px) {
  .sf-header { padding-left: 8px; padding-right: 8px; }
  .sf-header .sf-title { font-size: 1.05rem; line-height: 1.5rem; }
  /* the code shrinks away, the icon and the aria-label remain (Quasar's `.block` keeps display: block) */
  .sf-header .sf-language .q-btn__content > span { width: 0; overflow: hidden; font-size: 0; }
  .sf-header .sf-language .q-icon.on-left { margin-right: 0; }
  .sf-header .sf-account { column-gap: 0; }  /* the name and the company are hidden: the icon alone */
}
"""

PAGE_CSS = MARKDOWN_CSS + SHORT_SCREEN_CSS + PHONE_MESSAGES_CSS + HEADER_CSS + MENU_CSS + ICON_CSS  # on every page


# each noun with its plural form as the catalogue has it: a translator sees both, and each language's plural rule
# picks the form (not an 's' glued on)
COUNTS = {
    'line': lambda n: ngettext('{n} line', '{n} lines', n),
    'unit': lambda n: ngettext('{n} unit', '{n} units', n),
    'product': lambda n: ngettext('{n} product', '{n} products', n),
    'order': lambda n: ngettext('{n} order', '{n} orders', n),
    'customer': lambda n: ngettext('{n} customer', '{n} customers', n),
    'user': lambda n: ngettext('{n} user', '{n} users', n),
}


def count(number: int, noun: str) -> str:
    """'1 unit', '12 units', '1,200 units' in the reader's language; `noun` is one of COUNTS."""
    return COUNTS[noun](number)


def aria_label(text: str) -> str:
    """Props naming an element for screen readers: `.props(theme.aria_label(_('Menu')))`. The text is quoted as
    a literal, so a quote in a translation cannot break the props."""
    return f'aria-label={json.dumps(text)}'


def price(cents: int, currency: str) -> str:
    """The amount in the reader's locale: '€1,234.50' (en), '€ 1.234,50' (nl), '1.234,50 €' (de)."""
    return i18n.money(cents, currency)


def page_title(text: str, subtitle: str | None = None) -> None:
    with ui.column().classes('gap-0'):
        ui.label(text).classes('text-h5 text-weight-medium')
        if subtitle:
            ui.label(subtitle).classes('text-body2 text-grey-7')


def explain(text: str) -> ui.label:
    """The paragraph that says what a page or a section is for and how it works, under its title."""
    return ui.label(text).classes('text-body2 text-grey-8')


def fact(
    label: str, value: str, *, classes: str = 'text-body1 text-weight-medium', mark: str | None = None
) -> ui.label:
    """A figure or fact under its caption ('Placed' over the date); returns the value's label."""
    with ui.column().classes('gap-0'):
        ui.label(label).classes('text-caption text-grey-7')
        text = ui.label(value).classes(classes)
    return text.mark(mark) if mark else text


def empty_state(icon: str, title: str, hint: str = '') -> None:
    with ui.column().classes('w-full items-center py-12 gap-2 text-center'):
        ui.icon(icon, size='56px').classes('text-grey-5')
        ui.label(title).classes('text-h6 text-grey-8')
        if hint:
            ui.label(hint).classes('text-body2 text-grey-6')
