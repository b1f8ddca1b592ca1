"""Colours and small helpers shared by every screen."""

from nicegui import ui

from app.core import money

PRIMARY = '#1f4e79'


def apply() -> None:
    """Per page: brand colours and a calm background."""
    ui.button.default_props('no-caps')  # sentence-case buttons everywhere, as in the rest of the text
    ui.colors(primary=PRIMARY, secondary='#4a7fb0', accent='#2e7d32', positive='#2e7d32')
    ui.query('body').classes('bg-grey-1')
    ui.add_css(MARKDOWN_CSS + SHORT_SCREEN_CSS)


# Quasar's heading sizes are made for posters; the dashboard text reads like a letter
MARKDOWN_CSS = """
.nicegui-markdown h1 { font-size: 1.75rem; line-height: 2.25rem; font-weight: 500; margin: 0 0 0.75rem; }
.nicegui-markdown h2 { font-size: 1.3rem; line-height: 1.9rem; font-weight: 500; margin: 1.25rem 0 0.5rem; }
.nicegui-markdown h3 { font-size: 1.1rem; line-height: 1.6rem; font-weight: 500; margin: 1rem 0 0.5rem; }
.nicegui-markdown p, .nicegui-markdown li { font-size: 0.95rem; line-height: 1.5rem; }
"""


# A laptop's browser window can be 650 px high: a tighter menu keeps the current order in view at the bottom
SHORT_SCREEN_CSS = """
@media (max-height: 800px) {
  .sf-drawer .q-item { min-height: 38px; padding-top: 4px; padding-bottom: 4px; }
  .sf-drawer .q-list--padding { padding-top: 4px; padding-bottom: 4px; }
  .sf-drawer .sf-brand { padding-top: 10px; padding-bottom: 10px; }
}
"""


def count(number: int, word: str) -> str:
    """'1 unit', '12 units', '1,200 units'."""
    return f'{number:,} {word}' if number == 1 else f'{number:,} {word}s'


def price(cents: int, currency: str) -> str:
    return money.format_cents(cents, currency)


def page_title(text: str, subtitle: str | None = None) -> None:
    with ui.column().classes('gap-0'):
        ui.label(text).classes('text-h5 text-weight-medium')
        if subtitle:
            ui.label(subtitle).classes('text-body2 text-grey-7')


def empty_state(icon: str, title: str, hint: str = '') -> None:
    with ui.column().classes('w-full items-center py-12 gap-2 text-center'):
        ui.icon(icon, size='56px').classes('text-grey-5')
        ui.label(title).classes('text-h6 text-grey-8')
        if hint:
            ui.label(hint).classes('text-body2 text-grey-6')
