"""Choosing a password without the supplier: "Forgot your password?" (a reset link by mail), and the pages the
mailed links open, a reset or an invitation. Public pages: they tell nobody whether a user name exists."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response
from nicegui import run, ui

from app.core import db
from app.core.errors import ValidationError
from app.core.i18n import _, ngettext
from app.identity import links, passwords
from app.mail import account_mails
from app.models import LinkPurpose
from components import guard
from components.sign_in_card import alert, main_button, sign_in_card, visitor_language


@contextmanager
def _card(spoken: str, title: str, on_choose: Callable[[str], None]) -> Iterator[None]:
    """The sign-in page's look, with the way back to it below the card."""
    with sign_in_card(spoken, title, on_choose) as column:
        yield
    with column:
        ui.link(_('Back to sign in'), '/login').classes('text-body2 q-mt-sm').mark('back-to-sign-in')


@ui.page('/forgot-password')
def forgot_password_page(request: Request, lang: str = '') -> Response | None:
    spoken = visitor_language(request, lang)

    async def ask() -> None:
        if button.props.get('loading'):
            return
        error.set_visibility(False)
        if not (name.value or '').strip():
            name.error = _('Required')
            return
        button.props('loading')
        try:
            await run.io_bound(
                account_mails.request_password_reset,
                name=name.value or '',
                client_address=guard.client_address(ui.context.client.request),
            )
        except (account_mails.ResetThrottled, db.DatabaseBusy) as refused:
            error.text = str(refused)
            error.set_visibility(True)
            return
        finally:
            button.props(remove='loading')
        form.set_visibility(False)
        done.set_visibility(True)

    def choose(code: str) -> None:
        ui.navigate.to(f'/forgot-password?lang={code}')

    with _card(spoken, _('Forgot your password?'), choose):
        with ui.column().classes('w-full gap-3') as form:
            ui.label(_('Enter your user name or e-mail address. We mail you a link to set a new password.')).classes(
                'text-body2 text-grey-8'
            )
            error = alert()
            name = (
                ui.input(_('User name or e-mail address'))
                .props('outlined autofocus autocomplete=username maxlength=254')
                .classes('w-full')
                .mark('reset-name')
            )
            name.on_value_change(lambda: setattr(name, 'error', None))
            name.on('keydown.enter', ask)
            button = main_button(_('Mail me a link'), ask).mark('reset-ask')
        with ui.column().classes('w-full gap-2') as done:
            with ui.row().classes('items-start gap-2 no-wrap'):
                ui.icon('mark_email_read', size='28px').classes('text-positive')
                ui.label(_(account_mails.ASKED)).classes('text-body1').mark('reset-asked')
            ui.label(_('The link works once and for one hour. No mail? Check the spam folder, or ask again.')).classes(
                'text-body2 text-grey-7'
            )
        done.set_visibility(False)
    return None


@ui.page('/reset-password')
def reset_password_page(request: Request, token: str = '', lang: str = '') -> Response | None:
    _link_page(request, token, lang, LinkPurpose.PASSWORD_RESET, '/reset-password')
    return None


@ui.page('/invitation')
def invitation_page(request: Request, token: str = '', lang: str = '') -> Response | None:
    _link_page(request, token, lang, LinkPurpose.INVITATION, '/invitation')
    return None


def _link_page(request: Request, token: str, lang: str, purpose: LinkPurpose, path: str) -> None:
    spoken = visitor_language(request, lang)
    with db.read_session() as session:
        state = links.link_state(session, token=token, purpose=purpose)
    invitation = purpose == LinkPurpose.INVITATION
    title = _('Choose your password') if invitation else _('Set a new password')

    def choose(code: str) -> None:
        ui.navigate.to(f'{path}?token={quote(token, safe="")}&lang={code}')

    with _card(spoken, title, choose):
        if state.state != links.VALID:
            with ui.row().classes('items-start gap-2 no-wrap').mark(f'link-{state.state}'):
                ui.icon('link_off', size='28px').classes('text-negative')
                ui.label(_(links.STATE_MESSAGES[state.state])).classes('text-body1')
            ui.button(
                _('Ask for a new link'), on_click=lambda: ui.navigate.to(f'/forgot-password?lang={spoken}')
            ).props('unelevated').classes('w-full').mark('ask-new-link')
            return
        _password_form(token, purpose, state, invitation=invitation)


def _password_form(token: str, purpose: LinkPurpose, state: links.LinkState, *, invitation: bool) -> None:
    async def save() -> None:
        if button.props.get('loading'):
            return
        first.error = second.error = None
        if (first.value or '') != (second.value or ''):
            second.error = _('The two passwords are not the same.')
            return
        button.props('loading')

        def write() -> str:  # bcrypt: off the event loop
            with db.write_session() as session:
                return links.use_link(session, token=token, purpose=purpose, password=first.value or '')

        try:
            await run.io_bound(write)
        except ValidationError as refused:
            (first if refused.field == 'password' else second).error = refused.message
            return
        except db.DatabaseBusy as busy:
            second.error = str(busy)
            return
        finally:
            button.props(remove='loading')
        form.set_visibility(False)
        done.set_visibility(True)

    with ui.column().classes('w-full gap-3') as form:
        ui.label(
            (
                _('Welcome, {name}. Choose the password you sign in with as {username}.')
                if invitation
                else _('Choose a new password for {username}. You are then signed out everywhere else.')
            ).format(name=state.full_name or state.username, username=state.username)
        ).classes('text-body2 text-grey-8').mark('link-for')
        first = (
            ui.input(_('New password'), password=True, password_toggle_button=True)
            .props(f'outlined autofocus autocomplete=new-password maxlength={passwords.MAX_LENGTH}')
            .classes('w-full')
            .mark('new-password')
        )
        first.props['hint'] = ngettext('At least {n} character.', 'At least {n} characters.', passwords.MIN_LENGTH)
        second = (
            ui.input(_('Repeat the new password'), password=True, password_toggle_button=True)
            .props(f'outlined autocomplete=new-password maxlength={passwords.MAX_LENGTH}')
            .classes('w-full')
            .mark('repeat-password')
        )
        second.on('keydown.enter', save)
        button = main_button(_('Save password'), save).mark('save-password')
    with ui.column().classes('w-full gap-3') as done:
        with ui.row().classes('items-start gap-2 no-wrap'):
            ui.icon('check_circle', size='28px').classes('text-positive')
            ui.label(_('Your password is set. Sign in with it now.')).classes('text-body1').mark('password-set')
        main_button(_('Sign in'), lambda: ui.navigate.to('/login')).mark('go-sign-in')
    done.set_visibility(False)
