"""Plain ASGI middleware for HTTP requests (not Starlette's BaseHTTPMiddleware, which runs the rest of every request
in a task group with two memory streams: 0.11 ms a request, for a page and each of its thumbnails).

A subclass writes `http(scope, receive, send)`; everything else (the socket's websocket, the lifespan) passes as it
is. `on_start(send, change)` is the `send` that lets `change` edit the response's headers before they go out.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HttpMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


def on_start(send: Send, change: Callable[[MutableHeaders], None]) -> Callable[[Message], Awaitable[None]]:
    """`send`, with the response's headers handed to `change` as its start goes out."""

    async def sending(message: Message) -> None:
        if message['type'] == 'http.response.start':
            change(MutableHeaders(scope=message))
        await send(message)

    return sending
