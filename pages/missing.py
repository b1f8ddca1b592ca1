"""The portal's own not-found page for a mistyped address, for customers, the supplier and visitors."""

from __future__ import annotations

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from nicegui import Client, ui
from nicegui import app as nicegui_app
from nicegui.page import page
from starlette.exceptions import HTTPException

from app.core import i18n
from app.core.i18n import N_, _
from app.identity import auth
from components import guard, language, theme
from components.frame import frame
from components.not_found import not_found


async def missing_page(request: Request, exception: Exception) -> Response:
    endpoint = request.scope.get('endpoint')
    if endpoint is not None and endpoint is not nicegui_app and isinstance(exception, HTTPException):
        return await http_exception_handler(request, exception)  # an HTTP route (not a page) answers plainly
    who = auth.resolve(guard.token_of(request))
    with Client(page(''), request=request) as client:
        if who is None:
            language.speak(i18n.negotiate(request.headers.get('accept-language')))
            theme.apply()
            ui.page_title(_('Not found'))
            with ui.column().classes('absolute-center items-center gap-3 text-center q-pa-md').mark('not-found'):
                ui.icon('search_off', size='64px').classes('text-grey-5')
                ui.label(_('Not found')).classes('text-h5')
                ui.label(_('There is no page at this address.')).classes('text-body1 text-grey-7')
                ui.button(_('Go to sign in'), on_click=lambda: ui.navigate.to('/login')).props('unelevated')
        else:
            language.speak(who.language)
            back = _('Back to the overview') if who.is_admin else _('Back to the dashboard')
            with frame(who, title=N_('Not found'), active=''):
                not_found(_('This page'), back=(back, guard.home_of(who)))
    return client.build_response(request, 404)


nicegui_app.add_exception_handler(404, missing_page)
