"""The supplier edits the dashboard text; customers see it, live, as sanitized Markdown."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from nicegui import ui
from nicegui.testing import User

from app.core import db, portal_settings
from pages.admin import dashboard_text as dashboard_text_page
from tests.ui.conftest import signed_in

PATH = '/admin/dashboard-text'
HOSTILE = '# Offers\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\nSafe **bold** text.'


def saved_text() -> str:
    with db.read_session() as s:
        return portal_settings.dashboard_text(s)


def write(user: User, text: str) -> None:
    (editor,) = user.find(marker='dashboard-editor').elements
    assert isinstance(editor, ui.textarea)
    editor.value = text


def markdown_of(user: User, marker: str) -> ui.markdown:
    (element,) = user.find(marker=marker).elements
    assert isinstance(element, ui.markdown)
    return element


async def test_the_editor_shows_the_saved_text_with_a_live_preview(user: User) -> None:
    await signed_in(user, 'supplier', at=PATH)
    await user.should_see(marker='menu-Dashboard text')
    assert 'Welcome to Northwind Workshop Supply' in markdown_of(user, 'dashboard-preview').content
    await user.should_see('Saved — this is what customers see')
    write(user, '# Spring sale\n\nAll gloves **10% off**.')
    assert markdown_of(user, 'dashboard-preview').content.startswith('# Spring sale')
    await user.should_see('Unsaved changes')
    assert 'Welcome to Northwind Workshop Supply' in saved_text()  # nothing saved yet

    user.find(marker='discard-dashboard-text').click()
    assert 'Welcome' in markdown_of(user, 'dashboard-preview').content
    await user.should_see('Saved — this is what customers see')


async def test_saved_text_appears_on_the_open_customer_dashboard(create_user: Callable[[], User]) -> None:
    supplier = await signed_in(create_user(), 'supplier')  # both sign in before pages listen
    customer = await signed_in(create_user(), 'customer', at='/')
    await customer.should_see('Welcome to Northwind Workshop Supply')
    await supplier.open(PATH)
    write(supplier, '# Spring sale\r\n\r\nAll gloves **10% off** until Friday.')
    supplier.find(marker='save-dashboard-text').click()
    await supplier.should_see('Dashboard text saved')
    assert saved_text() == '# Spring sale\n\nAll gloves **10% off** until Friday.'
    await supplier.should_see('Saved — this is what customers see')

    await customer.should_see('All gloves **10% off** until Friday.')  # live, without a reload
    await customer.should_not_see('Welcome to Northwind Workshop Supply')
    await customer.open('/')
    assert markdown_of(customer, 'dashboard-text').content.startswith('# Spring sale')


async def test_html_in_the_text_is_kept_as_text_and_rendered_through_sanitized_markdown(
    create_user: Callable[[], User],
) -> None:
    supplier = await signed_in(create_user(), 'supplier', at=PATH)
    write(supplier, HOSTILE)
    supplier.find(marker='save-dashboard-text').click()
    await supplier.should_see('Dashboard text saved')
    assert saved_text() == HOSTILE
    preview = markdown_of(supplier, 'dashboard-preview')
    assert preview.props['sanitize'] is True  # DOMPurify in the browser strips <script> and onerror

    customer = await signed_in(create_user(), 'customer', at='/')
    shown = markdown_of(customer, 'dashboard-text')
    assert shown.content == HOSTILE and shown.props['sanitize'] is True
    assert customer.client is not None
    everything = list(customer.client.layout.descendants())
    assert not [e for e in everything if isinstance(e, ui.html)]  # never raw HTML
    assert not [e for e in everything if e.tag in {'script', 'img'}]


async def test_too_long_a_text_is_refused_and_nothing_is_saved(user: User) -> None:
    await signed_in(user, 'supplier', at=PATH)
    before = saved_text()
    write(user, 'x' * (portal_settings.MAX_DASHBOARD_CHARS + 1))
    await user.should_see('20,001 / 20,000 characters')
    user.find(marker='save-dashboard-text').click()
    await user.should_see('The dashboard text can be at most 20,000 characters')
    assert saved_text() == before


async def test_a_customer_gets_no_access(user: User) -> None:
    await signed_in(user, at=PATH)
    await user.should_see('No access')
    await user.should_not_see(marker='dashboard-editor')


async def test_the_save_handler_called_by_a_signed_in_customer_changes_nothing(user: User) -> None:
    await signed_in(user, at='/')
    before = saved_text()

    assert user.client is not None
    with user.client, user.client.content:
        editor = dashboard_text_page.Editor('# Hacked')
        await dashboard_text_page.save_dashboard_text(editor)
    await user.should_see('You do not have access to this.')
    assert saved_text() == before


@pytest.mark.parametrize('path', [PATH])
async def test_an_anonymous_visitor_is_sent_to_sign_in(user: User, path: str) -> None:
    await user.open(path)
    await user.should_see('Sign in to the portal')
