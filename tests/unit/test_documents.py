"""Product documents: PDFs checked by their content and size, stored under generated names, titled by the cleaned
upload name, given only to those who may see the product, kept in step with the transaction and backed up."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.catalogue import catalogue, documents
from app.core import backup, config, db
from app.core.errors import AccessDenied, NotFound, ValidationError
from app.models import ProductDocument
from demo.pdf import text_pdf
from tests.conftest import TEST_DATABASE_URL

SHEET = text_pdf('Claw hammer HAM-500', ['Data sheet', '', 'Head: 500 g drop-forged steel.'])


@pytest.fixture
def hammer(shop) -> int:
    return shop.product('HAM-500', name='Claw hammer', price=1995)


def with_catalog(extra: bytes) -> bytes:
    """The sheet with more in its catalogue, its cross-reference where startxref says (a well-formed PDF)."""
    body = SHEET.replace(b'/Type /Catalog', b'/Type /Catalog ' + extra).rsplit(b'startxref', 1)[0]
    return body + b'startxref\n%d\n%%%%EOF\n' % body.rindex(b'xref\n0 ')


def add(accounts, product_id: int, content: bytes = SHEET, name: str = 'Data sheet.pdf') -> ProductDocument:
    with db.write_session() as s:
        return documents.add_document(
            s, actor=accounts.admin, product_id=product_id, content=content, original_name=name
        )


def stored_files() -> set[str]:
    folder = config.get().upload_dir
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def test_a_pdf_is_stored_under_a_generated_name_with_its_cleaned_title(accounts, hammer) -> None:
    document = add(accounts, hammer, name='C:\\Users\\kim\\Safety sheet <HAM-500>.PDF')
    assert document.title == 'Safety sheet HAM-500'
    assert document.filename.endswith('.pdf') and 'Safety' not in document.filename
    assert (config.get().upload_dir / document.filename).read_bytes() == SHEET
    with db.read_session() as s:
        listed = documents.list_documents(s, actor=accounts.alice, product_id=hammer)
        assert [(d.title, d.size_bytes) for d in listed] == [('Safety sheet HAM-500', len(SHEET))]
        path, title = documents.document_file(s, actor=accounts.alice, document_id=document.id)
    assert (path.read_bytes(), title) == (SHEET, 'Safety sheet HAM-500')


def test_a_name_with_nothing_usable_takes_the_products_code(accounts, hammer) -> None:
    assert add(accounts, hammer, name='../../<>.pdf').title == 'HAM-500'


@pytest.mark.parametrize(
    ('content', 'message'),
    [
        (b'<html><script>alert(1)</script></html>', documents.NOT_A_PDF),  # a page named .pdf
        (b'%PDF-1.4\n<html><body>hello</body></html>\n%%EOF', documents.NOT_A_PDF),  # a header and nothing of a PDF
        (SHEET.replace(b'startxref\n', b'startxref\n9'), documents.NOT_A_PDF),  # points past the cross-reference
        (SHEET[: len(SHEET) // 2], documents.NOT_A_PDF),  # cut off
        (b'', documents.NOT_A_PDF),
        (b'\x89PNG\r\n\x1a\n' + b'0' * 100, documents.NOT_A_PDF),
        (
            with_catalog(b'/OpenAction << /S /J#61vaScript /JS (app.alert(1)) >>'),  # a script, its name escaped
            'This PDF contains scripts or embedded files; save it without them and try again.',
        ),
    ],
)
def test_what_is_no_plain_pdf_is_refused_and_nothing_is_stored(accounts, hammer, content, message) -> None:
    with pytest.raises(ValidationError) as refused:
        add(accounts, hammer, content=content)
    assert refused.value.message == message
    with db.read_session() as s:
        assert s.exec(select(ProductDocument)).all() == []
    assert not any(name.endswith('.pdf') for name in stored_files())


def test_a_file_over_the_limit_is_refused(accounts, hammer) -> None:
    big = SHEET.replace(b'%PDF-1.4\n', b'%PDF-1.4\n%' + b'x' * documents.MAX_DOCUMENT_BYTES + b'\n')
    with pytest.raises(ValidationError) as refused:
        add(accounts, hammer, content=big)
    assert refused.value.message == 'This file is larger than the limit of 10 MB.'
    assert not any(name.endswith('.pdf') for name in stored_files())


def test_only_the_supplier_adds_and_deletes_documents(accounts, hammer) -> None:
    document = add(accounts, hammer)
    with db.write_session() as s, pytest.raises(AccessDenied):
        documents.add_document(s, actor=accounts.alice, product_id=hammer, content=SHEET)
    with db.write_session() as s, pytest.raises(AccessDenied):
        documents.delete_document(s, actor=accounts.alice, document_id=document.id)


def test_a_hidden_products_documents_are_not_found(accounts, shop, hammer) -> None:
    """Bob's catalogue is a selection without the hammer; an inactive product's documents are hidden from everyone."""
    document = add(accounts, hammer)
    with db.write_session() as s:
        catalogue.set_catalogue_mode(s, actor=accounts.admin, customer_id=accounts.customer_b.id, mode='selection')
    with db.read_session() as s:
        for ask in (
            lambda: documents.document_file(s, actor=accounts.bob, document_id=document.id),
            lambda: documents.list_documents(s, actor=accounts.bob, product_id=hammer),
            lambda: documents.document_file(s, actor=accounts.alice, document_id=document.id + 1),  # none such
        ):
            with pytest.raises(NotFound):
                ask()
    shop.change_product(hammer, active=False)
    with db.read_session() as s:
        with pytest.raises(NotFound):
            documents.document_file(s, actor=accounts.alice, document_id=document.id)
        assert documents.document_file(s, actor=accounts.admin, document_id=document.id)[1] == 'Data sheet'


def test_a_deleted_documents_file_goes_once_the_delete_commits(accounts, hammer) -> None:
    document = add(accounts, hammer)
    with pytest.raises(RuntimeError), db.write_session() as s:
        documents.delete_document(s, actor=accounts.admin, document_id=document.id)
        raise RuntimeError('rolled back')
    assert document.filename in stored_files()
    with db.write_session() as s:
        documents.delete_document(s, actor=accounts.admin, document_id=document.id)
    assert document.filename not in stored_files()


def test_a_document_added_in_a_rolled_back_transaction_leaves_no_file(accounts, hammer) -> None:
    with pytest.raises(RuntimeError), db.write_session() as s:
        documents.add_document(s, actor=accounts.admin, product_id=hammer, content=SHEET)
        raise RuntimeError('rolled back')
    assert not any(name.endswith('.pdf') for name in stored_files())


@pytest.mark.parametrize(
    ('title', 'header'),
    [
        ('Data sheet', 'attachment; filename="Data sheet.pdf"; filename*=UTF-8\'\'Data%20sheet.pdf'),
        (
            'Sicherheitsdatenblatt Größe 9',
            'attachment; filename="Sicherheitsdatenblatt Groe 9.pdf"; '
            "filename*=UTF-8''Sicherheitsdatenblatt%20Gr%C3%B6%C3%9Fe%209.pdf",
        ),
        ('"; evil=1', 'attachment; filename="evil_1.pdf"; filename*=UTF-8\'\'%22%3B%20evil%3D1.pdf'),
    ],
)
def test_the_download_is_an_attachment_with_a_safe_name(title, header) -> None:
    assert documents.content_disposition(title) == header


def test_a_backup_holds_the_documents_and_a_restore_brings_them_back(accounts, hammer, tmp_path, monkeypatch) -> None:
    if TEST_DATABASE_URL:
        pytest.skip('about the SQLite file')
    document = add(accounts, hammer)
    made = backup.backup(tmp_path / 'backup')
    assert (made.folder / 'uploads' / document.filename).read_bytes() == SHEET
    db.dispose()
    monkeypatch.setenv('STOCKFRONT_DATA_DIR', str(tmp_path / 'fresh'))
    config.set_settings(config.load())
    backup.restore(made.folder)
    db.configure(config.get().database_url)
    with db.read_session() as s:
        path, _title = documents.document_file(s, actor=accounts.alice, document_id=document.id)
    assert path.parent == tmp_path / 'fresh' / 'uploads' and path.read_bytes() == SHEET
