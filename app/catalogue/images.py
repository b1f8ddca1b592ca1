"""Product images: checked, re-encoded and stored under the upload folder with generated names.

An upload is decoded by Pillow (JPEG, PNG, WebP or GIF only) and stored as a normalised copy (at most
1600 px, EXIF orientation applied, no metadata) plus a thumbnail: JPEG, or WebP when it has
transparency. The uploaded file name is never used for anything.

Decoding is slow (0.3 to 0.7 s for 40 megapixels here) and needs no database: `prepare` does it before
the write transaction, which then only records the row (`add_image` with the prepared image), so no
order waits behind a decode. Files and rows stay in step with the transaction: new files are removed when
it rolls back, and the files of a deleted image only once the delete has committed, so no row ever points
at a missing file.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageOps
from sqlalchemy import event
from sqlmodel import Session, col, func, select

from app.core import config, db, events
from app.core.errors import NotFound, ValidationError
from app.core.i18n import N_
from app.identity.access import ensure_admin
from app.identity.auth import Identity
from app.models import Product, ProductDocument, ProductImage

ACCEPTED_FORMATS = ('JPEG', 'PNG', 'WEBP', 'GIF')
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is refused before it is decoded
MAX_SIDE = 1600
THUMB_SIDE = 400
MAX_IMAGES_PER_PRODUCT = 20
NOT_AN_IMAGE = 'This file is not an image we can use (JPEG, PNG, WebP or GIF).'
TOO_MANY_PIXELS = 'This image is too large in pixels.'
MEDIA_TYPES = {'.jpg': 'image/jpeg', '.webp': 'image/webp', '.png': 'image/png', '.gif': 'image/gif'}

_NEW_FILES = 'image_files_written'  # session.info keys
_DOOMED_FILES = 'image_files_to_remove'


@dataclass(frozen=True)
class PreparedImage:
    """An upload decoded, checked and re-encoded (`prepare`), ready to be stored."""

    image: bytes
    thumb: bytes
    suffix: str
    width: int
    height: int


def _size_text(n_bytes: int) -> str:
    if n_bytes >= 1024 * 1024:
        return f'{n_bytes / (1024 * 1024):.1f}'.removesuffix('.0') + ' MB'
    return f'{n_bytes // 1024} KB'


def _check_pixels(size: tuple[int, int]) -> None:
    if size[0] * size[1] > MAX_PIXELS:
        raise ValidationError(TOO_MANY_PIXELS)


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = BytesIO()
    if fmt == 'WEBP':
        image.save(out, 'WEBP', quality=85, method=2)
    else:
        image.save(out, 'JPEG', quality=85, optimize=True, progressive=True)
    return out.getvalue()


def _normalise(content: bytes) -> PreparedImage:
    """The stored copy and thumbnail of an upload, or ValidationError when it is no usable image."""
    try:
        with Image.open(BytesIO(content), formats=ACCEPTED_FORMATS) as probe:
            _check_pixels(probe.size)
            probe.verify()
        with Image.open(BytesIO(content), formats=ACCEPTED_FORMATS) as source:
            source.draft(None, (MAX_SIDE, MAX_SIDE))  # big JPEGs decode at a fraction of their size
            source.load()
            transparent = source.has_transparency_data
            image = ImageOps.exif_transpose(source)
            if image.mode.startswith('I'):  # 16-bit greyscale: scale to 8 bits rather than clip to white
                image = image.convert('I').point(lambda v: v * (1 / 256)).convert('L')
            image = image.convert('RGBA' if transparent else 'RGB')
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(TOO_MANY_PIXELS) from None
    except Exception:  # Pillow raises many kinds of errors for malformed files
        raise ValidationError(NOT_AN_IMAGE) from None
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    fmt, suffix = ('WEBP', '.webp') if transparent else ('JPEG', '.jpg')
    return PreparedImage(_encode(image, fmt), _encode(thumb, fmt), suffix, image.width, image.height)


# --- files ----------------------------------------------------------------------------------------


def _upload_dir() -> Path:
    return config.get().upload_dir.resolve()


def _path_of(filename: str) -> Path:
    """The file's path, refusing any name that would lead outside the upload folder."""
    folder = _upload_dir()
    path = (folder / filename).resolve()
    if path.parent != folder:
        raise NotFound('This image')
    return path


def _write_atomically(path: Path, data: bytes) -> None:
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix='.upload-', suffix='.tmp')
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _fsync_folder(folder: Path) -> None:
    """Make the new names durable too, as the database row that refers to them will be."""
    if not hasattr(os, 'O_DIRECTORY'):  # Windows
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _after_commit(session: Session) -> None:
    session.info.pop(_NEW_FILES, None)
    _remove(session.info.pop(_DOOMED_FILES, []))


def _after_rollback(session: Session) -> None:
    session.info.pop(_DOOMED_FILES, None)
    _remove(session.info.pop(_NEW_FILES, []))


def _track(session: Session, key: str, paths: list[Path]) -> None:
    if not session.info.get('image_file_hooks'):
        event.listen(session, 'after_commit', _after_commit)
        event.listen(session, 'after_rollback', _after_rollback)
        session.info['image_file_hooks'] = True
    session.info.setdefault(key, []).extend(paths)


# --- services -------------------------------------------------------------------------------------


def next_position(
    session: Session, model: type[ProductImage | ProductDocument], product_id: int, *, most: int, refusal: str
) -> int:
    """The position after the product's last image or document (`model`); `refusal` (a catalogue entry with
    {limit}, marked with N_) when it has `most` of them already."""
    count, last = session.exec(
        select(func.count(), func.max(model.position)).where(model.product_id == product_id)
    ).one()
    if count >= most:
        raise ValidationError(refusal, limit=most)
    return 0 if last is None else last + 1


def store(session: Session, row: ProductImage | ProductDocument, files: dict[Path, bytes]) -> None:
    """Write `files` (each atomically, then the folder synced) and record the `row` that names them; the files are
    removed again when that fails, now or when the transaction rolls back later."""
    _upload_dir().mkdir(parents=True, exist_ok=True)
    paths = list(files)
    try:
        for path, data in files.items():
            _write_atomically(path, data)
        _fsync_folder(paths[0].parent)
        session.add(row)
        session.flush()
    except BaseException:
        _remove(paths)
        raise
    _track(session, _NEW_FILES, paths)
    events.queue(session, ('product', row.product_id), ('catalogue',))


def prepare(content: bytes) -> PreparedImage:
    """Check an upload's size, decode and re-encode it (slow: call it outside any transaction, off the event
    loop), or ValidationError. It reads and writes no data: storing it is `add_image`'s, which checks the actor."""
    limit = config.get().max_upload_bytes
    if len(content) > limit:
        raise ValidationError('This file is larger than the limit of {limit}.', limit=_size_text(limit))
    return _normalise(content)


def add_image(
    session: Session, *, actor: Identity, product_id: int, content: bytes | PreparedImage, original_name: str = ''
) -> ProductImage:
    """Store an uploaded image as the product's last one. `original_name` is never used: names are generated.

    Pass `content` through `prepare` first to keep the decode out of the write transaction; raw bytes are
    decoded here, while the transaction holds the write lock (fine for seeding and scripts).
    """
    ensure_admin(actor)
    encoded = content if isinstance(content, PreparedImage) else prepare(content)
    db.get_or_not_found(session, Product, product_id, N_('This product'))
    position = next_position(
        session,
        ProductImage,
        product_id,
        most=MAX_IMAGES_PER_PRODUCT,
        refusal=N_('A product can have at most {limit} images.'),
    )
    token = secrets.token_hex(16)
    filename, thumb_filename = f'{token}{encoded.suffix}', f'{token}-thumb{encoded.suffix}'
    image = ProductImage(
        product_id=product_id,
        filename=filename,
        thumb_filename=thumb_filename,
        position=position,
        width=encoded.width,
        height=encoded.height,
    )
    store(session, image, {_path_of(filename): encoded.image, _path_of(thumb_filename): encoded.thumb})
    return image


def _get(session: Session, image_id: int) -> ProductImage:
    image = session.get(ProductImage, image_id)
    if image is None:
        raise NotFound('This image')
    return image


def delete_image(session: Session, *, actor: Identity, image_id: int) -> None:
    """Delete the image; its files go once the transaction has committed."""
    ensure_admin(actor)
    image = _get(session, image_id)
    _track(session, _DOOMED_FILES, [_path_of(image.filename), _path_of(image.thumb_filename)])
    session.delete(image)
    session.flush()
    events.queue(session, ('product', image.product_id), ('catalogue',))


def list_images(session: Session, *, product_id: int) -> list[ProductImage]:
    query = (
        select(ProductImage)
        .where(ProductImage.product_id == product_id)
        .order_by(col(ProductImage.position), col(ProductImage.id))
    )
    return list(session.exec(query).all())


def move_image(session: Session, *, actor: Identity, image_id: int, direction: int) -> None:
    """Move the image one place earlier (-1) or later (+1); at either end nothing changes."""
    ensure_admin(actor)
    if direction not in (-1, 1):
        raise ValidationError('An image moves one place up or down.')
    image = _get(session, image_id)
    ordered = list_images(session, product_id=image.product_id)
    index = next(i for i, other in enumerate(ordered) if other.id == image.id)
    target = index + direction
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, other in enumerate(ordered):  # renumbering also mends any gaps or ties
        if other.position != position:
            other.position = position
            session.add(other)
    session.flush()
    events.queue(session, ('product', image.product_id), ('catalogue',))


def image_path(session: Session, *, image_id: int, thumb: bool) -> tuple[Path, int]:
    """The image's file and its product id. The caller checks that the viewer may see that product."""
    image = _get(session, image_id)
    path = _path_of(image.thumb_filename if thumb else image.filename)
    if not path.is_file():
        raise NotFound('This image')
    return path, image.product_id


def media_type(path: Path) -> str:
    return MEDIA_TYPES.get(path.suffix.lower(), 'application/octet-stream')
