"""A product's images for the supplier: thumbnails in order, uploading several at once, moving and deleting.

Every check (type, size, number of images) is the service's; the uploader's own size limit only saves an
honest browser a pointless upload.
"""

from __future__ import annotations

from collections.abc import Awaitable

from nicegui import events, run, ui
from nicegui.elements.upload_files import FileUpload

from app.catalogue import images
from app.core import config, db
from app.core.errors import ValidationError
from app.identity.auth import Identity
from app.models import ProductImage
from components import guard
from components.confirm import confirm
from components.product_card import image_url

ACCEPT = '.jpg,.jpeg,.png,.webp,.gif,image/jpeg,image/png,image/webp,image/gif'


async def read_at_most(file: FileUpload, limit: int) -> bytes:
    """The upload's bytes, but no more than `limit` + 1 of them: enough for the service to refuse a big file."""
    if file.size() <= limit:
        return await file.read()
    chunks: list[bytes] = []
    total = 0
    async for chunk in file.iterate():
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            break
    return b''.join(chunks)


def store_upload(who: Identity, product_id: int, content: bytes, name: str) -> ProductImage:
    """Decode and re-encode first, holding no lock, then a short write transaction records it (in a thread)."""
    prepared = images.prepare(content)
    with db.write_session() as session:
        return images.add_image(session, actor=who, product_id=product_id, content=prepared, original_name=name)


@guard.admin_action
async def upload_image(who: Identity, product_id: int, e: events.UploadEventArguments) -> None:
    name = e.file.name or 'The file'
    content = await read_at_most(e.file, config.get().max_upload_bytes)

    try:
        await run.io_bound(store_upload, who, product_id, content, name)
    except ValidationError as error:
        raise ValidationError(f'{name}: {error.message}', error.field) from None
    ui.notify(f'Image added: {name}', type='positive')


@guard.admin_action
def move_image(who: Identity, image_id: int, direction: int) -> None:
    with db.write_session() as session:
        images.move_image(session, actor=who, image_id=image_id, direction=direction)


@guard.admin_action
def delete_image(who: Identity, image_id: int) -> None:
    with db.write_session() as session:
        images.delete_image(session, actor=who, image_id=image_id)
    ui.notify('Image deleted', type='positive')


def _size_text(n_bytes: int) -> str:
    return f'{n_bytes / (1024 * 1024):.1f}'.removesuffix('.0') + ' MB'


def _ask_delete(image_id: int) -> Awaitable[bool]:
    return confirm(
        'Delete this image?',
        'Customers will no longer see it. This cannot be undone.',
        yes='Delete',
        icon='delete',
        yes_icon='delete',
        mark='delete-image',
        then=lambda: delete_image(image_id),
    )


class ImageManager:
    """The Images card of a product page; `refresh` redraws the thumbnails (the page calls it on live events)."""

    def __init__(self, product_id: int) -> None:
        self.product_id = product_id
        limit = config.get().max_upload_bytes
        with ui.card().classes('w-full q-pa-md gap-3').mark('images-card'):
            with ui.row().classes('w-full items-center justify-between wrap gap-2'):
                with ui.row().classes('items-center gap-2'):
                    ui.icon('photo_library', size='24px').classes('text-primary')
                    ui.label('Images').classes('text-h6')
                ui.label(
                    f'JPEG, PNG, WebP or GIF, up to {_size_text(limit)} each. '
                    'The first image is shown in the catalogue.'
                ).classes('text-caption text-grey-7')
            self._gallery()
            self.upload = (
                ui.upload(
                    multiple=True,
                    auto_upload=True,
                    max_file_size=limit,
                    label='Add images (choose or drop several)',
                    on_upload=lambda e: upload_image(self.product_id, e),
                    on_rejected=lambda: ui.notify(
                        f'Some files were not uploaded: images can be JPEG, PNG, WebP or GIF, '
                        f'up to {_size_text(limit)} each.',
                        type='negative',
                    ),
                )
                .props(f'accept="{ACCEPT}" flat bordered color=primary')
                .classes('w-full')
                .mark('image-upload')
            )

    @ui.refreshable_method
    def _gallery(self) -> None:
        with db.read_session() as session:
            rows: list[ProductImage] = images.list_images(session, product_id=self.product_id)
        if not rows:
            with ui.row().classes('w-full items-center gap-3 q-pa-md bg-grey-2 rounded-borders').mark('no-images'):
                ui.icon('image_not_supported', size='32px').classes('text-grey-6')
                ui.label('No images yet. Customers see a placeholder until you add one.').classes(
                    'text-body2 text-grey-8'
                )
            return
        with ui.row().classes('w-full gap-3'):
            for index, image in enumerate(rows):
                assert image.id is not None
                self._thumbnail(image.id, index, len(rows), image.width, image.height)

    def _thumbnail(self, image_id: int, index: int, count: int, width: int, height: int) -> None:
        card = ui.card().classes('w-40 q-pa-none overflow-hidden gap-0').props('flat bordered')
        with card.mark(f'image-{image_id}'):
            ui.image(image_url(image_id)).classes('w-full h-32 bg-white').props(
                f'fit=contain alt="Image {index + 1} of {count}"'
            )
            with ui.row().classes('w-full items-center justify-between no-wrap q-px-xs q-py-xs'):
                left = ui.button(icon='chevron_left', on_click=lambda: move_image(image_id, -1))
                left.props('flat round dense aria-label="Move earlier"').tooltip('Move earlier')
                left.mark(f'image-left-{image_id}').set_enabled(index > 0)
                with ui.column().classes('items-center gap-0'):
                    place = ui.label('Main' if index == 0 else f'#{index + 1}')
                    place.classes('text-caption text-weight-medium').mark(f'image-place-{image_id}')
                    if width and height:
                        ui.label(f'{width}×{height}').classes('text-caption text-grey-6')
                right = ui.button(icon='chevron_right', on_click=lambda: move_image(image_id, 1))
                right.props('flat round dense aria-label="Move later"').tooltip('Move later')
                right.mark(f'image-right-{image_id}').set_enabled(index < count - 1)
            ui.separator()
            ui.button('Delete', icon='delete_outline', on_click=lambda: _ask_delete(image_id)).props(
                'flat dense no-caps color=negative'
            ).classes('w-full').mark(f'image-delete-{image_id}')

    def refresh(self) -> None:
        self._gallery.refresh()
