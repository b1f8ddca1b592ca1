"""Filling in a form and sending it as the user does: each field typed into (or set, as the browser's change event
sets a number or a choice), then the button, then what the page answers."""

from __future__ import annotations

from nicegui.testing import User


def fill(user: User, marker: str, text: str) -> None:
    user.find(marker=marker).clear().type(text)


def set_value(user: User, marker: str, value: object) -> None:
    user.find(marker=marker).elements.pop().value = value


async def send(user: User, typed: dict[str, str], button: str, *expect: str, **options: object) -> None:
    """Type into the fields (marker: text, in that order), click the button (by marker) and wait until the page shows
    `expect` (the arguments of `user.should_see`: a text, or marker=..., retries=...)."""
    for marker, text in typed.items():
        fill(user, marker, text)
    await press(user, button, *expect, **options)


async def send_values(user: User, values: dict[str, object], button: str, *expect: str, **options: object) -> None:
    """As `send`, each field's value set instead of typed."""
    for marker, value in values.items():
        set_value(user, marker, value)
    await press(user, button, *expect, **options)


async def press(user: User, button: str, *expect: str, **options: object) -> None:
    user.find(marker=button).click()
    await user.should_see(*expect, **options)
