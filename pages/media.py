"""Product images, served only to those who may see the product."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import FileResponse, Response
from nicegui import app as nicegui_app

from app.catalogue import catalogue, images
from app.core import db
from app.core.errors import NotFound
from app.identity import auth
from components import guard

MAX_ID = 2**63 - 1  # SQLite's largest integer


@nicegui_app.get('/media/images/{image_id}', include_in_schema=False)
def product_image(request: Request, image_id: int, size: str = 'full') -> Response:
    who = auth.resolve(guard.token_of(request))
    if who is None:
        return Response(status_code=401)
    if not 0 < image_id <= MAX_ID:  # no such image; SQLite cannot even hold the number
        return Response(status_code=404)
    try:
        with db.read_session() as session:
            path, product_id = images.image_path(session, image_id=image_id, thumb=size == 'thumb')
            catalogue.get_product(session, actor=who, product_id=product_id)  # NotFound unless visible
    except NotFound:
        return Response(status_code=404)
    return FileResponse(path, media_type=images.media_type(path), headers={'Cache-Control': 'private, max-age=3600'})
