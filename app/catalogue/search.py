"""Full-text search over the catalogue: SQLite FTS5 on name, code, barcode and description.

Codes and barcodes are also indexed without separators (revision 0010), so "fa1008", "FA 1008" and "fa.1008" find
FA-1008 (on PostgreSQL through a trigram index over the codes without separators). When the exact search finds
nothing or little, app/catalogue/close_matches.py offers close matches.

The index is an external-content FTS5 table kept in step with `product` by triggers, so a search at
100,000 products reads the index, never the whole table. Every word typed is a prefix match
("ham" finds "Hammer"), and all words must match. On PostgreSQL the same word pieces are matched as word
starts by a regular expression over the product's searchable text, which a trigram index (pg_trgm) serves.
The database revisions make both indexes (app/core/migrations/versions/0001_baseline.py).

Products' names and descriptions in other languages (app/catalogue/translations.py) have an index of their own,
made the same way (`producttranslation_fts`, `ix_producttranslation_search_text`, revision 0005): a reader of such
a language finds a product when every word matches its own texts or its texts in that language.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, Connection, literal_column, text

from app.core.migrations import search_index
from app.core.text import escape_like

MAX_QUERY_CHARS = 100
MAX_TERMS = 8


# PostgreSQL: the text a search reads, lower-cased. Queries use this very expression (PostgreSQL matches it
# with or without the table name), so the trigram index over it (revision 0001) serves them.
_SEARCH_TEXT = "lower({t}name || ' ' || {t}code || ' ' || {t}barcode || ' ' || {t}description)"
_TRANSLATION_SEARCH_TEXT = "lower({t}name || ' ' || {t}description)"  # the index of revision 0005


def search_text(table: str = 'product') -> ColumnElement[str]:
    """The product's search text, of the table `product` or of an alias of it named `table`."""
    return literal_column(_SEARCH_TEXT.format(t=f'{table}.'))


def translation_search_text(table: str = 'producttranslation') -> ColumnElement[str]:
    """A translation's search text, of the table `producttranslation` or of an alias of it named `table`."""
    return literal_column(_TRANSLATION_SEARCH_TEXT.format(t=f'{table}.'))


def rebuild_sqlite_index(conn: Connection) -> None:
    """Index every product again (the index holds no copy of the texts to rebuild from: it is contentless)."""
    conn.execute(text("INSERT INTO product_fts(product_fts) VALUES ('delete-all')"))
    conn.execute(text(search_index.PRODUCT_FTS_FILL_0010))


def clean_query(raw: str | None) -> str:
    return ' '.join((raw or '').split())[:MAX_QUERY_CHARS]


def fts_match_expression(raw: str | None) -> str | None:
    """Turn what a customer typed into a safe FTS5 expression, or None when nothing searchable is left.

    Each typed word becomes a quoted phrase of its word-pieces with a prefix star ("blt-10" ->
    "blt 10"*), so punctuation and FTS syntax in the input are never interpreted. A word of several pieces may also
    match as one, as codes and barcodes are indexed without their separators too ("FA1008" for "fa-1008"), and so may
    several words with a digit among them, typed with spaces ("87 12345 00001").
    """
    phrases = fts_phrases(raw)
    if not phrases:
        return None
    whole = spaced_code(raw)
    every = ' AND '.join(phrases)  # (FTS5 joins a group in parentheses to the rest only with an explicit AND)
    return f'({every}) OR "{whole}"*' if whole else every


def spaced_code(raw: str | None) -> str | None:
    """Several typed words with a digit among them, joined without separators: a code or barcode typed with spaces
    ("FA 1008", "87 12345 00001"), matched as the start of one."""
    found = terms(raw)
    whole = ''.join(piece for pieces in found for piece in pieces)
    return whole if len(found) > 1 and any(c.isdigit() for c in whole) else None


def fts_phrases(raw: str | None) -> list[str]:
    """Each typed word as its FTS5 phrase (see `fts_match_expression`), for matching one word at a time."""
    phrases = []
    for term in clean_query(raw).split(' ')[:MAX_TERMS]:
        tokens = re.findall(r'\w+', term.lower())
        if len(tokens) > 1:
            phrases.append('("' + ' '.join(tokens) + '"* OR "' + ''.join(tokens) + '"*)')
        elif tokens:
            phrases.append('"' + tokens[0] + '"*')
    return phrases


def terms(raw: str | None) -> list[list[str]]:
    """The typed words, each as its word pieces (lower-case word characters only: no regex or FTS syntax)."""
    found = [re.findall(r'\w+', term.lower()) for term in clean_query(raw).split(' ')[:MAX_TERMS]]
    return [pieces for pieces in found if pieces]


def codes_text(table: str = 'product') -> ColumnElement[str]:
    """PostgreSQL: the product's code and barcode without separators, the expression of their trigram index."""
    return literal_column(
        search_index.PRODUCT_CODES_EXPRESSION_0010.replace('(code)', f'({table}.code)').replace(
            '(barcode)', f'({table}.barcode)'
        )
    )


def word_prefixes(raw: str | None) -> list[str]:
    """The word pieces a search looks for, each as the start of a word: the pieces FTS5 gets, without quotes."""
    return [token for term in clean_query(raw).split(' ')[:MAX_TERMS] for token in re.findall(r'\w+', term.lower())]


def like_terms(raw: str | None) -> list[str]:
    """Words for the LIKE fallback, with LIKE's wildcards escaped."""
    terms = clean_query(raw).lower().split(' ')[:MAX_TERMS]
    return [escape_like(t) for t in terms if t]
