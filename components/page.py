"""One way to open a signed-in page: its route, role, title and menu entry, stated once above the page function.

    @portal_page('/orders', role=Role.CUSTOMER, title='Orders', menu='/orders')
    def orders_page(who: Identity, status: str = '', q: str = '', page: str = '1') -> None:
        ...

The decorator registers the route with NiceGUI (so the app's routes list it, as `ui.page` does), checks the
session and role (`guard.page_identity`; a visitor without them gets the redirect), opens the frame and calls
the page function inside it with `who`. The function's other parameters are the route's: path and query
parameters, parsed by FastAPI as for any `ui.page`. A page whose title depends on what it shows takes a
`frame` parameter right after `who` and calls `frame.set_title(...)`.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from nicegui import ui

from app.core import db
from app.core.errors import NotFound
from app.core.i18n import _
from app.identity.auth import Identity
from app.models import Role
from components import guard, language, session_binding
from components.frame import frame
from components.not_found import not_found

PageFunction = Callable[..., None]


def portal_page(
    path: str, *, role: Role, title: str, menu: str, missing: tuple[str, str, str] | None = None
) -> Callable[[PageFunction], Callable[..., Any]]:
    """Register `fn(who, [frame,] **route parameters)` as the page at `path` for `role`; `menu` is the menu entry
    shown as selected, `title` the page's title until the page sets another.

    A page of one thing (an order, a product) names it in `missing`: (what, back, target), catalogue texts such as
    ('This order', 'Back to your orders', '/orders'). The thing not found (NotFound, from a service or the page),
    the page shows that in place of whatever it drew so far, the same for a missing id and for someone else's."""

    def decorate(fn: PageFunction) -> Callable[..., Any]:
        parameters = list(inspect.signature(fn).parameters.values())
        if not parameters or parameters[0].name != 'who':
            raise TypeError(f'{fn.__qualname__}: a page function takes `who` first')
        wants_frame = len(parameters) > 1 and parameters[1].name == 'frame'
        route_parameters = parameters[2 if wants_frame else 1 :]
        hints = typing.get_type_hints(fn)  # real types, not the strings of `from __future__ import annotations`

        def page(request: Request, **arguments: Any) -> Response | None:
            with db.one_reading():  # the session check, the frame and the page read in one session
                who = guard.page_identity(request, role)
                if not isinstance(who, Identity):
                    return who
                request.scope[session_binding.SERVED_LIVE] = True  # (its session is live: no need to read it again)
                language.speak(who.language)
                with frame(who, title=title, active=menu) as opened:
                    try:
                        fn(who, *([opened] if wants_frame else []), **arguments)
                    except NotFound:
                        if missing is None:
                            raise
                        opened.content.clear()
                        what, back, target = missing
                        not_found(_(what), back=(_(back), target))
            return None

        page.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [inspect.Parameter('request', inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)]
            + [p.replace(annotation=hints.get(p.name, p.annotation)) for p in route_parameters],
            return_annotation=Response | None,
        )
        page.__name__, page.__qualname__, page.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
        page.__module__ = fn.__module__
        return ui.page(path)(page)

    return decorate


def url_id(text: str) -> int:
    """An id as a URL gives it: the number, or 0 (which no record has) for text that is no id a database holds."""
    text = (text or '').strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 20 and 0 < int(text) <= db.MAX_ID else 0
