"""Small domain events: services announce what changed, open pages listen for their own topics.

Topics are tuples such as ('current_order', user_id), ('stock', product_id), ('orders', customer_id)
and ('admin_orders',). Services queue events on their session; they go out only after the commit,
so a listener never sees a change that was rolled back. Listeners are called on the publishing
thread; UI adapters hand them over to their event loop themselves.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import Any

log = logging.getLogger(__name__)

Topic = tuple[Hashable, ...]
Listener = Callable[[Topic], Any]

_listeners: dict[Topic, list[tuple[bool, Listener]]] = defaultdict(list)  # (told first, listener)
_kind_listeners: dict[Hashable, list[tuple[bool, Listener]]] = defaultdict(list)  # by a topic's first part
_lock = threading.Lock()


def subscribe(topic: Topic, listener: Listener, *, first: bool = False) -> Callable[[], None]:
    """Listen for `topic`; returns a function that stops listening. A listener `first` is told before the others:
    what keeps values worked out from the database forgets them before any page is told to read them again (a page
    told first, on another thread, could read the old value back from what is kept)."""
    return _add(_listeners, topic, listener, first)


def subscribe_kind(kind: Hashable, listener: Listener, *, first: bool = False) -> Callable[[], None]:
    """Listen for every topic whose first part is `kind` (topics that carry what changed, e.g. ('kind', ids))."""
    return _add(_kind_listeners, kind, listener, first)


def _add(
    table: dict[Any, list[tuple[bool, Listener]]], key: Hashable, listener: Listener, first: bool
) -> Callable[[], None]:
    entry = (first, listener)
    with _lock:
        table[key].append(entry)

    def unsubscribe() -> None:
        with _lock:
            listeners = table.get(key)
            if listeners and entry in listeners:
                listeners.remove(entry)
                if not listeners:
                    del table[key]

    return unsubscribe


def listener_count() -> int:
    with _lock:
        return sum(len(v) for v in _listeners.values()) + sum(len(v) for v in _kind_listeners.values())


def publish(topic: Topic) -> None:
    with _lock:
        entries = list(_listeners.get(topic, ())) + list(_kind_listeners.get(topic[0], ()) if topic else ())
    listeners = [listener for first, listener in entries if first] + [
        listener for first, listener in entries if not first
    ]
    for listener in listeners:
        try:
            listener(topic)
        except Exception:
            log.exception('listener for %s failed', topic)


def queue(session: Any, *topics: Topic) -> None:
    """Publish `topics` once `session`'s transaction has committed (see app.db.write_session)."""
    pending: set = session.info.setdefault('pending_events', set())
    pending.update(topics)


def discard(session: Any) -> None:
    session.info.pop('pending_events', None)


def flush(session: Any) -> None:
    for topic in session.info.pop('pending_events', ()):
        publish(topic)


def reset() -> None:
    with _lock:
        _listeners.clear()
        _kind_listeners.clear()
