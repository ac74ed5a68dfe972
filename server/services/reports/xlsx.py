"""The monthly report as an XLSX workbook (openpyxl): a summary sheet, then one row per person,
day and project; text never becomes a formula."""
import io

from openpyxl import Workbook

from server.services.reports.monthly import name_of


def _put(sheet, row):
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
            cell.data_type = "s"  # a name like "=SUM(…)" stays text


def render(report):
    """XLSX bytes."""
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    _put(summary, ["Person", "Hours", "Minutes", "Days off", "Weeks"])
    detail = book.create_sheet("Hours")
    _put(detail, ["Person", "Date", "Project", "Minutes", "Hours", "Absence", "Holiday"])
    for block in report["people"]:
        name = name_of(block["user"])
        weeks = ", ".join("%s: %s" % pair for pair in block["weeks"])
        _put(summary, [name, round(block["total_minutes"] / 60, 2), block["total_minutes"],
                       block["absence_days"], weeks])
        for day in block["days"]:
            worked = [(p, m) for p, m in day["by_project"].items() if m]
            for project, minutes in worked or [("", 0)]:
                if minutes or day["absence"] or day["holiday"]:
                    _put(detail, [name, day["date"], project, minutes, round(minutes / 60, 2),
                                  day["absence"], day["holiday"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
