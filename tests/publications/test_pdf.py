import re

from publications.pdf import build_pdf


def assert_valid_pdf(data: bytes) -> None:
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data).group(1))
    assert data[startxref : startxref + 4] == b"xref"
    # Every object sits at the byte offset the cross-reference table gives for it.
    header = re.match(rb"xref\n0 (\d+)\n", data[startxref:])
    size = int(header.group(1))
    table = data[startxref + header.end() :]
    for number in range(1, size):
        offset = int(table[number * 20 : number * 20 + 10])
        assert data[offset:].startswith(b"%d 0 obj" % number)
    # Every stream is exactly as long as its /Length says.
    for match in re.finditer(rb"/Length (\d+) >>\nstream\n", data):
        end = match.end() + int(match.group(1))
        assert data[end : end + 10] == b"\nendstream"


def test_build_pdf_is_structurally_valid():
    data = build_pdf("Botsende (rationaliteiten) \\ één", ["Regel met (haakjes) en \\.", ""] * 60)

    assert_valid_pdf(data)
    assert b"Botsende \\(rationaliteiten\\) \\\\ " in data
    pages = data.count(b"/Type /Page ")
    assert pages > 1  # long text flows onto further pages
    assert b"/Count %d" % pages in data
    assert "één".encode("cp1252") in data


def test_build_pdf_is_deterministic():
    assert build_pdf("Titel", ["regel"]) == build_pdf("Titel", ["regel"])
