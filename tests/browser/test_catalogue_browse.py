"""A customer browsing by category in real Chromium: a category, "in stock now", the list view, 3 and Enter on a row;
and screenshots of the products page (grid with categories, list) and the supplier's categories page, with the list
row's boxes measured on a desktop and a phone."""

from __future__ import annotations

import time
from pathlib import Path

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from sqlmodel import select

from app.core import db
from app.models import Category, CurrentOrderLine, PortalUser, Product
from tests.browser.conftest import DESKTOP, PHONE, sign_in, size, wait_text

SHOTS = Path('/tmp/stockfront-shots')


def shot(screen: Screen, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    time.sleep(0.5)
    screen.selenium.save_screenshot(str(SHOTS / f'{name}.png'))


def ids() -> tuple[int, int]:
    with db.read_session() as s:
        fasteners = s.exec(select(Category.id).where(Category.name == 'Fasteners')).one()
        bolts = s.exec(select(Product.id).where(Product.code == 'FA-1004')).one()
    return fasteners, bolts


def in_order(code: str) -> int:
    with db.read_session() as s:
        user = s.exec(select(PortalUser.id).where(PortalUser.username == 'customer')).one()
        product = s.exec(select(Product.id).where(Product.code == code)).one()
        line = s.exec(
            select(CurrentOrderLine).where(CurrentOrderLine.user_id == user, CurrentOrderLine.product_id == product)
        ).first()
    return line.quantity if line else 0


def box(screen: Screen, css: str) -> dict:
    return screen.selenium.execute_script(
        'const r = document.querySelector(arguments[0]).getBoundingClientRect();'
        'return {x: r.x, y: r.y, w: r.width, h: r.height, right: r.right, bottom: r.bottom};',
        css,
    )


def test_customer_browses_a_category_filters_in_stock_and_adds_from_the_list_with_enter(screen: Screen) -> None:
    fasteners, bolts = ids()
    size(screen, DESKTOP)
    sign_in(screen, 'customer', 'customer-demo', path='/products')
    wait_text(screen, 'Fasteners (10)')
    shot(screen, 'products-grid-desktop')
    screen.selenium.find_element(By.XPATH, '//a[contains(@class,"q-chip")][contains(.,"Fasteners (10)")]').click()
    wait_text(screen, 'Screws (3)')  # in the category: its subcategories as chips, the breadcrumbs
    wait_text(screen, '10 products')
    screen.selenium.find_element(By.XPATH, '//a[contains(@class,"q-chip")][normalize-space()="In stock now"]').click()
    wait_text(screen, '8 products')  # the threaded rod and the decking screws are out of stock
    assert f'category={fasteners}' in screen.selenium.current_url and 'stock=1' in screen.selenium.current_url
    screen.selenium.find_element(By.XPATH, '//button[.//*[normalize-space()="List"]]').click()
    wait_text(screen, 'FA-1004')
    row = f'.sf-row:has(input) a[href*="/products/{bolts}"]'
    screen.selenium.find_element(By.CSS_SELECTOR, row)  # the bolts' row is there
    quantity = screen.selenium.find_element(
        By.XPATH, f'//a[contains(@href,"/products/{bolts}")]/ancestor::div[contains(@class,"sf-row")]//input'
    )
    quantity.send_keys(Keys.CONTROL, 'a')
    quantity.send_keys('3', Keys.ENTER)
    wait_text(screen, '3 in order')
    assert in_order('FA-1004') == 3

    # a row lays out as one line on a desktop: picture, code, name, price, stock and the order cell side by side
    picture, code, name = (
        box(screen, '.sf-row .sf-pic'),
        box(screen, '.sf-row .sf-code'),
        box(screen, '.sf-row .sf-name'),
    )
    order = box(screen, '.sf-row .sf-order')
    row_box = box(screen, '.sf-row')
    assert picture['right'] <= code['x'] < name['x'] < order['x']
    assert abs(code['y'] + code['h'] / 2 - (order['y'] + order['h'] / 2)) < 8  # on one line
    assert row_box['h'] <= 40  # about 25 rows on a 900 px screen
    shot(screen, 'products-list-desktop')

    size(screen, PHONE)
    screen.open(f'/products?category={fasteners}')
    wait_text(screen, 'FA-1004')
    name, order, row_box = box(screen, '.sf-row .sf-name'), box(screen, '.sf-row .sf-order'), box(screen, '.sf-row')
    width = screen.selenium.execute_script('return document.documentElement.clientWidth')
    assert row_box['right'] <= width + 1  # nothing runs off the phone's screen
    assert name['w'] >= 200  # the name has room to be read
    assert order['y'] >= name['bottom'] - 1  # the quantity and Add come under the name
    shot(screen, 'products-list-phone')
    screen.selenium.find_element(By.XPATH, '//button[.//*[normalize-space()="Grid"]]').click()
    wait_text(screen, '10 products')
    screen.open('/products')
    wait_text(screen, 'Fasteners (10)')
    shot(screen, 'products-grid-phone')


def test_screenshots_of_the_supplier_categories_page(screen: Screen) -> None:
    size(screen, DESKTOP)
    sign_in(screen, 'supplier', 'supplier-demo', path='/admin/categories')
    wait_text(screen, 'Wood screws')
    shot(screen, 'admin-categories-desktop')
    size(screen, PHONE)
    screen.open('/admin/categories')
    wait_text(screen, 'Wood screws')
    shot(screen, 'admin-categories-phone')
