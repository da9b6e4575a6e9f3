"""CSV downloads that open safely in Excel."""

import csv

from django.http import HttpResponse

# A cell starting with one of these runs as a formula in spreadsheet programs (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def csv_response(filename: str, header: list, rows) -> HttpResponse:
    """A ';'-separated UTF-8 CSV (with BOM, so Excel reads é and ë) of text cells."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response
