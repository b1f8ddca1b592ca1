"""Values kept in memory, each until it expires or what it was worked out from changes: the entries of an
OrderedDict, (expires at, stamp, value), the least recently used first. The caller holds its own lock around both
functions and decides what a stamp is (the generations of what the value follows)."""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import TypeVar

K = TypeVar('K')
S = TypeVar('S')
V = TypeVar('V')


def fresh(entries: OrderedDict[K, tuple[float, S, V]], key: K, stamp: S) -> tuple[float, S, V] | None:
    """The entry under `key` if it has not expired and was kept at `stamp` (it is then the most recently used)."""
    hit = entries.get(key)
    if hit is None or hit[0] <= time.monotonic() or hit[1] != stamp:
        return None
    entries.move_to_end(key)
    return hit


def keep(entries: OrderedDict[K, tuple[float, S, V]], key: K, stamp: S, value: V, *, seconds: float, most: int) -> None:
    """Keep `value` under `key` for `seconds`, as the most recently used; beyond `most` entries the least recently
    used go."""
    entries[key] = (time.monotonic() + seconds, stamp, value)
    entries.move_to_end(key)
    while len(entries) > most:
        entries.popitem(last=False)
