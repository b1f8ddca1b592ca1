"""A page belongs to the session and the browser that opened it: its socket, its clicks, its uploads and its pushes.

NiceGUI hands a socket message to whichever page (client) it names, and takes a POST to a page's upload URL from
anyone who knows the URL; the guard then re-read the session cookie of the page's own request, not the sender's.
`install()` (main.py) binds them in this one place:

1. A socket attaches to a page (NiceGUI's handshake, implicit at connect or as a message) only when its cookies carry
   the page's session token and its browser id (NiceGUI's signed session cookie) and the session is still live;
   otherwise the browser is told the handshake failed and reloads, which brings the login page. (The session the
   page's build found live moments before is taken as it is, unless one of its user's sessions has ended since.)
   Events, JavaScript answers, acknowledgements and log lines are taken only from a socket attached to the page
   they name. A request to a page's own URLs (`/_nicegui/client/<id>/...`: the uploads) needs the same two
   cookies, or gets 403.
   So a click always comes from a socket that showed the page's session cookie when it attached (a cookie cannot
   change on an open socket), and the guard's re-check of the page's token at every click (guard.current_identity)
   checks the sender's session: no second look-up per event is needed.
2. When a session ends, its pages get no more pushes, are sent to the login page and let go. Sign-out, deactivation
   and a password reset publish `('sessions_ended', user_id)` (app/identity/auth.py); the idle and absolute timeouts
   publish nothing, so each page keeps the moment its session ends at the latest (`live_until`, from the database)
   and it is checked before every live push (`may_push`) and by a sweep every second, which reads the database only
   for a page whose moment has passed (a click may have moved it on).
3. A page whose browser has not connected within CONNECT_WINDOW_S is let go (NiceGUI waits a minute: 150 loads of
   /products in 5 s held ~190 MB), and one session holds at most MAX_PAGES_PER_SESSION pages: after each page
   served, the oldest beyond that are let go, those that never connected first.

State per page lives in a weak mapping, never on the client, so nothing here keeps a left page alive.
"""

from __future__ import annotations

import asyncio
import hmac
import inspect
import json
import logging
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Request
from nicegui import Client, background_tasks, context, core
from nicegui import app as nicegui_app
from starlette.requests import HTTPConnection, cookie_parser
from starlette.responses import PlainTextResponse
from starlette.types import Message, Receive, Scope, Send

from app.core import clock, events
from app.core.i18n import N_, _
from app.identity import auth
from components import guard, language
from components.plain_asgi import HttpMiddleware

log = logging.getLogger(__name__)

CONNECT_WINDOW_S = 10.0  # a page's browser connects within this, or the page is let go (its late socket reloads it)
MAX_PAGES_PER_SESSION = 20
SWEEP_INTERVAL_S = 1.0
OWN_NAVIGATION_GRACE_S = 5.0  # the page whose click ended its session (Sign out) navigates by itself first
GUARDED_MESSAGES = ('event', 'javascript_response', 'ack', 'log')  # socket messages that name a client id
CLIENT_PATH = '/_nicegui/client/'
SERVED_LIVE = 'stockfront.served_to_a_live_session'  # set in a page request's scope when it is served
SIMULATED = 'test-'  # the socket ids of NiceGUI's simulated test user, which has no socket, browser or cookies
TOO_MANY_PAGES = N_('This page was closed: more than {n} pages of the portal are open. Reload it to use it.')


@dataclass(eq=False)
class _Binding:
    token: str | None  # the session token of the page's request (None: a page without a session, like the login)
    live_until: datetime | None = None  # the session lasts at least until then (read from the database)
    ended_at: float | None = None  # monotonic time its session was found ended
    gone: bool = False  # sent away (or deleted): no longer one of its session's pages
    stop_listening: Callable[[], None] | None = None


_bindings: weakref.WeakKeyDictionary[Client, _Binding] = weakref.WeakKeyDictionary()
_ended: dict[int, float] = {}  # user id -> monotonic time its sessions last ended in this process (kept a while)
_listening_for_ends: list[Callable[[], None]] = []


# --- whose page is it -------------------------------------------------------------------------------------------------


def _same(page_value: str | None, other: str | None) -> bool:
    if page_value is None or other is None:
        return page_value is None and other is None
    return hmac.compare_digest(page_value.encode(), other.encode())


def _browser_id(scope: Any) -> str | None:
    """The browser's id in NiceGUI's signed session cookie, as its middleware decoded it into the scope."""
    session = scope.get('session') if isinstance(scope, dict) else None
    value = session.get('id') if isinstance(session, dict) else None
    return value if isinstance(value, str) else None


def _request_of(client: Client) -> Request | None:
    try:
        return client.request
    except RuntimeError:
        return None


def _same_session(client: Client, cookies: dict[str, str], browser: str | None) -> bool:
    """Whether these cookies are those of the request that opened the page: its session token and its browser."""
    page = _request_of(client)
    if page is None:
        return False
    return _same(guard.token_of(page), cookies.get(guard.cookie_name())) and _same(_browser_id(page.scope), browser)


def _binding(client: Client) -> _Binding:
    binding = _bindings.get(client)
    if binding is None:
        request = _request_of(client)
        # a page served to a session that had already ended (the login page after a sign-out elsewhere) is a page
        # without a session: its dead cookie must not get its socket refused, which would reload it for ever
        served_live = request is not None and request.scope.get(SERVED_LIVE, True)
        binding = _bindings[client] = _Binding(guard.token_of(request) if served_live else None)
    return binding


def _real_sockets(client: Client) -> list[str]:
    return [sid for sid in client._socket_to_document_id if not sid.startswith(SIMULATED)]


# --- 1. sockets -------------------------------------------------------------------------------------------------------

_nicegui_accept_handshake = getattr(Client.accept_handshake, '__wrapped__', Client.accept_handshake)


def accept_handshake(self: Client, socket_id: str, tab_id: str, environ: dict[str, Any] | None) -> bool:
    """NiceGUI's handshake check, after this one: the socket's cookies are the page's and its session is live."""
    if not _admit(self, environ):
        return False
    return _nicegui_accept_handshake(self, socket_id, tab_id, environ)


accept_handshake.__wrapped__ = _nicegui_accept_handshake  # type: ignore[attr-defined]


def _admit(client: Client, environ: dict[str, Any] | None) -> bool:
    binding = _binding(client)
    if binding.ended_at is not None or binding.gone:
        return False
    if environ is not None:  # None: NiceGUI's simulated test user
        cookies = cookie_parser(environ.get('HTTP_COOKIE', ''))
        if not _same_session(client, cookies, _browser_id(environ.get('asgi.scope'))):
            log.warning('refused a socket for a %s page: not the session and browser that opened it', client.page.path)
            return False
    if binding.token is None:
        return True
    live = _found_live_at_build(client) or auth.live_session(binding.token)
    if live is None:
        binding.ended_at = time.monotonic()
        return False
    binding.live_until = live.ends_at
    if binding.stop_listening is None:
        binding.stop_listening = _listen_for_end(client, live.user_id)
        client.on_delete(binding.stop_listening)
    return True


def _found_live_at_build(client: Client) -> auth.LiveSession | None:
    """The session the page's build found live, while that still tells: moments ago (a socket comes within
    CONNECT_WINDOW_S or the page is let go), before its moment to end, and no session of its user has ended in this
    process since. (A session ended by another process in between is missed, as it is a moment after the socket
    attached; every click reads it again.)"""
    request = _request_of(client)
    found = request.scope.get(guard.LIVE_AT_BUILD) if request is not None else None
    if found is None:
        return None
    when, live = found
    if (
        time.monotonic() - when > CONNECT_WINDOW_S
        or _ended.get(live.user_id, -1.0) >= when
        or clock.now() >= live.ends_at
    ):
        return None
    return live


def _attached(sid: str, message: Any) -> bool:
    """Whether the message comes from a socket attached to the page it names; if so, what it makes that page draw
    is in the page's language."""
    client = Client.instances.get(message.get('client_id')) if isinstance(message, dict) else None
    if client is None or sid not in client._socket_to_document_id:
        return False
    language.resume(client)
    return True


def _from_attached_socket(handler: Callable[..., Any]) -> Callable[..., Any]:
    """The handler of a socket message that names a page, for messages from a socket attached to that page only
    (from any other socket they are dropped)."""
    if inspect.iscoroutinefunction(handler):

        async def checked_async(sid: str, message: Any = None, *rest: Any) -> Any:
            return await handler(sid, message, *rest) if _attached(sid, message) else None

        checked: Callable[..., Any] = checked_async
    else:

        def checked_sync(sid: str, message: Any = None, *rest: Any) -> Any:
            return handler(sid, message, *rest) if _attached(sid, message) else None

        checked = checked_sync
    checked.__wrapped__ = handler  # type: ignore[attr-defined]
    return checked


# --- 2. ended sessions ------------------------------------------------------------------------------------------------


def _acting_client() -> Client | None:
    try:
        return context.client
    except RuntimeError:
        return None


def _listen_for_end(client: Client, user_id: int) -> Callable[[], None]:
    page = weakref.ref(client)
    loop = asyncio.get_running_loop()

    def on_sessions_ended(_topic: events.Topic) -> None:
        try:
            on_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            on_loop = False
        if on_loop:  # after the publisher's handler has run on, so a Sign out click navigates by itself first
            loop.call_soon(_check, page, _acting_client() is page())
        elif not loop.is_closed():
            loop.call_soon_threadsafe(_check, page, False)

    return events.subscribe(('sessions_ended', user_id), on_sessions_ended)


def _check(page: weakref.ref[Client], own: bool = False) -> None:
    """Read the page's session again; end the page if the session has ended."""
    client = page()
    binding = _bindings.get(client) if client is not None else None
    if client is None or binding is None or client.is_deleted or binding.ended_at is not None or not binding.token:
        return
    live = auth.live_session(binding.token)
    if live is not None:
        binding.live_until = live.ends_at
        return
    binding.ended_at = time.monotonic()
    if binding.stop_listening is not None:
        binding.stop_listening()
    log.info('a %s page closed: its session has ended', client.page.path)
    if not own:
        _let_go(client, binding)


def may_push(client: Client) -> bool:
    """Whether live data may still go to this page (components/live.py asks before every refresh)."""
    binding = _bindings.get(client)
    if binding is None:
        return True  # not connected yet: what it gets is sent at the handshake, which checks the session
    if binding.ended_at is None and binding.token and (binding.live_until is None or clock.now() >= binding.live_until):
        _check(weakref.ref(client))
    return binding.ended_at is None and not binding.gone


def _let_go(client: Client, binding: _Binding, *, note: str | None = None) -> None:
    """Send the page's browser to the login page (or show it `note`), drop its sockets and free the page."""
    binding.gone = True
    sockets = _real_sockets(client)
    if sockets:  # NiceGUI deletes the page when its reconnect window has passed (a reconnect is refused)
        background_tasks.create(_send_away(client.id, sockets, note), name='send a page away')
    elif client._delete_tasks:
        pass  # its browser is away already: NiceGUI lets it go at the end of the reconnect window
    elif note is not None or not client.has_socket_connection:
        client.delete()
    # else only NiceGUI's simulated test user is attached: there is no browser to send away; it gets no more pushes


async def _send_away(client_id: str, sockets: list[str], note: str | None) -> None:
    sio = core.sio
    if note is None:  # (a message without an '_id' is taken as it is, nicegui.js); no `next`: the tab may be on its
        await sio.emit('open', {'path': '/login', 'new_tab': False}, room=client_id)  # way to /login from a sign-out
    else:
        code = (
            'const popup = document.getElementById("popup"); window.socket.disconnect(); '
            f'popup.textContent = {json.dumps(note)}; popup.ariaHidden = false;'
        )
        await sio.emit('run_javascript', {'code': code}, room=client_id)
    for sid in sockets:
        await sio.disconnect(sid)


def _note_ended(topic: events.Topic) -> None:
    _ended[topic[1]] = time.monotonic()


def _sweep() -> None:
    """Every second: pages that never connected, ended sessions' pages, and sessions whose time has run out."""
    Client.prune_instances(client_age_threshold=CONNECT_WINDOW_S)
    for user_id, when in list(_ended.items()):  # older than any page that may still attach without a read
        if time.monotonic() - when > CONNECT_WINDOW_S:
            _ended.pop(user_id, None)
    now = clock.now()
    for client, binding in list(_bindings.items()):
        if client.is_deleted or binding.gone:
            continue
        if binding.ended_at is not None:
            if time.monotonic() - binding.ended_at >= OWN_NAVIGATION_GRACE_S:
                _let_go(client, binding)
        elif binding.token and binding.live_until is not None and now >= binding.live_until:
            _check(weakref.ref(client))


# --- 3. pages per session ---------------------------------------------------------------------------------------------


def _session_key(token: str | None, browser: str | None) -> str | None:
    return f'session:{token}' if token else f'browser:{browser}' if browser else None


_keys: weakref.WeakKeyDictionary[Client, str | None] = weakref.WeakKeyDictionary()


def _key_of(client: Client) -> str | None:
    """The session (or browser) a page belongs to; remembered, as every page served asks it of every open page."""
    if client in _keys:
        return _keys[client]
    request = _request_of(client)
    key = _session_key(guard.token_of(request), _browser_id(request.scope)) if request is not None else None
    _keys[client] = key
    return key


def _is_gone(client: Client) -> bool:
    binding = _bindings.get(client)
    return binding is not None and binding.gone


def _limit_pages(key: str | None) -> None:
    """Let the oldest pages of a session go beyond MAX_PAGES_PER_SESSION: never-connected ones first, never the
    newest (the one just served)."""
    if key is None:
        return
    pages = [c for c in Client.instances.values() if _key_of(c) == key and not _is_gone(c)]
    if len(pages) <= MAX_PAGES_PER_SESSION:
        return
    newest = max(pages, key=lambda c: c.created)
    older = sorted((c for c in pages if c is not newest), key=lambda c: (c.has_socket_connection, c.created))
    for client in older[: len(pages) - MAX_PAGES_PER_SESSION]:
        _let_go(client, _binding(client), note=_(TOO_MANY_PAGES).format(n=MAX_PAGES_PER_SESSION))


class SessionBinding(HttpMiddleware):
    """ASGI middleware: a request to a page's own URLs needs the page's session and browser (403 otherwise), and
    after each page served the session's pages are counted."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope['path'].removeprefix(scope.get('root_path', ''))
        connection = HTTPConnection(scope)
        if path.startswith(CLIENT_PATH):
            client = Client.instances.get(path[len(CLIENT_PATH) :].split('/', 1)[0])
            binding = _bindings.get(client) if client is not None else None
            if (
                client is None
                or (binding is not None and (binding.ended_at is not None or binding.gone))
                or not _same_session(client, connection.cookies, _browser_id(scope))
            ):
                log.warning('refused %s %s: not the session and browser of that page', scope['method'], CLIENT_PATH)
                await PlainTextResponse('Forbidden', status_code=403)(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return

        served_page = False

        async def watch(message: Message) -> None:
            nonlocal served_page
            if message['type'] == 'http.response.start':
                served_page = (b'x-nicegui-content', b'page') in message.get('headers', [])
                # (the page's request has this scope; a portal page that found its session live has said so)
                if served_page and SERVED_LIVE not in scope and (token := connection.cookies.get(guard.cookie_name())):
                    scope[SERVED_LIVE] = auth.live_session(token) is not None
            await send(message)

        await self.app(scope, receive, watch)
        if served_page:
            _limit_pages(_session_key(connection.cookies.get(guard.cookie_name()), _browser_id(scope)))


# --- installing -------------------------------------------------------------------------------------------------------


def install() -> None:
    """Bind the pages of the app main.py builds (tests build it again and again: the patches go in once)."""
    Client.accept_handshake = accept_handshake  # type: ignore[method-assign]
    handlers = core.sio.handlers['/']
    for name in GUARDED_MESSAGES:
        handlers[name] = _from_attached_socket(getattr(handlers[name], '__wrapped__', handlers[name]))
    nicegui_app.add_middleware(SessionBinding)
    nicegui_app.timer(SWEEP_INTERVAL_S, _sweep)
    for stop in _listening_for_ends:  # (once, also when the app is built again)
        stop()
    _listening_for_ends[:] = [events.subscribe_kind('sessions_ended', _note_ended, first=True)]
