"""CSV downloads that open safely in Excel, LibreOffice and Google Sheets.

Every cell is quoted (csv.QUOTE_ALL), so a `,` or `;` inside a cell never splits it for a
program that reads the file correctly. A program that splits on the wrong separator, or
ignores the quotes, may still start a cell in the middle of ours: so not only a cell that
starts like a formula (= + - @, a tab or a carriage return) gets a leading `'`, but also
every part of it after a `,`, `;` or line break (`Jan,=1+2` becomes `Jan,'=1+2`). A
spreadsheet shows the `'`-prefixed text as text and runs nothing. Plain negative numbers
(`-5`, `-1,5`) stay as they are: they compute nothing.
"""

import csv
import re

from django.http import HttpResponse

# A cell starting with one of these runs as a formula in spreadsheet programs (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Where a program that splits wrongly could start a new cell inside ours.
SEPARATORS = re.compile(r"([,;\n])")
PLAIN_NEGATIVE_NUMBER = re.compile(r"-\d+(?:[.,]\d+)?")


def _neutralised(part: str) -> str:
    # Spaces before a formula do not stop every program from running it.
    start = part.lstrip(" ")
    if start.startswith(FORMULA_START) and not PLAIN_NEGATIVE_NUMBER.fullmatch(start):
        return f"'{part}"
    return part


def safe_cell(value) -> str:
    """The cell's text with every place a formula could start neutralised by a `'`."""
    text = "" if value is None else str(value)
    parts = SEPARATORS.split(text)  # text, separator, text, separator, …, text
    return "".join(part if i % 2 else _neutralised(part) for i, part in enumerate(parts))


def csv_response(filename: str, header: list, rows) -> HttpResponse:
    """A ';'-separated UTF-8 CSV (with BOM, so Excel reads é and ë), every cell quoted text."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", quoting=csv.QUOTE_ALL)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response
