"""Guard rails for the languages: every text of the code is in the Dutch and German catalogues, their placeholders
match, and no text a user reads on a page bypasses the translation function.

The texts are extracted from the code itself, as `make messages` does, so a new text fails here until it is
translated (run `make messages`, translate the empty entries in app/locales/*/LC_MESSAGES/messages.po).
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / 'app' / 'locales'
KEYWORDS = {'_': None, 'N_': None, 'ngettext': (1, 2), 'ValidationError': None, 'NotFound': None, 'Message': None}
TRANSLATED = ('nl', 'de')
UI_FOLDERS = ('pages', 'components')


def code_messages() -> dict[str, tuple[str, ...]]:
    """msgid -> all its forms (one, or singular and plural), from every translatable call in the code."""
    found: dict[str, tuple[str, ...]] = {}
    for folder in ('app', 'components', 'pages', 'demo'):
        method_map = [('**.py', 'python')]
        for _filename, _lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map, keywords=KEYWORDS
        ):
            forms = message if isinstance(message, tuple) else (message,)
            if forms[0]:
                found[forms[0]] = forms
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.fixture(scope='module')
def messages() -> dict[str, tuple[str, ...]]:
    return code_messages()


@pytest.mark.parametrize('language', TRANSLATED)
def test_every_text_of_the_code_is_translated(messages: dict[str, tuple[str, ...]], language: str) -> None:
    with (LOCALES / language / 'LC_MESSAGES' / 'messages.po').open('rb') as file:
        catalogue = read_po(file, locale=language)
    missing, broken = [], []
    for msgid, forms in messages.items():
        entry = catalogue.get(forms if len(forms) > 1 else msgid)
        translations = [] if entry is None else (entry.string if isinstance(entry.string, tuple) else (entry.string,))
        if entry is None or entry.fuzzy or not translations or not all(translations):
            missing.append(msgid)
            continue
        wanted = set().union(*(placeholders(form) for form in forms))
        if any(placeholders(text) - wanted for text in translations) or not wanted <= placeholders(translations[-1]):
            broken.append(msgid)
    assert not missing, f'{len(missing)} texts have no {language} translation (make messages), e.g. {missing[:8]}'
    assert not broken, f'{language} translations whose {{placeholders}} differ from the English text: {broken[:8]}'


# --- no text on a page bypasses _() ----------------------------------------------------------------------------

TEXT_CALLS = {  # calls whose first argument a person reads
    'label', 'button', 'notify', 'input', 'textarea', 'number', 'checkbox', 'switch', 'page_title', 'tooltip',
    'item_label', 'badge', 'chip', 'expansion', 'tab', 'link', 'radio', 'toggle', 'confirm', 'section',
}  # fmt: skip
LATER_TEXT_CALLS = {'empty_state': 1}  # theme.empty_state(icon, title, hint): the texts come after the icon's name
TEXT_KEYWORDS = {'label', 'placeholder', 'hint', 'title', 'text', 'yes', 'no', 'message', 'caption'}
WORDS = re.compile(r'[A-Za-z]{2,}')
ARIA = re.compile(r'aria-label="([^"{]*)"')


def _literal_text(node: ast.AST) -> str | None:
    """The readable text of a string literal or f-string, or None for anything else (a call of _ is fine)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if WORDS.search(node.value) else None
    if isinstance(node, ast.JoinedStr):
        text = ''.join(part.value for part in node.values if isinstance(part, ast.Constant))
        return text if WORDS.search(text) else None
    return None


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ''


def untranslated(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            first = LATER_TEXT_CALLS.get(name, 0 if name in TEXT_CALLS else None)
            for argument in node.args[first:] if first is not None else []:
                if text := _literal_text(argument):
                    yield node.lineno, f'{name}({text!r})'
                if first == 0:
                    break  # only the first argument of these calls is text
            for keyword in node.keywords:
                if keyword.arg in TEXT_KEYWORDS and (text := _literal_text(keyword.value)):
                    yield node.lineno, f'{name}({keyword.arg}={text!r})'
            if name == 'props' and node.args and isinstance(node.args[0], ast.Constant | ast.JoinedStr):
                source = _literal_text(node.args[0]) or ''
                for label in ARIA.findall(source):
                    if WORDS.search(label):
                        yield node.lineno, f'aria-label="{label}"'
        elif isinstance(node, ast.Dict):  # table columns: {'name': ..., 'label': 'Product', ...}
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == 'label' and (text := _literal_text(value)):
                    yield node.lineno, f"'label': {text!r}"


def test_no_text_on_a_page_bypasses_the_translation_function() -> None:
    found = []
    for folder in UI_FOLDERS:
        for path in sorted((ROOT / folder).rglob('*.py')):
            for line, what in untranslated(ast.parse(path.read_text(), filename=str(path))):
                found.append(f'{path.relative_to(ROOT)}:{line}: {what}')
    assert not found, f'{len(found)} texts are shown without _():\n' + '\n'.join(found[:40])


def test_the_scan_finds_what_it_is_meant_to_find() -> None:
    source = """
ui.label('Products')
ui.button(f'Add {n}')
ui.notify(_('Saved'))
ui.input(label='Name')
ui.button(icon='menu').props('flat aria-label="Menu"')
columns = [{'name': 'product', 'label': 'Product'}, {'name': 'x', 'label': _('Price')}]
ui.label('—')
ui.label(product.name)
"""
    assert [what for _, what in untranslated(ast.parse(source))] == [
        "label('Products')",
        "button('Add ')",
        "input(label='Name')",
        'aria-label="Menu"',
        "'label': 'Product'",
    ]
