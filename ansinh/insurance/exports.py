"""The monthly report as a chart, an Excel workbook and an official PDF; an organisation's own evaluation.

Documents are in Vietnamese, the language in which the province files its report.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import xlsxwriter

from ansinh.insurance.selectors import MonthlyReport, ReportRow
from ansinh.lib.pdf import OfficialDocument
from ansinh.lib.spreadsheet import neutralise
from ansinh.lib.svgchart import Series, bar_chart, line_chart

HEADERS = [
    "Hạng",
    "Đơn vị",
    "Số người tham gia cuối tháng",
    "Kế hoạch năm",
    "% kế hoạch",
    "Tăng/giảm so với tháng trước",
    "% so với tháng trước",
    "Tăng/giảm so với tháng 12 năm trước",
    "Tăng/giảm so với cùng kỳ năm trước",
    "Chỉ tiêu tăng thực trong năm",
    "Số còn phải tăng",
]


def _number(value: float | int | None, *, signed: bool = False, percent: bool = False) -> str:
    if value is None:
        return ""
    if percent:
        text = f"{value:+.2f}%" if signed else f"{value:.2f}%"
        return text.replace(".", ",")
    text = f"{value:+,}" if signed else f"{value:,}"
    return text.replace(",", ".")


def row_values(row: ReportRow) -> list[object]:
    return [
        row.rank or "",
        row.name,
        row.count,
        row.target,
        row.plan_percent,
        row.change_month,
        row.change_month_percent,
        row.change_december,
        row.change_year,
        row.net_target,
        row.still_needed,
    ]


def _printable(row: ReportRow) -> list[str]:
    return [
        str(row.rank or ""),
        row.name,
        _number(row.count),
        _number(row.target),
        _number(row.plan_percent, percent=True),
        _number(row.change_month, signed=True),
        _number(row.change_month_percent, signed=True, percent=True),
        _number(row.change_december, signed=True),
        _number(row.change_year, signed=True),
        _number(row.net_target),
        _number(row.still_needed),
    ]


def trend_chart(report: MonthlyReport, row: ReportRow | None = None) -> str:
    row = row or report.total
    return line_chart(
        labels=report.trend_labels,
        series=[Series("Người tham gia", row.trend)],
        title=f"Số người tham gia BHXH tự nguyện cuối tháng · {row.name}",
        target=float(row.target) if row.target else None,
    )


def ranking_chart(rows: Sequence[ReportRow], title: str) -> str:
    shown = [row for row in rows if row.plan_percent is not None][:15] or list(rows)[:15]
    with_plan = any(row.plan_percent is not None for row in shown)
    return bar_chart(
        labels=[row.name for row in shown],
        series=[
            Series(
                "% kế hoạch" if with_plan else "Người tham gia",
                [row.plan_percent if with_plan else row.count for row in shown],
            )
        ],
        title=title,
        target=100.0 if with_plan else None,
    )


def report_xlsx(report: MonthlyReport) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#EEEEEE", "border": 1})
    percent = book.add_format({"num_format": "0.00"})
    sheets = [
        ("Tổng hợp", [report.total]),
        ("Theo tổ chức dịch vụ thu", report.organisations),
        ("Theo xã phường", report.communes),
    ]
    for name, rows in sheets:
        sheet = book.add_worksheet(name)
        sheet.write(0, 0, f"Kết quả phát triển người tham gia BHXH tự nguyện tháng {report.label}", bold)
        sheet.write_row(2, 0, HEADERS, bold)
        sheet.set_row(2, 48)
        sheet.set_column(0, 0, 6)
        sheet.set_column(1, 1, 36)
        sheet.set_column(2, len(HEADERS) - 1, 14)
        for number, row in enumerate(rows, start=3):
            for column, value in enumerate(row_values(row)):
                if isinstance(value, float):
                    sheet.write_number(number, column, value, percent)
                elif value is None:
                    sheet.write_blank(number, column, None)
                else:
                    sheet.write(number, column, neutralise(value))
    trend = book.add_worksheet("Diễn biến 13 tháng")
    trend.write_row(0, 0, ["Tháng", "Người tham gia"], bold)
    for number, (label, value) in enumerate(zip(report.trend_labels, report.total.trend, strict=True), start=1):
        trend.write_row(number, 0, [label, value])
    chart = book.add_chart({"type": "line"})
    chart.add_series(
        {
            "name": "Người tham gia",
            "categories": ["Diễn biến 13 tháng", 1, 0, len(report.months), 0],
            "values": ["Diễn biến 13 tháng", 1, 1, len(report.months), 1],
        }
    )
    trend.insert_chart("D2", chart)
    book.close()
    return buffer.getvalue()


def _document(agency: str, title: str, subtitle: str, today: dt.date) -> OfficialDocument:
    doc = OfficialDocument(agency_lines=[agency], place="", date=today, landscape=True)
    doc.title(title, subtitle)
    return doc


def _summary(doc: OfficialDocument, row: ReportRow, label: str) -> None:
    doc.paragraph(
        f"Đến cuối tháng {label}: {_number(row.count)} người tham gia"
        + (
            f", đạt {_number(row.plan_percent, percent=True)} kế hoạch ({_number(row.target)} người)"
            if row.target
            else ""
        )
        + f"; so với tháng trước {_number(row.change_month, signed=True)} người"
        + (
            f" ({_number(row.change_month_percent, signed=True, percent=True)})"
            if row.change_month_percent is not None
            else ""
        )
        + f"; so với tháng 12 năm trước {_number(row.change_december, signed=True)} người"
        + f"; so với cùng kỳ năm trước {_number(row.change_year, signed=True)} người."
        + (
            f" Chỉ tiêu tăng thực trong năm {_number(row.net_target)} người,"
            f" còn phải tăng {_number(row.still_needed)} người."
            if row.net_target is not None
            else ""
        )
    )


def report_pdf(report: MonthlyReport, *, agency: str, today: dt.date) -> bytes:
    doc = _document(agency, "BÁO CÁO", f"Kết quả phát triển người tham gia BHXH tự nguyện tháng {report.label}", today)
    _summary(doc, report.total, report.label)
    doc.svg(trend_chart(report), width=170)
    for heading, rows in (("Theo tổ chức dịch vụ thu", report.organisations), ("Theo xã, phường", report.communes)):
        doc.heading(heading)
        doc.table(HEADERS, [_printable(row) for row in rows], size=8)
    return doc.output()


def evaluation_pdf(report: MonthlyReport, row: ReportRow, *, agency: str, today: dt.date) -> bytes:
    """One collection organisation's monthly evaluation: its figures, its rank and its trend."""
    doc = _document(agency, "THÔNG BÁO", f"Đánh giá kết quả thu BHXH tự nguyện tháng {report.label}: {row.name}", today)
    _summary(doc, row, report.label)
    doc.paragraph(f"Xếp hạng {row.rank}/{len(report.organisations)} tổ chức dịch vụ thu trong địa bàn.")
    doc.svg(trend_chart(report, row), width=170)
    doc.table(HEADERS, [_printable(row)], size=8)
    return doc.output()
