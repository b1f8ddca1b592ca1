"""Typo-tolerant search: close matches when the exact search finds nothing or little, codes and barcodes with and
without separators, in the reader's language too, never through a product the customer may not see."""

from __future__ import annotations

import pytest

from app.catalogue import catalogue, close_matches, products, translations
from app.core import db, i18n
from app.models import ProductCreate

ITEMS = [
    # code, name, description, barcode
    ('FA-1008', 'Claw hammer 500 g', 'Fibreglass handle.', '8712345000011'),
    ('FA-1009', 'Club hammer 1 kg', 'For chisels and masonry.', '8712345000028'),
    ('SD.20/4', 'Screwdriver flat 4 mm', 'Magnetic tip.', ''),
    ('GLV-9', 'Safety gloves', 'Cut resistant, size 9.', '5012345678900'),
    ('WB-1', 'Wheelbarrow 90 l', 'Galvanised tub.', ''),
    ('HMR-1', 'Hammock frame', 'Steel.', ''),
]


@pytest.fixture
def items(shop):
    return {
        code: shop.product(code, name=name, description=description, barcode=barcode, price=100)
        for code, name, description, barcode in ITEMS
    }


def find(who, query: str, language: str = 'en', **options) -> close_matches.Found:
    with i18n.speaking(language), db.read_session() as s:
        return close_matches.find_products(s, actor=who, query=query, **options)


def codes(found: close_matches.Found) -> list[str]:
    return sorted(card.code for card in found.page.items)


def exact(who, query: str) -> list[str]:
    with db.read_session() as s:
        return sorted(card.code for card in catalogue.search_products(s, actor=who, query=query).items)


@pytest.mark.parametrize(
    ('typed', 'corrected', 'found'),
    [
        ('hamer', 'hammer', ['FA-1008', 'FA-1009']),  # a letter missing
        ('hammmer', 'hammer', ['FA-1008', 'FA-1009']),  # one too many
        ('hanmer', 'hammer', ['FA-1008', 'FA-1009']),  # one wrong
        ('hamemr', 'hammer', ['FA-1008', 'FA-1009']),  # two swapped
        ('ahmmer', 'hammer', ['FA-1008', 'FA-1009']),  # the first two swapped
        ('scredriver', 'screwdriver', ['SD.20/4']),
        ('wheelbarow', 'wheelbarrow', ['WB-1']),
        ('Glovs', 'gloves', ['GLV-9']),  # the start of a longer word, whatever the case
        ('claw hamer', 'claw hammer', ['FA-1008']),  # only the unknown word is corrected
    ],
)
def test_a_mistyped_word_finds_its_close_matches(accounts, items, typed, corrected, found) -> None:
    assert exact(accounts.alice, typed) == []  # the exact search finds nothing
    result = find(accounts.alice, typed)
    assert (result.close, result.suggestion, codes(result)) == (True, corrected, found)
    assert result.suggestion_total == len(found)


def test_words_found_exactly_are_no_close_matches(accounts, items) -> None:
    result = find(accounts.alice, 'hammer')
    assert (result.close, result.suggestion, codes(result)) == (False, '', ['FA-1008', 'FA-1009'])


@pytest.mark.parametrize('typed', ['xyzzy', 'hxmxr', 'bolt', 'ham'])
def test_nothing_close_is_no_suggestion(accounts, items, typed) -> None:
    """Too far from every word, a typo in the first letter, or too short to correct: nothing is made up."""
    result = find(accounts.alice, typed)
    assert (result.close, result.suggestion) == (False, '')
    assert result.page.total == len(exact(accounts.alice, typed))


def test_beside_few_results_a_common_close_word_is_offered(accounts, items) -> None:
    """'hammock' finds one product; 'hammer' (one letter less away than ... ) is no correction of it, but a rare
    word close to a common one is: 'hamer' written once in a description."""
    with db.write_session() as s:
        for n in range(6):
            products.create_product(
                s, actor=accounts.admin, data=ProductCreate(code=f'SL-{n}', name=f'Sledge hammer {n} kg', price_cents=1)
            )
        products.create_product(
            s, actor=accounts.admin, data=ProductCreate(code='BR-1', name='Hamer brand tape', price_cents=1)
        )
    result = find(accounts.alice, 'hamer')
    assert (result.close, codes(result)) == (False, ['BR-1'])  # the exact results stay on the page ...
    assert (result.suggestion, result.suggestion_total) == ('hammer', 8)  # ... and the close ones are offered


@pytest.mark.parametrize(
    ('typed', 'found'),
    [
        ('fa1008', ['FA-1008']),
        ('FA 1008', ['FA-1008']),
        ('fa.1008', ['FA-1008']),
        ('fa/1008', ['FA-1008']),
        ('fa-1008', ['FA-1008']),
        ('fa100', ['FA-1008', 'FA-1009']),  # the start of a code
        ('sd204', ['SD.20/4']),
        ('SD-20-4', ['SD.20/4']),
        ('sd 20 4', ['SD.20/4']),  # (three words, each the start of a piece of the code)
        ('87 12345 00001 1', ['FA-1008']),  # a barcode typed with spaces
        ('87-12345-00002', ['FA-1009']),  # or dashes (the start of it)
    ],
)
def test_codes_and_barcodes_match_with_and_without_separators(accounts, items, typed, found) -> None:
    assert exact(accounts.alice, typed) == found


def test_a_changed_code_is_found_by_its_new_code_only(accounts, items) -> None:
    with db.write_session() as s:
        products.update_product(
            s,
            actor=accounts.admin,
            product_id=items['FA-1008'],
            data=ProductCreate(code='FB-2000', name='Claw hammer 500 g', barcode='', price_cents=100),
        )
    assert (exact(accounts.alice, 'fb2000'), exact(accounts.alice, 'fa1008')) == (['FB-2000'], [])
    assert exact(accounts.alice, '87123450000') == ['FA-1009']  # the old barcode went with the change


def test_close_matches_in_the_readers_language(accounts, items) -> None:
    with db.write_session() as s:
        translations.set_product_translation(
            s, actor=accounts.admin, product_id=items['WB-1'], language='de', name='Schubkarre 90 l', description=''
        )
        translations.set_product_translation(
            s,
            actor=accounts.admin,
            product_id=items['GLV-9'],
            language='nl',
            name='Veiligheidshandschoenen',
            description='',
        )
    german = find(accounts.alice, 'schubkare', language='de')
    assert (german.close, german.suggestion, codes(german)) == (True, 'schubkarre', ['WB-1'])
    dutch = find(accounts.alice, 'veiligheidhandschoenen', language='nl')
    assert (dutch.close, dutch.suggestion, codes(dutch)) == (True, 'veiligheidshandschoenen', ['GLV-9'])


def test_a_hidden_product_is_never_a_close_match(accounts, items) -> None:
    """Bob sees a selection without the wheelbarrow: its word is no suggestion, and nothing of it shows."""
    with db.write_session() as s:
        catalogue.set_catalogue_mode(s, actor=accounts.admin, customer_id=accounts.customer_b.id, mode='selection')
        catalogue.add_to_selection(
            s, actor=accounts.admin, customer_id=accounts.customer_b.id, product_ids=[items['FA-1008']]
        )
        products.create_product(
            s, actor=accounts.admin, data=ProductCreate(code='OLD', name='Gauntlet', price_cents=1, active=False)
        )
    assert find(accounts.bob, 'wheelbarow') == close_matches.Found(find(accounts.bob, 'wheelbarow').page)
    assert find(accounts.bob, 'wheelbarow').page.total == 0
    assert find(accounts.alice, 'gauntlt').page.total == 0  # inactive: hidden from every customer
    bob = find(accounts.bob, 'hamer')
    assert (bob.close, codes(bob)) == (True, ['FA-1008'])  # what Bob may see is found


def test_the_options_apply_to_the_close_matches(accounts, items) -> None:
    result = find(accounts.alice, 'hamer', sort='code', page_size=1, page=2)
    assert (result.close, [card.code for card in result.page.items], result.page.pages) == (True, ['FA-1009'], 2)


@pytest.mark.parametrize(
    ('word', 'candidate', 'found'),
    [
        ('hamer', 'hammer', (1, 'hammer')),
        ('hamer', 'hammerhead', (1, 'hammer')),  # the close start of a longer word
        ('glvoes', 'gloves', (1, 'gloves')),
        ('hamer', 'hinge', (2, '')),  # more than the limit
        ('hamer', 'ha', (2, '')),
    ],
)
def test_the_edit_distance(word, candidate, found) -> None:
    assert close_matches.distance(word, candidate, 1) == found


def test_a_whole_word_comes_before_the_start_of_more_common_ones() -> None:
    """'stpe' is one edit from 'step' and from 'ste', the start of the commoner 'steel': the word is offered."""
    assert close_matches._ranked('stpe', {'step': 2, 'steel': 50, 'stepladder': 3})[1][0][0] == 'step'
