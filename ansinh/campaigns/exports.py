"""The dashboard for a meeting: an Excel workbook and a PDF with the same figures and charts."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.access.models import User
from ansinh.campaigns.report import Report
from ansinh.lib.pdf import OfficialDocument
from ansinh.lib.spreadsheet import neutralise


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def report_xlsx(report: Report) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet(_("Summary")[:31])
    sheet.write(0, 0, neutralise(report.title), bold)
    sheet.write(1, 0, timezone.localtime().strftime("%d/%m/%Y %H:%M"))
    row = 3
    sheet.write_row(row, 0, [_("Measure"), _("Count"), _("Out of"), _("Share (%)"), _("Target (%)")], bold)
    for line in report.headline:
        row += 1
        sheet.write_row(
            row, 0, [str(line.label), line.value, line.whole, line.share if line.share is not None else "", line.target]
        )
    for section in report.sections:
        row += 2
        sheet.write(row, 0, str(section.title), bold)
        for item in section.rows:
            row += 1
            sheet.write_row(row, 0, [neutralise(str(item.label)), item.value])
    sheet.set_column(0, 0, 60)
    if report.children:
        areas = book.add_worksheet(_("Areas")[:31])
        areas.write_row(0, 0, [_("Area"), _("Beneficiaries"), *[f"{label} (%)" for label in report.child_labels]], bold)
        for number, child in enumerate(report.children, start=1):
            areas.write_row(
                number,
                0,
                [neutralise(child.unit.name), child.beneficiaries, *["" if s is None else s for s in child.shares]],
            )
        areas.set_column(0, 0, 30)
    book.close()
    return buffer.getvalue()


def report_pdf(report: Report, *, user: User) -> bytes:
    doc = OfficialDocument(
        agency_lines=[str(report.title).upper()], place=report.title, date=timezone.localdate(), landscape=True
    )
    doc.title(_("PROGRESS REPORT"), _("Payment of social assistance through accounts"))
    doc.table(
        [_("Measure"), _("Count"), _("Out of"), _("Share"), _("Target")],
        [[str(r.label), f"{r.value:,}", f"{r.whole:,}", _pct(r.share), f"{r.target}%"] for r in report.headline],
        widths=[110, 35, 35, 30, 30],
        align=["LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"],
    )
    charts = [section.chart for section in report.sections if section.chart]
    for chart in charts[:4]:
        doc.svg(chart, width=150)
    if report.trend_svg:
        doc.svg(report.trend_svg, width=170)
    if report.children:
        doc.page_break()
        doc.heading(_("By area"))
        doc.table(
            [_("Area"), _("Beneficiaries"), *[str(label) for label in report.child_labels]],
            [[c.unit.name, f"{c.beneficiaries:,}", *[_pct(s) for s in c.shares]] for c in report.children],
            size=8,
        )
        doc.svg(report.map_svg, width=110)
    for section in report.sections:
        if any(item.value for item in section.rows):
            doc.heading(str(section.title))
            doc.table(
                [_("Figure"), _("Count")],
                [[str(i.label), f"{i.value:,}"] for i in section.rows if i.value],
                widths=[200, 40],
            )
    doc.paragraph(
        _("Printed by %(user)s.") % {"user": user.get_full_name() or user.get_username()}, italic=True, size=9
    )
    return doc.output()
