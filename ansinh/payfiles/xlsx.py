"""A small, fast .xlsx writer for one-sheet lists: cells, merged ranges, column widths, row heights, a
handful of cell styles, A4 print setup with repeated title rows and page numbers.

xlsxwriter spends about 20 µs of CPU per cell; a cycle of a million beneficiaries has eight million
cells in its lists, which alone would exceed the time the export may take. This writer builds the sheet
XML from templates (strings as inline strings, so no shared-string table) and is about ten times faster.
The package is deterministic: fixed zip timestamps, fixed document dates, so the same cells give the
same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ansinh.payfiles.xmltext import escape

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "application/vnd.openxmlformats-officedocument"


def _content_types() -> bytes:
    overrides = [
        ("/xl/workbook.xml", f"{_TYPES}.spreadsheetml.sheet.main+xml"),
        ("/xl/worksheets/sheet1.xml", f"{_TYPES}.spreadsheetml.worksheet+xml"),
        ("/xl/styles.xml", f"{_TYPES}.spreadsheetml.styles+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/docProps/app.xml", f"{_TYPES}.extended-properties+xml"),
    ]
    return (
        _DECLARATION + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides)
        + "</Types>"
    ).encode()


def _relationships(links: list[tuple[str, str, str]]) -> bytes:
    return (
        _DECLARATION
        + f'<Relationships xmlns="{_PACKAGE_REL}">'
        + "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in links)
        + "</Relationships>"
    ).encode()


@dataclass(frozen=True, slots=True)
class Style:
    """A cell style: font, alignment, border and number format."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    size: int = 12
    align: str = ""  # "", "left", "center", "right"
    wrap: bool = False
    border: bool = False
    money: bool = False  # "#,##0", built-in number format 3


def column_letter(index: int) -> str:
    """A, B, ..., Z, AA, ... for a 0-based column index."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    value = _INVALID.sub("", value) if _INVALID.search(value) else value
    return escape(value)


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula with its computed value, so readers that do not calculate still see the number."""

    formula: str
    value: int


Cell = str | int | Formula | None


@dataclass
class Sheet:
    """One worksheet. Rows are added top to bottom; a cell is (value, style) or None for nothing."""

    name: str
    font: str = "Times New Roman"
    widths: dict[int, float] = field(default_factory=dict)
    landscape: bool = False
    repeat_rows: tuple[int, int] | None = None  # 0-based first and last row printed on every page
    footer: str = ""
    print_setup: bool = True
    _rows: list[str] = field(default_factory=list)
    _merges: list[str] = field(default_factory=list)
    _styles: dict[Style, int] = field(default_factory=dict)
    _width: int = 0

    def style(self, style: Style) -> int:
        """The index of a style in the workbook (0 is the default)."""
        index = self._styles.get(style)
        if index is None:
            index = self._styles[style] = len(self._styles) + 1
        return index

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def add_row(self, cells: Sequence[tuple[Cell, int] | None], height: float | None = None) -> int:
        """Appends a row of (value, style index) cells; returns its 0-based row number."""
        number = len(self._rows) + 1
        parts = [f'<row r="{number}"']
        if height:
            parts.append(f' ht="{height}" customHeight="1"')
        parts.append(">")
        for index, cell in enumerate(cells):
            if cell is None:
                continue
            value, style = cell
            ref = f"{column_letter(index)}{number}"
            if value is None:
                parts.append(f'<c r="{ref}" s="{style}"/>')
            elif isinstance(value, int):
                parts.append(f'<c r="{ref}" s="{style}"><v>{value}</v></c>')
            elif isinstance(value, Formula):
                parts.append(f'<c r="{ref}" s="{style}"><f>{_text(value.formula)}</f><v>{value.value}</v></c>')
            else:
                parts.append(
                    f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'
                )
        parts.append("</row>")
        self._rows.append("".join(parts))
        self._width = max(self._width, len(cells))
        return number - 1

    def merge(self, row: int, first: int, last: int) -> None:
        if last > first:
            self._merges.append(f'<mergeCell ref="{column_letter(first)}{row + 1}:{column_letter(last)}{row + 1}"/>')

    def _xml(self) -> bytes:
        last = f"{column_letter(max(self._width, 1) - 1)}{max(len(self._rows), 1)}"
        cols = "".join(
            f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>' for i, w in sorted(self.widths.items())
        )
        head = (
            _DECLARATION
            + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_OFFICE_REL}">'
            + ('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if self.print_setup else "")
            + f'<dimension ref="A1:{last}"/>'
            '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15.75"/>' + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>"
        )
        tail = ["</sheetData>"]
        if self._merges:
            tail.append(f'<mergeCells count="{len(self._merges)}">{"".join(self._merges)}</mergeCells>')
        if self.print_setup:
            orientation = "landscape" if self.landscape else "portrait"
            tail.append(
                '<printOptions horizontalCentered="1"/>'
                '<pageMargins left="0.5" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
                f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/>'
            )
            if self.footer:
                tail.append(f"<headerFooter><oddFooter>{_text(self.footer)}</oddFooter></headerFooter>")
        tail.append("</worksheet>")
        out = io.StringIO()
        out.write(head)
        for row in self._rows:
            out.write(row)
        out.write("".join(tail))
        return out.getvalue().encode()

    def _styles_xml(self) -> bytes:
        fonts: dict[tuple[bool, bool, bool, int], int] = {(False, False, False, 12): 0}
        borders = {False: 0, True: 1}
        xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
        for style in sorted(self._styles, key=self._styles.__getitem__):
            key = (style.bold, style.italic, style.underline, style.size)
            font = fonts.setdefault(key, len(fonts))
            alignment = ""
            if style.align or style.wrap:
                alignment = (
                    "<alignment"
                    + (f' horizontal="{style.align}"' if style.align else "")
                    + ' vertical="center"'
                    + (' wrapText="1"' if style.wrap else "")
                    + "/>"
                )
            else:
                alignment = '<alignment vertical="center"/>'
            number_format = ' applyNumberFormat="1"' if style.money else ""
            xfs.append(
                f'<xf numFmtId="{3 if style.money else 0}" fontId="{font}" fillId="0"'
                f' borderId="{borders[style.border]}" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1"'
                f"{number_format}>{alignment}</xf>"
            )
        font_xml = "".join(
            "<font>"
            + ("<b/>" if bold else "")
            + ("<i/>" if italic else "")
            + ("<u/>" if underline else "")
            + f'<sz val="{size}"/><name val="{_text(self.font)}"/><family val="1"/></font>'
            for (bold, italic, underline, size) in sorted(fonts, key=fonts.__getitem__)
        )
        thin = '<left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/>'
        return (
            _DECLARATION + f'<styleSheet xmlns="{_MAIN}">'
            f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
            f"<border>{thin}</border></borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        ).encode()


def workbook_bytes(sheet: Sheet, *, title: str = "", created: datetime | None = None) -> bytes:
    """The .xlsx package of one sheet."""
    stamp = (created or datetime(2000, 1, 1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    name = _text(sheet.name[:31])
    quoted = "'" + sheet.name[:31].replace("'", "''") + "'"
    defined: list[str] = []
    if sheet.print_setup:
        last = f"${column_letter(max(sheet._width, 1) - 1)}${max(sheet.row_count, 1)}"
        defined.append(
            f'<definedName name="_xlnm.Print_Area" localSheetId="0">{_text(quoted)}!$A$1:{last}</definedName>'
        )
        if sheet.repeat_rows:
            first, end = sheet.repeat_rows
            titles = f"{_text(quoted)}!${first + 1}:${end + 1}"
            defined.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="0">{titles}</definedName>')
    files = {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _relationships(
            [
                ("officeDocument", f"{_OFFICE_REL}/officeDocument", "xl/workbook.xml"),
                ("core", f"{_PACKAGE_REL}/metadata/core-properties", "docProps/core.xml"),
                ("app", f"{_OFFICE_REL}/extended-properties", "docProps/app.xml"),
            ]
        ),
        "docProps/app.xml": (
            _DECLARATION
            + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>ansinh</Application></Properties>"
        ).encode(),
        "docProps/core.xml": (
            _DECLARATION
            + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{_text(title)}</dc:title><dc:creator>ansinh</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
            "</cp:coreProperties>"
        ).encode(),
        "xl/workbook.xml": (
            _DECLARATION + f'<workbook xmlns="{_MAIN}" xmlns:r="{_OFFICE_REL}">'
            f'<sheets><sheet name="{name}" sheetId="1" r:id="sheet"/></sheets>'
            + (f"<definedNames>{''.join(defined)}</definedNames>" if defined else "")
            + "</workbook>"
        ).encode(),
        "xl/_rels/workbook.xml.rels": _relationships(
            [
                ("sheet", f"{_OFFICE_REL}/worksheet", "worksheets/sheet1.xml"),
                ("styles", f"{_OFFICE_REL}/styles", "styles.xml"),
            ]
        ),
        "xl/worksheets/sheet1.xml": sheet._xml(),
        "xl/styles.xml": sheet._styles_xml(),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in files.items():
            info = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content, compresslevel=6)
    return buffer.getvalue()
