"""Sections of the supplier's product page: its documents (PDF data sheets, safety sheets) and its related products
(alternatives and accessories). Every check is the services' (app/catalogue/documents.py, related.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import events, ui

from app.catalogue import documents, related
from app.catalogue.documents import DocumentInfo
from app.core import db
from app.core.i18n import _
from app.identity.auth import Identity
from app.models import RelationKind
from components import guard, theme
from components.image_upload import ask_delete_file, store_file, titled_upload
from components.product_extras import document_url, size_text
from components.section import listed, section

ACCEPT = '.pdf,application/pdf'


# --- actions (each click is checked again by the guard) ------------------------------------------------


def store_document(who: Identity, product_id: int, content: bytes, name: str) -> None:
    """Check first, holding no lock, then a short write transaction records it (in a thread)."""
    prepared = documents.prepare(content, name)
    with db.write_session() as session:
        documents.add_document(session, actor=who, product_id=product_id, content=prepared)


@guard.admin_action
async def upload_document(who: Identity, product_id: int, e: events.UploadEventArguments) -> None:
    name = await store_file(store_document, who, product_id, e, documents.MAX_DOCUMENT_BYTES)
    ui.notify(_('Document added: {file}').format(file=name), type='positive')


@guard.admin_action
def delete_document(who: Identity, document_id: int) -> None:
    with db.write_session() as session:
        documents.delete_document(session, actor=who, document_id=document_id)
    ui.notify(_('Document deleted'), type='positive')


@guard.admin_action
def link_product(who: Identity, product_id: int, code: ui.input, kind: ui.toggle) -> None:
    with db.write_session() as session:
        related.link_by_code(session, actor=who, product_id=product_id, code=code.value, kind=kind.value)
    code.value = ''
    ui.notify(_('Related product linked'), type='positive')


@guard.admin_action
def unlink_product(who: Identity, product_id: int, related_id: int) -> None:
    with db.write_session() as session:
        related.unlink(session, actor=who, product_id=product_id, related_id=related_id)
    ui.notify(_('Link removed'), type='positive')


# --- sections ------------------------------------------------------------------------------------------


def documents_section(who: Identity, product_id: int) -> Callable[[], None]:
    """The Documents card; returns its refresh (the page calls it on live events)."""
    limit = size_text(documents.MAX_DOCUMENT_BYTES)
    hint = _('PDF data sheets and safety sheets, up to {size} each. Customers download them from the product page.')

    @ui.refreshable
    def listing() -> None:
        with db.read_session() as session:
            rows: list[DocumentInfo] = documents.list_documents(session, actor=who, product_id=product_id)
        listed(rows, _document, _('No documents yet.'))

    with section(_('Documents'), 'description', hint.format(size=limit), mark='documents-card'):
        listing()
        upload = titled_upload(
            _('Add a PDF'),
            accept=ACCEPT,
            max_bytes=documents.MAX_DOCUMENT_BYTES,
            icon='upload_file',
            too_large=_('Not uploaded: documents are PDF files up to {size}.').format(size=limit),
        )
        upload.classes('w-full').mark('document-upload')

        async def received(e: events.UploadEventArguments) -> None:
            try:
                await upload_document(product_id, e)
            finally:
                upload.run_method('removeUploadedFiles')
                listing.refresh()

        upload.on_upload(received)
    return listing.refresh


def _document(row: DocumentInfo) -> None:
    with ui.row().classes('w-full items-center gap-2 no-wrap').mark(f'admin-document-{row.id}'):
        ui.icon('picture_as_pdf', size='24px').classes('text-red-8')
        ui.link(row.title, document_url(row.id)).classes('text-body1 ellipsis col').props('download')
        ui.label(size_text(row.size_bytes)).classes('text-caption text-grey-7')
        ui.button(icon='delete_outline', on_click=lambda: _ask_delete(row.id)).props(
            f'flat round dense color=negative {theme.aria_label(_("Delete document"))}'
        ).mark(f'delete-document-{row.id}')


def _ask_delete(document_id: int) -> Awaitable[bool]:
    return ask_delete_file(
        _('Delete this document?'),
        _('Customers will no longer be able to download it. This cannot be undone.'),
        mark='delete-document',
        then=lambda: delete_document(document_id),
    )


def related_section(who: Identity, product_id: int) -> Callable[[], None]:
    """The Related products card; returns its refresh."""
    kinds = {kind.value: _(label) for kind, label in related.KIND_LABELS.items()}

    @ui.refreshable
    def listing() -> None:
        with db.read_session() as session:
            links = related.links_of(session, actor=who, product_id=product_id)
        listed(links, lambda one: _related(product_id, one, kinds[one.kind.value]), _('No related products yet.'))

    with section(
        _('Related products'),
        'hub',
        _('Alternatives are shown both ways and suggested when this product is out of stock; accessories go with it.'),
        mark='related-card',
    ):
        listing()
        with ui.row().classes('w-full items-center gap-2 wrap'):
            code = (
                ui.input(_('Product code'))
                .props('outlined dense maxlength=40 autocapitalize=characters')
                .classes('w-48')
                .mark('related-code')
            )
            kind = ui.toggle(kinds, value=RelationKind.ALTERNATIVE.value).props('no-caps dense').mark('related-kind')
            ui.button(_('Link'), icon='add_link', on_click=lambda: link_product(product_id, code, kind)).props(
                'outline no-caps'
            ).mark('link-product')
            code.on('keydown.enter', lambda: link_product(product_id, code, kind))
    return listing.refresh


def _related(product_id: int, one: related.Link, kind: str) -> None:
    with ui.row().classes('w-full items-center gap-2 no-wrap').mark(f'link-{one.product_id}'):
        tone = 'blue' if one.kind == RelationKind.ALTERNATIVE else 'green'
        ui.chip(kind).props(f'dense square color={tone}-1 text-color={tone}-10')
        ui.link(f'{one.code} · {one.name}', f'/admin/products/{one.product_id}').classes('text-body2 ellipsis col')
        if not one.active:
            ui.label(_('Inactive')).classes('text-caption text-grey-7')
        ui.button(icon='link_off', on_click=lambda: unlink_product(product_id, one.product_id)).props(
            f'flat round dense color=grey-8 {theme.aria_label(_("Remove link"))}'
        ).mark(f'unlink-{one.product_id}')
