"""Product images and documents, served only to those who may see the product."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import FileResponse, Response
from nicegui import app as nicegui_app

from app.catalogue import catalogue, documents, images
from app.core import db
from app.core.errors import NotFound
from app.identity import auth
from components import guard


@nicegui_app.get('/media/images/{image_id}', include_in_schema=False)
def product_image(request: Request, image_id: int, size: str = 'full') -> Response:
    who = auth.resolve(guard.token_of(request))
    if who is None:
        return Response(status_code=401)
    if not db.is_id(image_id):  # no such image; SQLite cannot even hold the number
        return Response(status_code=404)
    try:
        with db.read_session() as session:
            path, product_id = images.image_path(session, image_id=image_id, thumb=size == 'thumb')
            catalogue.get_product(session, actor=who, product_id=product_id)  # NotFound unless visible
    except NotFound:
        return Response(status_code=404)
    return FileResponse(path, media_type=images.media_type(path), headers={'Cache-Control': 'private, max-age=3600'})


@nicegui_app.get('/media/documents/{document_id}', include_in_schema=False)
def product_document(request: Request, document_id: int) -> Response:
    """A product's PDF, as an attachment under its cleaned title (never shown inline: nosniff, no caching by others)."""
    who = auth.resolve(guard.token_of(request))
    if who is None:
        return Response(status_code=401)
    if not db.is_id(document_id):
        return Response(status_code=404)
    try:
        with db.read_session() as session:
            # NotFound unless the product is visible to who
            path, title = documents.document_file(session, actor=who, document_id=document_id)
    except NotFound:
        return Response(status_code=404)
    headers = {
        'Content-Disposition': documents.content_disposition(title),
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'private, max-age=3600',
    }
    return FileResponse(path, media_type=documents.MEDIA_TYPE, headers=headers)
