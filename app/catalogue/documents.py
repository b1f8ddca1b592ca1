"""Product documents: PDF data sheets and safety sheets the supplier uploads, that customers download.

An upload is checked by its content, never by its name or the type the browser claims: it must be a PDF (the
`%PDF-` header, and the cross-reference that `startxref` points at where it says), within MAX_DOCUMENT_BYTES, and
without scripts, launch actions or embedded files in its plain objects (a best effort: a PDF reader is no part of the
portal; the download is an attachment served with nosniff, so no browser runs it as a page). It is stored under a
generated name in the upload folder beside the images (and backed up with them, app/core/backup.py); its title is the
uploaded name cleaned (no folders, no control or markup characters), shown and used as the download's name.

Files and rows stay in step with the transaction as images' do (app/catalogue/images.py): a new file goes when the
transaction rolls back, a deleted document's file only once the delete has committed. A customer gets a document
only of a product it may see (`document_file`); anything else is NotFound, as for a product that does not exist.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlmodel import Session, col, select

from app.catalogue import catalogue, images
from app.core import config, db, events
from app.core.errors import NotFound, ValidationError
from app.core.i18n import N_
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import Product, ProductDocument

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS_PER_PRODUCT = 10
MAX_TITLE_CHARS = 120
NOT_A_PDF = 'This file is not a PDF document.'  # (raised as a literal, which the catalogue extracts)
MEDIA_TYPE = 'application/pdf'

_HEADER = re.compile(rb'%PDF-[12]\.\d')
_START_XREF = re.compile(rb'startxref\s+(\d+)\s+%%EOF', re.DOTALL)
_XREF_AT = re.compile(rb'\s*(xref|\d+\s+\d+\s+obj)')
_ACTIVE = re.compile(rb'/(JavaScript|JS|Launch|EmbeddedFile|EmbeddedFiles|RichMedia|XFA)(?![A-Za-z])')
_NAME_ESCAPE = re.compile(rb'#([0-9A-Fa-f]{2})')


@dataclass(frozen=True)
class PreparedDocument:
    """An upload checked (`prepare`), ready to be stored."""

    content: bytes
    title: str


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    title: str
    size_bytes: int


def check_pdf(content: bytes) -> None:
    """ValidationError unless `content` is a PDF within the size limit, with no active content in plain sight."""
    if len(content) > MAX_DOCUMENT_BYTES:
        limit = str(MAX_DOCUMENT_BYTES // (1024 * 1024)) + ' MB'
        raise ValidationError('This file is larger than the limit of {limit}.', limit=limit)
    if not _HEADER.match(content[:8]):
        raise ValidationError('This file is not a PDF document.')
    ends = list(_START_XREF.finditer(content[-4096:]))  # the last one counts (incremental updates add more)
    offset = int(ends[-1].group(1)) if ends else -1
    if not 0 < offset < len(content) or not _XREF_AT.match(content, offset):
        raise ValidationError('This file is not a PDF document.')
    plain = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), content)  # /J#61vaScript is /JavaScript
    if _ACTIVE.search(plain):
        raise ValidationError('This PDF contains scripts or embedded files; save it without them and try again.')


def clean_title(name: str) -> str:
    """The uploaded name as a title: its last path part, without '.pdf', control and markup characters, at most
    MAX_TITLE_CHARS ('' when nothing is left)."""
    base = re.split(r'[\\/]', unicodedata.normalize('NFC', name or ''))[-1]
    if base.lower().endswith('.pdf'):
        base = base[:-4]
    kept = ''.join(c if c.isalnum() or c in " -.,()&+'" else ' ' for c in base)
    return ' '.join(kept.split()).strip(' .-')[:MAX_TITLE_CHARS].strip()


def download_name(title: str) -> str:
    """The name a document downloads as: its title in plain ASCII (for the Content-Disposition fallback) + .pdf."""
    ascii_title = unicodedata.normalize('NFKD', title).encode('ascii', 'ignore').decode()
    safe = re.sub(r'[^A-Za-z0-9 ._()+,&-]', '_', ascii_title).strip(' ._') or 'document'
    return f'{safe[:MAX_TITLE_CHARS]}.pdf'


def content_disposition(title: str) -> str:
    """`attachment` with the ASCII name, and the title itself (UTF-8, percent-encoded) for browsers that read it."""
    fallback = download_name(title)
    return f'attachment; filename="{fallback}"; filename*=UTF-8\'\'{quote(title + ".pdf", safe="")}'


def prepare(content: bytes, original_name: str = '') -> PreparedDocument:
    """Check an upload (no data read or written: storing it is `add_document`'s, which checks the actor)."""
    check_pdf(content)
    return PreparedDocument(content=content, title=clean_title(original_name))


def add_document(
    session: Session, *, actor: Identity, product_id: int, content: bytes | PreparedDocument, original_name: str = ''
) -> ProductDocument:
    """Store an uploaded PDF as the product's last document, titled by its cleaned name (else the product's code)."""
    ensure_admin(actor)
    prepared = content if isinstance(content, PreparedDocument) else prepare(content, original_name)
    product = db.get_or_not_found(session, Product, product_id, N_('This product'))
    position = images.next_position(
        session,
        ProductDocument,
        product_id,
        most=MAX_DOCUMENTS_PER_PRODUCT,
        refusal=N_('A product can have at most {limit} documents.'),
    )
    filename = f'{secrets.token_hex(16)}.pdf'
    document = ProductDocument(
        product_id=product_id,
        filename=filename,
        title=prepared.title or product.code,
        size_bytes=len(prepared.content),
        position=position,
    )
    images.store(session, document, {_path_of(filename): prepared.content})
    return document


def delete_document(session: Session, *, actor: Identity, document_id: int) -> None:
    """Delete the document; its file goes once the transaction has committed."""
    ensure_admin(actor)
    document = _get(session, document_id)
    images._track(session, images._DOOMED_FILES, [_path_of(document.filename)])
    session.delete(document)
    session.flush()
    events.queue(session, ('product', document.product_id), ('catalogue',))


def list_documents(session: Session, *, actor: Identity, product_id: int) -> list[DocumentInfo]:
    """The product's documents in order, for anyone who may see the product (NotFound for anyone else)."""
    catalogue.get_product(session, actor=actor, product_id=product_id)  # NotFound unless visible to the actor
    rows = session.exec(
        select(ProductDocument)
        .where(ProductDocument.product_id == product_id)
        .order_by(col(ProductDocument.position), col(ProductDocument.id))
    ).all()
    return [DocumentInfo(id=row.id, title=row.title, size_bytes=row.size_bytes) for row in rows if row.id is not None]


def document_file(session: Session, *, actor: Identity, document_id: int) -> tuple[Path, str]:
    """The document's file and title, for someone who may see its product; else NotFound, as for no document."""
    document = _get(session, document_id)
    catalogue.get_product(session, actor=actor, product_id=document.product_id)  # NotFound unless visible
    path = _path_of(document.filename)
    if not path.is_file():
        raise NotFound('This document')
    return path, document.title


def _get(session: Session, document_id: int) -> ProductDocument:
    document = session.get(ProductDocument, document_id)
    if document is None:
        raise NotFound('This document')
    return document


def _path_of(filename: str) -> Path:
    """The file's path, refusing any name that would lead outside the upload folder."""
    folder = config.get().upload_dir.resolve()
    path = (folder / filename).resolve()
    if path.parent != folder:
        raise NotFound('This document')
    return path
