"""The search index's SQL as revisions made it, shared by the revisions that make it or make it again.

Frozen: a text here never changes once a revision uses it (a database upgraded then must match one made now), and
neither does a function a text is built from (`_codes_0010`); tests/unit/test_migrations.py pins every text. A
revision that changes the index adds a new text with its own revision number in the name.

On SQLite, copying `product` (batch mode) drops its triggers: a revision that copies it runs
PRODUCT_TRIGGERS_0001 (or the newest triggers) again afterwards.
"""

from __future__ import annotations

PRODUCT_FTS_0001 = """CREATE VIRTUAL TABLE product_fts USING fts5(
        name, code, barcode, description,
        content='product', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')"""

PRODUCT_TRIGGERS_0001 = [
    """CREATE TRIGGER product_fts_ai AFTER INSERT ON product BEGIN
        INSERT INTO product_fts(rowid, name, code, barcode, description)
        VALUES (new.id, new.name, new.code, new.barcode, new.description);
    END""",
    """CREATE TRIGGER product_fts_ad AFTER DELETE ON product BEGIN
        INSERT INTO product_fts(product_fts, rowid, name, code, barcode, description)
        VALUES ('delete', old.id, old.name, old.code, old.barcode, old.description);
    END""",
    """CREATE TRIGGER product_fts_au AFTER UPDATE OF name, code, barcode, description ON product BEGIN
        INSERT INTO product_fts(product_fts, rowid, name, code, barcode, description)
        VALUES ('delete', old.id, old.name, old.code, old.barcode, old.description);
        INSERT INTO product_fts(rowid, name, code, barcode, description)
        VALUES (new.id, new.name, new.code, new.barcode, new.description);
    END""",
]

PRODUCT_TRIGRAM_0001 = [
    'CREATE EXTENSION IF NOT EXISTS pg_trgm',
    """CREATE INDEX ix_product_search_text ON product
        USING gin ((lower(name || ' ' || code || ' ' || barcode || ' ' || description)) gin_trgm_ops)""",
]

# Revision 0010: codes and barcodes also without their separators (a fifth column, `codes`: "FA-1008" is indexed as
# "fa" "1008" and as "fa1008"), so what a customer types with or without dashes, spaces, dots or slashes finds it.
# Contentless (content=''): the column is no column of `product`, and the triggers hand FTS5 every value it indexes.
# And the vocabularies (fts5vocab) of both full-text tables, the words typo-tolerant search corrects to.
PRODUCT_FTS_0010 = """CREATE VIRTUAL TABLE product_fts USING fts5(
        name, code, barcode, description, codes,
        content='',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')"""


def _codes_0010(row: str) -> str:
    """The codes of `row` (new, old, product) without separators, lower case: code, a space, barcode."""
    return (
        f"lower(replace(replace(replace(replace(replace({row}.code, '-', ''), '.', ''), '/', ''), '_', ''), ' ', ''))\n"
        "            || ' ' || lower(replace(replace(replace(replace(replace(\n"
        f"                {row}.barcode, '-', ''), '.', ''), '/', ''), '_', ''), ' ', ''))"
    )


_INDEX_NEW_0010 = f"""INSERT INTO product_fts(rowid, name, code, barcode, description, codes)
        VALUES (new.id, new.name, new.code, new.barcode, new.description,
            {_codes_0010('new')});"""  # noqa: S608 - fixed text
_UNINDEX_OLD_0010 = f"""INSERT INTO product_fts(product_fts, rowid, name, code, barcode, description, codes)
        VALUES ('delete', old.id, old.name, old.code, old.barcode, old.description,
            {_codes_0010('old')});"""  # noqa: S608 - fixed text

PRODUCT_TRIGGERS_0010 = [
    f"""CREATE TRIGGER product_fts_ai AFTER INSERT ON product BEGIN
        {_INDEX_NEW_0010}
    END""",
    f"""CREATE TRIGGER product_fts_ad AFTER DELETE ON product BEGIN
        {_UNINDEX_OLD_0010}
    END""",
    f"""CREATE TRIGGER product_fts_au AFTER UPDATE OF name, code, barcode, description ON product BEGIN
        {_UNINDEX_OLD_0010}
        {_INDEX_NEW_0010}
    END""",
]

PRODUCT_FTS_FILL_0010 = f"""INSERT INTO product_fts(rowid, name, code, barcode, description, codes)
    SELECT id, name, code, barcode, description,
        {_codes_0010('product')}
    FROM product"""  # noqa: S608 - fixed text

VOCABULARIES_0010 = [
    'CREATE VIRTUAL TABLE product_fts_vocab USING fts5vocab(product_fts, row)',
    'CREATE VIRTUAL TABLE producttranslation_fts_vocab USING fts5vocab(producttranslation_fts, row)',
]

# PostgreSQL: the same codes without separators, in a trigram index of their own; queries use this very expression
PRODUCT_CODES_EXPRESSION_0010 = "translate(lower(code), ' -./_', '') || ' ' || translate(lower(barcode), ' -./_', '')"
PRODUCT_CODES_TRIGRAM_0010 = [
    """CREATE INDEX ix_product_search_codes ON product
        USING gin ((translate(lower(code), ' -./_', '') || ' ' || translate(lower(barcode), ' -./_', ''))
            gin_trgm_ops)"""
]
