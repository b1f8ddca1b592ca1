"""A customer's portal users: the list, a new user, a new password, deactivating and reactivating."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import run, ui

from app.core import db
from app.core.i18n import _
from app.identity import accounts, links
from app.identity.auth import Identity
from app.mail import account_mails
from app.models import PortalUser, PortalUserCreate, Role
from components import guard
from components.confirm import confirm
from components.form import Form, email_field
from components.form_dialog import FormDialog
from components.password_dialog import PasswordChoice, show_password_once
from components.section import listed, section

Refresh = Callable[[], Any]


def users_section(who: Identity, customer_id: int, host: ui.element) -> None:
    """The Portal users card; its dialogs live in `host`, outside the list that redraws."""

    @ui.refreshable
    def user_list() -> None:
        with db.read_session() as session:
            users = accounts.list_users(session, actor=who, customer_id=customer_id)
        listed(
            users,
            lambda user: _user_item(user, reset, email, user_list.refresh),
            _('No portal users yet: nobody of this customer can sign in.'),
            'person_off',
            separated=True,
        )

    with host:
        create = UserDialog(customer_id, host, user_list.refresh)
        reset = ResetDialog(host)
        email = EmailDialog(user_list.refresh)
    with section(_('Portal users'), 'group', _('The people of this customer who sign in to the portal')) as heading:
        with heading:
            ui.button(_('New user'), icon='person_add', on_click=create.open).props('outline no-caps').mark('new-user')
        user_list()


def _user_item(user: PortalUser, reset: ResetDialog, email: EmailDialog, refresh: Refresh) -> None:
    assert user.id is not None
    uid, name, address = user.id, user.username, user.email or ''
    invited = links.is_invited(user)
    with ui.row().classes('w-full items-center gap-3 q-py-sm wrap').mark(f'user-{name}'):
        ui.icon('person' if user.active else 'person_off', size='26px').classes(
            'text-primary' if user.active else 'text-grey-5'
        )
        with ui.column().classes('col-grow gap-0 min-w-[160px]'):
            ui.label(name).classes('text-weight-medium' + ('' if user.active else ' text-grey-6'))
            if user.full_name:
                ui.label(user.full_name).classes('text-body2 text-grey-7')
            ui.label(address or _('No e-mail address')).classes('text-caption text-grey-7').mark(f'email-{name}')
        if invited and user.active:
            ui.badge(_('Invited'), color='orange-8').props('outline').mark(f'invited-{name}')
        if user.active:
            ui.badge(_('Active'), color='positive').props('outline').mark(f'status-{name}')
        else:
            ui.badge(_('Deactivated'), color='grey-7').mark(f'status-{name}')
        with ui.row().classes('gap-1 wrap'):
            ui.button(
                _('E-mail address'), icon='alternate_email', on_click=lambda: email.open(uid, name, address)
            ).props('flat dense no-caps').mark(f'edit-email-{name}')
            if invited and user.active and address:
                ui.button(
                    _('Send invitation'),
                    icon='forward_to_inbox',
                    on_click=lambda: invite_again(uid, name, refresh),
                ).props('flat dense no-caps').mark(f'invite-{name}')
            ui.button(_('Reset password'), icon='lock_reset', on_click=lambda: reset.open(uid, name)).props(
                'flat dense no-caps'
            ).mark(f'reset-{name}')
            if user.active:
                ui.button(
                    _('Deactivate'),
                    icon='block',
                    on_click=lambda: confirm(
                        _('Deactivate {name}?').format(name=name),
                        _(
                            'They are signed out at once and cannot sign in until you reactivate them. '
                            'Their orders stay.'
                        ),
                        yes=_('Deactivate'),
                        then=lambda: set_user_active(uid, False, refresh),
                    ),
                ).props('flat dense no-caps color=negative').mark(f'deactivate-{name}')
            else:
                ui.button(
                    _('Reactivate'), icon='check_circle', on_click=lambda: set_user_active(uid, True, refresh)
                ).props('flat dense no-caps color=positive').mark(f'reactivate-{name}')


class UserDialog:
    """A new portal user: user name, full name and a password (generated, or typed)."""

    MARKER = 'new-password'

    def __init__(self, customer_id: int, host: ui.element, on_saved: Refresh) -> None:
        self.customer_id, self.host, self.on_saved = customer_id, host, on_saved
        self.form = Form()
        self.dialog = FormDialog('person_add', _('New portal user'))
        with self.dialog.card:
            username = self.form.add(
                'username',
                ui.input(_('User name'))
                .props('outlined dense maxlength=64 autocomplete=off')
                .classes('w-full')
                .mark('new-username'),
                required=True,
            )
            username.props['hint'] = _('3–64 characters: letters, digits, . _ - @')
            self.form.add(
                'full_name',
                ui.input(_('Full name (optional)'))
                .props('outlined dense maxlength=120')
                .classes('w-full')
                .mark('new-full-name'),
            )
            self.form.add('email', email_field().classes('w-full').mark('new-email'))
            self.invite = ui.switch(_('Invite by e-mail: the user chooses their own password')).mark('new-invite')
            with ui.column().classes('w-full gap-3') as choice:
                self.password = PasswordChoice(self.MARKER)
            choice.bind_visibility_from(self.invite, 'value', value=False)
            self.form.add('password', self.password.field)
        self.button = self.dialog.buttons(
            _('Create user'), icon='check', on_click=lambda: create_portal_user(self), mark='create-user'
        )

    def open(self) -> None:
        self.form.empty()
        self.invite.value = False
        self.password.reset()
        self.dialog.open()


class EmailDialog:
    """A portal user's e-mail address, where its mails go (empty: none)."""

    def __init__(self, on_saved: Refresh) -> None:
        self.on_saved = on_saved
        self.user_id: int | None = None
        self.form = Form()
        self.dialog = FormDialog('alternate_email')
        with self.dialog.card:
            self.form.add('email', email_field().classes('w-full').mark('user-email'))
        self.dialog.buttons(_('Save'), icon='check', on_click=lambda: set_user_email(self), mark='save-user-email')

    def open(self, user_id: int, username: str, address: str) -> None:
        self.user_id = user_id
        self.dialog.title.text = _('E-mail address of {username}').format(username=username)
        self.form.fields['email'].value = address
        self.form.clear()
        self.dialog.open()


class ResetDialog:
    """A new password for one portal user (generated, or typed); it signs them out everywhere."""

    MARKER = 'reset-password'

    def __init__(self, host: ui.element) -> None:
        self.host = host
        self.user_id: int | None = None
        self.username = ''
        self.form = Form()
        self.dialog = FormDialog('lock_reset')
        with self.dialog.card:
            ui.label(_('The old password stops working and the user is signed out on every device.')).classes(
                'text-body2 text-grey-8'
            )
            self.password = PasswordChoice(self.MARKER)
            self.form.add('password', self.password.field)
        self.button = self.dialog.buttons(
            _('Set new password'), icon='check', on_click=lambda: reset_user_password(self), mark='set-password'
        )

    def open(self, user_id: int, username: str) -> None:
        self.user_id, self.username = user_id, username
        self.dialog.title.text = _('New password for {username}').format(username=username)
        self.password.reset()
        self.dialog.open()


# --- what the buttons do: each click re-checks the session and role (guard), the services check again ----------


@guard.admin_action
async def create_portal_user(who: Identity, dialog: UserDialog) -> None:
    password = dialog.password.password()
    data = PortalUserCreate.model_construct(
        username=dialog.form.text('username'),
        full_name=dialog.form.text('full_name'),
        email=dialog.form.text('email'),
        role=Role.CUSTOMER,
        customer_id=dialog.customer_id,
        active=True,
        password=password,
    )
    if dialog.invite.value:
        await _invite(who, dialog, data)
        return

    def write() -> str:  # bcrypt: off the event loop
        with db.write_session() as session:
            return accounts.create_user(session, actor=who, data=data).username

    await _save_with_password(dialog, write, password, saved=_('Portal user {username} created'))
    dialog.on_saved()


async def _invite(who: Identity, dialog: UserDialog, data: PortalUserCreate) -> None:
    def write() -> str:  # bcrypt: off the event loop
        with db.write_session() as session:
            return account_mails.invite_user(session, actor=who, data=data).username

    username = await _written(dialog, write)
    ui.notify(
        _('Portal user {username} created; the invitation is mailed to {email}').format(
            username=username, email=data.email
        ),
        type='positive',
    )
    dialog.on_saved()


@guard.admin_action
def invite_again(who: Identity, user_id: int, username: str, refresh: Refresh) -> None:
    with db.write_session() as session:
        account_mails.invite_again(session, actor=who, user_id=user_id)
    ui.notify(_('A new invitation is mailed to {username}; the earlier link stops working.').format(username=username))
    refresh()


@guard.admin_action
def set_user_email(who: Identity, dialog: EmailDialog) -> None:
    if dialog.user_id is None:
        return
    with dialog.form.showing_errors(), db.write_session() as session:
        accounts.set_email(session, actor=who, user_id=dialog.user_id, email=dialog.form.text('email'))
    dialog.dialog.close()
    ui.notify(_('E-mail address saved'), type='positive')
    dialog.on_saved()


@guard.admin_action
async def reset_user_password(who: Identity, dialog: ResetDialog) -> None:
    if dialog.user_id is None:
        return
    user_id, username, password = dialog.user_id, dialog.username, dialog.password.password()

    def write() -> str:  # bcrypt: off the event loop
        with db.write_session() as session:
            accounts.reset_password(session, actor=who, user_id=user_id, password=password)
        return username

    await _save_with_password(dialog, write, password, saved=_('Password of {username} changed; signed out everywhere'))


@guard.admin_action
def set_user_active(who: Identity, user_id: int, active: bool, refresh: Refresh) -> None:
    with db.write_session() as session:
        accounts.set_active(session, actor=who, user_id=user_id, active=active)
    ui.notify(_('User reactivated') if active else _('User deactivated and signed out everywhere'), type='positive')
    refresh()


async def _save_with_password(
    dialog: UserDialog | ResetDialog, write: Callable[[], str], password: str, *, saved: str
) -> None:
    """Run `write` (it returns the user name) as `_written` does; then show a generated password once, or say `saved`
    (its {username} filled in)."""
    username = await _written(dialog, write)
    if dialog.password.generated:
        show_password_once(username, password, parent=dialog.host)
    else:
        ui.notify(saved.format(username=username), type='positive')
    dialog.password.reset()


async def _written(dialog: UserDialog | ResetDialog, write: Callable[[], str]) -> str:
    """Run `write` off the event loop with the dialog's button off meanwhile (its errors shown on the form, the
    dialog kept open); close the dialog and return what `write` returned."""
    dialog.button.disable()
    try:
        with dialog.form.showing_errors():
            username = await run.io_bound(write)
    finally:
        dialog.button.enable()
    dialog.dialog.close()
    return username
