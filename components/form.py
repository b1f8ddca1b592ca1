"""A form whose fields go by the service's field names, so a ValidationError shows next to the field it is about.

Required fields carry a mark (an asterisk after the label, aria-required) and are checked all at once before the
service is called: a person sees every empty required field marked together, not one message after another.
What the service refuses shows at its field too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from app.core.errors import ValidationError
from app.core.i18n import _

F = TypeVar('F', bound=ui.element)


def amount(cents: int) -> str:
    """Cents as the supplier types an amount: '12.50'."""
    return f'{cents // 100}.{cents % 100:02d}'


def percent_typed(bp: int) -> str:
    """Hundredths of a percent as typed into a field: '10', '12.5'."""
    return f'{bp // 100}' if bp % 100 == 0 else f'{bp / 100:g}'


def choice_field(options: dict[Any, str], value: object, label: str) -> ui.select:
    """A form's drop-down: `options` maps each value to what the reader reads."""
    return ui.select(options, value=value, label=label).props('outlined dense options-dense')


def count_field(label: str, value: int | str = '', *, digits: int = 7) -> ui.input:
    """A form's box for a count (a quantity, a minimum, a pack size): a phone shows digits, at most `digits`."""
    return ui.input(label, value=str(value)).props(f'outlined dense inputmode=numeric maxlength={digits}')


def email_field(value: str = '', *, autocomplete: str = 'off') -> ui.input:
    """A form's box for an e-mail address (at most 254 characters, as accounts.clean_email takes); `autocomplete`:
    'email' where the reader types its own."""
    return ui.input(_('E-mail address'), value=value).props(
        f'outlined dense type=email maxlength=254 autocomplete={autocomplete}'
    )


def percent_field(label: str, bp: int) -> ui.input:
    """A form's box for a percentage, `bp` (hundredths of a percent) shown as typed: '12.5'."""
    return ui.input(label, value=percent_typed(bp)).props('outlined dense inputmode=decimal maxlength=6')


def money_field(label: str, value: str, currency: str) -> ui.input:
    """A form's box for an amount as typed ('12.50', see `amount`), the currency after it."""
    return ui.input(label, value=value).props(f'outlined dense inputmode=decimal maxlength=15 suffix="{currency}"')


class Form:
    """Fields by name: `add` them as they are drawn, read them with `text`, and wrap the service call in
    `showing_errors()`. Fields without an error message of their own (a switch) are read like the others."""

    def __init__(self) -> None:
        self.fields: dict[str, Any] = {}
        self.required: set[str] = set()

    def add(self, name: str, field: F, *, required: bool = False) -> F:
        self.fields[name] = field
        if isinstance(field, ValidationElement):
            field.on_value_change(lambda: setattr(field, 'error', None))  # typing again clears the old message
        if required:
            self.required.add(name)
            label = field.props.get('label')
            if isinstance(label, str) and not label.endswith(' *'):
                field.props['label'] = f'{label} *'
            field.props['aria-required'] = 'true'
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

    def empty(self, *names: str) -> None:
        """The named fields (naming none: all) emptied and every message cleared: sent, or opened anew."""
        for name in names or self.fields:
            self.fields[name].value = ''
        self.clear()

    def missing(self) -> list[str]:
        """The required fields left empty (only spaces counts as empty)."""
        return [name for name in self.required if not str(self.fields[name].value or '').strip()]

    @contextmanager
    def showing_errors(self) -> Iterator[None]:
        """Clear the old messages and check every required field at once: each empty one is marked and the service
        is not called (the guard's message then points to the marked fields). A ValidationError raised inside shows
        at its field and goes on to the guard, which shows it as a message too."""
        self.clear()
        if empty := self.missing():
            for name in empty:
                self.fields[name].error = _('Required')
            raise ValidationError('Please fill in the fields marked in red.', empty[0])
        try:
            yield
        except ValidationError as error:
            self.show(error)
            raise
