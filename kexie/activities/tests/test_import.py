from datetime import date, datetime
from io import BytesIO

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from kexie.activities import importing
from kexie.activities.models import Activity, Campaign, CampaignEdition, Figure, PeriodLock, Status
from kexie.activities.services.periods import period_lock
from kexie.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

HEADERS = [
    "活动名称",
    "活动类型",
    "主办单位",
    "开始时间",
    "结束时间",
    "举办形式",
    "地点",
    "主题活动",
    "面向人群",
    "状态",
]
LECTURE = "甲县2025年科普日讲座"
FORUM = "甲县2025年乡村振兴论坛"


def figure_header(code: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(Figure(code).label)


def workbook(rows, headers=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers or [*HEADERS, figure_header("onsite_participants"), figure_header("display_boards")])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, rows, name="2025年活动.xlsx", content=None, headers=None):
    file = SimpleUploadedFile(name, content if content is not None else workbook(rows, headers))
    return client.post(reverse("activities:import"), {"file": file})


def preview_of(client, response):
    assert response.status_code == 302, response.content.decode()[:3000]
    return client.get(response["Location"]), response["Location"]


def label(row: int, column: str) -> str:
    """How a problem reads in the UI language: 第3行，结束时间：… in Chinese."""
    with translation.override(settings.LANGUAGE_CODE):
        return importing.problem(row, column, "\x00").split("\x00")[0]


def good_rows():
    """A held lecture of the 2025 science day by 甲县科协 and a draft forum of 甲镇科协 (held
    rows pass the approval step: the city's administrator imports them)."""
    return [
        [
            LECTURE,
            "科普讲座",
            "甲县科协",
            datetime(2025, 9, 16, 9),
            "2025-09-16 11:00",
            "线下",
            "甲县科技馆",
            "2025年全国科普日",
            "青少年、农民",
            "已举办",
            300,
            None,
        ],
        [FORUM, "学术论坛", "甲镇科协", "2025-05-20", "", "线上线下结合", "", "", "", "草稿", 80, None],
    ]


@pytest.fixture
def science_day(world):
    return CampaignEdition.objects.create(
        campaign=Campaign.objects.get(code="science_day"),
        year=2025,
        starts_on=date(2025, 9, 15),
        ends_on=date(2025, 9, 21),
    )


# --- the template ------------------------------------------------------------------------


def test_the_template_has_the_chinese_headers_an_example_row_and_the_values_allowed(world, login):
    response = login("county_staff").get(reverse("activities:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(BytesIO(response.content))
    sheet, values = book.worksheets
    headers = [cell.value for cell in sheet[1]]
    with translation.override(settings.LANGUAGE_CODE):
        assert headers == [str(column.label) for column in importing.COLUMNS]
        assert str(Figure.ONSITE_PARTICIPANTS.label) in headers
    assert headers[0] in ("活动名称", "Activity name")  # Chinese once the translations are merged
    assert sheet.max_row == 2
    allowed = "\n".join(str(cell.value) for row in values.iter_rows() for cell in row if cell.value)
    assert "科普讲座" in allowed and "全国科普日" in allowed and "青少年" in allowed and "已上报" in allowed


def test_the_templates_example_row_is_refused_and_its_headers_are_recognised(world, login):
    client = login("county_staff")
    template = client.get(reverse("activities:import_template")).content
    preview, _url = preview_of(client, upload(client, None, content=template))
    [row] = preview.context["check"].rows
    assert list(row.errors) == [importing.ROW_PROBLEM]


# --- bad rows, then the fixed file -----------------------------------------------------------


def test_two_bad_rows_are_listed_by_row_and_column_and_nothing_is_written(world, login, science_day):
    client = login("city_admin")
    rows = good_rows()
    rows[0][1] = "科普相声"  # no such kind
    rows[1][3], rows[1][4] = "2025-05-20 15:00", "2025-05-20 09:00"  # ends before it starts
    preview, url = preview_of(client, upload(client, rows))
    page = preview.content.decode()
    check = preview.context["check"]
    assert check.invalid_count == 2
    assert [(row.number, list(row.errors)) for row in check.rows] == [(2, ["kind"]), (3, ["ends_at"])]
    assert label(2, "活动类型") in page and "科普相声" in page
    assert label(3, "结束时间") in page
    assert 'data-testid="apply-button"' not in page

    response = client.post(url)  # forcing the apply anyway
    assert response.status_code == 200
    assert not Activity.objects.filter(title__in=[LECTURE, FORUM]).exists()
    assert not AuditEvent.objects.filter(
        action__in=["activity.create", "activity.import"], actor__isnull=False
    ).exists()


def test_the_fixed_file_imports_every_row_with_its_status_in_one_go(world, login, science_day):
    client = login("city_admin")
    preview, url = preview_of(client, upload(client, good_rows()))
    check = preview.context["check"]
    assert check.problems == [] and check.new_count == 2
    assert 'data-testid="apply-button"' in preview.content.decode()

    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("activities:list")
    lecture = Activity.objects.get(title=LECTURE)
    assert lecture.organization == world.county_a and lecture.status == Status.HELD
    assert timezone.localtime(lecture.starts_at) == timezone.make_aware(datetime(2025, 9, 16, 9))
    assert timezone.localtime(lecture.ends_at).hour == 11
    assert lecture.campaign_edition == science_day and lecture.venue == "甲县科技馆"
    assert lecture.onsite_participants == 300
    assert sorted(lecture.target_groups.values_list("name", flat=True)) == ["农民", "青少年"]
    forum = Activity.objects.get(title=FORUM)
    assert forum.organization == world.town_a and forum.status == Status.DRAFT
    assert forum.mode == "both" and forum.held_on == date(2025, 5, 20)
    assert timezone.localtime(forum.ends_at).strftime("%H:%M") == "23:59"  # a day written alone
    staff = world.users["city_admin"]
    assert AuditEvent.objects.filter(action="activity.create", actor=staff).count() == 2
    assert AuditEvent.objects.filter(action="activity.held", actor=staff).count() == 1
    summary = AuditEvent.objects.get(action="activity.import")
    assert summary.detail["rows"] == 2 and summary.detail["filename"] == "2025年活动.xlsx"


def test_importing_the_same_file_again_skips_every_row(world, login, science_day):
    client = login("city_admin")
    _preview, url = preview_of(client, upload(client, good_rows()))
    client.post(url)
    before = Activity.objects.count()

    preview, url = preview_of(client, upload(client, good_rows()))
    check = preview.context["check"]
    assert check.existing_count == 2 and check.new_count == 0 and check.is_valid
    page = preview.content.decode()
    assert 'data-testid="import-nothing"' in page and 'data-testid="apply-button"' not in page
    client.post(url)
    assert Activity.objects.count() == before
    assert AuditEvent.objects.filter(action="activity.import").count() == 1


def test_a_row_in_a_locked_period_is_refused(world, login, science_day):
    period_lock(
        actor=None, organization=world.county_a, period=PeriodLock.Period.QUARTER, year=2025, number=3
    )
    client = login("city_admin")
    preview, _url = preview_of(client, upload(client, good_rows()))
    rows = preview.context["check"].rows
    assert list(rows[0].errors) == ["starts_at"]
    assert "2025-07-01" in rows[0].errors["starts_at"][0]
    assert rows[1].is_valid  # May is not locked
    assert label(2, "开始时间") in preview.content.decode()


def test_another_countys_organizer_is_refused(world, login, science_day):
    client = login("county_staff")
    rows = good_rows()
    rows[0][2], rows[0][9] = "乙县科学技术协会", "草稿"
    preview, _url = preview_of(client, upload(client, rows))
    row = preview.context["check"].rows[0]
    assert list(row.errors) == ["organizer"]
    assert "乙县科学技术协会" in row.errors["organizer"][0]


def test_a_figure_the_kind_does_not_report_and_a_number_that_is_not_whole_are_cell_errors(
    world, login, science_day
):
    client = login("city_admin")
    rows = good_rows()
    rows[0][10], rows[0][11] = "30.5", 12  # 科普讲座 has no display boards
    preview, _url = preview_of(client, upload(client, rows))
    row = preview.context["check"].rows[0]
    assert set(row.errors) == {"onsite_participants", "display_boards"}
    assert "科普讲座" in row.errors["display_boards"][0]
    page = preview.content.decode()
    assert label(2, figure_header("display_boards")) in page


def test_reported_rows_need_the_right_to_approve_the_organizers_activities(world, login, science_day):
    rows = good_rows()[:1]
    rows[0][9] = "已上报"
    headers = [*HEADERS, *(figure_header(code) for code in ("onsite_participants", "online_viewers"))]
    rows[0][10:] = [300, 1000]
    figures = ["online_interactions", "sessions", "leaflets", "students_reached"]
    headers += [figure_header(code) for code in figures]
    rows[0] += [0, 1, 500, 0]

    staff = login("county_staff")
    preview, _url = preview_of(staff, upload(staff, rows, headers=headers))
    row = preview.context["check"].rows[0]
    assert list(row.errors) == ["status"]
    assert not AuditEvent.objects.filter(action="permission.denied").exists()

    admin = login("city_admin")
    rows[0][2] = "甲县科协"
    preview, url = preview_of(admin, upload(admin, rows, headers=headers))
    assert preview.context["check"].is_valid
    admin.post(url)
    lecture = Activity.objects.get(title=LECTURE)
    assert lecture.status == Status.REPORTED and lecture.leaflets == 500
    assert AuditEvent.objects.filter(action="activity.report", actor=world.users["city_admin"]).count() == 1


def test_a_reported_row_needs_every_figure_of_its_kind(world, login, science_day):
    client = login("city_admin")
    rows = good_rows()[:1]
    rows[0][2], rows[0][9] = "甲县科协", "已上报"
    preview, _url = preview_of(client, upload(client, rows))
    [message] = preview.context["check"].rows[0].errors["status"]
    assert figure_header("online_viewers") in message


def test_a_campaign_without_an_edition_of_the_year_and_an_unknown_target_group_are_reported(world, login):
    client = login("city_admin")
    rows = good_rows()[:1]
    rows[0][8] = "青少年、外星人"
    preview, _url = preview_of(client, upload(client, rows))
    row = preview.context["check"].rows[0]
    assert set(row.errors) == {"campaign", "target_groups"}
    assert "外星人" in row.errors["target_groups"][0]


def test_a_future_activity_cannot_be_imported_as_held(world, login):
    client = login("county_staff")
    rows = good_rows()[1:]
    next_year = timezone.localdate().year + 1
    rows[0][3], rows[0][9] = f"{next_year}-05-20 09:00", "已举办"
    preview, _url = preview_of(client, upload(client, rows))
    assert list(preview.context["check"].rows[0].errors) == ["status"]


# --- bad files and applying once -----------------------------------------------------------


def test_a_missing_required_column_and_an_unknown_one_are_reported_on_the_upload_page(world, login):
    client = login("county_staff")
    response = upload(client, [["讲座", "2025-09-16"]], headers=["活动名称", "日期时间"])
    errors = response.context["form"].errors["file"]
    assert response.status_code == 200
    assert any("日期时间" in error for error in errors)
    assert len(errors) == 3  # the unknown column, and the missing kind and start columns


def test_a_file_with_too_many_rows_is_refused(world, login, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 1)
    response = upload(login("county_staff"), good_rows())
    [error] = response.context["form"].errors["file"]
    assert "2" in error and "1" in error


def test_re_posting_an_applied_import_does_not_import_twice(world, login, science_day):
    client = login("city_admin")
    _preview, url = preview_of(client, upload(client, good_rows()))
    client.post(url)
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("activities:import")
    assert Activity.objects.filter(title__in=[LECTURE, FORUM]).count() == 2


def test_a_read_only_viewer_cannot_import(world, login):
    client = login("viewer")
    assert client.get(reverse("activities:import")).status_code == 403
    assert client.get(reverse("activities:import_template")).status_code == 403
    assert upload(client, good_rows()).status_code == 403


def test_dates_and_times_are_read_as_people_write_them():
    assert importing.parse_moment("2025-09-16 09:00") == (datetime(2025, 9, 16, 9), True)
    assert importing.parse_moment("2025/9/16 9:30") == (datetime(2025, 9, 16, 9, 30), True)
    assert importing.parse_moment("2025年9月16日 14:00") == (datetime(2025, 9, 16, 14), True)
    assert importing.parse_moment("2025.09.16") == (datetime(2025, 9, 16), False)
    with pytest.raises(ValueError):
        importing.parse_moment("去年九月")


def test_the_same_activity_twice_in_the_file_is_reported_on_the_second_row(world, login, science_day):
    client = login("county_staff")
    rows = [good_rows()[1], good_rows()[1]]
    preview, _url = preview_of(client, upload(client, rows))
    first, second = preview.context["check"].rows
    assert first.is_valid and list(second.errors) == [importing.ROW_PROBLEM]
    assert "2" in second.errors[importing.ROW_PROBLEM][0]


def test_staff_import_held_rows_only_through_the_approver(world, login, science_day):
    """A held row passes the approval step, which belongs to the organizer's approver: the
    county's staff import it as a draft and submit it instead."""
    client = login("county_staff")
    preview, _url = preview_of(client, upload(client, good_rows()))
    rows = preview.context["check"].rows
    assert list(rows[0].errors) == ["status"] and "草稿" in rows[0].errors["status"][0]
    assert rows[1].is_valid  # the draft forum
    assert not Activity.objects.exists()
