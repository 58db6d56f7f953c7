"""The shared pieces of the .xlsx imports (decision 0003): how a problem reads, the error
that refuses a whole file, the read sheet that waits in the session for its preview, and
matching headers written in any UI language."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from kexie.core.chinese import normalize_query
from kexie.core.errors import DomainError
from kexie.core.xlsx import UnreadableSheet, read_rows


def problem(row: int, column: str | None, reason: str) -> str:
    """How every import problem reads: 第N行，列名：原因 (row numbers as Excel shows them)."""
    if column:
        return _("Row %(row)s, %(column)s: %(reason)s") % {"row": row, "column": column, "reason": reason}
    return _("Row %(row)s: %(reason)s") % {"row": row, "reason": reason}


class SheetError(DomainError):
    """The file as a whole cannot be imported; `problems` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__(problems[0], field="file")
        self.problems = problems


def folded(text) -> str:
    """A header or value as it is matched: normalized, without a required-marker or colon."""
    return _fold(str(text or ""))


@lru_cache(maxsize=8192)
def _fold(text: str) -> str:
    # Cached: a roster repeats the same few values (genders, titles, units) row after row.
    return normalize_query(text).strip("*＊:：")


def aliases(label, *codes: str) -> set[str]:
    """A label as every UI language shows it, its English msgid, and the codes given."""
    names = {folded(code) for code in codes}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.add(folded(label))
    with translation.override(None):
        names.add(folded(label))
    names.discard("")
    return names


@dataclass
class Sheet:
    """What an upload holds once read: plain strings, so it can wait in the session (or an
    import's store) for its preview."""

    filename: str
    keys: list[str]  # the column key of each recognised column, in file order
    headers: dict[str, str]  # column key → the header as written in the file
    rows: list[tuple[int, dict[str, str]]]  # (row number as Excel shows it, values by key)
    kind: str = ""  # which of an import's sheets it is, for an import of several kinds

    def to_payload(self) -> dict:
        return {
            "kind": self.kind,
            "filename": self.filename,
            "keys": self.keys,
            "headers": self.headers,
            "rows": [[number, values] for number, values in self.rows],
        }

    @classmethod
    def from_payload(cls, payload: dict) -> "Sheet":
        return cls(
            filename=payload["filename"],
            keys=list(payload["keys"]),
            headers=dict(payload["headers"]),
            rows=[(int(number), dict(values)) for number, values in payload["rows"]],
            kind=payload.get("kind", ""),
        )


@dataclass
class Headers:
    """Where each column of an import is in a file: its position and header as written, and
    what is wrong with the header row."""

    positions: dict[str, int]  # column key → index in the row
    texts: dict[str, str]  # column key → the header as written
    problems: list[str]

    def rows(self, data: list[tuple[int, list]], cell_text: Callable[[object], str] = str) -> list:
        """The data rows as (row number, values by column key), in file order."""
        keys = self.keys
        return [
            (
                number,
                {
                    key: cell_text(values[self.positions[key]]) if self.positions[key] < len(values) else ""
                    for key in keys
                },
            )
            for number, values in data
        ]

    @property
    def keys(self) -> list[str]:
        return sorted(self.positions, key=self.positions.get)


def map_headers(
    headers: list, data: list[tuple[int, list]], *, columns: Iterable, header_aliases: dict
) -> Headers:
    """Match a header row to `columns` (each with `key`, `label`, `required`) through
    `header_aliases` (folded header → column key): unknown, repeated and missing columns and
    values without a header are problems of row 1."""
    problems: list[str] = []
    positions: dict[str, int] = {}
    texts: dict[str, str] = {}
    for index, header in enumerate(headers):
        letter = _("column %(letter)s") % {"letter": get_column_letter(index + 1)}
        if not header:
            if any(index < len(values) and values[index] not in (None, "") for _n, values in data):
                problems.append(problem(1, letter, _("This column has values but no header.")))
            continue
        key = header_aliases.get(folded(header))
        if key is None:
            problems.append(problem(1, letter, _("Unknown column “%(header)s”.") % {"header": header}))
        elif key in positions:
            reason = _("The column “%(header)s” appears twice.") % {"header": header}
            problems.append(problem(1, letter, reason))
        else:
            positions[key] = index
            texts[key] = header
    for column in columns:
        if column.required and column.key not in positions:
            problems.append(
                problem(1, None, _("The required column “%(header)s” is missing.") % {"header": column.label})
            )
    return Headers(positions, texts, problems)


def sheet_read(
    content: bytes,
    filename: str,
    *,
    columns: Iterable,
    header_aliases: dict[str, str],
    max_rows: int,
    cell_text: Callable[[object], str],
) -> Sheet:
    """Read the first sheet and map its headers (`header_aliases`: folded header → column
    key) to `columns` (each with `key`, `label`, `required`); raise SheetError for a file
    that cannot be checked row by row (not an .xlsx, unknown or missing headers, no rows,
    more than `max_rows`)."""
    try:
        headers, data = read_rows(content)
    except UnreadableSheet:
        raise SheetError([_("The file could not be read as an Excel workbook (.xlsx).")]) from None
    found = map_headers(headers, data, columns=columns, header_aliases=header_aliases)
    problems = found.problems
    if not problems and not data:
        problems.append(_("The file has no rows to import."))
    if len(data) > max_rows:
        problems.append(
            _("The file has %(count)s rows; import at most %(max)s at a time.")
            % {"count": len(data), "max": max_rows}
        )
    if problems:
        raise SheetError(problems)
    return Sheet(filename=filename, keys=found.keys, headers=found.texts, rows=found.rows(data, cell_text))
