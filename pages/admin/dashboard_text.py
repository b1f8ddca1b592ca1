"""The supplier writes the text on every customer's dashboard: Markdown with a live preview, in each language.

The text in the default language is what every customer reads whose language has no text of its own
(app/core/portal_settings.py); the language toggle above the editor chooses which one is edited."""

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


# The browser's own question before leaving a page (its wording is the browser's, in the browser's language)
LEAVE_GUARD = """<script>
window.addEventListener('beforeunload', (event) => {
  if (window.sfUnsavedChanges) { event.preventDefault(); event.returnValue = ''; }
});
</script>"""


class Editor:
    """The text area, its live preview and the saved state."""

    def __init__(self, text: str, language: str | None = None, fallback: str = '') -> None:
        self.saved = text
        self.language = language  # None: the default language
        self.fallback = fallback  # what customers of this language read while its text is empty
        with ui.element('div').classes('w-full grid grid-cols-1 md:grid-cols-2 gap-4 items-start'):
            with ui.card().classes('w-full q-pa-md gap-2'):
                with ui.row().classes('w-full items-center gap-2 no-wrap'):
                    ui.icon('edit_note', size='24px').classes('text-primary')
                    ui.label(_('Text')).classes('text-h6 text-weight-medium col-grow')
                    self.counter = ui.label().classes('text-caption text-grey-7').mark('dashboard-counter')
                self.hint = ui.label().classes('text-caption text-grey-7').mark('dashboard-language-hint')
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
        self.warned: bool | None = None  # whether the browser now asks before leaving (None: not yet told)
        # leaving with unsaved changes (the menu, a link, reload, closing the tab) makes the browser ask first
        ui.add_body_html(LEAVE_GUARD)
        self.field.on_value_change(self.changed)
        self.changed()

    def changed(self) -> None:
        text = self.field.value or ''
        self.preview.set_content(text if text.strip() or not self.fallback else self.fallback)
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
        if dirty != self.warned:
            self.warned = dirty
            ui.run_javascript(f'window.sfUnsavedChanges = {"true" if dirty else "false"}')

    def discard(self) -> None:
        self.field.value = self.saved
        self.changed()

    @property
    def dirty(self) -> bool:
        return (self.field.value or '').replace('\r\n', '\n') != self.saved

    def show(self, language: str, text: str, *, default: str, fallback: str) -> None:
        """Edit the text in `language` (`default` is the portal's default language, whose text is `fallback`)."""
        self.language, self.saved = language, text
        self.fallback = fallback if language != default else ''
        if language == default:
            self.hint.text = _(
                'The text in {language}, the default language: customers whose language has no text of its own '
                'read this one.'
            ).format(language=i18n.language_name(default))
        else:
            self.hint.text = _(
                'Customers who read {language} see this text; while it is empty, the {default} one.'
            ).format(language=i18n.language_name(language), default=i18n.language_name(default))
        self.field.value = text
        self.changed()


@guard.admin_action
def save_dashboard_text(who: Identity, editor: Editor) -> None:
    try:
        with db.write_session() as session:
            saved = portal_settings.save_dashboard_text(
                session, actor=who, text=editor.field.value or '', language=editor.language
            )
    except ValidationError as error:
        editor.field.error = error.message
        raise
    editor.saved = saved
    editor.changed()
    ui.notify(_('Dashboard text saved: customers see it now'), type='positive')


@guard.admin_action
def show_language(who: Identity, editor: Editor, languages: ui.toggle, language: str) -> None:
    """The toggle chose another language: its text in the editor, unless the one shown has unsaved changes."""
    if language == editor.language:
        return
    if editor.dirty:
        languages.value = editor.language  # back: the click changes nothing
        ui.notify(_('Save or discard your changes first.'), type='warning')
        return
    with db.read_session() as session:
        texts = portal_settings.dashboard_texts(session, actor=who)
        default = portal_settings.default_language(session)
    if language not in texts:
        raise ValidationError('Choose one of the offered languages.', 'language')
    editor.show(language, texts[language], default=default, fallback=texts[default])


@portal_page(PATH, role=Role.ADMIN, title=N_('Dashboard text'), menu=PATH)
def dashboard_text_page(who: Identity) -> None:
    with db.read_session() as session:
        texts = portal_settings.dashboard_texts(session, actor=who)
        default = portal_settings.default_language(session)
    with ui.row().classes('w-full items-center gap-2 no-wrap text-grey-8'):
        ui.icon('info', size='20px')
        ui.label(
            _(
                'Every customer sees this text on their dashboard after signing in: how to use the portal, news, '
                'opening hours. Write it in Markdown; the preview shows the result.'
            )
        ).classes('text-body2')
    names = {code: i18n.language_name(code) for code in i18n.LANGUAGES}
    languages = ui.toggle(names, value=default).props('no-caps unelevated').mark('dashboard-language')
    editor = Editor(texts[default], default)
    editor.show(default, texts[default], default=default, fallback=texts[default])
    languages.on_value_change(lambda e: show_language(editor, languages, e.value))
