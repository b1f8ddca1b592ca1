"""The time as the domain sees it; tests replace `now` to move time forward."""

from datetime import UTC, datetime


def _system_now() -> datetime:
    return datetime.now(UTC)


now = _system_now  # aware UTC throughout


def set_now(func) -> None:
    global now
    now = func


def reset() -> None:
    set_now(_system_now)
