"""Rules the product admin pages rely on that had no tests of their own: typed prices and bounded upload reads."""

from __future__ import annotations

import pytest
from nicegui.elements.upload_files import SmallFileUpload

from app.core.errors import ValidationError
from app.core.money import MAX_PRICE_CENTS, format_cents, parse_price
from components.image_upload import read_at_most

NOT_A_NUMBER = 'Enter the price as a number, for example 12.50.'


@pytest.mark.parametrize(
    ('typed', 'cents'),
    [
        ('12.50', 1250),
        ('12.5', 1250),
        ('12,50', 1250),  # a decimal comma, as typed in much of Europe
        (' 7 ', 700),
        ('0', 0),
        ('.5', 50),
        ('3.', 300),
        ('1.990', 199),  # trailing zeros are no third decimal
        ('1000000.00', MAX_PRICE_CENTS),
        (12.5, 1250),
    ],
)
def test_a_typed_price_becomes_cents(typed, cents):
    assert parse_price(typed) == cents


@pytest.mark.parametrize(
    ('typed', 'message'),
    [
        ('1.999', 'A price has at most two decimals.'),
        ('0.001', 'A price has at most two decimals.'),
        ('-1', 'The price cannot be negative.'),
        ('-0.50', 'The price cannot be negative.'),
        ('1000000.01', 'That price is too high.'),
        ('', NOT_A_NUMBER),
        (None, NOT_A_NUMBER),
        ('abc', NOT_A_NUMBER),
        ('1e3', NOT_A_NUMBER),
        ('1,000.50', NOT_A_NUMBER),  # thousands separators are not guessed at
        ('€12', NOT_A_NUMBER),
        ('12 50', NOT_A_NUMBER),
        ('nan', NOT_A_NUMBER),
        ('1234567890', NOT_A_NUMBER),
    ],
)
def test_a_bad_price_is_refused_with_a_clear_message(typed, message):
    with pytest.raises(ValidationError) as caught:
        parse_price(typed, field='price_cents')
    assert (caught.value.message, caught.value.field) == (message, 'price_cents')


def test_the_product_form_shows_prices_back_as_it_parses_them():
    for cents in (0, 5, 50, 1250, 123456, MAX_PRICE_CENTS):
        shown = format_cents(cents, 'EUR').removeprefix('€').replace(',', '')
        assert parse_price(shown) == cents


async def test_an_upload_is_read_whole_up_to_the_limit():
    data = b'x' * 1000
    assert await read_at_most(SmallFileUpload('a.png', 'image/png', data), 1000) == data


async def test_a_big_upload_is_read_only_far_enough_to_be_refused():
    data = b'x' * (3 * 1024 * 1024)
    read = await read_at_most(SmallFileUpload('a.png', 'image/png', data), 1000)
    assert 1000 < len(read) < len(data)
