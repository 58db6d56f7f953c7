"""The texts of the annual summary: templates per section, edited by an administrator,
versioned, inherited down the tree, and the document written from them."""

from datetime import date

import pytest
from django.urls import reverse

from kexie.audit.models import AuditEvent
from kexie.core.errors import DomainError
from kexie.reports.annual import annual_report
from kexie.reports.models import SectionText
from kexie.reports.selectors import current_texts
from kexie.reports.services import section_text_restore, section_text_save
from kexie.reports.texts import render_lines, section_spec, template_errors

TODAY = date(2026, 3, 1)


class _Numbers:
    def __init__(self):
        self.used = []

    def number(self, value, unit, source, name):
        self.used.append(source)
        return f"{value}{unit}"


def test_a_line_is_written_only_when_every_value_it_names_is_there():
    numbers = {"popsci_events": (4, "场", "科普活动"), "caravan_stops": (0, "站次", "大篷车")}
    texts = {"span": "全年", "campaigns": ""}
    state = _Numbers()
    body = "\n".join(
        [
            "{span}举办科普活动{popsci_events}。",
            "大篷车巡展{caravan_stops}。",
            "围绕{campaigns}等主题活动。",
            "",
            "共{popsci_events:项}。",
        ]
    )
    assert render_lines(body, numbers=numbers, texts=texts, state=state) == [
        "全年举办科普活动4场。",
        "共4项。",
    ]
    assert state.used == ["popsci_events", "popsci_events"]


def test_a_subheading_stays_only_when_a_paragraph_under_it_does():
    numbers = {"popsci_events": (4, "场", "科普活动"), "caravan_stops": (0, "站次", "大篷车")}
    body = "（一）大篷车\n巡展{caravan_stops}。\n（二）科普活动\n举办科普活动{popsci_events}。\n（三）空\n"
    lines = render_lines(body, numbers=numbers, texts={}, state=_Numbers())
    assert lines == ["（一）科普活动", "举办科普活动4场。"]  # renumbered
    assert (
        render_lines("（一）大篷车\n巡展{caravan_stops}。", numbers=numbers, texts={}, state=_Numbers()) == []
    )


@pytest.mark.parametrize(
    "body, fragment",
    [("举办{popsci_event}场", "popsci_event"), ("举办{popsci_events场", "括号"), ("{span}}", "括号")],
)
def test_a_template_with_an_unknown_name_or_a_stray_brace_is_refused_saying_which(world, body, fragment):
    assert template_errors(body)
    with pytest.raises(DomainError, match=fragment):
        section_text_save(actor=None, organization=world.city, section="literacy", body=body)
    assert not SectionText.objects.exists()


def test_every_default_template_is_valid():
    for code in ("opening", "workers", "innovation", "literacy", "decision", "network"):
        assert template_errors(section_spec(code).default) == [], code


def test_versions_are_kept_and_a_restore_adds_one(world):
    first = section_text_save(
        actor=None, organization=world.city, section="workers", body="{span}培训{people_trained}。"
    )
    second = section_text_save(
        actor=None, organization=world.city, section="workers", body="培训{people_trained}。"
    )
    restored = section_text_restore(actor=None, organization=world.city, section="workers", version=1)
    assert (first.version, second.version, restored.version) == (1, 2, 3)
    assert restored.body == first.body and "1" in restored.note
    default = section_text_restore(actor=None, organization=world.city, section="workers", version=None)
    assert default.body == section_spec("workers").default
    assert AuditEvent.objects.filter(action="report.text.save").count() == 4


def test_an_organizations_text_applies_below_it_unless_one_below_has_its_own(world):
    section_text_save(
        actor=None, organization=world.city, section="workers", body="市：培训{people_trained}。"
    )
    county = current_texts(world.county_a)["workers"]
    assert county.body == "市：培训{people_trained}。" and county.inherited
    section_text_save(
        actor=None, organization=world.county_a, section="workers", body="县：培训{people_trained}。"
    )
    assert current_texts(world.town_a)["workers"].body == "县：培训{people_trained}。"
    assert current_texts(world.county_b)["workers"].body == "市：培训{people_trained}。"
    assert current_texts(world.city)["literacy"].version is None  # the default


def test_the_summary_is_written_from_the_text_in_use(world, figures):
    section_text_save(
        actor=None,
        organization=world.city,
        section="literacy",
        body="{span}，{name}开展科普活动{popsci_events:次}。\n线上互动{popsci_online_interactions}。",
    )
    report = annual_report(organization=world.city, first_year=2025, today=TODAY)
    literacy = next(
        section for section in report.sections if section.heading.endswith("为提高全民科学素质服务")
    )
    assert literacy.paragraphs == ["全年，示例市科协开展科普活动4次。"]  # no online interactions in 2025


def test_an_administrator_edits_a_section_on_the_page_and_staff_may_only_read(login, world):
    url = reverse("reports:text_edit", args=["workers"])
    staff = login("county_staff")
    assert staff.get(url).status_code == 200
    assert staff.post(url, {"body": "培训{people_trained}。"}).status_code == 403
    admin = login("city_admin")
    response = admin.post(url, {"body": "举办{training_course}期。"})
    assert response.status_code == 400 and "training_course" in response.content.decode()
    response = admin.post(url, {"body": "{span}培训{people_trained}。", "note": "简化"})
    assert response.status_code == 302
    assert SectionText.objects.get().version == 1
    page = admin.get(reverse("reports:texts")).content.decode()
    assert 'data-section="workers"' in page and 'data-source="own"' in page
    admin.post(url, {"restore": ""})
    assert SectionText.objects.order_by("-version").first().body == section_spec("workers").default
    assert admin.get(reverse("reports:text_edit", args=["nonsense"])).status_code == 404


def test_the_api_lists_the_texts_and_saves_a_version(api_client, world):
    admin = api_client("city_admin")
    rows = admin.get(reverse("reports_api:text_list")).json()
    assert [row["section"] for row in rows][:2] == ["opening", "workers"]
    assert all(row["source"] == "default" for row in rows)
    response = admin.post(
        reverse("reports_api:text", args=["workers"]), {"body": "培训{people_trained}。"}, format="json"
    )
    assert response.status_code == 201 and response.json()["version"] == 1
    bad = admin.post(reverse("reports_api:text", args=["workers"]), {"body": "{nope}"}, format="json")
    assert bad.status_code == 400 and "nope" in str(bad.json())
    staff = api_client("county_staff")
    refused = staff.post(
        reverse("reports_api:text", args=["workers"]), {"body": "培训{people_trained}。"}, format="json"
    )
    assert refused.status_code == 403
    assert [row["source"] for row in staff.get(reverse("reports_api:text_list")).json()][1] == "inherited"


def test_an_organizations_preference_for_traditional_characters_applies_below_it(
    login, world, figures, django_capture_on_commit_callbacks
):
    from kexie.reports.models import GeneratedReport
    from kexie.reports.selectors import prefers_traditional
    from kexie.reports.services import document_request

    assert not prefers_traditional(world.county_a)
    admin = login("city_admin")
    assert admin.post(reverse("reports:preference"), {"traditional": "1"}).status_code == 302
    assert prefers_traditional(world.city) and prefers_traditional(world.town_a)
    assert login("county_staff").post(reverse("reports:preference"), {"traditional": "0"}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(actor=None, organization=world.county_a, first_year=2025)
    document = GeneratedReport.objects.get(pk=document.pk)
    assert document.traditional
    from docx import Document

    assert Document(document.docx.open("rb")).paragraphs[0].text == "甲縣科學技術協會2025年工作總結"
    page = login("county_staff").get(reverse("reports:documents")).content.decode()
    assert 'id="d-traditional" checked' in page
    assert AuditEvent.objects.filter(action="report.preference.set").count() == 1


def test_the_api_reads_and_sets_the_preference(api_client, world):
    admin = api_client("city_admin")
    assert admin.get(reverse("reports_api:preference")).json() == {"traditional": False}
    assert admin.post(reverse("reports_api:preference"), {"traditional": True}, format="json").json() == {
        "traditional": True
    }
    assert api_client("county_staff").get(reverse("reports_api:preference")).json() == {"traditional": True}
    refused = api_client("county_staff").post(
        reverse("reports_api:preference"), {"traditional": False}, format="json"
    )
    assert refused.status_code == 403
