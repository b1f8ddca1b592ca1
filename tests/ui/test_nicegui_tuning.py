"""The patches of components/nicegui_tuning.py still do what they are for on this NiceGUI: each test fails if an
upgrade makes a patch a silent no-op (NiceGUI no longer calls it, or renamed what it empties) or wrong."""

from __future__ import annotations

import asyncio
import functools
import gc
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from nicegui import Client, app, binding, core, helpers, storage, ui
from nicegui import events as nicegui_events
from nicegui.classes import Classes
from nicegui.element import Element
from nicegui.observables import ObservableCollection, ObservableDict
from nicegui.props import Props
from nicegui.style import Style
from nicegui.sub_pages_router import SubPagesRouter
from nicegui.testing import User
from nicegui.version import __version__ as nicegui_version
from sqlmodel import select
from starlette.middleware.base import BaseHTTPMiddleware

from app.core import db
from app.models import Product
from components import live, nicegui_tuning
from tests.ui.conftest import signed_in

original_expects_arguments = nicegui_tuning._expects_arguments


class Handlers:
    def no_argument(self) -> None: ...
    def one_argument(self, event: Any) -> None: ...
    def optional_argument(self, event: Any = None) -> None: ...
    def any_arguments(self, *args: Any, **kwargs: Any) -> None: ...

    @classmethod
    def class_one_argument(cls, event: Any) -> None: ...

    @staticmethod
    def static_no_argument() -> None: ...


def two(a: Any, b: Any) -> None: ...


HANDLERS: list[tuple[str, Callable[[], Callable], bool]] = [
    ('bound, none', lambda: Handlers().no_argument, False),
    ('bound, one', lambda: Handlers().one_argument, True),
    ('bound, optional', lambda: Handlers().optional_argument, False),
    ('bound, *args', lambda: Handlers().any_arguments, False),
    ('classmethod, one', lambda: Handlers.class_one_argument, True),
    ('staticmethod, none', lambda: Handlers.static_no_argument, False),
    ('partial, one left', lambda: functools.partial(two, 1), True),
    ('partial, none left', lambda: functools.partial(two, 1, 2), False),
    ('partial of a bound method', lambda: functools.partial(Handlers().one_argument, 1), False),
    ('lambda, none', lambda: lambda: None, False),
    ('lambda, one', lambda: lambda e: e, True),
    ('lambda, optional', lambda: lambda e=None: e, False),
    ('lambda, *args', lambda: lambda *a: a, False),
    ('builtin bound method', lambda: [].append, True),
]


@pytest.mark.parametrize(('make', 'expected'), [(m, e) for _, m, e in HANDLERS], ids=[n for n, _, _ in HANDLERS])
def test_the_argument_check_is_right_for_bound_methods_partials_and_lambdas(
    make: Callable[[], Callable], expected: bool
) -> None:
    """NiceGUI passes event arguments only to handlers that take them: the remembered answer is NiceGUI's own,
    the first time and from memory, for another instance too."""
    assert helpers.expects_arguments is nicegui_tuning.expects_arguments
    for handler in (make(), make(), make()):
        assert original_expects_arguments(handler) is expected
        assert helpers.expects_arguments(handler) is expected


def test_a_bound_methods_answer_is_remembered_per_function_and_forgotten_with_it() -> None:
    class Passing:
        def handle(self, event: Any) -> None: ...

    assert helpers.expects_arguments(Passing().handle) is True
    assert Passing.handle in nicegui_tuning._bound_answers
    del Passing
    gc.collect()
    assert not any(getattr(f, '__qualname__', '').endswith('Passing.handle') for f in nicegui_tuning._bound_answers)


async def test_nicegui_asks_the_patched_check_for_every_element_it_makes(user: User) -> None:
    """The saving only exists while NiceGUI's observables call `helpers.expects_arguments` (not a copy of it)."""
    nicegui_tuning._bound_answers.clear()
    await user.open('/login')
    assert {Classes._update, Style._update, Props._update} <= set(nicegui_tuning._bound_answers)


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def parts_of(element: ui.element) -> list[object]:
    """An element and what holds its classes, style and props (they hold a handler of their own)."""
    return [element, element._classes, element._style, element._props]


def alive(refs: list[weakref.ref]) -> list[str]:
    return [type(obj).__name__ for ref in refs if (obj := ref()) is not None]


def listen_with_a_refresh_that_holds(client: Client) -> None:
    """A live refresh that refers to its page's client, as a closure over `ui.context.client` does."""
    live.listen([('catalogue',)], lambda: client.id)


async def test_a_left_page_is_freed_at_once_with_the_collector_off(user: User, collector_off: None) -> None:
    """A products page with its frame, live listeners (one of them holding the page's client) and current order at
    a glance, once deleted (as NiceGUI does when its browser has gone), is freed by reference counting alone:
    its elements, their classes, style and props, and the client; nothing waits for the cycle collector."""
    await signed_in(user, at='/products')
    await user.should_see('Products')
    left = user.client
    with left:
        listen_with_a_refresh_that_holds(left)
    # (not its outbox: the simulated user patches the outbox's emit with a closure over the outbox itself)
    refs = [weakref.ref(left)] + [weakref.ref(o) for e in left.elements.values() for o in parts_of(e)]
    assert len(refs) > 100
    await user.open('/orders')
    left.delete()
    del left
    for _ in range(5):  # the page's timers and outbox notice the deletion on the loop's next turns
        await asyncio.sleep(0.05)
    assert alive(refs) == []
    assert gc.isenabled() is False


async def test_elements_removed_by_a_refresh_are_freed_at_once_with_the_collector_off(
    user: User, collector_off: None
) -> None:
    await signed_in(user)
    with user.client:
        container = ui.column()
        with container:
            for n in range(20):
                ui.label(f'line {n}').classes('text-body2').style('color: red').props('data-n=1')
                ui.button('Go', on_click=lambda: None)
    refs = [weakref.ref(o) for e in container.default_slot.children for o in parts_of(e)]
    container.clear()
    assert alive(refs) == []


def test_delete_and_remove_elements_are_the_patched_ones() -> None:
    assert Client.delete is nicegui_tuning.delete
    assert Client.remove_elements is nicegui_tuning.remove_elements


def test_the_collector_tuning_freezes_start_up_objects_and_spaces_full_passes() -> None:
    saved = gc.get_threshold()
    try:
        nicegui_tuning.tune_collector()
        assert gc.get_threshold() == (10_000, 10, 100)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*saved)


async def test_a_page_queues_no_updates_while_it_is_built_and_does_once_its_html_is_made(user: User) -> None:
    """Changes made while a page is built are in its HTML (NiceGUI drops queued updates when making it), so none is
    queued; once the HTML is made, a change is queued for sending as before."""
    seen: dict[str, Any] = {}

    @ui.page('/tuning-build')
    def page() -> None:
        with ui.column() as column:
            label = ui.label('first').classes('text-body2').style('color: red').props('data-n=1')
            ui.button('Go', on_click=lambda: None).props('flat')
        label.text = 'second'
        label.set_visibility(True)
        built = {column.id, label.id, *(e.id for e in column.default_slot.children)}
        seen['queued while built'] = built & set(ui.context.client.outbox.updates)
        seen['label'] = label

    response = await user.http_client.get('/tuning-build')
    assert seen['queued while built'] == set()
    assert '"second"' in response.text and 'color' in response.text  # the HTML shows the element as it was built
    await user.open('/tuning-build')
    label = seen['label']
    assert user.client.outbox.updates == {} or label.id not in user.client.outbox.updates
    label.text = 'third'
    assert label.id in user.client.outbox.updates
    await user.should_see('third')


async def test_an_elements_own_update_is_called_directly_and_other_change_handlers_as_before(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    await user.open('/login')
    calls: list[object] = []
    original = nicegui_events.handle_event

    def counting(handler: Any, arguments: Any, **kwargs: Any) -> None:
        calls.append(handler)
        original(handler, arguments, **kwargs)

    monkeypatch.setattr(nicegui_events, 'handle_event', counting)
    with user.client:
        label = ui.label('x')
        label.classes('text-body2').style('color: red').props('data-n=1')
        assert calls == []  # straight to its own update
        assert label.id in user.client.outbox.updates
        mine: list[str] = []
        label._props.on_change(lambda: mine.append('changed'))
        label.props('data-n=2')
    assert mine == ['changed'] and len(calls) == 2  # two handlers: NiceGUI's machinery calls both
    assert ObservableCollection._handle_change is nicegui_tuning.handle_change
    assert Element.update is nicegui_tuning.update_element


async def test_a_pages_refreshable_is_freed_with_its_page_with_the_collector_off(
    user: User, collector_off: None
) -> None:
    """A page's `ui.refreshable` and its targets refer to each other; the left page takes them with it at once."""
    await user.open('/login')
    client = user.client
    with client:

        @ui.refreshable
        def part() -> None:
            ui.label('part')

        part()
    refs = [weakref.ref(part), weakref.ref(part.targets[0].container)]
    del part
    await user.open('/login')
    client.delete()
    del client
    for _ in range(5):
        await asyncio.sleep(0.05)
    assert alive(refs) == []


async def test_a_bound_property_still_propagates_and_an_unbound_one_does_not_look(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert binding.BindableProperty.__set__ is nicegui_tuning.set_bindable  # this NiceGUI's source: the copy is used
    await user.open('/login')
    looks: list[object] = []
    original = binding._propagate

    def counting(owner: Any, name: Any) -> None:
        looks.append(name)
        original(owner, name)

    monkeypatch.setattr(binding, '_propagate', counting)
    links, marks = len(binding.active_links), len(binding.bindable_properties)
    with user.client:
        source, alone = ui.label('a'), ui.label('b')
        assert len(binding.bindable_properties) == marks  # nothing marked for properties nothing binds from
        target = ui.label().bind_text_from(source, 'text', backward=lambda text: f'{text}!')
        assert len(binding.active_links) == links  # a bindable property: followed as it changes, not polled

        class Plain:
            text = 'e'

        polled = ui.label().bind_text_from(Plain, 'text')
        assert len(binding.active_links) == links + 1 and polled.text == 'e'  # a plain attribute is polled
        looks.clear()
        alone.text = 'c'
        alone.set_visibility(False)
        assert looks == []
        source.text = 'd'
    assert looks == [('text',)]
    assert target.text == 'd!' and alone.text == 'c' and not alone.visible


async def test_pages_with_and_without_sub_pages_resolve_as_before(user: User) -> None:
    assert SubPagesRouter._can_resolve_full_path is nicegui_tuning.can_resolve_full_path

    @ui.page('/tuning-sub')
    @ui.page('/tuning-sub/{_:path}')
    def with_sub_pages() -> None:
        ui.sub_pages({'/tuning-sub': lambda: ui.label('main'), '/tuning-sub/other': lambda: ui.label('other')})

    @ui.page('/tuning-plain')
    def without() -> None:
        ui.label('plain')

    assert (await user.http_client.get('/tuning-sub')).status_code == 200
    assert (await user.http_client.get('/tuning-sub/other')).status_code == 200
    assert (await user.http_client.get('/tuning-sub/nowhere')).status_code == 404
    assert (await user.http_client.get('/tuning-plain')).status_code == 200


async def test_elements_share_the_empty_tables_and_a_deprecated_prop_is_still_renamed(user: User) -> None:
    await user.open('/login')
    with user.client:
        first, second = ui.label('a'), ui.button('b')
        assert first._props._renames is second._props._renames  # one table for every element
        assert first._props._warnings is second._props._warnings and first._props._warnings == {}
        assert first._classes._observer_refs == () and second._props._observer_refs == ()
        first.classes('text-body2 ' + 'q-px-' + 'md')  # a name made at run time: one string for it on every element
        second.classes('q-px-md').classes(remove='text-body2', toggle='rounded')
        assert first._classes[-1] is second._classes[-2] and second._classes[-1] == 'rounded'
        first.props('resource_path=/x')  # deprecated: NiceGUI copies it to the new name, as before
        assert first._props['resource-path'] == '/x'
        second._props.add_warning('data-old', 'data-old is old')  # an element's own warning: its own table
        second.props('data-old=1')
        assert 'data-old' not in second._props
        first.props('data-old=1')
        assert first._props['data-old'] == '1' and ui.label('c')._props._warnings == {}
        outer = ui.column()
        with outer:
            inner = ui.row()
        assert inner in outer.default_slot.children  # (observers of nested collections still registered)
        options = ui.select(['x', 'y'], value='x')
        options.set_options(['x', 'y', 'z'])
        assert options._props['options'][-1]['label'] == 'z'


def test_a_pages_elements_are_escaped_for_its_html_as_nicegui_escapes_them() -> None:
    """The shortcut is on for this NiceGUI's escape table and gives translate's text, character for character."""
    from nicegui import client as client_module

    assert nicegui_tuning.FAST_ESCAPE
    made = client_module.json.dumps({'1': {'text': '</script><script>alert(`$x` & 1)</script>', 'n': 'ÿ€ &amp;'}})
    assert isinstance(made, nicegui_tuning.PageJson)
    escaped = made.translate(client_module.HTML_ESCAPE_TABLE)
    assert escaped == str.translate(str(made), client_module.HTML_ESCAPE_TABLE)
    assert '<' not in escaped and '`' not in escaped and '$' not in escaped and '&amp;amp;' in escaped
    assert made.translate({ord('a'): 'b'}) == str.translate(str(made), {ord('a'): 'b'})  # other tables: as before
    assert client_module.json.loads('{"a": 1}') == {'a': 1}


async def test_text_that_looks_like_markup_reaches_the_page_escaped(user: User) -> None:
    """A product name with markup in the served page's HTML: escaped, so the browser shows it as text."""
    await signed_in(user)
    with db.write_session() as s:
        product = s.exec(select(Product).where(Product.code == 'FA-1001')).one()
        product.name = '</script><img src=x onerror=alert(1)> `${1+1}`'
        s.add(product)
    response = await user.http_client.get('/products?q=FA-1001')
    assert response.status_code == 200
    assert '&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &#96;&#36;{1+1}&#96;' in response.text
    assert '<img src=x' not in response.text


# --- 9. NiceGUI's own middleware as plain ASGI ---------------------------------------------------------------------


def test_nicegui_wraps_requests_in_no_base_http_middleware() -> None:
    assert nicegui_tuning.PLAIN_MIDDLEWARE  # (an upgrade that changed one of NiceGUI's three: write them again)
    stack = [middleware.cls for middleware in core.app.user_middleware]
    assert {nicegui_tuning.RequestTracking, nicegui_tuning.PrefixedRedirects, nicegui_tuning.StaticCacheControl} <= {
        *stack
    }
    assert not [klass for klass in stack if isinstance(klass, type) and issubclass(klass, BaseHTTPMiddleware)]


async def test_a_redirect_goes_under_the_proxys_prefix_as_before(user: User) -> None:
    behind = await user.http_client.get('/orders', headers={'X-Forwarded-Prefix': '/portal'})
    direct = await user.http_client.get('/orders')
    assert behind.status_code == direct.status_code == 303
    assert direct.headers['location'].startswith('/login')
    assert behind.headers['location'] == '/portal' + direct.headers['location']


async def test_niceguis_own_files_may_be_cached_and_pages_not(user: User) -> None:
    own = await user.http_client.get(f'/_nicegui/{nicegui_version}/static/nicegui.css')
    assert own.status_code == 200
    assert own.headers['cache-control'] == core.app.config.cache_control_directives
    page = await user.http_client.get('/login')
    assert page.headers['cache-control'] == 'no-store'


async def test_a_page_has_its_request_its_browsers_id_and_user_storage_and_knows_when_it_has_answered(
    user: User,
) -> None:
    seen: dict[str, object] = {}

    @ui.page('/tuning-storage')
    def storing() -> None:
        request = storage.request_contextvar.get()
        seen['responded while built'] = request.state.responded if request else None
        app.storage.user['visits'] = app.storage.user.get('visits', 0) + 1
        seen['browser id'] = app.storage.browser['id']

        async def later() -> None:  # after the response: the browser's cookie can no longer change
            await asyncio.sleep(0)
            seen['browser storage after'] = type(app.storage.browser).__name__

        ui.timer(0.01, later, once=True)

    await user.open('/tuning-storage')
    first_id = seen['browser id']
    await user.open('/tuning-storage')
    assert seen['responded while built'] is False
    assert seen['browser id'] == first_id and isinstance(first_id, str)  # the same browser, the same id
    assert app.storage._users[first_id]['visits'] == 2
    for _ in range(50):
        if 'browser storage after' in seen:
            break
        await asyncio.sleep(0.01)
    assert seen.get('browser storage after') == 'ReadOnlyDict'


def test_plain_values_are_kept_as_they_are_and_collections_still_observed() -> None:
    assert ObservableCollection._observe is nicegui_tuning.observe  # what every observable collection calls
    changes: list[object] = []
    props = ObservableDict(on_change=lambda: changes.append('props'))  # what props, classes and style are made of
    for value in ('text', 3, 2.5, True, None):
        props['value'] = value
        assert props['value'] is value
    assert len(changes) == 5
    props['options'] = {'a': [1, {'deep': 'x'}]}  # a collection inside is still observed, at every depth
    options = props['options']
    assert isinstance(options, ObservableCollection)
    assert isinstance(options['a'], ObservableCollection) and isinstance(options['a'][1], ObservableCollection)
    options['a'][1]['deep'] = 'y'
    options['a'].append({'new': 1})
    assert isinstance(options['a'][2], ObservableCollection)
    assert len(changes) == 8  # the set, and each change within it
    text_like = type('Text', (str,), {})('subclass')  # not a plain type: NiceGUI's own check decides
    props['value'] = text_like
    assert props['value'] is text_like


async def test_an_elements_props_classes_and_style_pass_the_patched_check(user: User) -> None:
    seen: list[object] = []
    original = nicegui_tuning.observe

    def counting(self: ObservableCollection, data: Any) -> Any:
        seen.append(data)
        return original(self, data)

    @ui.page('/tuning-observe')
    def page() -> None:
        ui.label('observed').props('data-x=1').style('color: red').classes('some-class')

    ObservableCollection._observe = counting  # type: ignore[method-assign]
    try:
        await user.open('/tuning-observe')
    finally:
        ObservableCollection._observe = original  # type: ignore[method-assign]
    assert {'1', 'red', 'some-class'} <= set(seen)  # a prop's value, a style's and a class name
