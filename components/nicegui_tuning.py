"""Speed-ups and memory savings for NiceGUI itself, each found by profiling the portal under load (bench/load.py).

Importing this module (components/__init__.py does) patches NiceGUI 3 in nine places, and main.py calls
`tune_collector` for the served portal; none of it changes what a page shows or does:

1. `helpers.expects_arguments` calls `inspect.signature` for every observable collection NiceGUI makes, three
   per element (classes, style, props), always with a bound method of the same few classes. Building the products
   page spent a good part of its time there. The answer for a bound method depends only on its function, so it is
   remembered per function.
2. When NiceGUI deletes elements (a page left, a part refreshed), each element's classes, style and props still
   hold a bound method of themselves, a deleted client and a handler that refers to it (a closure over the
   client, a live refresh of its page) refer to each other, and so do a page's `ui.refreshable` and its targets.
   Those reference cycles kept every left page in memory until the cycle collector's next full pass. They are
   broken at deletion, so reference counting frees a left page at once.
3. Every `.classes()`, `.style()` and `.props()` change, and every text or visibility set, goes through NiceGUI's
   generic event machinery (slot context, awaitable check, error routing) to the collection's own update, which
   queues the element for sending. While a page is being built, before its HTML is made, nothing needs sending: the
   HTML carries every element as it then is, and NiceGUI empties the queue when making it. So nothing is queued
   (`Outbox.enqueue_update`, `Element.update`) until the page's HTML is made, and a collection whose one handler is
   its own update calls it directly. (bench/profile_pages.py: some 1,500 changes per products page, ~9 % of its build.)
4. Setting a bindable property (every element sets its visibility, text elements their text, inputs their value)
   propagates the new value to what is bound to it, through a context variable and a visited set, also when
   nothing is bound to it, which is nearly always, and marks it in a weak registry (~800 entries, 160 KiB per
   products page) that is read only when something binds from it. It now propagates only when something is bound
   to that property, and the mark is made when something binds from it
   (NiceGUI's own `__set__` otherwise, kept when an upgrade changes it: the copy is used only for the source it was
   made from). ~1,100 sets per products page, ~5 % of its build.
5. After building a page NiceGUI walks its element tree twice, recursively, to look for `ui.sub_pages` left without
   a match (for a 404); a page without any sub pages now answers at once from a flat look at its elements.
   (4 and 5 together, A/B in one process: 43.8 -> 41.6 ms per products build.)
6. Every element's props keep a table of deprecated prop names to rename (the same two for every element) and one of
   props to warn about (empty), and each of its classes, style and props an empty list of observers: five
   containers per element. They now share one of each until an element adds its own (copied then, as NiceGUI
   replaces the list of observers anyway). And the class names of `.classes('...')`, split anew for every element,
   are interned: one string for each name. ~260 KiB per products page together.
7. A page's elements are escaped for its HTML by five `str.replace` instead of `str.translate` with a table of
   multi-character replacements, which looks up every character (2.3 ms of a products page's build).
8. `tune_collector`, for the served portal only, moves what exists after start-up out of the cycle collector's
   way, lets short-lived objects die young and makes the long full passes rare.
9. NiceGUI's three BaseHTTPMiddleware (request tracking, prefixed redirects, its files' cache header) are plain ASGI
   middleware doing the same: a BaseHTTPMiddleware runs the rest of every request in a task group with two memory
   streams (0.32 ms per request for the three, for a page and each of its thumbnails).
10. A plain value (text, number, None) put into an element's props, classes or style is kept as it is without
   asking the ABC of observable collections whether it is one (~800 values per products page, 0.45 ms).

(Dropped, as measured to buy nothing: a cache of parsed `.props()` strings, since the 230 parses of a products
page cost 0.3 ms of its ~32 ms; emptying a deleted client's outbox, which is freed with its client; and resolving
an element's default props without `inspect`'s bind, 4.7 -> 0.3 µs per element, 0.1 ms of a products page.)

The patches keep NiceGUI's own functions and only add to them; if an upgrade renames what they touch, they fail
at import (the patched functions) or give up the saving (the containers emptied at deletion), which
tests/ui/test_nicegui_tuning.py catches.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import inspect
import sys
import time
import uuid
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from nicegui import binding, core, helpers, middlewares, storage, ui_run
from nicegui import client as client_module
from nicegui.classes import Classes
from nicegui.client import Client
from nicegui.element import Element
from nicegui.elements.sub_pages import SubPages
from nicegui.functions.refreshable import RefreshableTarget, refreshable
from nicegui.observables import ObservableCollection
from nicegui.outbox import Outbox
from nicegui.props import Props
from nicegui.style import Style
from nicegui.sub_pages_router import SubPagesRouter
from nicegui.version import __version__ as nicegui_version
from starlette.datastructures import URL, Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from components.plain_asgi import HttpMiddleware, on_start


def _nicegui_own(owner: object, name: str) -> Any:
    """NiceGUI's own `owner.name`, also when this module runs a second time (a patch keeps it as `__wrapped__`)."""
    current = getattr(owner, name)
    return getattr(current, '__wrapped__', current)


def _patch(owner: object, name: str, patched: Callable, *, static: bool = False) -> None:
    """Put `patched` in place of NiceGUI's own `owner.name`, keeping that as `patched.__wrapped__`."""
    patched.__wrapped__ = _nicegui_own(owner, name)  # type: ignore[attr-defined]
    setattr(owner, name, staticmethod(patched) if static else patched)


# --- 1. does a handler take arguments ---------------------------------------------------------------------------------

_expects_arguments = _nicegui_own(helpers, 'expects_arguments')
_bound_answers: weakref.WeakKeyDictionary[Callable, bool] = weakref.WeakKeyDictionary()


def expects_arguments(func: Callable) -> bool:
    if not inspect.ismethod(func):
        return _expects_arguments(func)
    function = func.__func__
    try:
        return _bound_answers[function]
    except (KeyError, TypeError):
        answer = _expects_arguments(func)
        with contextlib.suppress(TypeError):  # not weakly referenceable: not remembered
            _bound_answers[function] = answer
        return answer


_patch(helpers, 'expects_arguments', expects_arguments)


# --- 2. a left page is freed at once ----------------------------------------------------------------------------------

_remove_elements = _nicegui_own(Client, 'remove_elements')
_delete_client = _nicegui_own(Client, 'delete')


def _clear(owner: object, *names: str) -> None:
    """Empty these containers of `owner` if it has them (so a NiceGUI that renamed one only loses the saving)."""
    for name in names:
        container = getattr(owner, name, None)
        if hasattr(container, 'clear'):
            container.clear()


_run_target = _nicegui_own(RefreshableTarget, 'run')
# a page's refreshable and its targets refer to each other (refreshable.targets, target.refreshable): each target's
# container names its refreshable, which forgets the target when its container is removed
_refreshable_of: weakref.WeakKeyDictionary[Element, weakref.ref[refreshable]] = weakref.WeakKeyDictionary()


def run_target(self: RefreshableTarget, func: Callable) -> object:
    if self.container not in _refreshable_of:
        with contextlib.suppress(TypeError):
            _refreshable_of[self.container] = weakref.ref(self.refreshable)
    return _run_target(self, func)


def remove_elements(self: Client, elements: Iterable[Element]) -> None:
    element_list = list(elements)
    _remove_elements(self, element_list)
    for element in element_list:
        for collection in (getattr(element, name, None) for name in ('_classes', '_style', '_props')):
            _clear(collection, '_change_handlers')  # the bound method of itself
        if (held := _refreshable_of.pop(element, None)) is not None and (function := held()) is not None:
            function.prune()  # (drops the targets whose containers are deleted)
            if getattr(RefreshableTarget.current_target, 'container', None) is element:
                RefreshableTarget.current_target = None  # (the last one run, kept for its `ui.state`)


def delete(self: Client) -> None:
    try:
        _delete_client(self)
    finally:  # a handler may hold its client (a closure over it, a page's refresh that live.listen keeps)
        _clear(self, 'delete_handlers', 'connect_handlers', 'disconnect_handlers', '_exception_handlers')


_patch(RefreshableTarget, 'run', run_target)
_patch(Client, 'remove_elements', remove_elements)
_patch(Client, 'delete', delete)


# --- 3. changes before the page's HTML is made -----------------------------------------------------------------------

_enqueue_update = _nicegui_own(Outbox, 'enqueue_update')
_update_element = _nicegui_own(Element, 'update')
_handle_change = _nicegui_own(ObservableCollection, '_handle_change')
_OWN_UPDATES = {Classes._update, Style._update, Props._update}


def _html_to_come(client: Client | None) -> bool:
    return client is not None and getattr(client, '_response_built', True) is False


def enqueue_update(self: Outbox, element: Element) -> None:
    if not _html_to_come(self._client()):  # (the page's HTML, made next, shows the element as it is then)
        _enqueue_update(self, element)


def update_element(self: Element) -> None:
    if not _html_to_come(self._client()):
        _update_element(self)


def handle_change(self: ObservableCollection) -> None:
    handlers = self._change_handlers
    if len(handlers) == 1 and self._parent is None and not self._observer_refs:
        own = handlers[0][0]
        if getattr(own, '__func__', None) in _OWN_UPDATES and getattr(own, '__self__', None) is self:
            self.last_modified = time.time()
            try:
                own()
            except Exception as e:  # as NiceGUI's event machinery does with a handler's error
                core.app.handle_exception(e)
            return
    _handle_change(self)


_patch(Outbox, 'enqueue_update', enqueue_update)
_patch(Element, 'update', update_element)
_patch(ObservableCollection, '_handle_change', handle_change)


# --- 4. a bindable property set with nothing bound to it --------------------------------------------------------------

_set_bindable = _nicegui_own(binding.BindableProperty, '__set__')
# the source this copy was made from (NiceGUI 3.18); another source keeps NiceGUI's own
_SET_BINDABLE_SOURCE = '5958bad1743a4b94'


def set_bindable(self: binding.BindableProperty, owner: object, value: object) -> None:
    attribute = '___' + self.name
    has_attr = hasattr(owner, attribute)
    if not has_attr:
        binding._make_copyable(type(owner))
    value_changed = has_attr and getattr(owner, attribute) != value
    if has_attr and not value_changed:
        return
    setattr(owner, attribute, value)
    # (not marked in binding.bindable_properties, a weak entry for each property of each element: _bind_one_way
    # below marks the one bound from, which is all the mark is read for)
    if (id(owner), (self.name,)) in binding.bindings:  # (a defaultdict: `in` adds nothing)
        binding._propagate(owner, (self.name,))
    if value_changed and self._change_handler is not None:
        self._change_handler(owner, value)


def _source_of(function: Callable) -> str:
    with contextlib.suppress(OSError, TypeError):
        return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]
    return ''


_bind_one_way = _nicegui_own(binding, '_bind_one_way')


def bind_one_way(
    source_obj: object, source_name: tuple[str, ...], target_obj: object, target_name: tuple[str, ...], transform: Any
) -> None:
    """Mark a bindable property that has been set as NiceGUI's `__set__` would have (so that the binding follows its
    changes instead of polling it), then bind as NiceGUI does."""
    if len(source_name) == 1 and hasattr(source_obj, '___' + source_name[0]):
        name = source_name[0]
        if any(isinstance(klass.__dict__.get(name), binding.BindableProperty) for klass in type(source_obj).__mro__):
            binding.bindable_properties[(id(source_obj), source_name)] = source_obj
    _bind_one_way(source_obj, source_name, target_obj, target_name, transform)


if _source_of(_set_bindable) == _SET_BINDABLE_SOURCE:
    _patch(binding.BindableProperty, '__set__', set_bindable)
    _patch(binding, '_bind_one_way', bind_one_way)


# --- 5. a page without sub pages has none left unresolved ------------------------------------------------------------

_can_resolve_full_path = _nicegui_own(SubPagesRouter, '_can_resolve_full_path')


async def can_resolve_full_path(client: Client) -> bool:
    if not any(isinstance(element, SubPages) for element in client.elements.values()):
        return True  # (what NiceGUI's walk finds for a page without sub pages)
    return await _can_resolve_full_path(client)


_patch(SubPagesRouter, '_can_resolve_full_path', can_resolve_full_path, static=True)


# --- 6. the props' rename and warning tables, shared ------------------------------------------------------------------

_props_init = _nicegui_own(Props, '__init__')
_add_rename = _nicegui_own(Props, 'add_rename')
_add_warning = _nicegui_own(Props, 'add_warning')
# what Element.__init__ adds to every element (NiceGUI 3: deprecated until 4.0); never written to
_EVERY_ELEMENTS_RENAMES = {'resource_path': 'resource-path', 'dynamic_resource_path': 'dynamic-resource-path'}
_NO_WARNINGS: dict[str, str] = {}


def props_init(self: Props, *args: Any, **kwargs: Any) -> None:
    _props_init(self, *args, **kwargs)
    if self._warnings == {}:
        self._warnings = _NO_WARNINGS


def add_rename(self: Props, prop: str, replacement: str) -> None:
    if _EVERY_ELEMENTS_RENAMES.get(prop) == replacement and (
        self._renames is _EVERY_ELEMENTS_RENAMES or not self._renames
    ):
        self._renames = _EVERY_ELEMENTS_RENAMES  # (holds the other one too, added right after this one)
        self._check_rename(prop, replacement)
        return
    if self._renames is _EVERY_ELEMENTS_RENAMES:
        self._renames = dict(_EVERY_ELEMENTS_RENAMES)
    _add_rename(self, prop, replacement)


def add_warning(self: Props, prop: str, message: str) -> None:
    if self._warnings is _NO_WARNINGS:
        self._warnings = {}
    _add_warning(self, prop, message)


_observable_init = _nicegui_own(ObservableCollection, '__init__')
_update_list = _nicegui_own(Classes, 'update_list')


def update_list(classes: list[str], *args: Any, **kwargs: Any) -> list[str]:
    return [sys.intern(name) for name in _update_list(classes, *args, **kwargs)]


def observable_init(self: ObservableCollection, **kwargs: Any) -> None:
    _observable_init(self, **kwargs)
    if self._observer_refs == []:
        self._observer_refs = ()  # type: ignore[assignment]  # (NiceGUI only ever assigns a new list)


_patch(ObservableCollection, '__init__', observable_init)
_patch(Classes, 'update_list', update_list, static=True)
_patch(Props, '__init__', props_init)
_patch(Props, 'add_rename', add_rename)
_patch(Props, 'add_warning', add_warning)


# --- 7. escaping a page's elements for its HTML -----------------------------------------------------------------------

# NiceGUI writes a page's elements into its HTML as JSON, escaped with `str.translate(HTML_ESCAPE_TABLE)`: a mapping
# to several characters makes translate look up every character of the text in a dict, 2.3 ms of a products page's
# ~19 ms (90 KB). Five `str.replace` in a row ('&' first, so no replacement is escaped again) give the same text
# sixteen times faster. (Upstream, `build_response` could call them instead of translate.)
_ESCAPES = (('&', '&amp;'), ('<', '&lt;'), ('>', '&gt;'), ('`', '&#96;'), ('$', '&#36;'))
_nicegui_json = _nicegui_own(client_module, 'json')
# the shortcut is taken only for the table it was written for: another NiceGUI's table is translated as NiceGUI does
FAST_ESCAPE = str.maketrans(dict(_ESCAPES)) == client_module.HTML_ESCAPE_TABLE


class PageJson(str):
    """JSON that client.py made; `translate` with NiceGUI's HTML escape table by `str.replace`."""

    __slots__ = ()

    def translate(self, table: Any) -> str:  # type: ignore[override]
        if table is not client_module.HTML_ESCAPE_TABLE or not FAST_ESCAPE:
            return str.translate(self, table)
        text = str(self)
        for character, escaped in _ESCAPES:
            text = text.replace(character, escaped)
        return text


class _JsonForClients:
    """nicegui.json as client.py uses it, with `dumps` giving PageJson."""

    __wrapped__ = _nicegui_json

    def __getattr__(self, name: str) -> Any:
        return getattr(_nicegui_json, name)

    @staticmethod
    def dumps(*args: Any, **kwargs: Any) -> str:
        return PageJson(_nicegui_json.dumps(*args, **kwargs))


client_module.json = _JsonForClients()  # type: ignore[assignment]


# --- 9. NiceGUI's own middleware as plain ASGI -----------------------------------------------------------------------

# NiceGUI wraps every request in three BaseHTTPMiddleware (the request tracking of app.storage, redirects under an
# X-Forwarded-Prefix, the cache header of its own files). Each runs the rest of the request in a task group with two
# memory streams: 0.32 ms per request for the three, for a page and for every one of its thumbnails. The same three
# as plain ASGI middleware, each doing what NiceGUI's dispatch does at the same point of the response (its start);
# used only for the NiceGUI whose dispatch sources they were written from (another keeps its own). (Upstream,
# nicegui/middlewares.py and storage.py could be written like this.)
_MIDDLEWARE_SOURCES = {
    'RequestTrackingMiddleware': '1cda13bab151132c',
    'RedirectWithPrefixMiddleware': '5f9f2598d4ab30bb',
    'SetCacheControlMiddleware': '2b720688ea1c7ee8',
}


class RequestTracking(HttpMiddleware):
    """storage.RequestTrackingMiddleware: the request for app.storage, the browser's id, its user storage."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        storage.request_contextvar.set(request)
        if 'id' not in request.session:
            request.session['id'] = str(uuid.uuid4())
        request.state.responded = False
        session_id = request.session['id']
        active_request_sessions = core.app.storage._active_request_sessions
        active_request_sessions[session_id] += 1
        try:
            if session_id not in core.app.storage._users:
                await core.app.storage._create_user_storage(session_id)

            def responded(_headers: MutableHeaders) -> None:
                request.state.responded = True  # (where BaseHTTPMiddleware's call_next returns)

            await self.app(scope, receive, on_start(send, responded))
        finally:
            active_request_sessions[session_id] -= 1
            if active_request_sessions[session_id] <= 0:
                del active_request_sessions[session_id]


class PrefixedRedirects(HttpMiddleware):
    """middlewares.RedirectWithPrefixMiddleware: a redirect to a path goes under the proxy's X-Forwarded-Prefix."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        prefix = Headers(scope=scope).get('X-Forwarded-Prefix', '')

        def prefixed(headers: MutableHeaders) -> None:
            if 'Location' in headers and headers['Location'].startswith('/'):
                headers['Location'] = prefix + headers['Location']

        await self.app(scope, receive, on_start(send, prefixed))


class StaticCacheControl(HttpMiddleware):
    """middlewares.SetCacheControlMiddleware: NiceGUI's own files (not its dynamic resources) may be cached."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = URL(scope=scope).path
        static = f'/_nicegui/{nicegui_version}/'
        if not path.startswith(static) or path.startswith(f'{static}dynamic_resources/'):
            await self.app(scope, receive, send)
            return

        def cached(headers: MutableHeaders) -> None:
            headers['Cache-Control'] = core.app.config.cache_control_directives

        await self.app(scope, receive, on_start(send, cached))


PLAIN_MIDDLEWARE = all(
    _source_of(klass.dispatch) == _MIDDLEWARE_SOURCES[klass.__name__]
    for klass in (
        storage.RequestTrackingMiddleware,
        middlewares.RedirectWithPrefixMiddleware,
        middlewares.SetCacheControlMiddleware,
    )
)
if PLAIN_MIDDLEWARE:  # (ui.run adds them by these names)
    storage.RequestTrackingMiddleware = RequestTracking  # type: ignore[misc,assignment]
    ui_run.RedirectWithPrefixMiddleware = PrefixedRedirects  # type: ignore[misc,assignment]
    ui_run.SetCacheControlMiddleware = StaticCacheControl  # type: ignore[misc,assignment]


# --- 10. plain values put into an observable collection ---------------------------------------------------------------

# Every value put into props, classes or style passes `_observe`, which asks first whether it is an observable
# collection: an ABC, so `isinstance` goes through ABCMeta for every string and number (~800 values per products
# page, 0.7 µs each). A value of a plain type cannot be a collection to observe and is returned as it is, at once.
# (Upstream, `_observe` could test `isinstance(data, (dict, list, set))` before the ABC.)
_PLAIN_VALUES = frozenset({str, int, float, bool, type(None)})
_nicegui_observe = _nicegui_own(ObservableCollection, '_observe')


def observe(self: ObservableCollection, data: Any) -> Any:
    if data.__class__ in _PLAIN_VALUES:
        return data
    return _nicegui_observe(self, data)


_patch(ObservableCollection, '_observe', observe)


# --- 8. the cycle collector -------------------------------------------------------------------------------------------


def tune_collector() -> None:
    """For the running server (not for tests), once everything is imported and the routes exist.

    Every open page keeps some 11,000 objects alive, so the collector's full passes over a portal with two hundred
    customers take more than a second, and with Python's default thresholds they came several times a minute
    (bench/load.py: up to 2 s pauses, a third of the server's CPU time at 100 customers). Now that a left page is
    freed by reference counting (above), little garbage is left for full passes: what exists after start-up is
    frozen out of them, young passes run every 10,000 new objects (short-lived requests and refreshed page parts
    die before being promoted), and a full pass comes only after 100 middle ones, that is after some hundreds of
    page visits, where it used to come after some tens.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 100)
