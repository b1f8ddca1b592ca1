"""Texts the services give a person to read are catalogue entries, translated when read, numbers written the
reader's way: sign-in refusals, the throttle's wait (a real plural), stock labels, field labels and 'busy'.

A stand-in Dutch catalogue replaces the real one (whose translations the lead fills in), so these tests say what
the code does with a translation, whatever the catalogue holds today.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from app.catalogue import catalogue, products
from app.core import clock, db, i18n
from app.core.errors import Message, ValidationError
from app.identity import auth
from app.models import ProductCreate

DUTCH = {
    'Unknown user name or wrong password.': 'Onbekende gebruikersnaam of verkeerd wachtwoord.',
    '{label} is required.': '{label} is verplicht.',
    'The name': 'De naam',
    'The system is busy right now. Nothing was saved, please try again.': 'Het systeem is even bezet.',
    'Out of stock — will be backordered': 'Niet op voorraad — wordt nageleverd',
}
DUTCH_PLURALS = {
    'Too many failed sign-ins. Please wait {n} second and try again.': (
        'Te veel mislukte aanmeldingen. Wacht {n} seconde.',
        'Te veel mislukte aanmeldingen. Wacht {n} seconden.',
    ),
    '{n} in stock': ('{n} op voorraad', '{n} op voorraad'),
}


class StandInDutch(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return DUTCH.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        forms = DUTCH_PLURALS.get(singular, (singular, plural))
        return forms[0] if n == 1 else forms[1]


@pytest.fixture
def dutch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        i18n, 'translations', lambda language: StandInDutch() if language == 'nl' else gettext.NullTranslations()
    )


@pytest.fixture
def still_clock() -> Iterator[list[datetime]]:
    """Time stands still until the test moves it (moment[0] += ...)."""
    moment = [datetime(2030, 1, 1, 9, 0, tzinfo=UTC)]
    clock.set_now(lambda: moment[0])
    yield moment
    clock.reset()


def refused_sign_in(**credentials: str) -> auth.SignInRefused:
    with pytest.raises(auth.SignInRefused) as refused:
        auth.sign_in(**credentials)
    return refused.value


def test_a_refused_sign_in_reads_in_the_readers_language(accounts, dutch) -> None:
    refused = refused_sign_in(username='alice', password='wrong-password', client_address='1.1.1.1')
    assert isinstance(refused, Message)
    assert refused.message == 'Unknown user name or wrong password.'
    with i18n.speaking('nl'):  # the same refusal, read by a Dutch page
        assert refused.message == 'Onbekende gebruikersnaam of verkeerd wachtwoord.'


def test_the_throttles_wait_is_a_plural_of_the_catalogue(accounts, dutch, still_clock) -> None:
    for _attempt in range(auth.ACCOUNT_FREE_FAILURES + 1):
        refused_sign_in(username='alice', password='wrong-password', client_address='1.1.1.1')
    locked = refused_sign_in(username='alice', password='alice-password', client_address='1.1.1.1')
    assert locked.retry_after_s == 2
    assert locked.message == 'Too many failed sign-ins. Please wait 2 seconds and try again.'
    still_clock[0] += timedelta(seconds=1)
    one = refused_sign_in(username='alice', password='alice-password', client_address='1.1.1.1')
    assert one.retry_after_s == 1
    assert one.message == 'Too many failed sign-ins. Please wait 1 second and try again.'
    with i18n.speaking('nl'):
        assert (one.message, locked.message) == (
            'Te veel mislukte aanmeldingen. Wacht 1 seconde.',
            'Te veel mislukte aanmeldingen. Wacht 2 seconden.',
        )
    assert auth.SignInRefused(600).message == 'Too many failed sign-ins. Please wait 10 minutes and try again.'
    assert auth.SignInRefused(120).message == 'Too many failed sign-ins. Please wait 2 minutes and try again.'


def test_stock_labels_read_in_the_readers_language_with_local_numbers(dutch) -> None:
    assert catalogue.stock_status(1500) == ('1,500 in stock', 'positive')
    with i18n.speaking('nl'):
        assert catalogue.stock_status(1500) == ('1.500 op voorraad', 'positive')
        assert catalogue.stock_status(0) == ('Niet op voorraad — wordt nageleverd', 'negative')
    with i18n.speaking('de'):  # no German text in the stand-in: English words, German digits
        assert catalogue.stock_status(3) == ('Only 3 left', 'warning')
        assert catalogue.stock_status(2500) == ('2.500 in stock', 'positive')


def test_a_field_label_in_a_message_is_translated_with_it(dutch) -> None:
    with pytest.raises(ValidationError) as missing:
        products.validate(ProductCreate(code='A-1', name='  ', price_cents=100))
    assert missing.value.field == 'name'
    assert missing.value.message == 'The name is required.'
    with i18n.speaking('nl'):
        assert missing.value.message == 'De naam is verplicht.'


def test_a_busy_database_says_so_in_the_readers_language(dutch) -> None:
    busy = db.DatabaseBusy()
    assert isinstance(busy, Message)
    assert str(busy) == 'The system is busy right now. Nothing was saved, please try again.'
    with i18n.speaking('nl'):
        assert str(busy) == 'Het systeem is even bezet.'
