"""Quantities and counts typed the local way, or sent by a browser, in one place for every form."""

from __future__ import annotations

import pytest

from app.core import i18n
from app.core.errors import ValidationError
from app.core.numbers import whole_number

RULE = {'minimum': 1, 'maximum': 100_000, 'message': 'Enter a whole number between {minimum} and {maximum}.'}


@pytest.mark.parametrize(
    ('language', 'typed', 'value'),
    [
        ('en', '1,000', 1000),
        ('nl', '1.000', 1000),
        ('de', '1.000', 1000),
        ('en', ' 12 ', 12),
        ('en', 7.0, 7),
        ('nl', 3, 3),
    ],
)
def test_a_count_typed_the_local_way_is_understood(language: str, typed: object, value: int) -> None:
    with i18n.speaking(language):
        assert whole_number(typed, field='quantity', **RULE) == value


def test_a_count_that_could_mean_two_numbers_names_both_and_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        whole_number('1.000', field='quantity', **RULE)
    assert refused.value.message == '"1.000" could mean 1,000 or 1: please type it without a separator.'
    assert refused.value.field == 'quantity'


@pytest.mark.parametrize('typed', ['0', '-3', '100001', '1.5', 'ten', '', True, None, [3], 2.5, float('nan'), '9' * 40])
def test_anything_else_gets_the_rule_written_the_readers_way(typed: object) -> None:
    with i18n.speaking('en'), pytest.raises(ValidationError) as refused:
        whole_number(typed, field='quantity', **RULE)
    assert refused.value.message == 'Enter a whole number between 1 and 100,000.'
