"""Permission-matrix rows: the dashboard, reporting upward and their API.

The dashboard is the home page: the separated administrators are sent to their consoles
(a redirect, not a 403), so only the API refuses them. Reports are read with the statistics
permission; submitting, returning and accepting take ACTIVITY_APPROVE (an administrator's),
and returning and accepting belong to the organization directly above the submitter."""

from datetime import date

from tests.permission_cases import Case

NO_STATISTICS = ("auditor", "sysadmin", "secadmin")
REVIEWER_ONLY = ("county_staff", *NO_STATISTICS)


def _county_a_report(w) -> dict:
    """甲县科协's report of 2025, waiting for the city (written directly: building it must
    not leave an audit record between the matrix's before-and-after count)."""
    from kexie.reports.models import Submission

    submission, _created = Submission.objects.get_or_create(
        organization=w.county_a,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        defaults={"period": "year", "year": 2025, "number": 1},
    )
    return {"pk": submission.pk}


def _county_a_document(w) -> dict:
    """甲县科协's 2025 summary, written (directly, with a small file: no audit record)."""
    from django.core.files.base import ContentFile

    from kexie.reports.models import GeneratedReport

    document = GeneratedReport.objects.filter(organization=w.county_a).first()
    if document is None:
        document = GeneratedReport(organization=w.county_a, first_year=2025, last_year=2025, state="done")
        document.docx.save("summary.docx", ContentFile(b"docx"), save=False)
        document.xlsx.save("summary.xlsx", ContentFile(b"xlsx"), save=False)
        document.save()
    return {"pk": document.pk, "fmt": "docx"}


def _review(api: bool = False, **fields) -> Case:
    return Case(
        kwargs=_county_a_report,
        method="POST",
        owner="city_admin",
        target="county_a",
        write=True,
        api=api,
        forbidden=REVIEWER_ONLY,
        **fields,
    )


CASES = {
    "reports:dashboard": Case(),
    "reports_api:dashboard": Case(api=True, forbidden=NO_STATISTICS),
    "reports:submissions": Case(forbidden=NO_STATISTICS),
    "reports:submissions_export": Case(forbidden=NO_STATISTICS),
    "reports:submit": Case(
        method="POST",
        owner="city_admin",
        write=True,
        forbidden=REVIEWER_ONLY,
        data=lambda w: {"period": "year", "year": "2024", "number": "1"},
    ),
    "reports:submission": Case(kwargs=_county_a_report, target="county_a", forbidden=NO_STATISTICS),
    "reports:submission_return": _review(data=lambda w: {"reason": "培训人次与台账不符"}),
    "reports:submission_accept": _review(),
    "reports:documents": Case(forbidden=NO_STATISTICS),
    "reports:texts": Case(forbidden=NO_STATISTICS),
    "reports:preference": Case(
        method="POST",
        owner="city_admin",
        write=True,
        forbidden=("county_staff", *NO_STATISTICS),
        data=lambda w: {"traditional": "1"},
    ),
    "reports:text_edit": Case(kwargs=lambda w: {"section": "workers"}, forbidden=NO_STATISTICS),
    "reports:document_request": Case(
        method="POST", owner="city_admin", forbidden=NO_STATISTICS, data=lambda w: {"first_year": "2025"}
    ),
    "reports:document_download": Case(kwargs=_county_a_document, target="county_a", forbidden=NO_STATISTICS),
    "reports_api:document_list": Case(api=True, forbidden=NO_STATISTICS),
    "reports_api:text_list": Case(api=True, forbidden=NO_STATISTICS),
    "reports_api:preference": Case(api=True, forbidden=NO_STATISTICS),
    "reports_api:text": Case(
        kwargs=lambda w: {"section": "workers"},
        method="POST",
        owner="city_admin",
        write=True,
        api=True,
        forbidden=("county_staff", *NO_STATISTICS),
    ),
    "reports_api:document_detail": Case(
        kwargs=lambda w: {"pk": _county_a_document(w)["pk"]},
        target="county_a",
        api=True,
        forbidden=NO_STATISTICS,
    ),
    "reports_api:submission_list": Case(api=True, forbidden=NO_STATISTICS),
    "reports_api:submission_detail": Case(
        kwargs=_county_a_report, target="county_a", api=True, forbidden=NO_STATISTICS
    ),
    "reports_api:submission_return": _review(api=True),
    "reports_api:submission_accept": _review(api=True),
}
