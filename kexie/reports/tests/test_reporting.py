"""Reporting upward (层层上报): a county submits a period, the city returns it with a reason
or accepts it; the period locks and unlocks with it, and accepted figures stay as submitted.
On the statistics tests' records (fixture `figures`, kexie/statistics/testing.py)."""

import dataclasses
from datetime import date

import pytest
from django.urls import reverse

from kexie.accounts.roles import Role
from kexie.activities.models import Activity, PeriodLock
from kexie.activities.services.activities import ActivityData, activity_correct, activity_update
from kexie.activities.services.periods import period_unlock
from kexie.audit.models import AuditEvent
from kexie.core.errors import DomainError
from kexie.core.testing import make_user
from kexie.reports.models import Submission
from kexie.reports.services import report_accept, report_return, report_submit
from kexie.statistics.selectors import statistic_values

YEAR_2025 = {"period": "year", "year": 2025, "number": 1}


@pytest.fixture
def county_admin(world):
    world.users["county_admin"] = make_user("county_admin", world.county_a, Role.ORG_ADMIN)
    return world.users["county_admin"]


def submit_2025(world, actor=None, **extra) -> Submission:
    return report_submit(actor=actor, organization=world.county_a, **{**YEAR_2025, **extra})


# --- the services ---------------------------------------------------------------------------


def test_submitting_keeps_every_figure_and_locks_the_period_for_the_subtree(world, figures):
    submission = submit_2025(world, remarks="全年工作已完成")
    expected = statistic_values(organization=world.county_a, start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert submission.figures["popsci_events"] == expected.value("popsci_events") == 3
    assert submission.figures["popsci_onsite_audience"] == 200  # 100 + 40 + the town's 60
    assert set(submission.figures) == set(expected.totals)
    assert submission.lock.organization == world.county_a and submission.lock.unlocked_at is None
    caravan = figures.activities["town_caravan"]
    with pytest.raises(DomainError, match="锁定"):  # the town's activity of 2025 is frozen too
        activity_update(actor=None, activity=caravan, data=ActivityData.of(caravan))
    assert AuditEvent.objects.filter(action="report.submit").count() == 1
    assert AuditEvent.objects.filter(action="period.lock").count() == 1


def test_a_period_is_reported_once_until_it_is_returned(world, figures):
    first = submit_2025(world)
    with pytest.raises(DomainError, match="已经上报"):
        submit_2025(world)
    report_return(actor=None, submission=first, reason="培训人次与台账不符")
    second = submit_2025(world)
    assert second.pk != first.pk and second.state == Submission.State.SUBMITTED
    assert Submission.objects.get(pk=first.pk).state == Submission.State.RETURNED  # kept as history


@pytest.mark.parametrize(
    "organization, period, message",
    [
        ("county_a", {"period": "year", "year": 2026, "number": 1}, "结束"),  # 2026 has not ended
        ("county_a", {"period": "quarter", "year": 2025, "number": 5}, "没有这个"),
        ("county_a", {"period": "month", "year": 2025, "number": 1}, "季度"),
        ("province", YEAR_2025, "上级"),  # the root reports to nobody
    ],
)
def test_a_report_that_cannot_be_made_is_refused_and_changes_nothing(world, organization, period, message):
    with pytest.raises(DomainError, match=message):
        report_submit(actor=None, organization=getattr(world, organization), **period)
    assert not Submission.objects.exists() and not PeriodLock.objects.exists()
    assert not AuditEvent.objects.filter(action="report.submit").exists()


def test_returning_needs_a_reason_and_unlocks_the_period(world, figures):
    submission = submit_2025(world)
    with pytest.raises(DomainError, match="原因"):
        report_return(actor=None, submission=submission, reason="  ")
    returned = report_return(actor=None, submission=submission, reason="培训人次与台账不符")
    assert returned.state == Submission.State.RETURNED and returned.return_reason == "培训人次与台账不符"
    assert PeriodLock.objects.get(pk=submission.lock_id).unlocked_at is not None
    caravan = figures.activities["town_caravan"]
    activity_update(actor=None, activity=caravan, data=ActivityData.of(caravan))  # no longer frozen
    with pytest.raises(DomainError, match="已经退回或接收"):
        report_accept(actor=None, submission=returned)
    assert AuditEvent.objects.filter(action="report.return").count() == 1


def test_an_accepted_report_keeps_its_figures_and_a_later_correction_shows_as_a_difference(
    login, world, figures
):
    submission = report_accept(actor=None, submission=submit_2025(world))
    assert submission.state == Submission.State.ACCEPTED
    # The city unlocks the period again, and 甲县 edits its summer lecture: 40 -> 65 on site.
    period_unlock(actor=None, lock=submission.lock, reason="补录")
    summer = Activity.objects.get(pk=figures.activities["a_summer"].pk)
    data = ActivityData.of(summer)
    data = dataclasses.replace(data, figures={**data.figures, "onsite_participants": 65})
    activity_correct(actor=None, activity=summer, data=data, reason="补录签到表")
    submission.refresh_from_db()
    assert submission.figures["popsci_onsite_audience"] == 200  # frozen
    html = login("city_admin").get(reverse("reports:submission", args=[submission.pk])).content.decode()
    assert 'data-testid="changed"' in html
    row = html.split('data-figure="popsci_onsite_audience"')[1].split("</tr>")[0]
    assert 'data-submitted="200"' in row and 'data-current="225"' in row and 'data-difference="25"' in row


# --- the pages ------------------------------------------------------------------------------


def test_a_county_submits_the_city_returns_the_county_resubmits_and_the_city_accepts(
    login, world, figures, county_admin
):
    def county():
        return login("county_admin")  # the test client, logged in as that persona

    def city():
        return login("city_admin")

    page = county().get(reverse("reports:submissions"), {"period": "year", "year": 2025}).content.decode()
    assert 'data-testid="submit-form"' in page
    assert (
        '<tr data-figure="popsci_events"><td>科普活动</td><td class="text-end kx-nowrap" data-value="3">'
        in page
    )
    response = county().post(reverse("reports:submit"), {**YEAR_2025, "remarks": "请审核"})
    submission = Submission.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:submission", args=[submission.pk]
    )

    children = city().get(reverse("reports:submissions"), {"period": "year", "year": 2025}).content.decode()
    assert f'data-row="{world.county_a.pk}" data-state="submitted"' in children
    assert f'data-row="{world.county_b.pk}" data-state="none"' in children
    row = children.split(f'data-row="{world.county_a.pk}"')[1].split("</tr>")[0]
    assert reverse("reports:submission", args=[submission.pk]) in row
    detail = city().get(reverse("reports:submission", args=[submission.pk])).content.decode()
    assert 'data-testid="review"' in detail and "请审核" in detail

    city().post(reverse("reports:submission_return", args=[submission.pk]), {"reason": "科普活动场次有误"})
    page = county().get(reverse("reports:submissions"), {"period": "year", "year": 2025}).content.decode()
    assert 'data-testid="returned"' in page and "科普活动场次有误" in page
    assert 'data-testid="submit-form"' in page

    county().post(reverse("reports:submit"), YEAR_2025)
    again = Submission.objects.exclude(pk=submission.pk).get()
    city().post(reverse("reports:submission_accept", args=[again.pk]))
    again.refresh_from_db()
    assert again.state == Submission.State.ACCEPTED
    page = county().get(reverse("reports:submissions"), {"period": "year", "year": 2025}).content.decode()
    assert 'data-testid="submit-form"' not in page


def test_staff_see_the_reports_but_only_an_administrator_submits(login, world, figures):
    staff = login("county_staff")
    page = staff.get(reverse("reports:submissions"), {"period": "year", "year": 2025}).content.decode()
    assert 'data-testid="submit-form"' not in page
    assert staff.post(reverse("reports:submit"), YEAR_2025).status_code == 403
    assert not Submission.objects.exists()


def test_a_bad_submission_says_why_and_changes_nothing(login, world, county_admin):
    response = login("county_admin").post(reverse("reports:submit"), {**YEAR_2025, "year": 2026})
    assert response.status_code == 400
    assert "结束" in response.content.decode()
    assert not Submission.objects.exists() and not PeriodLock.objects.exists()


def test_only_the_organization_directly_above_reviews_a_report(login, world, figures):
    town_report = report_submit(actor=None, organization=world.town_a, **YEAR_2025)
    city = login("city_admin")
    assert city.post(reverse("reports:submission_accept", args=[town_report.pk])).status_code == 403
    detail = city.get(reverse("reports:submission", args=[town_report.pk])).content.decode()
    assert 'data-testid="review"' not in detail
    town_report.refresh_from_db()
    assert town_report.state == Submission.State.SUBMITTED


def test_a_sibling_countys_report_does_not_exist_for_its_neighbour(login, world, figures):
    submission = submit_2025(world)
    assert login("county_b_staff").get(reverse("reports:submission", args=[submission.pk])).status_code == 404


def test_the_dashboard_counts_a_child_as_reported_once_it_has_submitted(world, figures):
    from kexie.reports.dashboard import unreported_children

    today = date(2026, 1, 10)  # the last ended quarter: the fourth of 2025
    assert unreported_children(organization=world.city, today=today).missing == [
        world.county_a,
        world.county_b,
    ]
    report_submit(actor=None, organization=world.county_a, period="quarter", year=2025, number=4)
    assert unreported_children(organization=world.city, today=today).missing == [world.county_b]
    # a submission of the whole year is not the quarter's
    report_submit(actor=None, organization=world.county_b, **YEAR_2025)
    assert unreported_children(organization=world.city, today=today).missing == [world.county_b]


# --- the API --------------------------------------------------------------------------------


def test_the_api_submits_lists_returns_and_accepts(api_client, world, figures, county_admin):
    county, city = api_client("county_admin"), api_client("city_admin")
    response = county.post(
        reverse("reports_api:submission_list"), {**YEAR_2025, "remarks": "全年"}, format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["state"] == "submitted" and data["organization"]["id"] == world.county_a.pk
    popsci = next(f for f in data["figures"] if f["code"] == "popsci_events")
    assert (popsci["submitted"], popsci["current"], popsci["difference"]) == (3, 3, 0)
    listed = city.get(reverse("reports_api:submission_list"), {"state": "submitted"}).json()
    assert [row["id"] for row in listed["results"]] == [data["id"]]
    assert county.post(reverse("reports_api:submission_accept", args=[data["id"]])).status_code == 403
    response = city.post(
        reverse("reports_api:submission_return", args=[data["id"]]), {"reason": ""}, format="json"
    )
    assert response.status_code == 400 and "reason" in response.json()
    response = city.post(reverse("reports_api:submission_accept", args=[data["id"]]))
    assert response.status_code == 200 and response.json()["state"] == "accepted"
    again = county.post(reverse("reports_api:submission_list"), YEAR_2025, format="json")
    assert again.status_code == 400


def test_the_api_keeps_a_neighbours_reports_out_of_sight(api_client, world, figures):
    submission = submit_2025(world)
    client = api_client("county_b_staff")
    assert client.get(reverse("reports_api:submission_detail", args=[submission.pk])).status_code == 404
    assert client.get(reverse("reports_api:submission_list")).json()["results"] == []


def test_the_periods_reports_export_to_xlsx_with_their_figures_and_are_audited(login, world, figures):
    from io import BytesIO

    import openpyxl

    report_return(actor=None, submission=submit_2025(world), reason="数字有误")
    submit_2025(world)
    response = login("city_admin").get(
        reverse("reports:submissions_export"), {"period": "year", "year": 2025}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["示例市科学技术协会"][1] == "未上报"
    county_a = by_name["甲县科学技术协会"]
    assert county_a[1] == "已上报" and county_a[headers.index("科普活动（场）")] == 3
    assert by_name["乙县科学技术协会"][1] == "未上报"
    assert AuditEvent.objects.filter(action="report.submissions.export").count() == 1
