"""Hostile uploads through app.images.add_image: refused with a clear message, nothing written outside
data/uploads, nothing left behind, and what is kept is a re-encoded copy under a generated name."""

from __future__ import annotations

import re
import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select

from app.catalogue import images
from app.core import config, db
from app.core.errors import ValidationError
from app.identity.access import SYSTEM
from app.models import Product, ProductImage
from tests.security.support import snapshot

GENERATED = re.compile(r'[0-9a-f]{32}(-thumb)?\.(jpg|webp)')


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body))


def png(width: int, height: int, idat: bytes) -> bytes:
    header = struct.pack('>IIBBBBB', width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', idat) + chunk(b'IEND', b'')


def real_png_bomb(side: int = 30_000) -> bytes:
    """A complete, valid 30000 x 30000 PNG (900 megapixels) of about 100 KB: every row deflates to nothing."""
    packer = zlib.compressobj(9)
    row = b'\x00' * (1 + (side + 7) // 8)
    compressed = b''.join(packer.compress(row * 1000) for _ in range(side // 1000)) + packer.flush()
    return png(side, side, compressed)


def photo(fmt: str = 'JPEG', **options: object) -> bytes:
    out = BytesIO()
    Image.linear_gradient('L').resize((80, 60)).convert('RGB').save(out, fmt, **options)
    return out.getvalue()


def files_under(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob('*') if p.is_file() and '.db' not in p.name}


def product_id() -> int:
    with db.read_session() as s:
        return s.exec(select(Product.id).where(Product.code == 'HT-1001')).one()


def upload(content: bytes, name: str = 'photo.jpg') -> ProductImage:
    with db.write_session() as s:
        return images.add_image(s, actor=SYSTEM, product_id=product_id(), content=content, original_name=name)


HOSTILE = {
    'plain text': (b'just some text, not a picture', images.NOT_AN_IMAGE),
    'empty file': (b'', images.NOT_AN_IMAGE),
    'html with a script': (b'<html><script>alert(1)</script></html>', images.NOT_AN_IMAGE),
    'svg with a script': (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
        images.NOT_AN_IMAGE,
    ),
    'pdf': (b'%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF', images.NOT_AN_IMAGE),
    'truncated png': (photo('PNG')[:60], images.NOT_AN_IMAGE),
    'bmp (not offered)': (photo('BMP'), images.NOT_AN_IMAGE),
    'png header claiming 30000 x 30000': (png(30_000, 30_000, zlib.compress(b'')), images.TOO_MANY_PIXELS),
    'complete 30000 x 30000 png bomb': (real_png_bomb(), images.TOO_MANY_PIXELS),
    'png claiming 2^31 x 2^31': (png(2**31 - 1, 2**31 - 1, zlib.compress(b'')), None),  # any refusal will do
}


@pytest.mark.parametrize('content, message', list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_file_is_refused_with_a_message_and_leaves_nothing_behind(
    portal: Path, content: bytes, message: str | None
) -> None:
    """ASVS 5.2.1 (size), 5.2.2 (type by content), 5.2.6 (pixel flood / decompression bomb): refused, nothing
    written."""
    files, rows = files_under(portal.parent), snapshot()
    with pytest.raises(ValidationError) as refused:
        upload(content)
    if message:
        assert refused.value.message == message
    assert refused.value.message.endswith('.')
    assert files_under(portal.parent) == files and snapshot() == rows


def test_a_file_over_the_size_limit_is_refused_before_it_is_decoded(portal: Path) -> None:
    """ASVS 5.2.1: the size limit holds whatever the file is, and the message says what the limit is."""
    limit = config.get().max_upload_bytes
    files, rows = files_under(portal.parent), snapshot()
    with pytest.raises(ValidationError, match=r'larger than the limit of 5 MB'):
        upload(photo() + b'\x00' * limit)
    assert files_under(portal.parent) == files and snapshot() == rows


@pytest.mark.parametrize(
    'name',
    [
        '../../../../tmp/evil.jpg',
        '/etc/cron.d/evil.jpg',
        '..\\..\\evil.jpg',
        'C:\\Windows\\evil.jpg',
        'a\x00b.jpg',
        '.htaccess',
        'x' * 5000 + '.jpg',
        'photo.jpg;.php',
    ],
)
def test_a_path_in_the_file_name_never_reaches_the_file_system(portal: Path, name: str) -> None:
    """ASVS 5.3.2 (user-supplied file names are not used): the stored files get generated names in data/uploads."""
    before = files_under(portal.parent)
    image = upload(photo(), name)
    new = set(files_under(portal.parent)) - set(before)
    upload_dir = config.get().upload_dir.resolve()
    assert {p.resolve().parent for p in new} == {upload_dir}
    assert {p.name for p in new} == {image.filename, image.thumb_filename}
    assert all(GENERATED.fullmatch(p.name) for p in new)


def test_what_is_kept_is_a_re_encoded_copy_without_hidden_payload_or_metadata() -> None:
    """ASVS 5.2.2 (polyglots): a real JPEG carrying a script and EXIF data is stored as fresh pixels only."""
    exif = Image.Exif()
    exif[0x010E] = 'GPS home address of the photographer'  # ImageDescription
    polyglot = photo('JPEG', exif=exif.tobytes()) + b'<?php system($_GET["c"]); ?><script>alert(1)</script>'
    image = upload(polyglot)
    stored = (config.get().upload_dir / image.filename).read_bytes()
    for secret in [b'<?php', b'<script', b'GPS home address']:
        assert secret not in stored


def test_files_of_an_upload_whose_transaction_fails_are_removed(portal: Path) -> None:
    """No file is left behind when the database write after the upload fails."""
    before = files_under(portal.parent)
    with pytest.raises(RuntimeError), db.write_session() as s:
        images.add_image(s, actor=SYSTEM, product_id=product_id(), content=photo())
        raise RuntimeError('the rest of the transaction failed')
    assert files_under(portal.parent) == before
