"""Word documents in the layout of official documents (党政机关公文格式, GB/T 9704-2012).

- A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (a 156 × 225 mm text
  block); a line grid of 22 lines, and characters condensed so that 28 fill a line.
- Title 2号 (22 pt) 方正小标宋简体, centred. Body 3号 (16 pt) 仿宋_GB2312, every paragraph
  indented by two characters. First-level headings “一、” 黑体, second-level “（一）”
  楷体_GB2312, both 3号.
- Page numbers 4号 (14 pt) 宋体 “— 1 —”, on the right of odd pages and the left of even
  ones, one character in from the edge.
- Tables in 5号 (10.5 pt) 仿宋, off the grid, across the text block.
- Fonts are named for East-Asian text (`w:eastAsia`) as well as Latin, so that Word and
  WPS use them for Chinese characters.

`OfficialDocument` builds one: title, paragraphs, headings, tables, comments to the author.
"""

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
TABLE_SIZE = Pt(10.5)  # 5号
LINES_PER_PAGE = 22
TEXT_HEIGHT_MM = 225
TEXT_WIDTH_MM = 156
# One line of the 22: 225 mm / 22 in twentieths of a point.
LINE_PITCH = int(TEXT_HEIGHT_MM / 25.4 * 72 * 20 / LINES_PER_PAGE)
# Each character condensed so that 28 fill the 156 mm line, in twentieths of a point
# (-0.25 pt: 28 × 15.75 pt = 441 pt of the line's 442.2).
CHAR_SPACING = -5
AUTHOR = "科协工作平台"


def set_fonts(target, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Name the fonts of a run or a style for Latin and for East-Asian text."""
    target.font.name = latin
    r_pr = target.element.get_or_add_rPr() if hasattr(target, "element") else target._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _first_line_indent_chars(paragraph_format, chars: int) -> None:
    """A first-line indent in characters (Word's 首行缩进 2 字符), which follows the font."""
    p_pr = paragraph_format.element.get_or_add_pPr()
    indent = p_pr.find(qn("w:ind"))
    if indent is None:
        indent = OxmlElement("w:ind")
        p_pr.append(indent)
    indent.set(qn("w:firstLineChars"), str(chars * 100))
    indent.set(qn("w:firstLine"), str(int(chars * 16 * 20)))


def _keep_row_whole(row, *, header: bool = False) -> None:
    """A table row never breaks across pages; a header row repeats on every page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


class OfficialDocument:
    def __init__(self):
        self.document = Document()
        self._page_setup()
        self._styles()
        self._page_numbers()

    # --- layout ------------------------------------------------------------------------

    def _page_setup(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance, section.footer_distance = Mm(15), Mm(24)
        sect_pr = section._sectPr
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect_pr.append(grid)
        # A line grid: 22 lines a page. The 28 characters a line come from the body's
        # size and its condensed spacing (a character grid is drawn differently by Word,
        # WPS and LibreOffice; the spacing is the same in all of them).
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_PITCH))

    def _defaults(self) -> None:
        """The document defaults: the body's 16 pt, its fonts and its condensed spacing."""
        root = self.document.styles.element
        defaults = root.find(qn("w:docDefaults"))
        if defaults is None:
            defaults = OxmlElement("w:docDefaults")
            root.insert(0, defaults)
        r_pr_default = defaults.find(qn("w:rPrDefault"))
        if r_pr_default is None:
            r_pr_default = OxmlElement("w:rPrDefault")
            defaults.insert(0, r_pr_default)
        r_pr = r_pr_default.find(qn("w:rPr"))
        if r_pr is None:
            r_pr = OxmlElement("w:rPr")
            r_pr_default.append(r_pr)
        for tag in ("w:rFonts", "w:sz", "w:szCs"):
            for old in r_pr.findall(qn(tag)):
                r_pr.remove(old)
        fonts = OxmlElement("w:rFonts")
        for attribute, value in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:eastAsia", BODY_FONT)):
            fonts.set(qn(attribute), value)
        r_pr.insert(0, fonts)
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CHAR_SPACING))
        r_pr.append(spacing)
        for tag in ("w:sz", "w:szCs"):
            size = OxmlElement(tag)
            size.set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
            r_pr.append(size)

    def _styles(self) -> None:
        self._defaults()
        styles = self.document.styles
        normal = styles["Normal"]
        set_fonts(normal, BODY_FONT)
        normal.font.size = BODY_SIZE
        body = normal.paragraph_format
        body.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        body.line_spacing = Pt(LINE_PITCH / 20)
        body.space_before = body.space_after = Pt(0)
        body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _first_line_indent_chars(body, 2)

        title = styles["Title"]
        title.base_style = normal
        set_fonts(title, TITLE_FONT)
        title.font.size = TITLE_SIZE
        title.font.bold = False
        title.font.color.rgb = None
        title_format = title.paragraph_format
        title_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title_format.first_line_indent = Pt(0)
        title_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        title_format.line_spacing = Pt(LINE_PITCH / 20 * 1.25)
        title_format.space_after = Pt(LINE_PITCH / 20)
        _first_line_indent_chars(title_format, 0)
        # python-docx's default Title has a bottom border: an official title has none.
        p_pr = title.element.get_or_add_pPr()
        for border in p_pr.findall(qn("w:pBdr")):
            p_pr.remove(border)

        for name, font in (("Heading 1", HEADING_FONT), ("Heading 2", SUBHEADING_FONT)):
            heading = styles[name]
            heading.base_style = normal
            set_fonts(heading, font)
            heading.font.size = BODY_SIZE
            heading.font.bold = False
            heading.font.italic = False
            heading.font.color.rgb = None
            heading_format = heading.paragraph_format
            heading_format.space_before = heading_format.space_after = Pt(0)
            heading_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            heading_format.line_spacing = Pt(LINE_PITCH / 20)
            heading_format.keep_with_next = True
            _first_line_indent_chars(heading_format, 2)

    def _page_numbers(self) -> None:
        """“— 1 —” on the right of odd pages, on the left of even pages."""
        self.document.settings.odd_and_even_pages_header_footer = True
        section = self.document.sections[0]
        for footer, alignment in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            paragraph = footer.paragraphs[0]
            paragraph.alignment = alignment
            paragraph_format = paragraph.paragraph_format
            paragraph_format.first_line_indent = Pt(0)
            _first_line_indent_chars(paragraph_format, 0)
            if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
                paragraph_format.right_indent = Pt(14)
            else:
                paragraph_format.left_indent = Pt(14)
            self._number_run(paragraph, "— ")
            self._page_field(paragraph)
            self._number_run(paragraph, " —")

    def _number_run(self, paragraph, text: str):
        run = paragraph.add_run(text)
        set_fonts(run, NUMBER_FONT, NUMBER_FONT)
        run.font.size = PAGE_NUMBER_SIZE
        return run

    def _page_field(self, paragraph) -> None:
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            run = self._number_run(paragraph, "")
            if kind:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)
            elif text == " PAGE ":
                instruction = OxmlElement("w:instrText")
                instruction.set(qn("xml:space"), "preserve")
                instruction.text = text
                run._r.append(instruction)
            else:
                run.text = text

    # --- content -----------------------------------------------------------------------

    def title(self, text: str):
        return self.document.add_paragraph(text, style="Title")

    def heading(self, text: str, level: int = 1):
        return self.document.add_paragraph(text, style=f"Heading {level}")

    def paragraph(self, text: str = ""):
        return self.document.add_paragraph(text)

    def comment(self, paragraph, text: str) -> None:
        """A comment to the author on the paragraph (Word's 批注), e.g. where data is missing."""
        runs = paragraph.runs or [paragraph.add_run("")]
        self.document.add_comment(runs, text=text, author=AUTHOR, initials="KX")

    def table(self, headers: list[str], rows: list[list], *, caption: str = "", first_width_mm: float = 30):
        """A table of figures in 五号 仿宋 across the text block, numbers right-aligned: the
        first column `first_width_mm` wide, the others sharing the rest."""
        if caption:
            paragraph = self.document.add_paragraph(caption)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _first_line_indent_chars(paragraph.paragraph_format, 0)
            paragraph.paragraph_format.first_line_indent = Pt(0)
            for run in paragraph.runs:
                set_fonts(run, HEADING_FONT)
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        other = (TEXT_WIDTH_MM - first_width_mm) / max(len(headers) - 1, 1)
        widths = [Mm(first_width_mm), *([Mm(other)] * (len(headers) - 1))]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid LibreOffice and WPS read; Word reads the cells'
        for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=True):
            self._cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            cell.width = width
        _keep_row_whole(table.rows[0], header=True)
        for row in rows:
            added = table.add_row()
            _keep_row_whole(added)
            cells = added.cells
            for index, (cell, value, width) in enumerate(zip(cells, row, widths, strict=True)):
                numeric = index > 0 and not isinstance(value, str)
                self._cell(
                    cell, value, align=WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT
                )
                cell.width = width
        return table

    def _cell(self, cell, value, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
        paragraph = cell.paragraphs[0]
        paragraph.alignment = align
        paragraph_format = paragraph.paragraph_format
        paragraph_format.first_line_indent = Pt(0)
        _first_line_indent_chars(paragraph_format, 0)
        paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        snap = OxmlElement("w:snapToGrid")  # a table's small type does not follow the body's grid
        snap.set(qn("w:val"), "0")
        paragraph_format.element.get_or_add_pPr().append(snap)
        run = paragraph.add_run("" if value is None else str(value))
        set_fonts(run, BODY_FONT)
        run.font.size = TABLE_SIZE
        run.font.bold = bold

    def save(self) -> bytes:
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()
