"""Who is at the screen, checked again for every page and every click.

Pages call `page_identity(request, role)`; event handlers are wrapped with `@action(role)`, which
resolves the session cookie of the page's request again (so sign-out, deactivation and expiry take
effect at the next click), checks the role, and turns service errors into clear messages.
Every supplier (admin) click writes an audit line: who, which handler, its id arguments, the outcome.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from nicegui import Client, ui

from app.core import config, i18n
from app.core.db import DatabaseBusy
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.core.i18n import _
from app.core.logging import audit
from app.identity import auth
from app.identity.auth import Identity
from app.models import Role

COOKIE_NAME = 'stockfront_session'
# Behind HTTPS the cookie carries the __Host- prefix: browsers then only accept it Secure, for this host alone
# (no Domain) and for every path, so a sibling subdomain or a plain-http page cannot plant or shadow it.
HTTPS_COOKIE_NAME = f'__Host-{COOKIE_NAME}'
DEVICE_COOKIE_NAME = 'stockfront_device'  # this browser has signed in as that user before (auth.device_token)
LIVE_AT_BUILD = 'stockfront.live_at_build'  # a page request's scope: (monotonic time, auth.LiveSession) found then
log = logging.getLogger(__name__)


def cookie_name() -> str:
    return HTTPS_COOKIE_NAME if config.get().https_only else COOKIE_NAME


def device_cookie_name() -> str:
    return f'__Host-{DEVICE_COOKIE_NAME}' if config.get().https_only else DEVICE_COOKIE_NAME


def token_of(request: Request | None) -> str | None:
    return request.cookies.get(cookie_name()) if request is not None else None


def client_address(request: Request | None) -> str:
    """The client's address as auth.client_address works it out from the peer and a trusted proxy's header."""
    if request is None or request.client is None:
        return ''
    forwarded_for = ', '.join(request.headers.getlist('x-forwarded-for'))
    return auth.client_address(peer=request.client.host, forwarded_for=forwarded_for)


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f'?{request.url.query}' if request.url.query else '')
    return RedirectResponse(f'/login?next={quote(auth.safe_next(target), safe="")}', status_code=303)


def home_of(who: Identity) -> str:
    return '/admin' if who.is_admin else '/'


def page_identity(request: Request, role: Role) -> Identity | Response:
    """The signed-in identity for a page of `role`, or the response to send instead. The session found live is
    noted in the request's scope (`LIVE_AT_BUILD`), for the page's socket to attach without reading it again."""
    checked_at = time.monotonic()  # before the read: a session ended while it is read counts as ended after it
    found = auth.resolve_live(token_of(request))
    if found is None:
        return login_redirect(request)
    who, live = found
    request.scope[LIVE_AT_BUILD] = (checked_at, live)
    if who.role != role:
        return RedirectResponse('/admin' if who.is_admin else '/no-access', status_code=303)
    return who


def current_identity() -> Identity | None:
    """The identity behind the page this event came from, re-read from the database.

    The page's own request is the sender's too: components/session_binding.py takes events only from a socket
    that showed this page's session cookie when it attached, so one look-up per click is enough."""
    try:
        request = ui.context.client.request
    except (RuntimeError, AttributeError):
        return None
    return auth.resolve(token_of(request))


def report(error: Exception) -> None:
    """Show a service error as a message; nothing was changed."""
    if isinstance(error, ValidationError):
        ui.notify(error.message, type='negative')
    elif isinstance(error, NotFound):
        ui.notify(str(error), type='negative')
    elif isinstance(error, AccessDenied):
        ui.notify(_('You do not have access to this.'), type='negative')
    elif isinstance(error, DatabaseBusy):
        ui.notify(str(error), type='warning')
    else:
        raise error


def _ids(parameters: list[inspect.Parameter], args: tuple[Any, ...]) -> dict[str, Any]:
    """The whole-number arguments of a click (ids, quantities, on/off) by name, for the audit line. Nothing else
    goes in: forms, dialogs and texts may hold passwords or a customer's data."""
    ids: dict[str, Any] = {}
    for parameter, value in zip(parameters, args, strict=False):
        if isinstance(value, int):
            ids[parameter.name] = value
        elif isinstance(value, list | tuple) and value and all(isinstance(v, int) for v in value):
            ids[parameter.name] = list(value[:100])
    return ids


def _on_page() -> bool:
    """Whether the element this event came from is still on its page."""
    try:
        ui.context.client  # noqa: B018 - (raises once the element is gone)
    except RuntimeError:
        return False
    return True


def _audit_click(fn: Callable[..., Any], who: Identity, args: tuple[Any, ...], outcome: str) -> None:
    """`admin.<handler>`: who clicked, its outcome and the click's id arguments."""
    parameters = list(inspect.signature(fn).parameters.values())[1:]
    fields = {'actor': who.username, 'actor_id': who.user_id, 'actor_role': who.role.value, 'outcome': outcome}
    audit(f'admin.{fn.__name__}', **{**_ids(parameters, args), **fields})


def action(role: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap a handler `fn(who, *args)`: re-check the session and role, report service errors.

    The wrapped handler takes the same arguments as `fn` without `who`.
    """

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        def handler(*args: Any) -> Awaitable[None] | None:
            try:  # at the click itself, while what was clicked is on its page
                client = ui.context.client
            except RuntimeError:
                return None  # (a click on nothing: as NiceGUI drops an event of an element no longer there)
            return checked(client, *args)

        async def checked(client: Client, *args: Any) -> None:
            # The handler runs a moment after the click, in a task of its own; a refresh (deferred to its own task
            # as well) may have taken the clicked element away meanwhile. The click still counts, on its page.
            with contextlib.nullcontext() if _on_page() else client:
                await run(*args)

        async def run(*args: Any) -> None:
            who = current_identity()
            if who is None:
                ui.notify(_('Your session has ended. Please sign in again.'), type='warning')
                ui.navigate.to('/login')
                return
            i18n.use(who.language)  # the user's latest choice, for what this click shows and the services say
            audited = role == Role.ADMIN
            if who.role != role:
                log.warning('refused %s by %s: role %s', fn.__name__, who.username, who.role)
                if audited:
                    _audit_click(fn, who, args, 'no access')
                ui.notify(_('You do not have access to this.'), type='negative')
                return
            outcome = 'failed'
            try:
                result = fn(who, *args)
                if inspect.isawaitable(result):
                    await result
                outcome = 'done'
            except (ValidationError, NotFound, AccessDenied, DatabaseBusy) as e:
                outcome = f'refused: {type(e).__name__}'
                report(e)
            finally:
                if audited:
                    _audit_click(fn, who, args, outcome)

        # NiceGUI passes the event arguments only to handlers that declare a parameter for them
        parameters = list(inspect.signature(fn).parameters.values())[1:]
        handler.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        handler.__name__ = fn.__name__
        handler.guards = (fn, role)  # type: ignore[attr-defined]  # (the access matrix finds every handler by it)
        return handler

    return decorate


customer_action = action(Role.CUSTOMER)
admin_action = action(Role.ADMIN)
