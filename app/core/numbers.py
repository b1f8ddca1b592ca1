"""Whole numbers as people type them, or as a browser sends them, for every quantity and count in the portal."""

from __future__ import annotations

import math

from app.core import i18n
from app.core.errors import ValidationError

MAX_TYPED_CHARS = 20


def whole_number(raw: object, *, minimum: int, maximum: int, message: str, field: str, floats: bool = True) -> int:
    """A count: an int, a number input's float with no fraction, or text typed the reader's local way ('1.000'
    is a thousand in Dutch and German, '1,000' in English). `message` (placeholders {minimum} and {maximum}) says
    what is accepted; text that could mean two numbers is refused naming both, never guessed. `floats=False` for
    a field that is always text (a number input's 3.0 is then refused like any other non-text)."""
    if isinstance(raw, bool):
        raise ValidationError(message, field, minimum=minimum, maximum=maximum)
    if floats and isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str) and len(raw) <= MAX_TYPED_CHARS:
        try:
            raw = i18n.parse_quantity(raw)
        except i18n.AmbiguousNumber as error:
            whole = [int(option) for option in error.args[1] if option.isdigit()] if len(error.args) > 1 else []
            if len(whole) >= 2:
                raise ValidationError(
                    '"{typed}" could mean {first} or {second}: please type it without a separator.',
                    field,
                    typed=raw.strip(),
                    first=whole[0],
                    second=whole[1],
                ) from None
            raise ValidationError(message, field, minimum=minimum, maximum=maximum) from None
        except ValueError:
            raise ValidationError(message, field, minimum=minimum, maximum=maximum) from None
    if not isinstance(raw, int) or not minimum <= raw <= maximum:
        raise ValidationError(message, field, minimum=minimum, maximum=maximum)
    return raw
