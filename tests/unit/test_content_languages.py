"""The supplier's own texts in several languages: the dashboard text and products' names and descriptions, read in
the reader's language where the supplier wrote them, else in its default language; searched in the reader's
language too, never showing a product the customer may not see.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.catalogue import catalogue, products, translations
from app.core import db, i18n, portal_settings
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.models import CatalogueMode, ProductCreate, ProductTranslation
from app.orders import current_order

ENGLISH = '# Welcome\n\nOrders before 14:00 ship today.'
DUTCH = '# Welkom\n\nBestellingen vóór 14:00 gaan vandaag de deur uit.'
BAD_LANGUAGES = ['fr', 'xx', 'NL', 'nl ', '', '<b>nl</b>', 12, ['nl'], True]


@pytest.fixture
def shop(accounts):
    """Three products with Dutch texts for two of them; Beta sees a selection without the hammer."""
    admin = accounts.admin
    with db.write_session() as s:
        made = {
            code: products.create_product(
                s,
                actor=admin,
                data=ProductCreate(code=code, name=name, description=description, price_cents=price, active=active),
            ).id
            for code, name, description, price, active in [
                ('HAM-1', 'Claw hammer', 'Forged steel head.', 1995, True),
                ('LVL-6', 'Spirit level', 'Aluminium, 600 mm.', 2250, True),
                ('TAPE-8', 'Tape measure', 'Eight metres.', 1275, True),
                ('OLD-1', 'Old mallet', 'No longer sold.', 995, False),
            ]
        }
        dutch = [
            ('HAM-1', 'Klauwhamer', 'Gesmede stalen kop.'),
            ('LVL-6', 'Waterpas', ''),  # the name only: the description falls back
            ('OLD-1', 'Oude hamer', 'Niet meer leverbaar.'),
        ]
        for code, name, description in dutch:
            translations.set_product_translation(
                s, actor=admin, product_id=made[code], language='nl', name=name, description=description
            )
        beta = accounts.customer_b.id
        catalogue.set_catalogue_mode(s, actor=admin, customer_id=beta, mode=CatalogueMode.SELECTION)
        catalogue.add_to_selection(s, actor=admin, customer_id=beta, product_ids=[made['LVL-6'], made['TAPE-8']])
    return made


def search(who, query: str = '', language: str = 'en', **kwargs) -> list[tuple[str, str]]:
    with i18n.speaking(language), db.read_session() as s:
        return [(card.code, card.name) for card in catalogue.search_products(s, actor=who, query=query, **kwargs).items]


def detail(who, product_id: int, language: str = 'en') -> tuple[str, str]:
    with i18n.speaking(language), db.read_session() as s:
        product = catalogue.get_product(s, actor=who, product_id=product_id)
    return product.name, product.description


# --- the dashboard text ------------------------------------------------------------------------------------


def dashboard(language: str | None) -> str:
    with db.read_session() as s:
        return portal_settings.dashboard_text(s, language)


def test_the_dashboard_text_is_read_in_the_readers_language_else_in_the_default_one(accounts) -> None:
    with db.write_session() as s:
        portal_settings.save_dashboard_text(s, actor=accounts.admin, text=ENGLISH)
    assert [dashboard(language) for language in ('en', 'nl', 'de', None)] == [ENGLISH] * 4  # only the default yet

    with db.write_session() as s:
        saved = portal_settings.save_dashboard_text(s, actor=accounts.admin, text=DUTCH + '\r\n', language='nl')
    assert saved == DUTCH + '\n'
    assert (dashboard('nl'), dashboard('de'), dashboard('en'), dashboard(None)) == (saved, ENGLISH, ENGLISH, ENGLISH)
    assert dashboard('fr') == ENGLISH  # a language the portal does not speak reads the default, no error

    with db.write_session() as s:  # emptied (or only blanks): not written, so the Dutch read the default again
        portal_settings.save_dashboard_text(s, actor=accounts.admin, text='  \n', language='nl')
    assert dashboard('nl') == ENGLISH
    with db.read_session() as s:
        assert portal_settings.dashboard_texts(s, actor=accounts.admin) == {'en': ENGLISH, 'nl': '  \n', 'de': ''}


def test_the_default_language_decides_whose_text_the_others_read(accounts) -> None:
    with db.write_session() as s:
        portal_settings.save_dashboard_text(s, actor=accounts.admin, text=ENGLISH)
        portal_settings.save_dashboard_text(s, actor=accounts.admin, text=DUTCH, language='nl')
        portal_settings.set_default_language(s, actor=accounts.admin, language='nl')
    # the supplier's own text is now Dutch: the Dutch text written before is kept, but not read while Dutch is the
    # default; saving 'in the default language' writes the supplier's own text
    assert (dashboard('nl'), dashboard('de'), dashboard('en')) == (ENGLISH, ENGLISH, ENGLISH)
    with db.write_session() as s:
        portal_settings.save_dashboard_text(s, actor=accounts.admin, text=DUTCH, language='nl')
        portal_settings.save_dashboard_text(s, actor=accounts.admin, text=ENGLISH, language='en')
    assert (dashboard('nl'), dashboard('de'), dashboard('en')) == (DUTCH, DUTCH, ENGLISH)


@pytest.mark.parametrize('language', BAD_LANGUAGES)
def test_a_dashboard_text_in_a_language_the_portal_does_not_speak_is_refused(accounts, language) -> None:
    with db.write_session() as s:
        before = portal_settings.dashboard_texts(s, actor=accounts.admin)
    for write in (
        lambda s: portal_settings.save_dashboard_text(s, actor=accounts.admin, text=DUTCH, language=language),
        lambda s: portal_settings.set_default_language(s, actor=accounts.admin, language=language),
    ):
        with pytest.raises(ValidationError) as refused, db.write_session() as s:
            write(s)
        assert (refused.value.field, refused.value.message) == ('language', 'Choose one of the offered languages.')
    with db.read_session() as s:
        assert portal_settings.dashboard_texts(s, actor=accounts.admin) == before
        assert portal_settings.default_language(s) == 'en'


def test_only_the_supplier_writes_the_texts_in_other_languages(accounts, shop) -> None:
    for write in (
        lambda s: portal_settings.save_dashboard_text(s, actor=accounts.alice, text='# Hacked', language='nl'),
        lambda s: portal_settings.dashboard_texts(s, actor=accounts.alice),
        lambda s: portal_settings.set_default_language(s, actor=accounts.alice, language='de'),
        lambda s: translations.set_product_translation(
            s, actor=accounts.alice, product_id=shop['HAM-1'], language='nl', name='Gehackt', description=''
        ),
        lambda s: translations.product_translations(s, actor=accounts.alice, product_id=shop['HAM-1']),
    ):
        with pytest.raises(AccessDenied), db.write_session() as s:
            write(s)
    assert detail(accounts.alice, shop['HAM-1'], 'nl')[0] == 'Klauwhamer'


# --- products' names and descriptions ------------------------------------------------------------------------


def test_a_customer_reads_the_products_in_its_language_else_in_the_default_one(accounts, shop) -> None:
    assert search(accounts.alice, language='nl') == [
        ('HAM-1', 'Klauwhamer'),
        ('TAPE-8', 'Tape measure'),  # not translated: its own name
        ('LVL-6', 'Waterpas'),
    ]  # sorted by the names read, not by the English ones
    assert detail(accounts.alice, shop['HAM-1'], 'nl') == ('Klauwhamer', 'Gesmede stalen kop.')
    assert detail(accounts.alice, shop['LVL-6'], 'nl') == ('Waterpas', 'Aluminium, 600 mm.')  # description falls back
    # German has no translations: the English texts; and so for English readers and for the supplier in Dutch
    assert search(accounts.alice, language='de') == search(accounts.alice, language='en')
    assert search(accounts.alice, language='en') == [
        ('HAM-1', 'Claw hammer'),
        ('LVL-6', 'Spirit level'),
        ('TAPE-8', 'Tape measure'),
    ]
    assert detail(accounts.alice, shop['HAM-1'], 'de') == ('Claw hammer', 'Forged steel head.')
    assert [name for _code, name in search(accounts.admin, language='nl')] == [
        'Claw hammer',
        'Old mallet',
        'Spirit level',
        'Tape measure',
    ]
    assert detail(accounts.admin, shop['HAM-1'], 'nl') == ('Claw hammer', 'Forged steel head.')


def test_search_results_are_sorted_by_the_names_read_too(accounts, shop) -> None:
    with db.write_session() as s:  # a bigger catalogue, so a search's few hits are the list the page starts from
        for n in range(8):
            products.create_product(
                s, actor=accounts.admin, data=ProductCreate(code=f'F-{n}', name='Filler', price_cents=1)
            )
    assert search(accounts.alice, 'klauwhamer', 'nl') == [('HAM-1', 'Klauwhamer')]
    assert search(accounts.alice, 'ham-1 lvl-6 tape-8', 'nl') == []
    # 'm' finds the level ('600 mm') and the tape ('Tape measure'): in the order of the names read, not of their own
    assert search(accounts.alice, 'm', 'nl') == [('TAPE-8', 'Tape measure'), ('LVL-6', 'Waterpas')]
    assert search(accounts.alice, 'm', 'en') == [('LVL-6', 'Spirit level'), ('TAPE-8', 'Tape measure')]
    assert search(accounts.alice, 'stalen', 'nl', sort='code') == [('HAM-1', 'Klauwhamer')]
    assert [code for code, _name in search(accounts.alice, language='nl', sort='price')][:3] == ['F-0', 'F-1', 'F-2']


def test_the_current_order_shows_the_names_in_the_readers_language(accounts, shop) -> None:
    with db.write_session() as s:
        current_order.add(s, actor=accounts.alice, product_id=shop['HAM-1'], quantity=2)
        current_order.add(s, actor=accounts.alice, product_id=shop['TAPE-8'], quantity=1)
    with i18n.speaking('nl'), db.read_session() as s:
        assert [line.name for line in current_order.lines(s, actor=accounts.alice)] == ['Klauwhamer', 'Tape measure']
    with db.read_session() as s:
        assert [line.name for line in current_order.lines(s, actor=accounts.alice)] == ['Claw hammer', 'Tape measure']


def test_a_search_in_dutch_finds_a_product_by_its_dutch_texts(accounts, shop) -> None:
    assert search(accounts.alice, 'klauw', 'nl') == [('HAM-1', 'Klauwhamer')]
    assert search(accounts.alice, 'gesmede kop', 'nl') == [('HAM-1', 'Klauwhamer')]  # its Dutch description
    assert search(accounts.alice, 'klauwhamer ham-1', 'nl') == [('HAM-1', 'Klauwhamer')]  # a Dutch word and its code
    assert search(accounts.alice, 'claw', 'nl') == [('HAM-1', 'Klauwhamer')]  # its own name still finds it
    assert search(accounts.alice, 'klauwhamer tape', 'nl') == []  # every word must match the same product
    assert search(accounts.alice, 'klauw', 'en') == []  # an English reader searches the English texts
    assert search(accounts.alice, 'klauw', 'de') == []
    with i18n.speaking('nl'), db.read_session() as s:
        assert catalogue.search_products(s, actor=accounts.alice, query='water').total == 1


def test_a_changed_or_removed_translation_is_searched_as_it_is_now(accounts, shop) -> None:
    with db.write_session() as s:
        translations.set_product_translation(
            s, actor=accounts.admin, product_id=shop['HAM-1'], language='nl', name='Timmermanshamer', description=''
        )
    assert search(accounts.alice, 'klauw', 'nl') == []
    assert search(accounts.alice, 'timmerman', 'nl') == [('HAM-1', 'Timmermanshamer')]
    assert detail(accounts.alice, shop['HAM-1'], 'nl') == ('Timmermanshamer', 'Forged steel head.')
    with db.write_session() as s:  # both emptied: no translation left, the product reads its own texts again
        saved = translations.set_product_translation(
            s, actor=accounts.admin, product_id=shop['HAM-1'], language='nl', name=' ', description='\n'
        )
        assert (saved.name, saved.description) == ('', '')
        remaining = s.exec(select(ProductTranslation.product_id).where(ProductTranslation.language == 'nl')).all()
    assert shop['HAM-1'] not in remaining
    assert search(accounts.alice, 'timmerman', 'nl') == []
    assert detail(accounts.alice, shop['HAM-1'], 'nl') == ('Claw hammer', 'Forged steel head.')
    with db.read_session() as s:
        written = translations.product_translations(s, actor=accounts.admin, product_id=shop['LVL-6'])
    assert written == {'nl': translations.ProductText('Waterpas', ''), 'de': translations.ProductText()}


def test_a_hidden_product_never_appears_through_a_translation(accounts, shop) -> None:
    bob = accounts.bob  # Beta's selection: the level and the tape, not the hammer; nobody sees the old mallet
    assert search(bob, 'klauw', 'nl') == []
    assert search(bob, 'hamer', 'nl') == []  # 'Oude hamer' is inactive
    assert search(bob, language='nl') == [('TAPE-8', 'Tape measure'), ('LVL-6', 'Waterpas')]
    assert search(accounts.alice, 'oude hamer', 'nl') == []
    for who, product_id in [(bob, shop['HAM-1']), (accounts.alice, shop['OLD-1']), (bob, shop['OLD-1'])]:
        with pytest.raises(NotFound):
            detail(who, product_id, 'nl')
    with i18n.speaking('nl'), db.read_session() as s:
        assert catalogue.search_products(s, actor=bob, query='hamer').total == 0
        assert catalogue.search_products(s, actor=bob, query='water').total == 1


@pytest.mark.parametrize('language', [*BAD_LANGUAGES, None])
def test_a_product_text_in_a_language_the_portal_does_not_speak_is_refused(accounts, shop, language) -> None:
    with pytest.raises(ValidationError) as refused, db.write_session() as s:
        translations.set_product_translation(
            s, actor=accounts.admin, product_id=shop['TAPE-8'], language=language, name='Rolmaat', description=''
        )
    assert (refused.value.field, refused.value.message) == ('language', 'Choose one of the offered languages.')
    with db.read_session() as s:
        assert not s.exec(select(ProductTranslation).where(ProductTranslation.product_id == shop['TAPE-8'])).all()


def test_the_default_languages_texts_are_the_products_own(accounts, shop) -> None:
    with pytest.raises(ValidationError) as refused, db.write_session() as s:
        translations.set_product_translation(
            s, actor=accounts.admin, product_id=shop['TAPE-8'], language='en', name='Tape', description=''
        )
    assert refused.value.field == 'language'
    assert refused.value.message == (
        "The texts in English are the product's own name and description: change them in its details."
    )


@pytest.mark.parametrize(
    ('name', 'description', 'field'),
    [
        ('x' * 201, '', 'name'),
        ('', 'y' * 5001, 'description'),
        ('Rol\x00maat', '', 'name'),
        (['Rolmaat'], '', 'name'),
        ('Rolmaat', 12, 'description'),
    ],
)
def test_bad_product_texts_are_refused_and_nothing_is_written(accounts, shop, name, description, field) -> None:
    with pytest.raises(ValidationError) as refused, db.write_session() as s:
        translations.set_product_translation(
            s, actor=accounts.admin, product_id=shop['TAPE-8'], language='de', name=name, description=description
        )
    assert refused.value.field == field
    with db.read_session() as s:
        assert not s.exec(select(ProductTranslation).where(ProductTranslation.product_id == shop['TAPE-8'])).all()
    with pytest.raises(NotFound), db.write_session() as s:
        translations.set_product_translation(
            s, actor=accounts.admin, product_id=999_999, language='de', name='Maßband', description=''
        )
