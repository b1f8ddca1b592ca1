"""The supplier's image uploader as a person sees it: no meaningless header figures, no refused file left ticked."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from nicegui.testing import Screen
from PIL import Image
from selenium.webdriver.common.by import By
from sqlmodel import select

from app.core import db
from app.models import Product, ProductImage
from tests.browser.conftest import DESKTOP, shot, sign_in, size, wait_text

FILES_LISTED = 'return document.querySelectorAll(".q-uploader__file").length'


def images_of(product_id: int) -> int:
    with db.read_session() as s:
        return len(s.exec(select(ProductImage).where(ProductImage.product_id == product_id)).all())


def test_a_refused_and_an_accepted_file_both_leave_the_list_and_the_header_shows_no_empty_figures(
    screen: Screen, tmp_path: Path
) -> None:
    with db.read_session() as s:
        product = s.exec(select(Product).where(Product.code == 'HT-1001')).one()
    before = images_of(product.id)
    fake = tmp_path / 'not-a-picture.png'
    fake.write_bytes(b'this is text, not a PNG' * 10)
    real = tmp_path / 'hammer.png'
    buffer = BytesIO()
    Image.new('RGB', (200, 120), (200, 90, 40)).save(buffer, 'PNG')
    real.write_bytes(buffer.getvalue())

    size(screen, DESKTOP)
    sign_in(screen, 'supplier', 'supplier-demo', path=f'/admin/products/{product.id}')
    wait_text(screen, 'Add images (choose or drop several)')
    header = screen.selenium.find_element(By.CSS_SELECTOR, '.q-uploader__header').text
    assert '0.0B' not in header and '%' not in header

    screen.selenium.find_element(By.CSS_SELECTOR, 'input[type=file]').send_keys(str(fake))
    wait_text(screen, 'not-a-picture.png:')  # the service's refusal, naming the file
    screen.wait_for(lambda: screen.selenium.execute_script(FILES_LISTED) == 0)  # not left in the list with a tick
    assert images_of(product.id) == before

    screen.selenium.find_element(By.CSS_SELECTOR, 'input[type=file]').send_keys(str(real))
    wait_text(screen, 'Image added: hammer.png')
    screen.wait_for(lambda: screen.selenium.execute_script(FILES_LISTED) == 0)
    assert images_of(product.id) == before + 1
    shot(screen, 'admin-image-uploader')
