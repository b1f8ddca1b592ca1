"""Values kept in memory for the portal's database, each until it expires or what it was worked out from changes.

A `Kept` holds its entries, (expires at, stamp, value), the least recently used first, under its lock. What a stamp
is (the generations of what a value follows) and which events move them is the subclass's: `subscriptions` and
`start_over`. A new database (a test, a restore) starts with nothing kept.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from app.core import db

K = TypeVar('K')
S = TypeVar('S')
V = TypeVar('V')


class Kept(Generic[K, S, V]):
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.engine: Any = None
        self.entries: OrderedDict[K, tuple[float, S, V]] = OrderedDict()
        self.unsubscribe: list[Callable[[], None]] = []
        self.start_over()

    def subscriptions(self) -> list[Callable[[], None]]:
        """Under lock: subscribe to what changes the kept values; the unsubscribing functions."""
        raise NotImplementedError

    def start_over(self) -> None:
        """Under lock: forget the generations (a new database)."""

    def ready(self) -> None:
        """Under lock: subscribed for the portal's database as it is now."""
        engine = db.get_engine()
        if engine is not self.engine:
            for stop in self.unsubscribe:
                stop()
            self.engine, self.entries = engine, OrderedDict()
            self.start_over()
            self.unsubscribe = self.subscriptions()

    def fresh(self, key: K, stamp: S) -> tuple[float, S, V] | None:
        """Under lock: the entry under `key` if it has not expired and was kept at `stamp` (then the most recently
        used)."""
        hit = self.entries.get(key)
        if hit is None or hit[0] <= time.monotonic() or hit[1] != stamp:
            return None
        self.entries.move_to_end(key)
        return hit

    def keep(self, key: K, stamp: S, value: V, *, seconds: float, most: int) -> None:
        """Under lock: keep `value` under `key` for `seconds`, as the most recently used; beyond `most` entries the
        least recently used go."""
        self.entries[key] = (time.monotonic() + seconds, stamp, value)
        self.entries.move_to_end(key)
        while len(self.entries) > most:
            self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
