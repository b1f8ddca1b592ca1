"""Filling in a form and sending it as the user does: each field cleared and typed into, then the button."""

from __future__ import annotations

from nicegui.testing import User


def fill(user: User, marker: str, text: str) -> None:
    user.find(marker=marker).clear().type(text)


async def send(user: User, typed: dict[str, str], button: str, *expect: str, **options: object) -> None:
    """Type into the fields (marker: text, in that order), click the button (by marker) and wait until the page shows
    `expect` (the arguments of `user.should_see`: a text, or marker=..., retries=...)."""
    for marker, text in typed.items():
        fill(user, marker, text)
    user.find(marker=button).click()
    await user.should_see(*expect, **options)
