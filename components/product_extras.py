"""What a product page shows beside the product: its documents to download, its alternatives and accessories, and,
out of stock, the alternatives in stock (there and on its current-order line)."""

from __future__ import annotations

from decimal import Decimal

from nicegui import ui

from app.catalogue.catalogue import ProductCard
from app.catalogue.documents import DocumentInfo
from app.core import i18n
from app.core.i18n import _
from app.pricing.terms import PortalTerms, stock_label
from components.product_card import TONE_CLASSES, product_image


def document_url(document_id: int) -> str:
    return f'/media/documents/{document_id}'


def size_text(n_bytes: int) -> str:
    """'240 KB', '1.2 MB' (in the reader's way of writing numbers)."""
    if n_bytes < 1024 * 1024:
        return _('{size} KB').format(size=i18n.number(max(1, round(n_bytes / 1024))))
    return _('{size} MB').format(size=i18n.number(round(Decimal(n_bytes) / (1024 * 1024), 1)))


def documents_list(rows: list[DocumentInfo]) -> None:
    """Each document a download link: a PDF icon, its title and size."""
    if not rows:
        return
    ui.separator()
    ui.label(_('Documents')).classes('text-subtitle1 text-weight-medium')
    with ui.column().classes('w-full gap-1').mark('documents'):
        for row in rows:
            with (
                ui.link(target=document_url(row.id))
                .classes('row items-center no-wrap gap-2 q-py-xs text-body1 no-underline')
                .props('download')
                .mark(f'document-{row.id}')
            ):
                ui.icon('picture_as_pdf', size='24px').classes('text-red-8')
                ui.label(row.title).classes('text-primary text-weight-medium leading-tight min-w-0')  # wraps on a phone
                ui.label(_('PDF, {size}').format(size=size_text(row.size_bytes))).classes(
                    'text-caption text-grey-7 flex-none'
                )


def related_tiles(title: str, cards: list[ProductCard], portal: PortalTerms, *, mark: str) -> None:
    """A row of small tiles (picture, name, code, stock) linking to the products, wrapping on a phone."""
    if not cards:
        return
    with ui.column().classes('w-full gap-2 q-mt-md').mark(mark):
        ui.label(title).classes('text-h6 text-weight-medium')
        with ui.element('div').classes('w-full grid grid-cols-2 sm:grid-cols-3 lg:grid-cols-6 gap-3'):
            for card in cards:
                related_tile(card, portal)


def related_tile(card: ProductCard, portal: PortalTerms) -> None:
    link = f'/products/{card.id}'
    with ui.card().classes('w-full q-pa-none gap-0 overflow-hidden').props('flat bordered').mark(f'related-{card.id}'):
        with ui.link(target=link).classes('block w-full'):
            product_image(card.image_id, classes='w-full h-28 bg-white')
        with ui.column().classes('w-full gap-0 q-pa-sm'):
            ui.label(card.code).classes('text-caption text-grey-7')
            ui.link(card.name, target=link).classes(
                'text-body2 text-weight-medium text-grey-9 no-underline leading-tight ellipsis-2-lines'
            )
            stock_line(card.free, portal)


def stock_line(free: int, portal: PortalTerms) -> None:
    shown = stock_label(free, display=portal.stock_display, backorders=portal.backorders_allowed)
    if shown is not None:
        ui.label(shown.text).classes(f'text-caption text-weight-medium {TONE_CLASSES[shown.tone]}')


def in_stock_instead(cards: list[ProductCard], portal: PortalTerms, *, mark: str, compact: bool = False) -> None:
    """'In stock instead:' and links to the alternatives that are (an out-of-stock product's page or order line)."""
    if not cards:
        return
    with ui.row().classes('w-full items-center gap-x-3 gap-y-1 wrap' + (' q-pt-xs' if compact else '')).mark(mark):
        ui.icon('swap_horiz', size='20px').classes('text-primary')
        ui.label(_('In stock instead:')).classes('text-body2 text-grey-8')
        for card in cards:
            with ui.row().classes('items-baseline gap-1 no-wrap'):
                ui.link(card.name, f'/products/{card.id}').classes('text-body2 text-weight-medium').mark(
                    f'instead-{card.id}'
                )
                stock_line(card.free, portal)
