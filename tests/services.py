"""A service called as a page or a click calls it: on behalf of `actor`, in a session of its own; and what it
announced."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from app.core import db, events
from app.identity.auth import Identity

Result = TypeVar('Result')


def read(function: Callable[..., Result], actor: Identity, **kwargs: object) -> Result:
    """`function(session, actor=actor, **kwargs)` in a read session of its own."""
    with db.read_session() as s:
        return function(s, actor=actor, **kwargs)


def write(function: Callable[..., Result], actor: Identity, **kwargs: object) -> Result:
    """`function(session, actor=actor, **kwargs)` in a write transaction of its own, committed when it returns."""
    with db.write_session() as s:
        return function(s, actor=actor, **kwargs)


def heard_after(topics: list[tuple], action: Callable[[], object]) -> list[tuple]:
    """The events published on `topics` while `action` runs, sorted."""
    heard: list[tuple] = []
    for topic in topics:
        events.subscribe(topic, heard.append)
    action()
    return sorted(heard)
