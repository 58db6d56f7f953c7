"""Reading and writing .xlsx sheets (through tablib, the library django-import-export uses)."""

from collections.abc import Iterable, Sequence
from io import BytesIO
from urllib.parse import quote

import openpyxl
import tablib
from django.http import HttpResponse
from django.utils import timezone

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(headers: Sequence[str], rows: Iterable[Sequence], *, title: str = "Sheet1") -> bytes:
    dataset = tablib.Dataset(headers=[str(h) for h in headers], title=title[:31])
    for row in rows:
        dataset.append(["" if value is None else value for value in row])
    return dataset.export("xlsx")


def download(content: bytes, filename: str) -> HttpResponse:
    """An .xlsx attachment; `filename` may be Chinese (RFC 5987 encoding)."""
    stamped = f"{filename}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(stamped)}"
    )
    return response


class UnreadableSheet(Exception):
    pass


def read_rows(content: bytes) -> tuple[list[str], list[tuple[int, list]]]:
    """The header row and the data rows of the first sheet, each with its row number as
    Excel shows it (so errors can say 第N行); blank rows are skipped."""
    try:
        sheet = openpyxl.load_workbook(BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise UnreadableSheet(str(exc)) from exc
    rows = sheet.iter_rows(values_only=True)
    headers = [str(h or "").strip() for h in next(rows, ())]
    data = [
        (number, list(values))
        for number, values in enumerate(rows, start=2)
        if any(value not in (None, "") for value in values)
    ]
    return headers, data
