"""A tiny PDF writer for the demo's data sheets: one A4 page of text in Helvetica, a valid PDF 1.4 (no library)."""

from __future__ import annotations

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points


def _escaped(line: str) -> str:
    text = line.encode('cp1252', 'replace').decode('latin-1')  # WinAnsiEncoding, as the font is declared
    return text.replace('\\', '\\\\').replace('(', '\\(').replace(')', '\\)')


def text_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF: `title` large at the top, then `lines` (each one line; '' for a gap)."""
    commands = ['BT', '/F2 18 Tf', f'56 {PAGE_HEIGHT - 80} Td', f'({_escaped(title)}) Tj', '/F1 11 Tf', '16 TL', 'T*']
    for line in lines:
        commands.append(f"({_escaped(line)}) '")  # ' moves to the next line and shows the text
    commands.append('ET')
    stream = '\n'.join(commands).encode('latin-1')
    objects = [
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        f'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] '
        f'/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>'.encode(),
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
        b'<< /Length ' + str(len(stream)).encode() + b' >>\nstream\n' + stream + b'\nendstream',
    ]
    out = bytearray(b'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n')
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f'{number} 0 obj\n'.encode() + body + b'\nendobj\n'
    xref = len(out)
    out += f'xref\n0 {len(objects) + 1}\n0000000000 65535 f \n'.encode()
    for offset in offsets:
        out += f'{offset:010d} 00000 n \n'.encode()
    out += f'trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n'.encode()
    return bytes(out)
