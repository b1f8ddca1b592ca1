"""Errors the services raise with a message meant for the person at the screen.

A message is an English text that is also its own catalogue entry, with `{placeholders}` for what varies:
`ValidationError('Only {free} are free.', 'quantity', free=3)`. It is translated when it is read (`message`), in
the language of whoever is reading (app/core/i18n.py), so a service need not know who will see it; whole numbers
in it are written the local way, and a value marked with `N_` (a field's label) is translated too.
"""

from __future__ import annotations

from typing import Any

from app.core import i18n


def _local(value: Any) -> Any:
    """A placeholder's value as the reader writes it: whole numbers the local way, marked texts translated."""
    if isinstance(value, int) and not isinstance(value, bool):
        return i18n.number(value)
    if isinstance(value, i18n.Text):
        return i18n._(value)
    return value


class Message(Exception):
    """An error whose text is translated when shown."""

    def __init__(self, text: str, **params: Any) -> None:
        super().__init__(text)
        self.text = text
        self.params = params

    @property
    def message(self) -> str:
        translated = i18n._(self.text)
        if not self.params:
            return translated
        return translated.format(**{key: _local(value) for key, value in self.params.items()})

    def __str__(self) -> str:
        return self.message


class ValidationError(Message, ValueError):
    """Bad input: nothing was changed. `field` names the input it is about, when there is one."""

    def __init__(self, text: str, field: str | None = None, **params: Any) -> None:
        super().__init__(text, **params)
        self.field = field


class NotFound(Message, LookupError):
    """The thing does not exist, or the user may not see it (the two are never told apart).

    `what` is a catalogue entry of its own ('This order'), so each language can give it its own grammar."""

    def __init__(self, what: str = 'This page') -> None:
        super().__init__('{what} was not found.', what=what)
        self.what = what

    @property
    def message(self) -> str:
        return i18n._('{what} was not found.').format(what=i18n._(self.what))


class AccessDenied(Message, PermissionError):
    """The user is signed in but lacks the role for this."""

    def __init__(self) -> None:
        super().__init__(i18n.N_('You do not have access to this.'))
