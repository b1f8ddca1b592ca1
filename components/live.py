"""Live updates: a page listens for domain events of its own topics and refreshes just its pieces.

Services publish from whatever thread ran them; this hands the event to the page's event loop,
folds bursts into one refresh, and stops listening when the page's client is gone. A page whose session has
ended is refreshed no more (`session_binding.may_push`, asked before every refresh). The listeners of a page are
kept in a weak mapping and hold the page weakly, so they never keep a left page alive.

Refreshes run one after another from one queue per event loop, at once when it is idle. What a user
did on a page always shows on that page at once; when refreshes back up (`BUSY_BACKLOG`), a page is
refreshed for what others did (another customer's order taking the last units, the supplier
receiving stock; or work the page did in a thread) at most once per `OTHERS_INTERVAL_S`, and while
there is a backlog the refreshes take at most `BACKLOG_SHARE` of the event loop's time, leaving the
rest for clicks, pages and the orders themselves. So when two hundred customers place orders for the
same products in the same second, the open current-order pages catch up within a few seconds instead
of every page being redrawn for every order (bench/load.py measures it).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nicegui import Client, background_tasks, context, ui
from nicegui import app as nicegui_app

from app.core import db, events
from app.core.events import Topic
from components import language, session_binding

log = logging.getLogger(__name__)
OTHERS_INTERVAL_S = 1.0  # when busy, a page shows others' changes at most this late
BUSY_BACKLOG = 5  # refreshes waiting: from here on, pages are refreshed for others' changes at most once a second
BACKLOG_SHARE = 0.25  # with a backlog, refreshes take at most this share of the event loop's time
MAX_PAUSE_S = 0.1
MAX_WRITE_WAIT_S = 0.05


@dataclass(eq=False)
class _Listener:
    page: weakref.ref[Client]  # weak: the listener must not keep a left page alive
    refresh: Callable[[], Any]
    queued: bool = False
    last: float = -math.inf  # loop time of the last refresh
    timer: asyncio.TimerHandle | None = None


@dataclass
class _Queue:
    """The refreshes waiting on one event loop, and the task that runs them (its methods run on that loop)."""

    waiting: deque[_Listener] = field(default_factory=deque)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    worker: asyncio.Task | None = None

    def notify(self, listener: _Listener, *, own: bool) -> None:
        """An event for `listener`; `own` when the listener's page caused it (its user's click)."""
        if listener.queued or not _is_open(listener):
            return
        if own:
            if listener.timer is not None:
                listener.timer.cancel()
                listener.timer = None
            self._add(listener)
        elif listener.timer is None:
            loop = asyncio.get_running_loop()
            wait = listener.last + OTHERS_INTERVAL_S - loop.time()
            if wait > 0 and len(self.waiting) >= BUSY_BACKLOG:
                listener.timer = loop.call_later(wait, self._due, listener)
            else:
                self._add(listener)

    def _due(self, listener: _Listener) -> None:
        listener.timer = None
        if not listener.queued and _is_open(listener):
            self._add(listener)

    def _add(self, listener: _Listener) -> None:
        listener.queued = True
        self.waiting.append(listener)
        self.wake.set()
        if self.worker is None or self.worker.done():
            self.worker = background_tasks.create(self._work(), name='live refreshes')

    async def _work(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self.wake.wait()
            self.wake.clear()
            await asyncio.sleep(0)  # let the events of the same burst in first
            while self.waiting:
                listener = self.waiting.popleft()
                listener.queued = False
                client = listener.page()
                if client is None or client.is_deleted or nicegui_app.is_stopping or nicegui_app.is_stopped:
                    continue  # (shutting down: the database may already be closed)
                if not session_binding.may_push(client):
                    continue  # its session has ended: the page is on its way to the login page
                if self.waiting:  # a backlog: what others did can wait for a write in progress
                    await _make_way_for_writes()
                listener.last = loop.time()
                started = time.perf_counter()
                try:
                    with client:
                        language.resume(client)
                        result = listener.refresh()
                        if asyncio.iscoroutine(result):
                            await result
                except Exception:
                    log.exception('live refresh failed')
                del client
                took = time.perf_counter() - started
                await asyncio.sleep(min(took * (1 / BACKLOG_SHARE - 1), MAX_PAUSE_S) if self.waiting else 0)


async def _make_way_for_writes() -> None:
    """While another thread writes (an order being placed), a refresh would hold the interpreter lock that the
    writer needs between its statements; wait a little for the write to finish."""
    waited = 0.0
    while db.write_in_progress() and waited < MAX_WRITE_WAIT_S:
        await asyncio.sleep(0.002)
        waited += 0.002


def _is_open(listener: _Listener) -> bool:
    client = listener.page()
    return client is not None and not client.is_deleted


_queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Queue] = weakref.WeakKeyDictionary()
# each page's listeners by refresh function; weak, so that no page is kept by, or in a reference cycle through, them
_page_listeners: weakref.WeakKeyDictionary[Client, dict[Callable[[], Any], _Listener]] = weakref.WeakKeyDictionary()


def _acting_client() -> Client | None:
    """The client whose event handler is running, if any (events published on the loop by a click)."""
    try:
        return context.client
    except RuntimeError:
        return None


def listen(topics: list[Topic], refresh: Callable[[], Any]) -> Callable[[], None]:
    """Call `refresh` (in this page's context) after any of `topics` is published; returns unsubscribe."""
    client = ui.context.client
    loop = asyncio.get_running_loop()
    queue = _queues.get(loop)
    if queue is None:
        queue = _queues[loop] = _Queue()
    # One listener per page and refresh function, however often the page listens again with it (a page whose topics
    # change, like the current order's products, listens anew after each refresh): it keeps when it last refreshed.
    page_listeners = _page_listeners.get(client)
    if page_listeners is None:
        page_listeners = _page_listeners[client] = {}
        client.on_delete(lambda: page_listeners.clear())  # a refresh may hold its page: let go of it when deleted
    listener = page_listeners.get(refresh)
    if listener is None:
        listener = page_listeners[refresh] = _Listener(weakref.ref(client), refresh)

    def on_event(_topic: Topic) -> None:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            queue.notify(listener, own=_acting_client() is listener.page())
        elif not loop.is_closed():
            loop.call_soon_threadsafe(lambda: queue.notify(listener, own=False))

    unsubscribers = [events.subscribe(topic, on_event) for topic in topics]

    def unsubscribe() -> None:
        for stop in unsubscribers:
            stop()

    client.on_delete(unsubscribe)
    return unsubscribe
