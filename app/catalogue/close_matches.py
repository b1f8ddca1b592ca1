"""Close matches: what a search offers when the exact search finds nothing or little ("hamer" finds hammers).

A typed word of letters that starts no indexed word (or, beside few results, far fewer than a close one) is compared
with the indexed words by edit distance (a letter wrong, missing, extra, or two swapped: one such edit in words of up
to 5 letters, two in longer ones; an indexed word may be longer, as every word is searched as the start of words).
The closest, then the most common, takes its place and the search runs again with the corrected words.

- SQLite: the candidates are the words of the full-text indexes (their fts5vocab tables, revision 0010: the products'
  own texts and their translations) that begin with the typed word's first two letters, or with those two swapped:
  one short range of the vocabulary each, read in a few milliseconds at 100,000 products. A typo in the first two
  letters is not corrected.
- PostgreSQL: the words of the products whose search text pg_trgm finds similar to the typed word (`<%`, through the
  trigram indexes of the search texts), however they begin.

Words with digits are codes and barcodes, matched with and without separators instead (app/catalogue/search.py).
A correction is offered only when the search with it finds products the reader may see, so no word of a hidden
product ever shows.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Unpack

from sqlalchemy import column, func, literal, table
from sqlmodel import Session, select

from app.catalogue import catalogue, search, translations
from app.catalogue.catalogue import ProductCard
from app.core import db
from app.core.paging import Page
from app.identity.auth import Identity
from app.models import Product, ProductTranslation

FEW = 3  # fewer exact results than this: close matches are offered beside them
MIN_LETTERS = 4  # shorter words are not corrected (too many words are one letter away)
RARE = 2  # beside few results, a word found in at most this many products ...
COMMON = 5  # ... is offered a close word found in at least this many times as many
CHOICES = 2  # corrected searches tried at most, the likeliest first
PG_SAMPLE = 200  # PostgreSQL: similar products whose words are compared
PG_SIMILARITY = 0.4

_VOCABULARIES = tuple(
    table(name, column('term'), column('doc')) for name in ('product_fts_vocab', 'producttranslation_fts_vocab')
)


@dataclass(frozen=True)
class Found:
    """A search's results and, where the exact search found nothing or little, its close matches.

    `close` says the results are the close matches (the exact search found nothing); else `suggestion`, when set,
    is a corrected search that finds more (`suggestion_total`) than the few results shown."""

    page: Page[ProductCard]
    close: bool = False
    suggestion: str = ''
    suggestion_total: int = 0


def find_products(session: Session, *, actor: Identity, query: str = '', **options: Unpack[catalogue.Paging]) -> Found:
    """catalogue.search_products with close matches: the same `options` (sort, page) apply to both."""

    def searched(text: str) -> Page[ProductCard]:
        return catalogue.search_products(session, actor=actor, query=text, **options)

    return with_close_matches(session, actor=actor, query=query, search=searched)


def with_close_matches(
    session: Session, *, actor: Identity, query: str, search: Callable[[str], Page[ProductCard]]
) -> Found:
    """`search(query)` (a page's own search: its filters, sort and page) and, when it finds nothing or little,
    `search(corrected)`. `search` must search as `actor` (whose catalogue and language the corrections read)."""
    exact = search(query)
    if exact.total >= FEW:
        return Found(exact)
    language = translations.reading_language(session, actor)
    for corrected in corrections(session, query=query, language=language, few=exact.total > 0):
        found = search(corrected)
        if found.total > exact.total:
            if exact.total == 0:
                return Found(found, close=True, suggestion=corrected, suggestion_total=found.total)
            return Found(exact, suggestion=corrected, suggestion_total=found.total)
    return Found(exact)


def corrections(session: Session, *, query: str, language: str | None = None, few: bool = False) -> list[str]:
    """The query with its unknown words corrected, likeliest first (at most CHOICES; none when nothing needs it).

    A word is corrected when it starts no indexed word, or, with `few`, when it is rare and a close word is common."""
    words = search.clean_query(query).split(' ')[: search.MAX_TERMS] if search.clean_query(query) else []
    choices: list[list[str]] = []  # per typed word: what may replace it, best first (empty: it stays)
    for word in words:
        folded = fold(word)
        if len(folded) < MIN_LETTERS or not folded.isalpha():
            choices.append([])
            continue
        own, candidates = _candidates(session, folded, language)
        if own and not (few and own <= RARE):
            choices.append([])
            continue
        wanted = max(own, 1) * COMMON if own else 1
        choices.append([close for close, docs in candidates if docs >= wanted][:CHOICES])
    if not any(choices):
        return []
    found = []
    for rank in range(CHOICES):
        corrected = [
            (options[min(rank, len(options) - 1)] if options else word)
            for word, options in zip(words, choices, strict=True)
        ]
        text_ = ' '.join(corrected)
        if text_ not in found:
            found.append(text_)
    return found


def fold(word: str) -> str:
    """A typed word as the index holds it: lower case, without diacritics (the tokenizer's remove_diacritics)."""
    decomposed = unicodedata.normalize('NFKD', word.lower())
    return ''.join(c for c in decomposed if not unicodedata.combining(c))


def distance(word: str, candidate: str, limit: int) -> tuple[int, str]:
    """The fewest edits (a letter wrong, missing, extra, or two neighbours swapped) that make `word` the start of
    `candidate`, or the whole of it, and that start; (limit + 1, '') when it takes more than `limit`.

    One table of the edit distances from `word` to every start of `candidate` (rows) gives both."""
    n = len(word)
    if len(candidate) < n - limit:
        return limit + 1, ''
    before: list[int] = []
    previous = list(range(n + 1))
    best, best_end = limit + 1, 0
    for i in range(1, len(candidate) + 1):
        current = [i] + [0] * n
        c = candidate[i - 1]
        for j in range(1, n + 1):
            cost = 0 if word[j - 1] == c else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and c == word[j - 2] and candidate[i - 2] == word[j - 1]:
                value = min(value, before[j - 2] + 1)
            current[j] = value
        if current[n] < best or (current[n] == best and i == len(candidate)):
            best, best_end = current[n], i
        if min(current) > limit:  # every way on costs more
            break
        before, previous = previous, current
    if best > limit:
        return limit + 1, ''
    return best, candidate[:best_end]


def _limit(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def _ranked(word: str, vocabulary: dict[str, int]) -> tuple[int, list[tuple[str, int]]]:
    """(products with a word starting with `word`, the close words (or starts of words) with their products, best
    first)."""
    own = sum(docs for term, docs in vocabulary.items() if term.startswith(word))
    limit = _limit(word)
    close: dict[str, tuple[int, bool, int]] = {}  # start -> (edits, a whole word, products)
    for term, docs in vocabulary.items():
        if term.startswith(word) or not term.isalpha():
            continue
        edits, start = distance(word, term, limit)
        if edits > limit or not edits:
            continue
        known = close.get(start, (edits, False, 0))
        close[start] = (min(edits, known[0]), known[1] or start == term, known[2] + docs)
    # the fewest edits; then a whole word before the start of others ('stpe': step, not 'ste'); then the most common
    ranked = sorted(close.items(), key=lambda item: (item[1][0], not item[1][1], -item[1][2], item[0]))
    return own, [(start, docs) for start, (_edits, _whole, docs) in ranked]


def _candidates(session: Session, word: str, language: str | None) -> tuple[int, list[tuple[str, int]]]:
    vocabulary = _sqlite_words(session, word, language) if db.is_sqlite(session) else _similar_words(session, word)
    return _ranked(word, vocabulary)


def _sqlite_words(session: Session, word: str, language: str | None) -> dict[str, int]:
    """The indexed words beginning with the word's first two letters or those two swapped, with their products."""
    words: Counter[str] = Counter()
    vocabularies = _VOCABULARIES if language is not None else _VOCABULARIES[:1]
    for start in dict.fromkeys((word[:2], word[1] + word[0])):
        end = start[:-1] + chr(ord(start[-1]) + 1)
        for vocabulary in vocabularies:
            term_ = vocabulary.c.term
            for term, docs in session.exec(select(term_, vocabulary.c.doc).where(term_ >= start, term_ < end)):
                words[term] += docs
    return dict(words)


def _similar_words(session: Session, word: str) -> dict[str, int]:
    """PostgreSQL: the words of the products (and translations) pg_trgm finds similar, with how many have each."""
    words: Counter[str] = Counter()
    # `<%` (served by the trigram indexes) at this word similarity: one edit in a short word can leave fewer than
    # pg_trgm's default 0.6 of its trigrams (for this transaction only)
    session.exec(select(func.set_config('pg_trgm.word_similarity_threshold', str(PG_SIMILARITY), True)))
    similar = literal(word).op('<%')
    own = select(search.search_text()).select_from(Product).where(similar(search.search_text())).limit(PG_SAMPLE)
    theirs = (
        select(search.translation_search_text())
        .select_from(ProductTranslation)
        .where(similar(search.translation_search_text()))
        .limit(PG_SAMPLE)
    )
    for statement in (own, theirs):
        for found in session.exec(statement):  # type: ignore[call-overload]
            words.update(set(_words(found)))
    if not words:
        return {}
    starting = select(func.count()).select_from(
        select(Product.id).where(search.search_text().regexp_match(rf'\m{word}')).limit(PG_SAMPLE).subquery()
    )
    own_count = session.exec(starting).one()  # type: ignore[call-overload]
    words = Counter({w: n for w, n in words.items() if not w.startswith(word)})
    if own_count:
        words[word] = own_count
    return dict(words)


def _words(found: str) -> Iterator[str]:
    for piece in re.findall(r'\w+', found):
        yield fold(piece)
