"""The demo's data sheets and related products (demo/catalogue.py: DOCUMENTS, RELATED), added through the services."""

from __future__ import annotations

from app.catalogue import documents, related
from app.core import db
from app.identity.access import SYSTEM
from demo import catalogue as demo_catalogue
from demo.pdf import text_pdf


def seed(ids: dict[str, int]) -> None:
    with db.write_session() as s:
        for code, sheets in demo_catalogue.DOCUMENTS.items():
            for name, heading, lines in sheets:
                documents.add_document(
                    s, actor=SYSTEM, product_id=ids[code], content=text_pdf(heading, lines), original_name=name
                )
        for code, other, kind in demo_catalogue.RELATED:
            related.link(s, actor=SYSTEM, product_id=ids[code], related_id=ids[other], kind=kind)
