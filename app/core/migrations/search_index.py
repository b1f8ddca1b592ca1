"""The search index's SQL as revisions made it, shared by the revisions that make it or make it again.

Frozen: a text here never changes once a revision uses it (a database upgraded then must match one made now).
A revision that changes the index adds a new text with its own revision number in the name.

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
