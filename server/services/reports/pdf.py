"""The monthly report as a printable PDF: HTML (every value escaped) rendered by weasyprint, whose
Pango shapes Arabic, Japanese and every other script the installed fonts cover."""
import html

from server.services.reports.monthly import hours, name_of

STYLE = """
@page { size: A4 landscape; margin: 14mm; @bottom-right { content: counter(page) " / " counter(pages); } }
body { font-family: "DejaVu Sans", "Noto Sans", "Noto Sans Arabic", "Noto Sans CJK JP", sans-serif;
       font-size: 9pt; }
h1 { font-size: 14pt; } h2 { font-size: 12pt; break-before: page; } h2:first-of-type { break-before: auto; }
table { border-collapse: collapse; width: 100%; margin-bottom: 8pt; }
th, td { border: 0.5pt solid #999; padding: 2pt 4pt; text-align: start; }
td.n, th.n { text-align: end; } tr.off td { background: #eee; }
"""


def _e(value):
    return html.escape(str(value), quote=True)


def _person(block):
    projects = block["projects"]
    head = "".join('<th class="n">%s</th>' % _e(p) for p in projects)
    rows = []
    for day in block["days"]:
        note = ", ".join(x for x in (day["absence"], day["holiday"]) if x)
        cells = "".join('<td class="n">%s</td>' % (hours(day["by_project"][p]) if day["by_project"][p]
                                                   else "") for p in projects)
        rows.append('<tr%s><td>%s</td>%s<td class="n">%s</td><td>%s</td></tr>' % (
            ' class="off"' if note or day["date"].weekday() >= 5 else "",
            _e(day["date"].strftime("%a %d %b")), cells,
            hours(day["minutes"]) if day["minutes"] else "", _e(note)))
    totals = "".join('<td class="n">%s</td>' % hours(block["project_minutes"][p]) for p in projects)
    weeks = ", ".join("%s: %s" % (_e(week), _e(state)) for week, state in block["weeks"])
    return ('<h2 dir="auto">%s</h2><p>Total: <b>%s</b> hours &middot; Days off: %s &middot; '
            'Weeks: %s</p><table><thead><tr><th>Day</th>%s<th class="n">Total</th><th>Absence, '
            'holiday</th></tr></thead><tbody>%s</tbody><tfoot><tr><th>Total</th>%s'
            '<th class="n">%s</th><th></th></tr></tfoot></table>') % (
        _e(name_of(block["user"])), hours(block["total_minutes"]), _e("%g" % block["absence_days"]),
        weeks, head, "".join(rows), totals, hours(block["total_minutes"]))


def document(report):
    """The report's HTML."""
    title = "Working time %s" % report["first"].strftime("%B %Y")
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title><style>%s</style>'
            '</head><body><h1>%s</h1>%s</body></html>') % (
        _e(title), STYLE, _e(title), "".join(_person(block) for block in report["people"])
        or "<p>Nobody to report.</p>")


def render(report):
    """PDF bytes (slow: run it off the event loop)."""
    import weasyprint  # loads Pango: only where a PDF is made
    return weasyprint.HTML(string=document(report)).write_pdf()
