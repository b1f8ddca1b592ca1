"""A form whose fields go by the service's field names, so a ValidationError shows next to the field it is about."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from app.core.errors import ValidationError

F = TypeVar('F', bound=ui.element)


class Form:
    """Fields by name: `add` them as they are drawn, read them with `text`, and wrap the service call in
    `showing_errors()`. Fields without an error message of their own (a switch) are read like the others."""

    def __init__(self) -> None:
        self.fields: dict[str, Any] = {}

    def add(self, name: str, field: F) -> F:
        self.fields[name] = field
        if isinstance(field, ValidationElement):
            field.on_value_change(lambda: setattr(field, 'error', None))  # typing again clears the old message
        return field

    def text(self, name: str) -> str:
        return str(self.fields[name].value or '')

    def show(self, error: ValidationError) -> None:
        field = self.fields.get(error.field or '')
        if isinstance(field, ValidationElement):
            field.error = error.message

    def clear(self) -> None:
        for field in self.fields.values():
            if isinstance(field, ValidationElement):
                field.error = None

    @contextmanager
    def showing_errors(self) -> Iterator[None]:
        """Clear the old messages; a ValidationError raised inside shows at its field and goes on to the guard,
        which shows it as a message too."""
        self.clear()
        try:
            yield
        except ValidationError as error:
            self.show(error)
            raise
