"""A service called as a page or a click calls it: on behalf of `actor`, in a session of its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from app.core import db
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
