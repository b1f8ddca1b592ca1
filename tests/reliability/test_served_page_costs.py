"""What a served page costs the server beyond its build, tried on the real portal served in this process: the
favicon is a file the browser keeps, and a page's own socket attaches without reading the session its build has
just found live (components/session_binding.py), unless a session of its user has ended since."""

from __future__ import annotations

from typing import Any

import pytest
from nicegui import Client

from app.identity import auth
from bench._browser import PageError, Tab
from components import session_binding
from tests.served import (
    Served,
    served_fixture,  # noqa: F401 - the fixture `served`
    sign_in,
)

pytestmark = pytest.mark.slow


def counting_session_reads(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    reads: list[str | None] = []
    original = auth.live_session

    def counted(token: str | None) -> Any:
        reads.append(token)
        return original(token)

    monkeypatch.setattr(auth, 'live_session', counted)
    return reads


async def test_a_page_links_the_favicon_file_and_the_file_is_served(served: Served) -> None:
    browser = served.browser()
    async with browser.http.get(served.base_url + '/login') as response:
        html = await response.text()
    assert '<link href="/favicon.ico" rel="shortcut icon"' in html and 'data:image/svg+xml' not in html
    async with browser.http.get(served.base_url + '/favicon.ico') as response:
        assert response.status == 200 and response.headers['content-type'].startswith('image/svg+xml')
        assert '🏭' in await response.text()


async def test_a_pages_socket_attaches_without_reading_the_session_its_build_found_live(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = sign_in('customer')
    reads = counting_session_reads(monkeypatch)
    tab = await served.tab('/products', token)
    assert reads == []  # neither after the page's HTML nor at its handshake
    binding = session_binding._bindings[Client.instances[tab.client_id]]
    assert binding.live_until is not None and binding.stop_listening is not None  # it still follows its session
    auth.sign_out(token)  # and leaves when it ends, as before
    assert auth.live_session(token) is None


async def test_a_socket_after_a_sign_out_of_its_user_reads_the_session_and_is_refused(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    token, other = sign_in('customer'), sign_in('customer')
    page = Tab(served.browser(token))
    async with page.browser.http.get(served.base_url + '/products') as response:
        page._parse(await response.text())
    auth.sign_out(other)  # another session of the same user ends: the page's own may have ended with it
    reads = counting_session_reads(monkeypatch)
    await page.connect(timeout=10)  # its session is still live: read again, and attached
    assert reads == [token]
    page2 = Tab(served.browser(token))
    async with page2.browser.http.get(served.base_url + '/products') as response:
        page2._parse(await response.text())
    auth.sign_out(token)
    with pytest.raises(PageError, match='refused'):
        await page2.connect(timeout=10)


async def test_a_socket_coming_later_than_the_window_reads_the_session_again(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = sign_in('customer')
    page = Tab(served.browser(token))
    async with page.browser.http.get(served.base_url + '/products') as response:
        page._parse(await response.text())
    client = Client.instances[page.client_id]
    when, live = client.request.scope['stockfront.live_at_build']
    client.request.scope['stockfront.live_at_build'] = (when - session_binding.CONNECT_WINDOW_S - 1, live)
    reads = counting_session_reads(monkeypatch)
    await page.connect(timeout=10)
    assert reads == [token]
