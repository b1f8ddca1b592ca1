"""A product's images for the supplier: thumbnails in order, uploading several at once, moving and deleting.

Every check (type, size, number of images) is the service's; the uploader's own size limit only saves an
honest browser a pointless upload.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable

from nicegui import events, run, ui
from nicegui.elements.upload_files import FileUpload

from app.catalogue import images
from app.core import config, db, i18n
from app.core.errors import ValidationError
from app.core.i18n import _
from app.identity.auth import Identity
from app.models import ProductImage
from components import guard
from components.confirm import confirm
from components.product_card import image_url
from components.product_extras import size_text

UPLOAD_HEADER = """
<div class="row no-wrap items-center q-pa-sm q-gutter-xs">
  <q-spinner v-if="props.isUploading" class="q-uploader__spinner" />
  <div class="col"><div class="q-uploader__title">TITLE</div></div>
  <q-btn v-if="props.canAddFiles" type="a" icon="add_photo_alternate" round dense flat @click="props.pickFiles">
    <q-uploader-add-trigger />
  </q-btn>
</div>
"""
ACCEPT = '.jpg,.jpeg,.png,.webp,.gif,image/jpeg,image/png,image/webp,image/gif'


def titled_header(upload: ui.upload, title: str, icon: str = 'add_photo_alternate') -> None:
    """A title and an add button as the uploader's header, instead of Quasar's own ('0.0B / 0.00%' while nothing
    is queued). `title` is shown as text."""
    upload.add_slot('header', UPLOAD_HEADER.replace('TITLE', html.escape(title)).replace('add_photo_alternate', icon))


def titled_upload(
    title: str,
    *,
    accept: str,
    max_bytes: int,
    icon: str = 'add_photo_alternate',
    on_upload: Callable[[events.UploadEventArguments], object] | None = None,
    too_large: str = '',
    multiple: bool = False,
) -> ui.upload:
    """An uploader that sends what is chosen or dropped at once: `title` and an add button (`icon`) as its header
    (`titled_header`), the files it offers to choose (`accept`), and `too_large` (by default 'This file is too
    large.') for a file over `max_bytes`."""
    upload = ui.upload(
        multiple=multiple,
        auto_upload=True,
        max_file_size=max_bytes,
        label=title,
        on_upload=on_upload,
        on_rejected=lambda: ui.notify(too_large or _('This file is too large.'), type='negative'),
    ).props(f'accept="{accept}" flat bordered color=primary')
    titled_header(upload, title, icon)
    return upload


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


async def store_file(
    store: Callable[[Identity, int, bytes, str], object],
    who: Identity,
    product_id: int,
    e: events.UploadEventArguments,
    limit: int,
) -> str:
    """Read the upload (at most `limit` + 1 bytes) and `store` it off the event loop; returns the file's name. A
    refusal names the file before the service's reason, in the reader's language (read here, in the click's)."""
    name = e.file.name or _('The file')
    content = await read_at_most(e.file, limit)
    try:
        await run.io_bound(store, who, product_id, content, name)
    except ValidationError as error:
        raise ValidationError('{file}: {reason}', error.field, file=name, reason=error.message) from None
    return name


@guard.admin_action
async def upload_image(who: Identity, product_id: int, e: events.UploadEventArguments) -> None:
    name = await store_file(store_upload, who, product_id, e, config.get().max_upload_bytes)
    ui.notify(_('Image added: {file}').format(file=name), type='positive')


@guard.admin_action
def move_image(who: Identity, image_id: int, direction: int) -> None:
    with db.write_session() as session:
        images.move_image(session, actor=who, image_id=image_id, direction=direction)


@guard.admin_action
def delete_image(who: Identity, image_id: int) -> None:
    with db.write_session() as session:
        images.delete_image(session, actor=who, image_id=image_id)
    ui.notify(_('Image deleted'), type='positive')


def ask_delete_file(title: str, text: str, *, mark: str, then: Callable[[], object]) -> Awaitable[bool]:
    """The question before deleting one of a product's files (an image, a document)."""
    return confirm(title, text, yes=_('Delete'), icon='delete', yes_icon='delete', mark=mark, then=then)


def _ask_delete(image_id: int) -> Awaitable[bool]:
    return ask_delete_file(
        _('Delete this image?'),
        _('Customers will no longer see it. This cannot be undone.'),
        mark='delete-image',
        then=lambda: delete_image(image_id),
    )


class ImageManager:
    """The Images card of a product page; `refresh` redraws the thumbnails (the page calls it on live events)."""

    def __init__(self, product_id: int) -> None:
        self.product_id = product_id
        limit = config.get().max_upload_bytes
        rejected = _('Some files were not uploaded: images can be JPEG, PNG, WebP or GIF, up to {size} each.').format(
            size=size_text(limit)
        )
        with ui.card().classes('w-full q-pa-md gap-3').mark('images-card'):
            with ui.row().classes('w-full items-center justify-between wrap gap-2'):
                with ui.row().classes('items-center gap-2'):
                    ui.icon('photo_library', size='24px').classes('text-primary')
                    ui.label(_('Images')).classes('text-h6')
                ui.label(
                    _('JPEG, PNG, WebP or GIF, up to {size} each. The first image is shown in the catalogue.').format(
                        size=size_text(limit)
                    )
                ).classes('text-caption text-grey-7')
            self._gallery()
            self.upload = titled_upload(
                _('Add images (choose or drop several)'),
                accept=ACCEPT,
                max_bytes=limit,
                on_upload=self._received,
                too_large=rejected,
                multiple=True,
            )
            self.upload.classes('w-full').mark('image-upload')

    async def _received(self, e: events.UploadEventArguments) -> None:
        """One file arrived: stored or refused (the message says which), it leaves the uploader's list either way,
        so a refused file is never left there with a tick."""
        try:
            await upload_image(self.product_id, e)
        finally:
            self.upload.run_method('removeUploadedFiles')

    @ui.refreshable_method
    def _gallery(self) -> None:
        with db.read_session() as session:
            rows: list[ProductImage] = images.list_images(session, product_id=self.product_id)
        if not rows:
            with ui.row().classes('w-full items-center gap-3 q-pa-md bg-grey-2 rounded-borders').mark('no-images'):
                ui.icon('image_not_supported', size='32px').classes('text-grey-6')
                ui.label(_('No images yet. Customers see a placeholder until you add one.')).classes(
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
            picture = ui.image(image_url(image_id)).classes('w-full h-32 bg-white').props('fit=contain')
            picture.props['alt'] = _('Image {number} of {count}').format(
                number=i18n.number(index + 1), count=i18n.number(count)
            )
            with ui.row().classes('w-full items-center justify-between no-wrap q-px-xs q-py-xs'):
                left = ui.button(icon='chevron_left', on_click=lambda: move_image(image_id, -1))
                left.props('flat round dense').tooltip(_('Move earlier'))
                left.props['aria-label'] = _('Move earlier')
                left.mark(f'image-left-{image_id}').set_enabled(index > 0)
                with ui.column().classes('items-center gap-0'):
                    place = ui.label(_('Main') if index == 0 else f'#{i18n.number(index + 1)}')
                    place.classes('text-caption text-weight-medium').mark(f'image-place-{image_id}')
                    if width and height:
                        ui.label(f'{width}×{height}').classes('text-caption text-grey-6')
                right = ui.button(icon='chevron_right', on_click=lambda: move_image(image_id, 1))
                right.props('flat round dense').tooltip(_('Move later'))
                right.props['aria-label'] = _('Move later')
                right.mark(f'image-right-{image_id}').set_enabled(index < count - 1)
            ui.separator()
            ui.button(_('Delete'), icon='delete_outline', on_click=lambda: _ask_delete(image_id)).props(
                'flat dense no-caps color=negative'
            ).classes('w-full').mark(f'image-delete-{image_id}')

    def refresh(self) -> None:
        self._gallery.refresh()
