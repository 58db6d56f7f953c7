"""The monthly bulletin: the month's figures against the same month last year and by child
organization, as a document and a workbook (fixture `figures`, kexie/statistics/testing.py)."""

from io import BytesIO

import openpyxl
from docx import Document

from kexie.reports.bulletin import monthly_bulletin, render_bulletin_docx, render_bulletin_xlsx
from kexie.reports.models import GeneratedReport
from kexie.reports.services import document_request


def test_the_bulletin_states_the_months_figures_against_last_year(world, figures):
    bulletin = monthly_bulletin(organization=world.city, year=2025, month=3)
    assert bulletin.title == "示例市科学技术协会2025年3月工作通报"
    text = "".join(bulletin.paragraphs)
    # 甲县春季讲座 (100 on site) and 乙县讲座 (30); March 2024 had 甲县去年讲座 (70).
    assert "科普活动2场（同比增长100.0%）" in text
    assert "现场受众人次130人次（同比增长85.7%）" in text
    assert "培训班" not in text  # none in March: not stated
    headers, rows = bulletin.table
    *children, total = rows
    popsci = headers.index("科普活动（场）")
    assert [row[popsci] for row in children[:2]] == [1, 1] and total[popsci] == 2
    assert sum(row[popsci] for row in children) == total[popsci]


def test_the_bulletin_document_and_workbook_hold_the_same_numbers(world, figures):
    bulletin = monthly_bulletin(organization=world.city, year=2025, month=3)
    document = Document(BytesIO(render_bulletin_docx(bulletin)))
    assert document.paragraphs[0].text == bulletin.title and document.paragraphs[0].style.name == "Title"
    book = openpyxl.load_workbook(BytesIO(render_bulletin_xlsx(bulletin)))
    month = {row[0]: row for row in book["本月数字"].iter_rows(min_row=2, values_only=True)}
    assert month["popsci_events"][3:] == (2, 1, 1)


def test_a_month_without_records_says_so_instead_of_inventing(world):
    bulletin = monthly_bulletin(organization=world.county_b, year=2019, month=5)
    assert bulletin.paragraphs == [] or bulletin.paragraphs == ["各下级组织情况见下表。"]
    assert "没有" in bulletin.comment
    document = Document(BytesIO(render_bulletin_docx(bulletin)))
    assert any("没有" in comment.text for comment in document.comments)


def test_a_bulletin_is_requested_and_written_in_the_background(
    world, figures, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(actor=None, organization=world.city, first_year=2025, month=3)
    document.refresh_from_db()
    assert document.kind == GeneratedReport.Kind.BULLETIN and document.state == GeneratedReport.State.DONE
    assert Document(document.docx.open("rb")).paragraphs[0].text.endswith("2025年3月工作通报")


def test_a_bulletin_of_a_month_not_begun_is_refused(world):
    import pytest
    from django.utils import timezone

    from kexie.core.errors import DomainError

    today = timezone.localdate()
    with pytest.raises(DomainError, match="月"):
        document_request(actor=None, organization=world.city, first_year=today.year + 1, month=1)
    with pytest.raises(DomainError):
        document_request(actor=None, organization=world.city, first_year=today.year, month=13)
    assert not GeneratedReport.objects.exists()
