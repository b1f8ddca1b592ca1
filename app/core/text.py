"""Free text from forms: only ever a string, and without control characters.

A browser can send any JSON value for a field (a list, a number, true) and any character; `str()` would
quietly store "['a']" and a NUL byte would be refused by PostgreSQL as a server error. These helpers turn
both into a clear ValidationError instead. `label` names the field in the message: mark it with N_ (app/core/i18n.py)
so it is translated with the message.
"""

from __future__ import annotations

import re

from app.core.errors import ValidationError

# C0 controls and DEL, less tab, line feed and carriage return (a block of text keeps its line breaks)
CONTROL_CHARACTERS = re.compile(r'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]')


def _checked(value: object, *, field: str, label: str) -> str:
    if value is None:
        return ''
    if not isinstance(value, str):
        raise ValidationError('{label} must be text.', field, label=label)
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError('{label} contains a control character; please type it again.', field, label=label)
    return value


def line(value: object, *, field: str, label: str) -> str:
    """One line of text, runs of whitespace made one space."""
    return ' '.join(_checked(value, field=field, label=label).split())


def bounded_line(value: object, *, field: str, label: str, max_len: int, required: bool = True) -> str:
    """`line`, refused when longer than `max_len` characters or, when `required`, empty."""
    value = line(value, field=field, label=label)
    if required and not value:
        raise ValidationError('{label} is required.', field, label=label)
    if len(value) > max_len:
        raise ValidationError('{label} can be at most {limit} characters.', field, label=label, limit=max_len)
    return value


def block(value: object, *, field: str, label: str) -> str:
    """Text with its line breaks (normalised to \\n), stripped at both ends."""
    return _checked(value, field=field, label=label).replace('\r\n', '\n').replace('\r', '\n').strip()


def escape_like(value: str) -> str:
    """`value` for a LIKE pattern with ESCAPE '\\': its %, _ and \\ match only themselves."""
    return value.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')
