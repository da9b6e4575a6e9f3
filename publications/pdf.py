"""A tiny, dependency-free writer of plain-text PDFs (for demo downloads and test fixtures).

It writes PDF 1.4 with the standard Helvetica fonts in WinAnsi encoding, so text outside
Windows-1252 becomes '?'. Output is deterministic: the same input gives the same bytes.
"""

import textwrap
from collections.abc import Iterable

PAGE_WIDTH = 595  # A4 in points
PAGE_HEIGHT = 842
MARGIN = 56

TITLE_SIZE = 16
TITLE_LEADING = 20
TITLE_WRAP = 50
BODY_SIZE = 10.5
BODY_LEADING = 14
BODY_WRAP = 88

# Objects with a fixed number; pages and their content streams follow from FIRST_PAGE_OBJECT.
CATALOG, PAGES, FONT_REGULAR, FONT_BOLD, INFO = 1, 2, 3, 4, 5
FIRST_PAGE_OBJECT = 6


def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi: backslash and parentheses escaped."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_text_string(text: str) -> bytes:
    """A document-information string (UTF-16BE with byte-order mark, hex), e.g. the title."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _layout(title: str, lines: Iterable[str]) -> list[list[tuple[bytes, float, float, str]]]:
    """Place every line: a list of pages, each a list of (font, size, y, text)."""
    items: list[tuple[bytes, float, float, str]] = []
    for part in textwrap.wrap(title, TITLE_WRAP) or [""]:
        items.append((b"/F2", TITLE_SIZE, TITLE_LEADING, part))
    items.append((b"/F1", BODY_SIZE, BODY_LEADING, ""))
    for line in lines:
        wrapped = textwrap.wrap(line, BODY_WRAP, break_on_hyphens=False) or [""]
        items.extend((b"/F1", BODY_SIZE, BODY_LEADING, part) for part in wrapped)

    pages: list[list[tuple[bytes, float, float, str]]] = [[]]
    y = PAGE_HEIGHT - MARGIN
    for font, size, leading, text in items:
        y -= leading
        if y < MARGIN:
            pages.append([])
            y = PAGE_HEIGHT - MARGIN - leading
        if text:
            pages[-1].append((font, size, y, text))
    return pages


def _content_stream(placed: list[tuple[bytes, float, float, str]]) -> bytes:
    operations = [
        b"BT %s %g Tf %d %g Td %s Tj ET" % (font, size, MARGIN, y, pdf_string(text))
        for font, size, y, text in placed
    ]
    return b"\n".join(operations) + b"\n"


def build_pdf(title: str, lines: Iterable[str]) -> bytes:
    """A small valid PDF: the title in bold, then the lines (wrapped; '' is an empty line)."""
    pages = _layout(title, lines)
    page_numbers = [FIRST_PAGE_OBJECT + 2 * index for index in range(len(pages))]
    kids = b" ".join(b"%d 0 R" % number for number in page_numbers)

    objects: dict[int, bytes] = {
        CATALOG: b"<< /Type /Catalog /Pages %d 0 R >>" % PAGES,
        PAGES: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)),
        FONT_REGULAR: (
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
        ),
        FONT_BOLD: (
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
            b"/Encoding /WinAnsiEncoding >>"
        ),
        INFO: b"<< /Title %s /Producer (IKPOB-portaal) >>" % pdf_text_string(title),
    }
    for number, placed in zip(page_numbers, pages, strict=True):
        stream = _content_stream(placed)
        objects[number] = (
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>"
            % (PAGES, PAGE_WIDTH, PAGE_HEIGHT, FONT_REGULAR, FONT_BOLD, number + 1)
        )
        objects[number + 1] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)

    # The second header line holds bytes above 127 so tools treat the file as binary.
    output = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(output)
        output += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])

    size = max(objects) + 1
    xref_offset = len(output)
    # Every cross-reference entry is exactly 20 bytes, ending in space + newline.
    output += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        output += b"%010d 00000 n \n" % offsets[number]
    output += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\n" % (size, CATALOG, INFO)
    output += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(output)
