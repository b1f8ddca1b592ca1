"""Signing in and out: the login page, the cookie hand-over and the no-access page."""

from __future__ import annotations

import html
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from nicegui import app as nicegui_app
from nicegui import run, ui

from app.core import config, db, i18n
from app.core.i18n import _
from app.identity import auth
from components import guard, language, theme
from components.sign_in_card import alert, main_button, sign_in_card, visitor_language


@ui.page('/login')
def login_page(request: Request, next: str = '/', lang: str = '') -> Response | None:
    if (who := auth.resolve(guard.token_of(request))) is not None:
        return RedirectResponse(guard.home_of(who), status_code=303)
    target = auth.safe_next(next)
    spoken = visitor_language(request, lang)

    async def sign_in() -> None:
        if button.props.get('loading'):
            return
        error.set_visibility(False)
        button.props('loading')
        try:
            token = await run.io_bound(
                auth.sign_in,
                username=username.value or '',
                password=password.value or '',
                client_address=guard.client_address(ui.context.client.request),
                device=ui.context.client.request.cookies.get(guard.device_cookie_name(), ''),
            )
        except auth.SignInRefused as refused:
            error.text = refused.message
            error.set_visibility(True)
            password.value = ''
            return
        except db.DatabaseBusy as busy:  # the database is busy for longer than its timeout: nothing was changed
            error.text = str(busy)
            error.set_visibility(True)
            return
        finally:
            button.props(remove='loading')
        ticket = auth.issue_ticket(token, browser=_browser_of(ui.context.client.request))
        ui.navigate.to(f'/auth/complete?ticket={ticket}&next={quote(target, safe="")}')

    def choose(code: str) -> None:
        ui.navigate.to(f'/login?lang={code}&next={quote(target, safe="")}')

    with sign_in_card(spoken, _('Sign in to the portal'), choose, page_title=_('Sign in · {supplier}')) as column:
        error = alert()
        username = ui.input(_('User name')).props('outlined autofocus autocomplete=username').classes('w-full')
        password = (
            ui.input(_('Password'), password=True, password_toggle_button=True)
            .props('outlined autocomplete=current-password')
            .classes('w-full')
        )
        username.on('keydown.enter', lambda: password.run_method('focus'))
        password.on('keydown.enter', sign_in)
        button = main_button(_('Sign in'), sign_in)
        ui.link(_('Forgot your password?'), f'/forgot-password?lang={spoken}').classes('text-body2 self-center').mark(
            'forgot-password'
        )
    with column:
        ui.label(_('No account yet? Your supplier creates one for you.')).classes('text-caption text-grey-7 q-mt-sm')
    return None


def _browser_of(request: Request) -> str:
    """The browser's id from NiceGUI's signed session cookie (set on the first page), or '' without one."""
    return str(request.scope.get('session', {}).get('id', ''))


@nicegui_app.get('/auth/complete', include_in_schema=False)
def complete_sign_in(request: Request, ticket: str = '', next: str = '/') -> RedirectResponse:
    """Exchange the one-time ticket from the sign-in form for the session cookie."""
    token = auth.redeem_ticket(ticket, browser=_browser_of(request))
    if token is None:
        return RedirectResponse('/login', status_code=303)
    old = guard.token_of(request)
    if old and old != token:
        auth.sign_out(old)
    who = auth.resolve(token)
    default = guard.home_of(who) if who else '/'
    target = auth.safe_next(next, default=default)
    if who is not None and who.is_admin != target.startswith('/admin'):
        target = default
    response = RedirectResponse(target, status_code=303)
    settings = config.get()
    response.set_cookie(
        guard.cookie_name(),
        token,
        max_age=settings.session_lifetime_s,
        httponly=True,
        samesite='lax',
        secure=settings.https_only,
        path='/',
    )
    if who is not None:  # this browser has signed in as this user: strangers' failures do not hold it back
        response.set_cookie(
            guard.device_cookie_name(),
            auth.device_token(who.username),
            max_age=int(auth.DEVICE_LIFETIME.total_seconds()),
            httponly=True,
            samesite='lax',
            secure=settings.https_only,
            path='/',
        )
    return response


# Signing out changes state, so it is a POST carrying the session's own CSRF token (auth.sign_out_token); a GET,
# which any <img> or link can make (a dashboard image, another site), only shows the button (ASVS 3.5.1, 7.4.1).
# The menu's Sign out ends the session over the page's socket and then comes here to drop the cookie.


def _signed_out() -> RedirectResponse:
    response = RedirectResponse('/login', status_code=303)
    response.delete_cookie(guard.cookie_name(), path='/', httponly=True, samesite='lax', secure=config.get().https_only)
    return response


@ui.page('/logout')
def logout_page(request: Request) -> Response | None:
    token = guard.token_of(request)
    who = auth.resolve(token)
    if who is None:  # the session has ended already: only the cookie is left to drop
        return _signed_out()
    language.speak(who.language)
    theme.apply()
    ui.page_title(_('Sign out'))
    with ui.column().classes('absolute-center items-center gap-3 text-center q-pa-md'):
        ui.icon('logout', size='48px').classes('text-primary')
        ui.label(_('Signed in as {name}').format(name=who.display_name)).classes('text-h6')
        with ui.element('form').props('method=post action=/logout'):
            ui.element('input').props(f'type=hidden name=csrf_token value={auth.sign_out_token(token)}')
            ui.button(_('Sign out')).props('type=submit unelevated')
        ui.link(_('Back to the portal'), guard.home_of(who)).classes('text-body2')
    return None


@nicegui_app.post('/logout', include_in_schema=False)
async def logout(request: Request) -> Response:
    token = guard.token_of(request)
    if (who := auth.resolve(token)) is None:
        return _signed_out()
    given = (await request.form()).get('csrf_token')
    if not auth.sign_out_token_ok(token, given if isinstance(given, str) else None):
        with i18n.speaking(who.language):
            title = html.escape(_('Sign out'))
            expired = html.escape(_('This sign-out form has expired. {link_start}Sign out{link_end} again.'))
        expired = expired.format(link_start='<a href="/logout">', link_end='</a>')
        return HTMLResponse(
            f'<!doctype html><html lang="{i18n.supported(who.language)}"><title>{title}</title><p>{expired}</p></html>',
            status_code=403,
        )
    await run.io_bound(auth.sign_out, token)
    return _signed_out()


@ui.page('/no-access')
def no_access_page(request: Request) -> Response | None:
    who = auth.resolve(guard.token_of(request))
    if who is None:
        return guard.login_redirect(request)
    language.speak(who.language)
    theme.apply()
    ui.page_title(_('No access'))
    with ui.column().classes('absolute-center items-center gap-3 text-center q-pa-md'):
        ui.icon('block', size='64px').classes('text-grey-6')
        ui.label(_('No access')).classes('text-h5')
        ui.label(_("This part of the portal is for the supplier's staff.")).classes('text-grey-7')
        ui.button(_('Back to the portal'), on_click=lambda: ui.navigate.to(guard.home_of(who))).props('unelevated')
    return None
