"""Product documents over HTTP: a PDF as an attachment under a safe name with nosniff, only to those who may see the
product; B's hidden product's document is not found for A, and a malformed id is never a server error."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from app.catalogue import documents
from app.core import db
from app.identity.access import SYSTEM
from tests.security.test_access_matrix import MALFORMED_IDS, get, hidden_document_id, sign_in_http, visible_document_id

pytestmark = pytest.mark.usefixtures('user')


async def test_a_data_sheet_downloads_as_an_attachment_with_nosniff(user: User) -> None:
    sign_in_http(user, 'customer2')
    document_id = visible_document_id()
    response = await get(user, f'/media/documents/{document_id}')
    assert response.status_code == 200
    assert response.headers['content-type'] == 'application/pdf'
    assert response.headers['content-disposition'] == (
        'attachment; filename="Data sheet HT-1001 claw hammer.pdf"; '
        "filename*=UTF-8''Data%20sheet%20HT-1001%20claw%20hammer.pdf"
    )
    assert response.headers['x-content-type-options'] == 'nosniff'
    assert response.content.startswith(b'%PDF-1.4') and response.content.rstrip().endswith(b'%%EOF')
    with db.read_session() as s:
        path, _title = documents.document_file(s, actor=SYSTEM, document_id=document_id)
    assert response.content == path.read_bytes()


async def test_a_hidden_products_document_is_not_found_and_says_nothing(user: User) -> None:
    hidden = hidden_document_id()
    sign_in_http(user, 'customer2')  # Other Wholesale sees no safety gear
    response = await get(user, f'/media/documents/{hidden}')
    assert (response.status_code, response.content) == (404, b'')
    sign_in_http(user, 'customer')  # Demo Retail does
    assert (await get(user, f'/media/documents/{hidden}')).status_code == 200
    sign_in_http(user, 'supplier')
    assert (await get(user, f'/media/documents/{hidden}')).status_code == 200


async def test_malformed_document_ids_are_not_found_never_a_server_error(user: User) -> None:
    sign_in_http(user, 'customer2')
    for raw in [*MALFORMED_IDS, '99999']:
        assert (await get(user, f'/media/documents/{raw}')).status_code in {200, 404, 422}, raw  # ' 1' is 1
