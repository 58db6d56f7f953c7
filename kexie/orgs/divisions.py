"""GB/T 2260 administrative divisions: reading code lists and bringing the table up to date.

Two formats are read, both one division a line:

- ours (``kexie/orgs/data/divisions-*.tsv``): ``code<TAB>name``, with ``# edition: YYYY-MM-DD``
  in a comment line;
- the Ministry of Civil Affairs' published list: ``code name`` separated by any whitespace
  (spaces, tabs, full-width spaces), as copied from its web page, with or without the
  "行政区划代码 单位名称" heading and the closing "注：…" note.

The level is derived from the code: ``xx0000`` a province, ``xxxx00`` a prefecture-level
city, anything else a county-level division. A county's parent is its city when the list
has one, else its province (districts of the municipalities, 省直辖县级市 such as 济源市).

Nothing here imports the models at module level, so the data migration can reuse the
parser with the historical model (`load_shipped`).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from kexie.core.errors import DomainError

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_FILE = DATA_DIR / "divisions-2025.tsv"

_EDITION = re.compile(r"^#\s*edition\s*[:：=]\s*(\d{4}-\d{2}-\d{2})\s*$", re.IGNORECASE)
_CODE = re.compile(r"^\d{6}$")
_MAX_NAME = 64
_MAX_ERRORS = 20  # a wrong file should not flood the terminal
BATCH = 500
# A list that would withdraw more than this share of the current divisions is almost
# certainly partial (a single province, a truncated copy): refused unless forced.
MASS_WITHDRAWAL_SHARE = 0.5


class DivisionFileError(DomainError):
    """A division list that cannot be read; the message names every bad line."""


@dataclass(frozen=True)
class DivisionRow:
    code: str
    name: str
    line: int


@dataclass
class DivisionList:
    rows: list[DivisionRow]
    edition: date | None = None
    source: str = ""

    @property
    def codes(self) -> set[str]:
        return {row.code for row in self.rows}


def level_of(code: str) -> str:
    """province, city or county (the values of `DivisionLevel`), from the code alone."""
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def code_prefix(code: str) -> str:
    """The prefix of a division's code that it and everything under it share:
    370000 → 37, 370400 → 3704, 370402 → 370402 (for `code__startswith` filters)."""
    code = (code or "").strip()
    if not code:
        return ""
    return {"province": code[:2], "city": code[:4]}.get(level_of(code), code)


def parent_code(code: str, codes: set[str]) -> str | None:
    level = level_of(code)
    if level == "province":
        return None
    city, province = code[:4] + "00", code[:2] + "0000"
    if level == "county" and city in codes:
        return city
    return province if province in codes else None


def _is_heading(first: str) -> bool:
    return "代码" in first or first.lower() in {"code", "adcode"}


def _is_note(line: str) -> bool:
    return line.startswith(("注", "备注", "说明"))


def parse_division_lines(lines: Iterable[str], *, source: str = "") -> DivisionList:
    """Read a division list; raise `DivisionFileError` naming each bad line (nothing is kept)."""
    rows: list[DivisionRow] = []
    errors: list[str] = []
    first_line: dict[str, int] = {}
    edition: date | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip().lstrip("\ufeff").strip()
        if not line:
            continue
        if line.startswith("#"):
            match = _EDITION.match(line)
            if match:
                try:
                    edition = date.fromisoformat(match.group(1))
                except ValueError:
                    errors.append(f"Line {number}: “{match.group(1)}” is not a valid edition date.")
            continue
        if _is_note(line):
            continue
        parts = line.split()
        if not rows and not errors and _is_heading(parts[0]):
            continue
        if len(parts) != 2:
            errors.append(f"Line {number}: expected a 6-digit code and a name, found “{line[:40]}”.")
            continue
        code, name = parts
        if not _CODE.match(code) or code == "000000":
            errors.append(f"Line {number}: “{code}” is not a 6-digit administrative division code.")
            continue
        if len(name) > _MAX_NAME:
            errors.append(f"Line {number}: the name of {code} is longer than {_MAX_NAME} characters.")
            continue
        if code in first_line:
            errors.append(f"Line {number}: the code {code} already appears on line {first_line[code]}.")
            continue
        first_line[code] = number
        rows.append(DivisionRow(code, name, number))
    codes = set(first_line)
    for row in rows:
        if level_of(row.code) != "province" and row.code[:2] + "0000" not in codes:
            errors.append(
                f"Line {row.line}: {row.code} {row.name} belongs to province {row.code[:2]}0000, "
                "which is not in the list."
            )
    if not rows and not errors:
        errors.append("The list contains no divisions.")
    if errors:
        shown = errors[:_MAX_ERRORS]
        if len(errors) > _MAX_ERRORS:
            shown.append(f"… and {len(errors) - _MAX_ERRORS} more.")
        where = f"{source}: " if source else ""
        raise DivisionFileError(
            where + "the division list has errors; nothing was changed.\n" + "\n".join(shown)
        )
    return DivisionList(rows=rows, edition=edition, source=source)


def read_division_file(path: str | Path) -> DivisionList:
    """Read a file in UTF-8 (with or without BOM) or, as Windows editors save it, GB 18030."""
    path = Path(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise DivisionFileError(f"{path.name}: the file is neither UTF-8 nor GB 18030 text.") from exc
    return parse_division_lines(text.splitlines(), source=path.name)


def _attributes(division_list: DivisionList) -> dict[str, dict]:
    codes = division_list.codes
    return {
        row.code: {"name": row.name, "level": level_of(row.code), "parent_id": parent_code(row.code, codes)}
        for row in division_list.rows
    }


# --- the data migration ----------------------------------------------------------------


def load_shipped(division_model, path: Path = SHIPPED_FILE) -> int:
    """Insert the shipped divisions that are missing; returns how many were inserted."""
    division_list = read_division_file(path)
    existing = set(division_model.objects.values_list("code", flat=True))
    new = [
        division_model(code=code, edition=division_list.edition, is_current=True, **attrs)
        for code, attrs in _attributes(division_list).items()
        if code not in existing
    ]
    division_model.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


def unload_shipped(division_model, organization_model) -> None:
    """Undo `load_shipped`, keeping the divisions that organizations refer to."""
    used = organization_model.objects.exclude(division=None).values("division")
    division_model.objects.update(parent=None)  # parent links are PROTECT: detach before deleting
    division_model.objects.exclude(code__in=used).delete()


# --- updating to a new edition ------------------------------------------------------------


@dataclass
class DivisionUpdate:
    """What `divisions_update` changed, for the summary and the audit record."""

    edition: date
    added: list[tuple[str, str]] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    withdrawn: list[tuple[str, str]] = field(default_factory=list)
    restored: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.renamed or self.withdrawn or self.restored)


@transaction.atomic
def divisions_update(
    *, actor, division_list: DivisionList, edition: date | None = None, allow_mass_withdrawal: bool = False
) -> DivisionUpdate:
    """Bring the division table to a new edition of the code list.

    New codes are added, changed names are updated, codes missing from the list are marked
    as no longer current (never deleted: organizations may still refer to them), and codes
    that come back are current again. One transaction, one audit record.
    """
    from kexie.audit.services import record

    from .models import Division

    edition = edition or division_list.edition
    if edition is None:
        raise DivisionFileError("The list names no edition: pass --edition YYYY-MM-DD.")
    latest = Division.objects.order_by("-edition").values_list("edition", flat=True).first()
    if latest is not None and edition < latest:
        raise DivisionFileError(
            f"The table already holds the {latest} edition; "
            f"the {edition} edition is older and was not applied."
        )
    wanted = _attributes(division_list)
    existing = {division.code: division for division in Division.objects.select_for_update()}
    current = {code for code, division in existing.items() if division.is_current}
    gone = sorted(current - wanted.keys())
    if current and len(gone) > len(current) * MASS_WITHDRAWAL_SHARE and not allow_mass_withdrawal:
        raise DivisionFileError(
            f"The list would withdraw {len(gone)} of the {len(current)} current divisions: "
            "it looks incomplete. "
            "Nothing was changed (use --allow-mass-withdrawal if this is intended)."
        )

    summary = DivisionUpdate(edition=edition)
    new, changed = [], []
    for code, attrs in wanted.items():
        division = existing.get(code)
        if division is None:
            new.append(Division(code=code, edition=edition, is_current=True, **attrs))
            summary.added.append((code, attrs["name"]))
            continue
        dirty = False
        if division.name != attrs["name"]:
            summary.renamed.append((code, division.name, attrs["name"]))
            dirty = True
        if not division.is_current:
            summary.restored.append((code, attrs["name"]))
            dirty = True
        if division.level != attrs["level"] or division.parent_id != attrs["parent_id"]:
            dirty = True
        if dirty:
            division.name, division.level, division.parent_id = (
                attrs["name"],
                attrs["level"],
                attrs["parent_id"],
            )
            division.is_current, division.edition = True, edition
            changed.append(division)
        else:
            summary.unchanged += 1
    summary.withdrawn = [(code, existing[code].name) for code in gone]

    Division.objects.bulk_create(new, batch_size=BATCH)
    Division.objects.bulk_update(
        changed, ["name", "level", "parent", "is_current", "edition"], batch_size=BATCH
    )
    for start in range(0, len(gone), BATCH):
        Division.objects.filter(code__in=gone[start : start + BATCH]).update(is_current=False)
    # The edition records the latest list an entry appears in; withdrawn codes keep theirs.
    listed = sorted(wanted)
    for start in range(0, len(listed), BATCH):
        Division.objects.filter(code__in=listed[start : start + BATCH]).exclude(edition=edition).update(
            edition=edition
        )
    record(
        actor,
        "divisions.update",
        None,
        edition=edition.isoformat(),
        source=division_list.source,
        added=len(summary.added),
        renamed=len(summary.renamed),
        withdrawn=len(summary.withdrawn),
        restored=len(summary.restored),
        added_codes=",".join(code for code, _ in summary.added),
        renamed_codes=",".join(f"{code}:{old}→{new}" for code, old, new in summary.renamed),
        withdrawn_codes=",".join(code for code, _ in summary.withdrawn),
        restored_codes=",".join(code for code, _ in summary.restored),
    )
    return summary
