"""The monthly report as a printable PDF in the reader's language: HTML (every value escaped)
rendered by weasyprint, whose Pango shapes Arabic, Japanese and every other script the installed
fonts cover; right to left for Arabic."""
import html

from babel import dates

from server.services.language.reader import Reader
from server.services.language.text import N_
from server.services.reports.monthly import NO_PROJECT, hours, name_of

STYLE = """
@page { size: A4 landscape; margin: 14mm; @bottom-right { content: counter(page) " / " counter(pages); } }
body { font-family: "DejaVu Sans", "Noto Sans", "Noto Sans Arabic", "Noto Sans CJK JP", sans-serif;
       font-size: 9pt; }
h1 { font-size: 14pt; } h2 { font-size: 12pt; break-before: page; } h2:first-of-type { break-before: auto; }
table { border-collapse: collapse; width: 100%; margin-bottom: 8pt; }
th, td { border: 0.5pt solid #999; padding: 2pt 4pt; text-align: start; }
td.n, th.n { text-align: end; } tr.off td { background: #eee; }
"""
KINDS = {"vacation": N_("Vacation"), "sick": N_("Sick"), "other": N_("Other")}
STATES = {"draft": N_("Draft"), "submitted": N_("Submitted"), "approved": N_("Approved"),
          "rejected": N_("Rejected")}


def _e(value):
    return html.escape(str(value), quote=True)


def _absence(day, _):
    """"Vacation", "Vacation (half day)", then the public holiday, as the reader says them."""
    taken, said = day.get("taken"), []
    if taken:
        kind = _(KINDS[taken[0]]) if taken[0] in KINDS else taken[0]
        said.append(_("%(kind)s (half day)", kind=kind) if taken[1] < 1 else kind)
    if day["holiday"]:
        said.append(day["holiday"])
    return ", ".join(said)


def _person(block, reader):
    _ = reader.gettext
    projects = block["projects"]
    head = "".join('<th class="n">%s</th>' % _e(_(p) if p == NO_PROJECT else p) for p in projects)
    rows = []
    for day in block["days"]:
        note = _absence(day, _)
        cells = "".join('<td class="n">%s</td>' % (hours(day["by_project"][p]) if day["by_project"][p]
                                                   else "") for p in projects)
        rows.append('<tr%s><td>%s</td>%s<td class="n">%s</td><td>%s</td></tr>' % (
            ' class="off"' if note or day["date"].weekday() >= 5 else "",
            _e(dates.format_skeleton("MMMEd", day["date"], locale=reader.locale)), cells,
            hours(day["minutes"]) if day["minutes"] else "", _e(note)))
    totals = "".join('<td class="n">%s</td>' % hours(block["project_minutes"][p]) for p in projects)
    weeks = ", ".join(_e(_("%(week)s: %(state)s", week=week, state=_(STATES[state]) if state in STATES
                          else state)) for week, state in block["weeks"])
    summary = _e(_("Total: %(hours)s hours · Days off: %(days)s · Weeks: %(weeks)s")) % {
        "hours": "<b>%s</b>" % hours(block["total_minutes"]),
        "days": _e(reader.number(block["absence_days"])), "weeks": weeks}  # values: HTML already
    return ('<h2 dir="auto">%s</h2><p>%s</p><table><thead><tr><th>%s</th>%s<th class="n">%s</th>'
            '<th>%s</th></tr></thead><tbody>%s</tbody><tfoot><tr><th>%s</th>%s'
            '<th class="n">%s</th><th></th></tr></tfoot></table>') % (
        _e(name_of(block["user"])), summary, _e(_("Day")), head, _e(_("Total")),
        _e(_("Absence, holiday")), "".join(rows), _e(_("Total")), totals,
        hours(block["total_minutes"]))


def document(report, reader=None):
    """The report's HTML, in `reader`'s language (English without one)."""
    reader = reader or Reader()
    month = dates.format_skeleton("yMMMM", report["first"], locale=reader.locale)
    title = reader.gettext("Working time %(month)s", month=month)
    body = "".join(_person(block, reader) for block in report["people"])
    return ('<!DOCTYPE html><html lang="%s" dir="%s"><head><meta charset="utf-8"><title>%s</title>'
            '<style>%s</style></head><body><h1>%s</h1>%s</body></html>') % (
        _e(reader.code), reader.direction, _e(title), STYLE, _e(title),
        body or "<p>%s</p>" % _e(reader.gettext("Nobody to report.")))


def render(report, reader=None):
    """PDF bytes (slow: run it off the event loop)."""
    import weasyprint  # loads Pango: only where a PDF is made
    return weasyprint.HTML(string=document(report, reader)).write_pdf()
