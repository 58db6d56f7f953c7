"""Importing people into the talent pool: preview, errors by row and column, atomic apply,
duplicates merged or skipped, idempotent re-import, one-time tokens, scoping."""

from datetime import date

import pytest
from django.urls import reverse

from kexie.audit.models import AuditEvent
from kexie.core.errors import DomainError
from kexie.core.scoping import Scope
from kexie.people import importing
from kexie.people.models import Person, Unit
from kexie.people.services import importing as services
from kexie.people.services.people import id_number_lookup

from .import_helpers import (
    PEOPLE_HEADERS,
    bad_check_digit,
    id_number,
    import_store,  # noqa: F401  an autouse fixture
    preview_of,
    upload,
    workbook,
)

pytestmark = pytest.mark.django_db

ZHAO, QIAN, SUN = id_number(11), id_number(12, "19750615"), id_number(13, "19900220")


def scope_of(user) -> Scope:
    return Scope(user=user, membership=user.memberships.get())


def three_people(unit=""):
    return [
        ["赵一", ZHAO, "13700137001", "工程师", unit],
        ["钱二", QIAN, "13700137002", "高级工程师", unit],
        ["孙三", SUN, "13700137003", "", ""],
    ]


def people_import(client, rows, headers=PEOPLE_HEADERS, **kwargs):
    return preview_of(client, upload(client, "people", headers, rows, **kwargs))


def apply(client, url, on_duplicate=None, **kwargs):
    data = {"on_duplicate": on_duplicate} if on_duplicate else {}
    return client.post(url, data, **kwargs)


def summary(token_url: str) -> AuditEvent:
    token = token_url.rstrip("/").rsplit("/", 1)[-1]
    return AuditEvent.objects.get(action="person.import", detail__token=token)


# --- a good file ---------------------------------------------------------------------------


def test_a_good_file_previews_every_row_as_new_and_imports_them_with_one_audit_record(world, talent, login):
    client = login("county_staff")
    preview, url = people_import(client, three_people(unit="甲县人民医院"))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert 'data-testid="apply-button"' in page
    assert "新增3条" in page
    assert ZHAO not in page and "110105********0112" in page  # ID numbers masked in the preview
    assert "137****7001" in page

    response = apply(client, url, follow=True)
    assert "导入完成：新增3条，合并0条，跳过0条，无变化0条。" in response.content.decode()
    zhao = Person.objects.get(id_number_index=id_number_lookup(ZHAO))
    assert zhao.name == "赵一" and zhao.organization == world.county_a
    assert zhao.unit == talent.unit_a and zhao.title == "工程师"
    assert zhao.birth_date == date(1980, 1, 1) and zhao.gender == "male"
    assert zhao.initials == "zy"
    record = summary(url)
    assert record.actor == world.users["county_staff"]
    assert record.detail["created"] == 3 and record.detail["unchanged"] == 0
    assert record.detail["filename"] == "导入.xlsx"
    assert AuditEvent.objects.filter(action="person.import").count() == 1


def test_headers_may_be_in_english_or_codes_and_choices_by_label_or_code(world, login):
    client = login("county_staff")
    headers = ["Full name", "id_number", "Mobile", "学历", "gender", "title level"]
    rows = [
        ["赵一", ZHAO, "13700137001", "本科", "男", "副高级"],
        ["钱二", "", "13700137002", "master", "female", "senior"],
    ]
    preview, url = people_import(client, rows, headers=headers)
    assert preview.context["preview"]["problems"] == []
    apply(client, url)
    zhao, qian = Person.objects.get(name="赵一"), Person.objects.get(name="钱二")
    assert (zhao.education, zhao.title_level) == ("bachelor", "vice_senior")
    assert (qian.education, qian.gender, qian.title_level) == ("master", "female", "senior")


def test_excel_dates_and_numbers_typed_as_numbers_are_read_as_written(world, login):
    client = login("county_staff")
    headers = ["姓名", "手机号", "出生日期"]
    preview, url = people_import(client, [["周五", 13700137005, date(1985, 3, 9)]], headers=headers)
    assert preview.context["preview"]["problems"] == []
    apply(client, url)
    person = Person.objects.get(name="周五")
    assert person.birth_date == date(1985, 3, 9) and person.mobile_masked == "137****7005"


# --- every bad cell, nothing written ------------------------------------------------------------


def test_every_bad_cell_is_listed_by_row_and_column_in_chinese_and_nothing_is_applied(world, talent, login):
    client = login("county_staff")
    rows = [
        ["赵一", bad_check_digit(ZHAO), "13700137001", "工程师", ""],
        ["钱二", QIAN, "1370013700", "", ""],
        ["孙三", SUN, "13700137003", "", "不存在的医院"],
        ["孙三", SUN, "13700137004", "", ""],
        ["", "", "", "", ""],  # a blank row is skipped
        ["", id_number(15), "", "", ""],
    ]
    preview, url = people_import(client, rows)
    problems = preview.context["preview"]["problems"]
    assert problems == [
        f"第2行，身份证号：身份证号“{bad_check_digit(ZHAO)}”的校验码不正确。",
        "第3行，手机号：“1370013700”不是有效的电话号码。",
        "第4行，工作单位：未知单位“不存在的医院”：您的数据范围内没有该名称或统一社会信用代码的单位。"
        "请先导入或登记该单位，或将此格留空。",
        "第5行，身份证号：与第4行的身份证号重复。",
        "第7行，姓名：请填写姓名。",
    ]
    page = preview.content.decode()
    assert 'data-testid="import-problems"' in page
    assert 'data-testid="apply-button"' not in page
    assert preview.context["preview"]["counts"]["invalid"] == 5

    response = apply(client, url)
    assert response.status_code == 200
    assert Person.objects.filter(name__in=["赵一", "钱二", "孙三"]).count() == 0
    assert not AuditEvent.objects.filter(action="person.import").exists()


def test_the_apply_service_writes_nothing_when_one_row_has_become_bad(world, talent):
    """All or nothing: a row made invalid after the preview stops the whole file."""
    scope = scope_of(world.users["county_staff"])
    rows = three_people(unit="甲县人民医院")
    sheet = importing.sheet_read(workbook(PEOPLE_HEADERS, rows), "名单.xlsx", "people")
    assert importing.sheet_check(scope=scope, sheet=sheet).is_valid
    Unit.objects.filter(pk=talent.unit_a.pk).update(name="甲县第一人民医院")  # renamed meanwhile
    with pytest.raises(importing.SheetError) as caught:
        services.import_apply(actor=scope.user, scope=scope, sheet=sheet, token="a" * 32)
    assert caught.value.problems[0].startswith("第2行，工作单位：未知单位“甲县人民医院”")
    assert len(caught.value.problems) == 2
    assert not Person.objects.filter(name__in=["赵一", "钱二", "孙三"]).exists()
    assert not AuditEvent.objects.filter(action="person.import").exists()


def test_a_failure_in_the_middle_of_the_apply_rolls_everything_back(world, talent, monkeypatch):
    scope = scope_of(world.users["county_staff"])
    rows = [*three_people(), ["张伟", "11010519491231002X", "", "主任医师", ""]]
    sheet = importing.sheet_read(workbook(PEOPLE_HEADERS, rows), "名单.xlsx", "people")

    def broken_update(**kwargs):
        raise DomainError("磁盘已满", field="title")

    monkeypatch.setattr(services, "person_update", broken_update)
    with pytest.raises(importing.SheetError) as caught:
        services.import_apply(
            actor=scope.user, scope=scope, sheet=sheet, token="b" * 32, on_duplicate="merge"
        )
    assert caught.value.problems == ["第5行，职称：磁盘已满"]
    assert not Person.objects.filter(name__in=["赵一", "钱二", "孙三"]).exists()
    assert not AuditEvent.objects.filter(action="person.import").exists()


def test_headers_that_cannot_be_read_are_refused_on_the_upload_page(world, login):
    client = login("county_staff")
    response = upload(client, "people", ["姓名", "血型"], [["赵一", "A"]])
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert "第1行，B列：无法识别的列“血型”。" in errors
    assert (
        "第1行：文件须有“身份证号”或“手机号”列，以便识别人员。" not in errors
    )  # reported once the header is fixed
    response = upload(client, "people", ["姓名", "职称"], [["赵一", "工程师"]])
    assert response.context["form"].errors["file"] == [
        "第1行：文件须有“身份证号”或“手机号”列，以便识别人员。"
    ]
    response = upload(client, "people", [], [], content=b"not a workbook")
    assert response.context["form"].errors["file"] == ["无法按 Excel 文件（.xlsx）读取该文件。"]


def test_the_example_row_of_the_template_is_refused(world, login):
    client = login("county_staff")
    content = client.get(reverse("people:import_template") + "?kind=people").content
    preview, _url = preview_of(client, upload(client, "people", [], [], content=content))
    assert preview.context["preview"]["problems"] == ["第2行：这是模板中的示例行，请删除。"]


# --- duplicates against the database ---------------------------------------------------------


def test_a_person_registered_with_the_same_id_number_is_merged_when_chosen(world, talent, login):
    client = login("county_staff")
    rows = [["张伟", "11010519491231002x", "", "主任医师", ""], ["赵一", ZHAO, "13700137001", "", ""]]
    preview, url = people_import(client, rows)
    counts = preview.context["preview"]["counts"]
    assert counts["duplicate"] == 1 and counts["new"] == 1
    page = preview.content.decode()
    assert 'data-testid="duplicate-choice"' in page
    row = preview.context["preview"]["table"][0]
    assert row["status"] == "duplicate" and row["changes"] == ["职称"]
    assert "张伟（甲县科协登记）" in row["match"]

    apply(client, url, "merge")
    talent.person_a.refresh_from_db()
    assert talent.person_a.title == "主任医师"
    assert talent.person_a.mobile_masked == "138****8000"  # an empty cell leaves the value alone
    assert talent.person_a.unit == talent.unit_a
    assert AuditEvent.objects.get(action="person.update").changes["title"] == ["", "主任医师"]
    assert (summary(url).detail["merged"], summary(url).detail["created"]) == (1, 1)


def test_a_person_registered_with_the_same_id_number_is_left_alone_when_skipped(world, talent, login):
    client = login("county_staff")
    _preview, url = people_import(client, [["张伟", "11010519491231002X", "13600136000", "主任医师", ""]])
    apply(client, url, "skip")
    talent.person_a.refresh_from_db()
    assert talent.person_a.title == "" and talent.person_a.mobile_masked == "138****8000"
    assert not AuditEvent.objects.filter(action="person.update").exists()
    assert summary(url).detail["skipped"] == 1 and summary(url).detail["merged"] == 0


def test_without_a_choice_duplicates_are_not_applied(world, talent, login):
    client = login("county_staff")
    _preview, url = people_import(client, [["张伟", "11010519491231002X", "", "主任医师", ""]])
    response = apply(client, url, "maybe", follow=True)
    assert "请选择对已登记记录合并还是跳过。" in response.content.decode()
    assert not AuditEvent.objects.filter(action="person.import").exists()


def test_a_person_is_recognised_by_the_same_name_and_mobile(world, talent, login):
    client = login("county_b_staff")
    preview, url = people_import(client, [["李娜", "", "139 0013 9000", "研究员", ""]])
    assert preview.context["preview"]["counts"]["duplicate"] == 1
    apply(client, url, "merge")
    talent.person_b.refresh_from_db()
    assert talent.person_b.title == "研究员"
    assert Person.objects.filter(name="李娜").count() == 1


def test_the_same_mobile_under_another_name_is_a_new_person(world, talent, login):
    client = login("county_b_staff")
    preview, _url = people_import(client, [["李小娜", "", "13900139000", "", ""]])
    assert preview.context["preview"]["counts"]["new"] == 1


def test_an_id_number_registered_outside_the_scope_is_a_row_error(world, talent, login):
    client = login("county_b_staff")
    preview, _url = people_import(client, [["张伟", "11010519491231002X", "", "", ""]])
    assert preview.context["preview"]["problems"] == [
        "第2行，身份证号：该身份证号已登记在您数据范围以外的人员名下，不能重复登记。"
    ]


def test_a_unit_of_another_county_is_unknown_and_people_there_are_not_matched(world, talent, login):
    Unit.objects.create(organization=world.county_b, name="乙县人民医院")
    client = login("county_staff")
    preview, _url = people_import(client, [["李娜", "", "13900139000", "", "乙县人民医院"]])
    problems = preview.context["preview"]["problems"]
    assert problems == [
        "第2行，工作单位：未知单位“乙县人民医院”：您的数据范围内没有该名称或统一社会信用代码的单位。"
        "请先导入或登记该单位，或将此格留空。"
    ]
    preview, _url = people_import(client, [["李娜", "", "13900139000", "", ""]])
    assert preview.context["preview"]["counts"]["new"] == 1  # county B's 李娜 is not county A's to merge


# --- idempotence and one-time tokens --------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(world, talent, login):
    client = login("county_staff")
    rows = [*three_people(unit="甲县人民医院"), ["吴六", "", "13700137006", "", ""]]
    _preview, first = people_import(client, rows)
    apply(client, first)
    before = {p.pk: p.updated_at for p in Person.objects.all()}

    preview, second = people_import(client, rows)
    assert preview.context["preview"]["counts"] == {"invalid": 0, "duplicate": 0, "new": 0, "unchanged": 4}
    assert 'data-testid="duplicate-choice"' not in preview.content.decode()
    response = apply(client, second, follow=True)
    assert "导入完成：新增0条，合并0条，跳过0条，无变化4条。" in response.content.decode()
    assert {p.pk: p.updated_at for p in Person.objects.all()} == before
    detail = summary(second).detail
    assert (detail["created"], detail["merged"], detail["unchanged"]) == (0, 0, 4)
    assert not AuditEvent.objects.filter(action="person.update").exists()


def test_an_upload_is_applied_only_once(world, login):
    client = login("county_staff")
    _preview, url = people_import(client, three_people())
    apply(client, url)
    response = apply(client, url, follow=True)
    assert response.status_code == 200
    assert Person.objects.filter(name="赵一").count() == 1
    assert AuditEvent.objects.filter(action="person.import").count() == 1


def test_the_service_refuses_a_token_applied_before(world):
    scope = scope_of(world.users["county_staff"])
    sheet = importing.sheet_read(workbook(PEOPLE_HEADERS, three_people()), "名单.xlsx", "people")
    services.import_apply(actor=scope.user, scope=scope, sheet=sheet, token="c" * 32)
    with pytest.raises(DomainError) as caught:
        services.import_apply(actor=scope.user, scope=scope, sheet=sheet, token="c" * 32)
    assert str(caught.value) == "本次导入已执行。"
    assert Person.objects.filter(name="赵一").count() == 1


def test_another_user_cannot_open_or_apply_someone_elses_upload(world, login, client):
    _preview, url = people_import(login("county_staff"), three_people())
    other = login("city_admin")
    response = other.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("people:import")
    other.post(url)
    assert not Person.objects.filter(name="赵一").exists()
    assert "该上传已失效" in other.get(url + "progress/").content.decode()
    assert (
        "该上传已失效"
        in other.get(reverse("people:import_progress", args=["..%2F..%2Fetc"])).content.decode()
    )


def test_the_stored_upload_is_encrypted_and_forgotten_once_applied(world, login, settings):
    store = settings.KEXIE_IMPORT_DIR
    client = login("county_staff")
    _preview, url = people_import(client, three_people())
    token = url.rstrip("/").rsplit("/", 1)[-1]
    stored = (store / token / "sheet.bin").read_bytes()
    assert ZHAO.encode() not in stored and "赵一".encode() not in stored
    apply(client, url)
    assert not (store / token / "sheet.bin").exists()
    assert "导入完成" in client.get(url).content.decode()
