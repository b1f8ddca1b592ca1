"""Speed-ups and memory savings for NiceGUI itself, each found by profiling the portal under load (bench/load.py).

Importing this module (components/__init__.py does) patches NiceGUI 3 in two places, and main.py calls
`tune_collector` for the served portal; none of it changes what a page shows or does:

1. `helpers.expects_arguments` calls `inspect.signature` for every observable collection NiceGUI makes, three
   per element (classes, style, props), always with a bound method of the same few classes. Building the products
   page spent a good part of its time there. The answer for a bound method depends only on its function, so it is
   remembered per function.
2. When NiceGUI deletes elements (a page left, a part refreshed), each element's classes, style and props still
   hold a bound method of themselves, and a deleted client and a handler that refers to it (a closure over the
   client, a live refresh of its page) refer to each other. Those reference cycles kept every left page in memory
   until the cycle collector's next full pass. They are broken at deletion, so reference counting frees a left
   page at once.
3. `tune_collector`, for the served portal only, moves what exists after start-up out of the cycle collector's
   way, lets short-lived objects die young and makes the long full passes rare.

(Dropped, as measured to buy nothing: a cache of parsed `.props()` strings, since the 230 parses of a products
page cost 0.3 ms of its ~32 ms; and emptying a deleted client's outbox, which is freed with its client.)

The patches keep NiceGUI's own functions and only add to them; if an upgrade renames what they touch, they fail
at import (the patched functions) or give up the saving (the containers emptied at deletion), which
tests/ui/test_nicegui_tuning.py catches.
"""

from __future__ import annotations

import contextlib
import gc
import inspect
import weakref
from collections.abc import Callable, Iterable

from nicegui import helpers
from nicegui.client import Client
from nicegui.element import Element

# --- 1. does a handler take arguments ---------------------------------------------------------------------------------

_expects_arguments = getattr(helpers.expects_arguments, '__wrapped__', helpers.expects_arguments)
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


expects_arguments.__wrapped__ = _expects_arguments  # type: ignore[attr-defined]
helpers.expects_arguments = expects_arguments


# --- 2. a left page is freed at once ----------------------------------------------------------------------------------

_remove_elements = getattr(Client.remove_elements, '__wrapped__', Client.remove_elements)
_delete_client = getattr(Client.delete, '__wrapped__', Client.delete)


def _clear(owner: object, *names: str) -> None:
    """Empty these containers of `owner` if it has them (so a NiceGUI that renamed one only loses the saving)."""
    for name in names:
        container = getattr(owner, name, None)
        if hasattr(container, 'clear'):
            container.clear()


def remove_elements(self: Client, elements: Iterable[Element]) -> None:
    element_list = list(elements)
    _remove_elements(self, element_list)
    for element in element_list:
        for collection in (getattr(element, name, None) for name in ('_classes', '_style', '_props')):
            _clear(collection, '_change_handlers')  # the bound method of itself


def delete(self: Client) -> None:
    try:
        _delete_client(self)
    finally:  # a handler may hold its client (a closure over it, a page's refresh that live.listen keeps)
        _clear(self, 'delete_handlers', 'connect_handlers', 'disconnect_handlers', '_exception_handlers')


remove_elements.__wrapped__ = _remove_elements  # type: ignore[attr-defined]
delete.__wrapped__ = _delete_client  # type: ignore[attr-defined]
Client.remove_elements = remove_elements  # type: ignore[method-assign]
Client.delete = delete  # type: ignore[method-assign]


# --- 3. the cycle collector -------------------------------------------------------------------------------------------


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
