"""The supplier writes the text on every customer's dashboard: Markdown with a live preview."""

from __future__ import annotations

from nicegui import ui

from app.core import db, i18n, portal_settings
from app.core.errors import ValidationError
from app.core.i18n import N_, _
from app.identity.auth import Identity
from app.models import Role
from components import guard
from components.markdown_text import SafeMarkdown
from components.page import portal_page

PATH = '/admin/dashboard-text'
LIMIT = portal_settings.MAX_DASHBOARD_CHARS

CHEATSHEET = [  # what to type (its words translated too: a translator keeps the Markdown) and what it makes
    (N_('# Heading'), N_('a big heading (## and ### for smaller ones)')),
    (N_('**bold**  *italic*'), N_('emphasis')),
    (N_('- item'), N_('a bullet list (1. for a numbered one)')),
    (N_('[our site](https://example.com)'), N_('a link')),
    (N_('blank line'), N_('a new paragraph')),
]


class Editor:
    """The text area, its live preview and the saved state."""

    def __init__(self, text: str) -> None:
        self.saved = text
        with ui.element('div').classes('w-full grid grid-cols-1 md:grid-cols-2 gap-4 items-start'):
            with ui.card().classes('w-full q-pa-md gap-2'):
                with ui.row().classes('w-full items-center gap-2 no-wrap'):
                    ui.icon('edit_note', size='24px').classes('text-primary')
                    ui.label(_('Text')).classes('text-h6 text-weight-medium col-grow')
                    self.counter = ui.label().classes('text-caption text-grey-7').mark('dashboard-counter')
                self.field = (
                    ui.textarea(value=text)
                    .props('outlined rows=20 input-class="font-mono text-body2"')
                    .classes('w-full')
                    .mark('dashboard-editor')
                )
                self.field.props['aria-label'] = _('Dashboard text')
                with (
                    ui.expansion(_('Markdown in short'), icon='help_outline').classes('w-full text-grey-8'),
                    ui.element('div').classes('grid grid-cols-1 sm:grid-cols-2 gap-x-4 gap-y-1 text-body2'),
                ):
                    for example, meaning in CHEATSHEET:
                        ui.label(_(example)).classes('font-mono')
                        ui.label(_(meaning)).classes('text-grey-7')
            with ui.card().classes('w-full q-pa-md gap-2'):
                with ui.row().classes('w-full items-center gap-2 no-wrap'):
                    ui.icon('visibility', size='24px').classes('text-primary')
                    ui.label(_('Preview')).classes('text-h6 text-weight-medium col-grow')
                    ui.label(_('as customers see it')).classes('text-caption text-grey-7')
                ui.separator()
                # raw HTML in the text shows as text (escaped on the server, then DOMPurify), as on the dashboard
                self.preview = SafeMarkdown(text).classes('w-full dashboard-text').mark('dashboard-preview')
        with ui.row().classes('w-full items-center gap-3 wrap'):
            self.save_button = (
                ui.button(_('Save'), icon='save', on_click=lambda: save_dashboard_text(self))
                .props('unelevated no-caps')
                .mark('save-dashboard-text')
            )
            self.discard_button = (
                ui.button(_('Discard changes'), icon='undo', on_click=self.discard)
                .props('flat no-caps')
                .mark('discard-dashboard-text')
            )
            self.status = ui.label().classes('text-body2').mark('dashboard-status')
        self.field.on_value_change(self.changed)
        self.changed()

    def changed(self) -> None:
        text = self.field.value or ''
        self.preview.set_content(text)
        too_long = len(text) > LIMIT
        self.counter.text = _('{length} / {limit} characters').format(
            length=i18n.number(len(text)), limit=i18n.number(LIMIT)
        )
        self.counter.classes(
            replace='text-caption ' + ('text-negative text-weight-bold' if too_long else 'text-grey-7')
        )
        self.field.error = _('At most {limit} characters.').format(limit=i18n.number(LIMIT)) if too_long else None
        dirty = text.replace('\r\n', '\n') != self.saved
        self.status.text = _('Unsaved changes') if dirty else _('Saved — this is what customers see')
        self.status.classes(replace='text-body2 ' + ('text-warning text-weight-medium' if dirty else 'text-grey-7'))
        self.discard_button.set_enabled(dirty)

    def discard(self) -> None:
        self.field.value = self.saved
        self.changed()


@guard.admin_action
def save_dashboard_text(who: Identity, editor: Editor) -> None:
    try:
        with db.write_session() as session:
            saved = portal_settings.save_dashboard_text(session, actor=who, text=editor.field.value or '')
    except ValidationError as error:
        editor.field.error = error.message
        raise
    editor.saved = saved
    editor.changed()
    ui.notify(_('Dashboard text saved: customers see it now'), type='positive')


@portal_page(PATH, role=Role.ADMIN, title=N_('Dashboard text'), menu=PATH)
def dashboard_text_page(who: Identity) -> None:
    with db.read_session() as session:
        text = portal_settings.dashboard_text(session)
    with ui.row().classes('w-full items-center gap-2 no-wrap text-grey-8'):
        ui.icon('info', size='20px')
        ui.label(
            _(
                'Every customer sees this text on their dashboard after signing in: how to use the portal, news, '
                'opening hours. Write it in Markdown; the preview shows the result.'
            )
        ).classes('text-body2')
    Editor(text)
