"""Languages: the translation function, plural forms, and numbers, money and dates in the user's locale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.core import i18n
from app.core.i18n import _


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.use('en')


@pytest.mark.parametrize(
    ('language', 'cents', 'shown'),
    [('en', 123450, '€1,234.50'), ('nl', 123450, '€\u00a01.234,50'), ('de', 123450, '1.234,50\u00a0€')],
)
def test_money_is_written_the_local_way(language: str, cents: int, shown: str) -> None:
    with i18n.speaking(language):
        assert i18n.money(cents, 'EUR') == shown


def test_dates_and_relative_times_follow_the_language() -> None:
    placed = datetime(2026, 12, 12, 14, 5, tzinfo=UTC)
    expected = {
        'en': ('12 Dec 2026', '2 days ago'),
        'nl': ('12 dec 2026', '2 dagen geleden'),
        'de': ('12.12.2026', 'vor 2 Tagen'),
    }
    for language, (day, ago) in expected.items():
        with i18n.speaking(language):
            assert i18n.day(placed) == day
            assert i18n.ago(placed, placed + timedelta(days=2)) == ago


@pytest.mark.parametrize(
    ('language', 'typed', 'value'),
    [
        ('nl', '1.000', 1000),
        ('de', '1.000', 1000),
        ('en', '1,000', 1000),
        ('en', '12', 12),
        ('nl', '250', 250),
        ('de', '1.000.000', 1_000_000),
    ],
)
def test_quantities_typed_the_local_way_are_understood(language: str, typed: str, value: int) -> None:
    with i18n.speaking(language):
        assert i18n.parse_quantity(typed) == value


@pytest.mark.parametrize(
    ('language', 'typed'),
    [('en', '1.000'), ('nl', '1,000'), ('de', '2,500'), ('en', '1,5')],
)
def test_a_quantity_that_could_mean_two_numbers_is_refused_not_guessed(language: str, typed: str) -> None:
    with i18n.speaking(language), pytest.raises(i18n.AmbiguousNumber):
        i18n.parse_quantity(typed)


@pytest.mark.parametrize('typed', ['', 'twelve', '1.5', '12abc', '--3'])
def test_text_that_is_no_whole_number_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        i18n.parse_quantity(typed)


def test_a_price_with_a_decimal_comma_is_understood_in_dutch() -> None:
    with i18n.speaking('nl'):
        assert str(i18n.parse_number('12,50')) == '12.50'
    with i18n.speaking('en'):
        assert str(i18n.parse_number('12.50')) == '12.50'


@pytest.mark.parametrize(
    ('header', 'language'),
    [
        ('nl-NL,nl;q=0.9,en;q=0.8', 'nl'),
        ('de-DE', 'de'),
        ('fr-FR,de;q=0.5,en;q=0.7', 'en'),
        ('fr', 'en'),
        ('', 'en'),
        ('garbage;;q=x,de-AT;q=0.2', 'de'),
    ],
)
def test_the_login_page_language_follows_accept_language(header: str, language: str) -> None:
    assert i18n.negotiate(header) == language


def test_an_unknown_language_falls_back_to_english() -> None:
    i18n.use('fr')
    assert i18n.current() == 'en'
    assert _('Products') == 'Products'


def test_a_service_error_is_read_in_the_readers_language_with_local_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.core.errors import NotFound, ValidationError

    dutch = {
        'Only {free} are free.': 'Er zijn er maar {free} vrij.',
        '{label} is required.': '{label} is verplicht.',
        'Name': 'Naam',
        '{what} was not found.': '{what} is niet gevonden.',
        'This order': 'Deze bestelling',
    }

    class Catalogue(i18n._gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return dutch.get(message, message)

    monkeypatch.setattr(
        i18n, 'translations', lambda language: Catalogue() if language == 'nl' else i18n._gettext.NullTranslations()
    )
    error = ValidationError('Only {free} are free.', 'quantity', free=1200)
    required = ValidationError('{label} is required.', 'name', label=i18n.N_('Name'))
    assert error.message == 'Only 1,200 are free.' and error.field == 'quantity'
    with i18n.speaking('nl'):
        assert error.message == 'Er zijn er maar 1.200 vrij.'
        assert required.message == 'Naam is verplicht.'
        assert NotFound('This order').message == 'Deze bestelling is niet gevonden.'
    assert required.message == 'Name is required.'


def test_a_plural_fills_its_count_and_leaves_the_other_placeholders_to_the_caller() -> None:
    text = i18n.ngettext('{n} line for {customer}', '{n} lines for {customer}', 1200)
    assert text == '1,200 lines for {customer}'
    assert text.format(customer='Acme') == '1,200 lines for Acme'
    with i18n.speaking('de'):
        # a text not in the catalogue: the English form, with the count written the German way
        assert i18n.ngettext('{n} test unit', '{n} test units', 1000) == '1.000 test units'


@pytest.mark.parametrize('language', ['fr', 'NL', '', 'x' * 200, 3, ['nl'], None])
def test_a_user_chooses_only_an_offered_language_and_anything_else_changes_nothing(accounts, language) -> None:
    from app.core import db
    from app.core.errors import ValidationError
    from app.identity import accounts as accounts_service
    from app.identity import auth
    from app.models import PortalUser

    with db.write_session() as s:
        assert accounts_service.set_language(s, actor=accounts.alice, language='de') == 'de'
    if language is None:  # back to the customer's own language
        with db.write_session() as s:
            assert accounts_service.set_language(s, actor=accounts.alice, language=None) == 'en'
        return
    with pytest.raises(ValidationError) as refused, db.write_session() as s:
        accounts_service.set_language(s, actor=accounts.alice, language=language)
    assert refused.value.field == 'language' and refused.value.message == 'Choose one of the offered languages.'
    with db.read_session() as s:
        assert s.get(PortalUser, accounts.alice.user_id).language == 'de'
    token = auth.sign_in(username='alice', password='alice-password', client_address='198.51.100.9')
    assert auth.resolve(token).language == 'de'  # the identity reads the choice


def test_an_amount_is_written_in_each_readers_language_also_when_remembered() -> None:
    """i18n.money remembers what it wrote (babel is slow): per language, so each reader still reads their own."""
    for _time in range(2):
        with i18n.speaking('en'):
            assert i18n.money(123450, 'EUR') == '€1,234.50'
        with i18n.speaking('nl'):
            assert i18n.money(123450, 'EUR') == '€\xa01.234,50'
        with i18n.speaking('de'):
            assert i18n.money(123450, 'EUR') == '1.234,50\xa0€'
