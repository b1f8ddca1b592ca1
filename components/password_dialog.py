"""Choosing a portal user's password (typed or generated) and showing a generated one exactly once."""

from __future__ import annotations

from nicegui import ui

from app.core.i18n import _, ngettext
from app.identity import passwords
from components import theme

GENERATE = 'generate'
TYPE = 'type'


class PasswordChoice:
    """'Generate a password' (default) or 'Type a password' with its field."""

    def __init__(self, marker: str = 'password') -> None:
        self.mode = (
            ui.radio({GENERATE: _('Generate a password'), TYPE: _('Type a password')}, value=GENERATE)
            .props('inline dense')
            .mark(f'{marker}-mode')
        )
        self.field = (
            ui.input(_('Password'), password=True, password_toggle_button=True)
            .props(f'outlined dense maxlength={passwords.MAX_LENGTH} autocomplete=new-password')
            .classes('w-full')
            .mark(marker)
        )
        self.field.props['hint'] = ngettext('At least {n} character.', 'At least {n} characters.', passwords.MIN_LENGTH)
        self.field.bind_visibility_from(self.mode, 'value', value=TYPE)
        self.note = ui.label(_('You see the new password once, to copy and hand over.')).classes(
            'text-caption text-grey-7'
        )
        self.note.bind_visibility_from(self.mode, 'value', value=GENERATE)
        self.field.on_value_change(lambda: setattr(self.field, 'error', None))

    @property
    def generated(self) -> bool:
        return self.mode.value != TYPE

    def password(self) -> str:
        """The password to set: a fresh generated one, or what was typed (the service checks it)."""
        return passwords.generate() if self.generated else (self.field.value or '')

    def reset(self) -> None:
        self.mode.value = GENERATE
        self.field.value = ''
        self.field.error = None


def show_password_once(username: str, password: str, *, parent: ui.element | None = None) -> ui.dialog:
    """A dialog with the new password and a copy button. Closing it deletes it: the password is never shown again."""
    with parent or ui.context.client.content:
        dialog = ui.dialog().props('persistent').mark('password-once')
    with dialog, ui.card().classes('w-full max-w-md q-pa-lg gap-3'):
        with ui.row().classes('items-center gap-2 no-wrap'):
            ui.icon('key', size='28px').classes('text-primary')
            ui.label(_('New password for {username}').format(username=username)).classes('text-h6')
        ui.label(_('Copy it now and give it to the user. It is shown only this once.')).classes(
            'text-body2 text-grey-8'
        )
        with ui.row().classes('w-full items-center no-wrap gap-2 bg-grey-2 rounded-borders q-pa-sm'):
            ui.label(password).classes('col min-w-0 text-h6 font-mono select-all break-all').mark('generated-password')

            def copy() -> None:
                ui.clipboard.write(password)
                ui.notify(_('Password copied'), type='positive')

            ui.button(icon='content_copy', on_click=copy).props('flat round').props(
                theme.aria_label(_('Copy password'))
            ).tooltip(_('Copy')).mark('copy-password')

        def done() -> None:
            dialog.close()
            dialog.delete()

        with ui.row().classes('w-full justify-end'):
            ui.button(_('Done'), icon='check', on_click=done).props('unelevated no-caps').mark('password-done')
    dialog.open()
    return dialog
