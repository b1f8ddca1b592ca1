"""Responses are compressed as ui.run is told (components/http_headers.compression): gzip at COMPRESS_LEVEL for a
browser that accepts it, the same bytes once unpacked, small responses as they are."""

from __future__ import annotations

import gzip
import zlib

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from components import http_headers

PAGE = ''.join(f'<div class="q-card">Product {n}: {n * 37 % 101} in stock</div>' for n in range(2000))


def app_serving(body: str) -> Starlette:
    async def page(_request: Request) -> HTMLResponse:
        return HTMLResponse(body)

    return Starlette(routes=[Route('/', page)])


async def fetch(body: str, accept: str) -> httpx.Response:
    compressed = http_headers.compression(app_serving(body))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(compressed), base_url='http://portal') as client:
        return await client.get('/', headers={'Accept-Encoding': accept})


async def test_a_page_is_sent_gzipped_at_the_chosen_level_and_unpacks_to_the_same_html() -> None:
    response = await fetch(PAGE, 'gzip')
    assert response.headers['content-encoding'] == 'gzip'
    assert response.text == PAGE  # (httpx unpacks it)
    level = zlib.compressobj(http_headers.COMPRESS_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    expected = level.compress(PAGE.encode()) + level.flush()
    assert int(response.headers['content-length']) == len(expected)  # at that level, not Starlette's default 9
    assert len(gzip.compress(PAGE.encode(), compresslevel=9)) < len(expected) < len(PAGE) / 5


async def test_small_responses_and_browsers_without_gzip_get_plain_bytes() -> None:
    small = await fetch('<p>ok</p>', 'gzip')
    assert 'content-encoding' not in small.headers and small.text == '<p>ok</p>'
    plain = await fetch(PAGE, 'identity')
    assert 'content-encoding' not in plain.headers and plain.text == PAGE
