"""Product images: only real images are kept, under generated names, inside the upload folder. The demo catalogue."""

import dataclasses
import re
import struct
import threading
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select

from app.catalogue import images, products
from app.core import config, db, events
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.models import Product, ProductCreate, ProductImage
from components.image_upload import store_upload
from demo import catalogue as demo_catalogue


def picture(width: int = 64, height: int = 48, fmt: str = 'PNG', mode: str = 'RGB', **options) -> bytes:
    image = Image.linear_gradient('L').resize((width, height)).convert(mode)
    out = BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG file whose header claims the given size (a decompression bomb costs nothing to make)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body))

    header = struct.pack('>IIBBBBB', width, height, 1, 0, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(b'')) + chunk(b'IEND', b'')


@pytest.fixture
def product_id(shop) -> int:
    return shop.product('HAM-500', name='Claw hammer', price=1995)


def add(who, product_id: int, content: bytes, original_name: str = 'photo.png') -> ProductImage:
    with db.write_session() as s:
        return images.add_image(s, actor=who, product_id=product_id, content=content, original_name=original_name)


def upload_dir() -> Path:
    return config.get().upload_dir


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob('*') if p.is_file()} if folder.exists() else set()


def image_rows() -> list[ProductImage]:
    with db.read_session() as s:
        return list(s.exec(select(ProductImage)).all())


def stored(image: ProductImage, *, thumb: bool = False) -> Image.Image:
    with db.read_session() as s:
        path, _ = images.image_path(s, image_id=image.id, thumb=thumb)
    return Image.open(path)


def test_an_upload_is_stored_with_a_generated_name_and_a_thumbnail(accounts, product_id):
    image = add(accounts.admin, product_id, picture(1200, 900, 'JPEG'), original_name='hammer.jpg')

    assert 'hammer' not in image.filename
    assert files_under(upload_dir()) == {upload_dir() / image.filename, upload_dir() / image.thumb_filename}
    assert (image.width, image.height, image.position) == (1200, 900, 0)
    with stored(image) as full, stored(image, thumb=True) as thumb:
        assert (full.format, full.size) == ('JPEG', (1200, 900))
        assert (thumb.format, thumb.size) == ('JPEG', (400, 300))


def test_a_large_image_is_scaled_down_and_turned_upright_without_its_metadata(accounts, product_id):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was held on its side
    exif[0x010F] = 'Secret Camera Co'
    image = add(accounts.admin, product_id, picture(3200, 2000, 'JPEG', exif=exif.tobytes()))

    with stored(image) as full, stored(image, thumb=True) as thumb:
        assert full.size == (1000, 1600) == (image.width, image.height)
        assert thumb.size == (250, 400)
        assert not full.getexif() and 'exif' not in full.info


def test_a_transparent_png_keeps_its_transparency_as_webp(accounts, product_id):
    see_through = Image.new('RGBA', (80, 80), (200, 30, 30, 255))
    see_through.paste((0, 0, 0, 0), (0, 0, 40, 80))
    out = BytesIO()
    see_through.save(out, 'PNG')
    image = add(accounts.admin, product_id, out.getvalue())

    assert image.filename.endswith('.webp')
    with stored(image) as full:
        assert (full.format, full.mode) == ('WEBP', 'RGBA')
        assert full.getpixel((10, 40))[3] == 0 and full.getpixel((70, 40))[3] == 255
    with db.read_session() as s:
        path, owner = images.image_path(s, image_id=image.id, thumb=False)
    assert owner == product_id
    assert images.media_type(path) == 'image/webp'
    assert images.media_type(Path('x.jpg')) == 'image/jpeg'


def test_a_16_bit_greyscale_png_keeps_its_tones(accounts, product_id):
    deep = Image.new('I;16', (40, 10))
    deep.putdata([60_000 if x < 20 else 20_000 for _ in range(10) for x in range(40)])
    out = BytesIO()
    deep.save(out, 'PNG')

    image = add(accounts.admin, product_id, out.getvalue())

    with stored(image) as full:
        light, dark = full.getpixel((5, 5)), full.getpixel((35, 5))
    assert abs(light[0] - 60_000 // 256) <= 3 and abs(dark[0] - 20_000 // 256) <= 3


@pytest.mark.parametrize('name', ['../../etc/passwd.png', 'C:\\x\\y.png', '/etc/cron.d/job.png', 'a\x00b.png'])
def test_the_uploaded_name_never_becomes_part_of_a_path(accounts, product_id, data_dir, name):
    everything = data_dir.parent
    before = files_under(everything)

    image = add(accounts.admin, product_id, picture(), original_name=name)

    for stored_name in (image.filename, image.thumb_filename):
        assert re.fullmatch(r'[0-9a-f]{32}(-thumb)?\.jpg', stored_name)
    written = files_under(everything) - before
    assert {p for p in written if not p.name.startswith('stockfront.db')} == {
        upload_dir() / image.filename,
        upload_dir() / image.thumb_filename,
    }


@pytest.mark.parametrize(
    'content',
    [
        b'root:x:0:0:root:/root:/bin/bash\n',
        b'',
        b'\x89PNG\r\n\x1a\n' + b'\x00' * 200,  # the signature, then nothing sensible
        picture(fmt='PNG')[:-40],  # cut off
        picture(fmt='BMP'),  # a real image, but not a format we accept
        picture(fmt='TIFF'),
    ],
)
def test_anything_but_a_usable_image_is_refused_and_nothing_is_kept(accounts, product_id, content):
    with pytest.raises(ValidationError) as caught:
        add(accounts.admin, product_id, content, original_name='notes.png')

    assert caught.value.message == 'This file is not an image we can use (JPEG, PNG, WebP or GIF).'
    assert image_rows() == []
    assert files_under(upload_dir()) == set()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(accounts, product_id):
    config.set_settings(dataclasses.replace(config.get(), max_upload_bytes=1024 * 1024))
    content = picture() + b'\x00' * (1024 * 1024)  # a valid PNG: the padding after its end is ignored by decoders

    with pytest.raises(ValidationError) as caught:
        add(accounts.admin, product_id, content)

    assert 'larger than the limit of 1 MB' in caught.value.message
    assert image_rows() == [] and not upload_dir().exists()
    add(accounts.admin, product_id, picture())  # the same picture without padding is fine


@pytest.mark.parametrize('size', [(20_000, 20_000), (8_000, 6_000)])
def test_an_image_with_too_many_pixels_is_refused(accounts, product_id, size):
    with pytest.raises(ValidationError) as caught:
        add(accounts.admin, product_id, png_declaring(*size))

    assert caught.value.message == 'This image is too large in pixels.'
    assert image_rows() == [] and not upload_dir().exists()


def test_only_the_supplier_manages_images(accounts, product_id):
    image = add(accounts.admin, product_id, picture())
    with pytest.raises(AccessDenied), db.write_session() as s:
        images.add_image(s, actor=accounts.alice, product_id=product_id, content=picture())
    with pytest.raises(AccessDenied), db.write_session() as s:
        images.delete_image(s, actor=accounts.alice, image_id=image.id)
    with pytest.raises(AccessDenied), db.write_session() as s:
        images.move_image(s, actor=accounts.alice, image_id=image.id, direction=1)
    assert len(image_rows()) == 1 and len(files_under(upload_dir())) == 2


def test_an_unknown_product_or_image_is_not_found(accounts, product_id):
    with pytest.raises(NotFound):
        add(accounts.admin, product_id + 1, picture())
    assert files_under(upload_dir()) == set()
    with pytest.raises(NotFound), db.read_session() as s:
        images.image_path(s, image_id=999, thumb=False)
    with pytest.raises(NotFound), db.write_session() as s:
        images.delete_image(s, actor=accounts.admin, image_id=999)


def test_writes_elsewhere_go_on_while_an_upload_is_decoded(accounts, product_id, monkeypatch):
    """The upload is decoded and re-encoded before its write transaction opens, so an order placed meanwhile
    does not wait behind a 40-megapixel decode (on SQLite one write transaction at a time holds the lock)."""
    decoding, go_on = threading.Event(), threading.Event()
    decode = images._normalise

    def slow_decode(content: bytes) -> images.PreparedImage:
        decoding.set()
        assert go_on.wait(30)
        return decode(content)

    monkeypatch.setattr(images, '_normalise', slow_decode)
    stored: list[ProductImage] = []
    upload = threading.Thread(
        target=lambda: stored.append(store_upload(accounts.admin, product_id, picture(), 'a.png'))
    )
    upload.start()
    try:
        assert decoding.wait(30)
        with db.write_session(wait=False) as s:  # DatabaseBusy at once if the upload's transaction held the lock
            products.update_product(
                s,
                actor=accounts.admin,
                product_id=product_id,
                data=ProductCreate(code='HAM-500', name='Claw hammer, steel', price_cents=1995),
            )
    finally:
        go_on.set()
        upload.join(30)
    with db.read_session() as s:
        assert s.get(Product, product_id).name == 'Claw hammer, steel'
    assert [image.id for image in stored] == [image.id for image in image_rows()]
    assert len(files_under(upload_dir())) == 2


def test_a_prepared_image_is_stored_without_decoding_it_again(accounts, product_id, monkeypatch):
    prepared = images.prepare(picture(1200, 900, 'JPEG'))
    monkeypatch.setattr(images, '_normalise', lambda content: pytest.fail('decoded inside the transaction'))
    with db.write_session() as s:
        image = images.add_image(s, actor=accounts.admin, product_id=product_id, content=prepared)
    assert (image.width, image.height) == (1200, 900)
    with stored(image) as full:
        assert full.format == 'JPEG'


def test_files_of_an_upload_are_removed_when_its_transaction_rolls_back(accounts, product_id):
    with pytest.raises(RuntimeError), db.write_session() as s:
        images.add_image(s, actor=accounts.admin, product_id=product_id, content=picture())
        assert len(files_under(upload_dir())) == 2
        raise RuntimeError('a later step failed')

    assert image_rows() == [] and files_under(upload_dir()) == set()


def test_delete_removes_the_files_once_committed(accounts, product_id):
    first, second = add(accounts.admin, product_id, picture()), add(accounts.admin, product_id, picture())

    with pytest.raises(RuntimeError), db.write_session() as s:
        images.delete_image(s, actor=accounts.admin, image_id=first.id)
        raise RuntimeError('a later step failed')
    assert len(image_rows()) == 2 and len(files_under(upload_dir())) == 4  # rolled back: nothing lost

    with db.write_session() as s:
        images.delete_image(s, actor=accounts.admin, image_id=first.id)
    assert [row.id for row in image_rows()] == [second.id]
    assert files_under(upload_dir()) == {upload_dir() / second.filename, upload_dir() / second.thumb_filename}


def test_a_missing_file_is_not_found(accounts, product_id):
    image = add(accounts.admin, product_id, picture())
    (upload_dir() / image.thumb_filename).unlink()

    with db.read_session() as s:
        assert images.image_path(s, image_id=image.id, thumb=False)[0].is_file()
        with pytest.raises(NotFound):
            images.image_path(s, image_id=image.id, thumb=True)


def test_a_row_pointing_outside_the_upload_folder_is_not_served(accounts, product_id, data_dir):
    image = add(accounts.admin, product_id, picture())
    (data_dir / 'secret.txt').write_text('secret')
    with db.write_session() as s:
        row = s.get(ProductImage, image.id)
        row.filename = '../secret.txt'
        s.add(row)

    with pytest.raises(NotFound), db.read_session() as s:
        images.image_path(s, image_id=image.id, thumb=False)


def test_move_reorders_and_new_images_go_last(accounts, product_id):
    a, b, c = (add(accounts.admin, product_id, picture()) for _ in range(3))

    def order() -> list[int]:
        with db.read_session() as s:
            return [i.id for i in images.list_images(s, product_id=product_id)]

    assert order() == [a.id, b.id, c.id]
    with db.write_session() as s:
        images.move_image(s, actor=accounts.admin, image_id=c.id, direction=-1)
    assert order() == [a.id, c.id, b.id]
    with db.write_session() as s:
        images.move_image(s, actor=accounts.admin, image_id=a.id, direction=-1)  # already first
        images.move_image(s, actor=accounts.admin, image_id=a.id, direction=1)
    assert order() == [c.id, a.id, b.id]
    with pytest.raises(ValidationError), db.write_session() as s:
        images.move_image(s, actor=accounts.admin, image_id=a.id, direction=2)

    with db.write_session() as s:
        images.delete_image(s, actor=accounts.admin, image_id=c.id)
    d = add(accounts.admin, product_id, picture())
    assert order() == [a.id, b.id, d.id]


def test_a_product_has_at_most_20_images(accounts, product_id):
    content = picture(8, 8)
    for _ in range(images.MAX_IMAGES_PER_PRODUCT):
        add(accounts.admin, product_id, content)

    with pytest.raises(ValidationError) as caught:
        add(accounts.admin, product_id, content)

    assert 'at most 20 images' in caught.value.message
    assert len(image_rows()) == 20 and len(files_under(upload_dir())) == 40


def test_changes_are_announced_after_commit(accounts, product_id):
    heard = []
    for topic in [('product', product_id), ('catalogue',)]:
        events.subscribe(topic, heard.append)

    with db.write_session() as s:
        images.add_image(s, actor=accounts.admin, product_id=product_id, content=picture())
        assert heard == []
    assert sorted(heard) == [('catalogue',), ('product', product_id)]


# --- demo catalogue -------------------------------------------------------------------------------


def ean13_is_valid(barcode: str) -> bool:
    digits = [int(d) for d in barcode]
    return len(digits) == 13 and sum(d * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits)) % 10 == 0


def test_the_demo_catalogue_is_complete_and_consistent():
    catalogue = demo_catalogue.PRODUCTS
    codes = [p['code'] for p in catalogue]

    assert len(catalogue) >= 50 and len(set(codes)) == len(codes)
    assert len({p['barcode'] for p in catalogue}) == len(catalogue)
    assert all(ean13_is_valid(p['barcode']) for p in catalogue)
    assert demo_catalogue.ean13('400638133393') == '4006381333931'
    assert sum(p['stock'] == 0 for p in catalogue) >= 8
    assert sum(1 <= p['stock'] <= 4 for p in catalogue) >= 3
    assert all(isinstance(p['price_cents'], int) and p['price_cents'] > 0 for p in catalogue)
    assert {p['category'] for p in catalogue} == {name for name, _, _ in demo_catalogue.CATEGORIES.values()}
    for p in catalogue:  # every demo product passes the supplier's own product validation
        products.validate(
            ProductCreate(**{k: p[k] for k in ('code', 'name', 'description', 'barcode', 'unit', 'price_cents')})
        )


def test_a_demo_picture_is_a_png_that_the_portal_accepts(accounts, product_id):
    product = demo_catalogue.PRODUCTS[0]
    content = demo_catalogue.render_product_image(product, size=300)

    assert content == demo_catalogue.render_product_image(product, size=300)  # the same picture every time
    assert content != demo_catalogue.render_product_image(demo_catalogue.PRODUCTS[1], size=300)
    with Image.open(BytesIO(content)) as decoded:
        assert (decoded.format, decoded.size) == ('PNG', (300, 300))
    image = add(accounts.admin, product_id, content)
    assert (image.width, image.height) == (300, 300)
