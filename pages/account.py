"""Your account: the signed-in user's own e-mail address and, for a customer's user, which mails it gets. Opened
from the name in the header; a customer's users at /account, the supplier's staff at /admin/account."""

from __future__ import annotations

from nicegui import ui

from app.core import db
from app.core.errors import ValidationError
from app.core.i18n import N_, _
from app.identity import accounts
from app.identity.auth import Identity
from app.mail import preferences
from app.models import Role
from components import guard
from components.form import email_field
from components.page import portal_page
from components.section import section

CUSTOMER_PATH = '/account'
ADMIN_PATH = '/admin/account'


def path_of(who: Identity) -> str:
    return ADMIN_PATH if who.is_admin else CUSTOMER_PATH


def _save_email(who: Identity, field: ui.input) -> None:
    field.error = None
    try:
        with db.write_session() as session:
            saved = accounts.set_own_email(session, actor=who, email=field.value or '')
    except ValidationError as error:
        field.error = error.message
        raise
    field.value = saved or ''
    ui.notify(_('Your e-mail address is saved.') if saved else _('Saved: you get no mails now.'), type='positive')


@guard.customer_action
def save_email(who: Identity, field: ui.input) -> None:
    _save_email(who, field)


@guard.admin_action
def save_staff_email(who: Identity, field: ui.input) -> None:
    _save_email(who, field)


@guard.customer_action
def save_mail_preferences(who: Identity, boxes: dict[str, ui.checkbox]) -> None:
    with db.write_session() as session:
        preferences.set_my_preferences(
            session, actor=who, wanted={kind: bool(box.value) for kind, box in boxes.items()}
        )
    ui.notify(_('Your choice of mails is saved.'), type='positive')


def _email_section(who: Identity) -> None:
    with db.read_session() as session:
        address = preferences.my_address(session, actor=who)
    hint = _('Where the portal mails you; empty: no mails.')
    with section(_('E-mail address'), 'alternate_email', hint), ui.row().classes('w-full items-start gap-3 wrap'):
        field = email_field(address, autocomplete='email').classes('col-grow min-w-[240px]').mark('own-email')
        handler = save_staff_email if who.is_admin else save_email
        field.on('keydown.enter', lambda: handler(field))
        ui.button(_('Save address'), icon='check', on_click=lambda: handler(field)).props('unelevated no-caps').mark(
            'save-email'
        )


def _preferences_section(who: Identity) -> None:
    with db.read_session() as session:
        chosen = preferences.my_preferences(session, actor=who)
    with section(_('Mails you get'), 'mark_email_unread', _("Choose which of the portal's mails you want.")):
        ui.checkbox(_('Confirmation of the orders you place (always)'), value=True).props('disable').mark(
            'mail-own-confirmation'
        )
        boxes = {
            kind: ui.checkbox(_(label), value=chosen[kind]).mark(f'mail-{kind}')
            for kind, label in preferences.KINDS.items()
        }
        ui.label(
            _(
                'Mails about an order go to whoever placed it; for an order the supplier placed for your company, '
                "to each of your company's users who wants them."
            )
        ).classes('text-caption text-grey-7')
        ui.button(_('Save my choice'), icon='check', on_click=lambda: save_mail_preferences(boxes)).props(
            'unelevated no-caps'
        ).classes('self-start').mark('save-mail-preferences')


@portal_page(CUSTOMER_PATH, role=Role.CUSTOMER, title=N_('Your account'), menu=CUSTOMER_PATH)
def account_page(who: Identity) -> None:
    with ui.column().classes('w-full max-w-3xl gap-4'):
        _email_section(who)
        _preferences_section(who)


@portal_page(ADMIN_PATH, role=Role.ADMIN, title=N_('Your account'), menu=ADMIN_PATH)
def admin_account_page(who: Identity) -> None:
    with ui.column().classes('w-full max-w-3xl gap-4'):
        _email_section(who)
        with ui.row().classes('items-center gap-2 no-wrap text-grey-8'):
            ui.icon('info', size='20px')
            ui.label(_('The new-order alerts go to the addresses set under Sent mail.')).classes('text-body2')
