"""The annual work summary: its layout (GB/T 9704), its numbers against the definitions
computed independently, its workbook, honest empty sections, Traditional output, the
background task, the page, the API and the command. On the statistics tests' records
(fixture `figures`, kexie/statistics/testing.py)."""

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from kexie.audit.models import AuditEvent
from kexie.people.models import Honour, HonourLevel
from kexie.reports.annual import annual_report, render_docx, render_xlsx
from kexie.reports.models import GeneratedReport
from kexie.reports.phrasing import phrase
from kexie.reports.services import document_request
from kexie.statistics.definitions import all_definitions, get_definition
from kexie.statistics.selectors import statistic_values

TODAY = date(2026, 3, 1)


def report_2025(world, **options):
    return annual_report(organization=world.city, first_year=2025, today=TODAY, **options)


def opened(content: bytes) -> Document:
    return Document(BytesIO(content))


def body_text(document: Document) -> str:
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def east_asian_font(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


# --- layout ----------------------------------------------------------------------------------


def test_the_document_has_the_page_setup_fonts_and_headings_of_an_official_document(world, figures):
    document = opened(render_docx(report_2025(world)))
    section = document.sections[0]

    def mm(*lengths):
        return tuple(round(length.mm, 1) for length in lengths)

    assert mm(section.page_width, section.page_height) == (210, 297)  # A4
    assert mm(section.top_margin, section.bottom_margin) == (37, 35)
    assert mm(section.left_margin, section.right_margin) == (28, 26)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 22 lines of the 225 mm text block
    styles = document.styles
    assert east_asian_font(styles["Normal"]) == "仿宋_GB2312" and styles["Normal"].font.size == Pt(16)
    assert (
        styles["Normal"].paragraph_format.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    )
    assert east_asian_font(styles["Title"]) == "方正小标宋简体" and styles["Title"].font.size == Pt(22)
    assert (
        east_asian_font(styles["Heading 1"]) == "黑体"
        and east_asian_font(styles["Heading 2"]) == "楷体_GB2312"
    )
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == "示例市科学技术协会2025年工作总结"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:5] == [
        "一、为科技工作者服务",
        "二、为创新驱动发展服务",
        "三、为提高全民科学素质服务",
        "四、为党和政府科学决策服务",
        "五、加强自身建设",
    ]
    subheadings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    # 楷体, under 三、; no campaign in the records: its subheading left out, the next renumbered
    assert subheadings == ["（一）科普活动", "（二）科普资源和队伍"]
    # “— 1 —” on both sides: odd pages right, even pages left, a PAGE field between the dashes.
    assert document.settings.odd_and_even_pages_header_footer
    for footer, alignment in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment.name.lower() == alignment
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert "PAGE" in "".join(node.text for node in paragraph._p.iter(qn("w:instrText")))


# --- the numbers -----------------------------------------------------------------------------


def test_every_number_in_the_text_is_its_definitions_value_computed_independently(world, figures):
    report = report_2025(world)
    text = body_text(opened(render_docx(report)))
    independent = statistic_values(
        organization=world.city, definitions=all_definitions(), start=date(2025, 1, 1), end=date(2025, 12, 31)
    )
    checked = 0
    for figure in report.figures:
        assert figure.text in text, figure
        definition = get_definition(figure.source)
        if definition is not None:
            assert figure.value == independent.value(figure.source), figure.source
            assert figure.text == phrase(independent.value(figure.source), figure.unit)
            checked += 1
    assert checked >= 8
    assert "共举办科普活动4场，现场受众230人次" in text  # spring 100, summer 40, caravan 60, 乙县 30
    assert "其中规模最大的是甲县科协举办的“甲县春季讲座”，现场参与100人次。" in text
    assert "全年共举办培训班1期，培训科技工作者25人次。" in text


def test_the_companion_table_lists_every_number_with_its_exact_value_and_definition(world, figures):
    report = report_2025(world)
    document = opened(render_docx(report))
    companion = document.tables[-1]
    rows = [[cell.text for cell in row.cells] for row in companion.rows[1:]]
    assert len(rows) == len(report.figures)
    for row, figure in zip(rows, report.figures, strict=True):
        assert row[2] == figure.text and row[3] == str(figure.value) and row[5] == figure.source


def test_table_rows_never_break_across_pages_and_headers_repeat(world, figures):
    document = opened(render_docx(report_2025(world)))
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header.find(qn("w:tblHeader")) is not None and header.find(qn("w:cantSplit")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


def test_the_table_by_child_sums_to_the_total(world, figures):
    report = report_2025(world)
    section = next(s for s in report.sections if s.table and s.heading.endswith("各下级组织主要数字"))
    headers, rows = section.table
    *children, total = rows
    assert [row[0] for row in children[:2]] == ["甲县科协", "乙县科协"]
    assert children[-1][0] == "本级"
    for column in range(1, len(headers)):
        assert sum(row[column] for row in children) == total[column]
    popsci = headers.index("科普活动（场）")
    assert [children[0][popsci], children[1][popsci], total[popsci]] == [3, 1, 4]


def test_the_workbook_holds_the_tables_behind_the_document(world, figures):
    report = report_2025(world)
    book = openpyxl.load_workbook(BytesIO(render_xlsx(report)))
    summary = {row[0]: row for row in book["全部指标"].iter_rows(min_row=2, values_only=True)}
    for definition in all_definitions():
        value = report.totals.value(definition.code)
        assert summary[definition.code][3] == (float(value) if isinstance(value, Decimal) else value)
    assert summary["popsci_events"][4] == 2  # 2024: two lectures
    companion = list(book["文中数字"].iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in companion] == [figure.text for figure in report.figures]


def test_honours_of_the_year_are_named_and_counted(world, figures):
    Honour.objects.create(
        organization=world.city,
        recipient_organization=world.city,
        title="全国科普日优秀组织单位",
        level=HonourLevel.NATIONAL,
        year=2025,
    )
    report = report_2025(world)
    assert "先后获得“全国科普日优秀组织单位”等荣誉1项" in report.text()
    assert not report.opening_comment


# --- honest when there is nothing ------------------------------------------------------------


def test_a_year_without_records_gets_comments_instead_of_invented_text(world):
    report = annual_report(organization=world.county_b, first_year=2019, today=TODAY)
    for section in report.sections[:4]:
        assert section.paragraphs == [] and "没有" in section.comment
    assert (report.opening_comment and report.figures == []) or all(
        figure.source.startswith("orgs.") for figure in report.figures
    )
    document = opened(render_docx(report))
    comments = [comment.text for comment in document.comments]
    assert any("为科技工作者服务" in text for text in comments)
    assert any("工作打算" in text for text in comments)
    text = body_text(document)
    assert "培训班" not in text and "科普活动" not in text


# --- Traditional -----------------------------------------------------------------------------


def test_the_traditional_version_converts_the_text_and_keeps_the_numbers(world, figures):
    report = report_2025(world, traditional=True)
    text = body_text(opened(render_docx(report)))
    assert "示例市科學技術協會2025年工作總結" in text
    assert "為科技工作者服務" in text and "为科技工作者服务" not in text
    assert "科普活動4場" in text


# --- a review of several years --------------------------------------------------------------


def test_a_review_covers_the_years_and_tables_each_year(world, figures):
    report = annual_report(organization=world.city, first_year=2024, last_year=2025, today=TODAY)
    assert report.title == "示例市科学技术协会2024—2025年工作回顾"
    assert "几年来共举办科普活动6场" in report.text()
    years = next(s for s in report.sections if s.heading.endswith("历年主要数字"))
    headers, rows = years.table
    popsci = headers.index("科普活动（场）")
    assert [(row[0], row[popsci]) for row in rows] == [("2024年", 2), ("2025年", 4)]
    assert "2025年与2024年相比，" in years.paragraphs[1] and "科普活动增长100.0%" in years.paragraphs[1]
    growth = next(figure for figure in report.figures if figure.source == "growth:popsci_events")
    assert growth.value == 100 and "2→4" in growth.name


# --- in the background, on the page, through the API and the command -----------------------------


def test_a_requested_document_is_written_in_the_background_and_audited(
    world, figures, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(actor=None, organization=world.city, first_year=2025)
    document.refresh_from_db()
    assert document.state == GeneratedReport.State.DONE and document.progress == 100
    assert opened(document.docx.read()).paragraphs[0].text == "示例市科学技术协会2025年工作总结"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"report.document.request", "report.document.generated"} <= actions


@pytest.mark.parametrize(
    "first, last, message",
    [(2025, 2023, "早于"), (1999, None, "2000"), (2015, 2025, "10")],
)
def test_a_request_that_cannot_be_written_says_why_and_changes_nothing(world, first, last, message):
    from kexie.core.errors import DomainError

    with pytest.raises(DomainError, match=message):
        document_request(actor=None, organization=world.city, first_year=first, last_year=last)
    assert not GeneratedReport.objects.exists()


def test_the_page_asks_for_a_summary_shows_it_ready_and_downloads_it(
    login, world, figures, django_capture_on_commit_callbacks
):
    client = login("city_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:document_request"), {"first_year": 2025})
    assert response.status_code == 302
    page = client.get(reverse("reports:documents")).content.decode()
    document = GeneratedReport.objects.get()
    assert f'data-document="{document.pk}" data-state="done"' in page
    download = client.get(reverse("reports:document_download", args=[document.pk, "docx"]))
    assert download.status_code == 200
    assert "2025" in download["Content-Disposition"]
    assert opened(b"".join(download.streaming_content)).paragraphs[0].text.endswith("2025年工作总结")
    assert AuditEvent.objects.filter(action="report.document.download").count() == 1
    assert client.get(reverse("reports:document_download", args=[document.pk, "pdf"])).status_code == 404
    assert (
        login("county_b_staff").get(reverse("reports:documents")).content.decode().count("data-document=")
        == 0
    )


def test_a_bad_request_on_the_page_says_what_is_wrong(login, world):
    response = login("city_admin").post(
        reverse("reports:document_request"), {"first_year": 2025, "last_year": 2020}
    )
    assert response.status_code == 400
    assert "最后一年早于第一年" in response.content.decode()


def test_the_api_asks_for_a_document_and_gives_its_download_links(
    api_client, world, figures, django_capture_on_commit_callbacks
):
    client = api_client("city_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports_api:document_list"), {"first_year": 2025}, format="json")
    assert response.status_code == 202
    detail = client.get(reverse("reports_api:document_detail", args=[response.json()["id"]])).json()
    assert detail["state"] == "done" and detail["docx_url"].endswith(".docx")
    assert (
        api_client("county_b_staff")
        .get(reverse("reports_api:document_detail", args=[response.json()["id"]]))
        .status_code
        == 404
    )


def test_the_command_writes_the_document_and_its_workbook(world, figures, tmp_path):
    out = tmp_path / "summary.docx"
    call_command("annual_report", "--org", "示例市科协", "--year", "2025", "--out", str(out))
    assert opened(out.read_bytes()).paragraphs[0].text == "示例市科学技术协会2025年工作总结"
    assert openpyxl.load_workbook(out.with_suffix(".xlsx"))["全部指标"].max_row > 20


# --- the rendered pages -------------------------------------------------------------------------


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="LibreOffice is not installed"
)
def test_the_document_renders_to_pages_with_libreoffice(world, figures, tmp_path):
    """Converts the summary to PDF and keeps the first two pages as images in
    var/screenshots/ (annual-report-1.png, -2.png) for a person to look at."""
    source = tmp_path / "summary.docx"
    source.write_bytes(render_docx(report_2025(world)))
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "summary.pdf"
    assert pdf.exists()
    screenshots = Path(settings.VAR_DIR) / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "2", str(pdf), str(screenshots / "annual-report")],
        check=True,
        timeout=60,
    )
    pages = sorted(screenshots.glob("annual-report-*.png"))
    assert len(pages) >= 2 and all(page.stat().st_size > 5000 for page in pages)
