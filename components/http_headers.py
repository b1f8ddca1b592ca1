"""Security headers on every response, and no caching of signed-in pages (the back button after
signing out must not show portal content)."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# NiceGUI renders with Vue templates compiled in the browser, so scripts need 'unsafe-eval' and
# inline bootstrapping; everything else is locked to this origin.
CONTENT_SECURITY_POLICY = '; '.join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'none'",  # no <base> element anywhere (ASVS 5.0 3.4.3 asks for 'none')
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


class SecurityHeaders:
    """Plain ASGI middleware (not BaseHTTPMiddleware, which costs a task group and two memory streams per request,
    and leaves reference cycles behind: measurable when a page loads two dozen thumbnails; see bench/load.py)."""

    def __init__(self, app: ASGIApp, https_only: bool = False) -> None:
        self.app = app
        self.https_only = https_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        no_store = not scope['path'].startswith('/_nicegui/')

        async def send_with_headers(message: Message) -> None:
            if message['type'] == 'http.response.start':
                headers = MutableHeaders(scope=message)
                headers.setdefault('Content-Security-Policy', CONTENT_SECURITY_POLICY)
                headers.setdefault('X-Content-Type-Options', 'nosniff')
                headers.setdefault('Referrer-Policy', 'same-origin')
                headers.setdefault('X-Frame-Options', 'DENY')
                if self.https_only:
                    headers.setdefault('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
                if no_store:
                    headers.setdefault('Cache-Control', 'no-store')
            await send(message)

        await self.app(scope, receive, send_with_headers)
